// Report run status page: poll the run's status.json every second and show its progress,
// then the download link (or the error). Without JavaScript the page offers a Refresh link.
(function () {
  "use strict";

  var BADGES = { queued: "muted", running: "info", done: "success", failed: "error" };
  var NOTICES = { done: "success", failed: "error" };

  function show(section, info) {
    var bar = section.querySelector("progress");
    var step = section.querySelector("[data-run-step]");
    var badge = section.querySelector("[data-run-badge] .badge");
    var message = section.querySelector("[data-run-message]");
    if (bar) { bar.value = info.progress; bar.textContent = info.progress + " %"; }
    if (message) {
      message.textContent = info.message;
      message.className = "flash flash--" + (NOTICES[info.status] || "info");
    }
    if (step) { step.textContent = info.step_label; }
    if (badge) {
      badge.className = "badge badge--" + (BADGES[info.status] || "muted");
      badge.textContent = section.getAttribute("data-label-" + info.status) || info.status;
    }
    if (info.download_url) {
      var link = section.querySelector("[data-run-download-link]");
      link.setAttribute("href", info.download_url);
      section.querySelector("[data-run-download]").hidden = false;
      // An export (the comparison's PDF) downloads by itself once it is ready, if the page
      // saw it being made; a finished run opened later waits for the click.
      if (section.hasAttribute("data-run-autodownload") && section.hasAttribute("data-run-waited")) {
        window.location.assign(info.download_url);
      }
    }
    if (!info.finished) { section.setAttribute("data-run-waited", ""); }
    if (info.error) {
      section.querySelector("[data-run-error-text]").textContent = info.error;
      section.querySelector("[data-run-error]").hidden = false;
    }
    if (info.finished) {
      var refresh = section.querySelector("[data-run-refresh]");
      if (refresh) { refresh.hidden = true; }
    }
  }

  function poll(section) {
    var url = section.getAttribute("data-run-status-url");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (info) {
        show(section, info);
        if (!info.finished) { window.setTimeout(function () { poll(section); }, 1000); }
      })
      .catch(function () {
        window.setTimeout(function () { poll(section); }, 3000);  // a hiccup: try again later
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-run-status-url]");
    if (section) { poll(section); }
  });
})();
