// Import job page: poll the job's status.json every second, move the progress bar, and
// reload the page once the job has finished (the page then shows its report). Without
// JavaScript a <noscript> refresh reloads the page every few seconds instead.
(function () {
  "use strict";

  function show(section, info) {
    var bar = section.querySelector("progress");
    var step = section.querySelector("[data-job-step]");
    if (bar) { bar.value = info.progress; bar.textContent = info.progress + " %"; }
    if (step) { step.textContent = info.step_label; }
  }

  function poll(section) {
    var url = section.getAttribute("data-job-status-url");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (info) {
        show(section, info);
        if (info.finished) { window.location.assign(info.page_url); return; }
        window.setTimeout(function () { poll(section); }, 1000);
      })
      .catch(function () {
        window.setTimeout(function () { poll(section); }, 3000);  // a hiccup: try again later
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-job-status-url]");
    if (section && section.querySelector("progress")) { poll(section); }
  });
})();
