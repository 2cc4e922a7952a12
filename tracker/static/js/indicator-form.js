// Indicator form: "Add a row" buttons for the repeating target and dimension rows.
// Without JavaScript the form still offers blank rows; blank rows are ignored on save.
(function () {
  "use strict";

  function renumber(row, name, index) {
    var pattern = new RegExp("^" + name + "-\\d+-");
    var replacement = name + "-" + index + "-";
    row.querySelectorAll("[id], [name], [for]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(pattern, replacement)); }
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+:/, (index + 1) + ":");
    });
  }

  function clear(row) {
    row.querySelectorAll(".field__errors").forEach(function (el) { el.remove(); });
    row.querySelectorAll("td").forEach(function (cell) { cell.classList.remove("field--error"); });
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  function addRow(name) {
    var body = document.querySelector('table[data-rows="' + name + '"] tbody');
    var rows = body.querySelectorAll("tr[data-row]");
    var row = rows[rows.length - 1].cloneNode(true);
    clear(row);
    renumber(row, name, rows.length);
    body.appendChild(row);
    row.querySelector("input").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-add-row]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button.dataset.addRow); });
    });
  });
})();
