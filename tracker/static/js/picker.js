/* Live SDG picker on a plan element's page: results update while typing.
   Progressive enhancement only: without script the search form reloads the page with the
   same results and forms. Each result row is cloned from <template id="picker-row-template">. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-picker-url]");
  var results = document.getElementById("picker-results");
  var template = document.getElementById("picker-row-template");
  if (!form || !results || !template || !("content" in template) || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var aligned = (results.getAttribute("data-aligned") || "").split(" ");
  var timer = null;
  var latest = 0;

  function relabel(row, key) {
    row.querySelectorAll("[id]").forEach(function (el) {
      el.id = el.id.replace(/t-0$/, key);
    });
    row.querySelectorAll("label[for]").forEach(function (el) {
      el.htmlFor = el.htmlFor.replace(/t-0$/, key);
    });
  }

  function buildRow(item, q) {
    var row = template.content.firstElementChild.cloneNode(true);
    var key = item.kind.charAt(0) + "-" + item.id;
    var text = row.querySelector(".picker-row__text");
    var badge = text.querySelector(".sdg-badge");
    row.className = "picker-row goal-border-" + item.goal;
    badge.className = "sdg-badge goal-bg-" + item.goal;
    badge.textContent = item.code;
    text.textContent = "";
    text.appendChild(badge);
    text.appendChild(document.createTextNode(" " + item.title));
    var rowForm = row.querySelector("form");
    if (aligned.indexOf(key) !== -1) {
      var done = document.createElement("p");
      var label = document.createElement("span");
      done.className = "picker-row__done";
      label.className = "badge badge--success";
      label.textContent = results.getAttribute("data-aligned-label");
      done.appendChild(label);
      row.replaceChild(done, rowForm);
      return row;
    }
    var node = rowForm.querySelector("input[name=target_id]");
    node.name = item.kind === "target" ? "target_id" : "sdg_indicator_id";
    node.value = item.id;
    rowForm.querySelector("input[name=q]").value = q;
    var hidden = rowForm.querySelector("button .visually-hidden");
    hidden.textContent = hidden.textContent.replace(/\s*$/, " ") + item.code;
    relabel(row, key);
    return row;
  }

  function show(items, q) {
    results.textContent = "";
    var summary = document.createElement("p");
    summary.className = items.length ? "summary" : "muted";
    summary.textContent = items.length
      ? results.getAttribute("data-count-label").replace("%(num)s", items.length)
      : results.getAttribute("data-empty-label");
    results.appendChild(summary);
    if (!items.length) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "picker-list";
    items.forEach(function (item) { list.appendChild(buildRow(item, q)); });
    results.appendChild(list);
  }

  function search() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (q.length < 2) {
      return;
    }
    var url = form.getAttribute("data-picker-url") + "?q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (items) {
        if (items && ticket === latest) {
          show(items, q);
          history.replaceState(null, "", "?q=" + encodeURIComponent(q) + "#picker-title");
        }
      })
      .catch(function () { /* keep the server-rendered results */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
})();
