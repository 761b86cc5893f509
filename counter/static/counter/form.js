// Pre-filled form page: show conditional fields and accept OCR proposals.
(function () {
  "use strict";

  function currentValue(name) {
    var field = document.querySelector("[name='" + name + "']:checked") || document.querySelector("[name='" + name + "']");
    return field ? field.value : "";
  }

  function applyConditions() {
    document.querySelectorAll("[data-when-field]").forEach(function (row) {
      var allowed = JSON.parse(row.dataset.whenValues || "[]");
      row.hidden = allowed.indexOf(currentValue(row.dataset.whenField)) === -1;
    });
  }

  document.addEventListener("change", applyConditions);
  document.addEventListener("DOMContentLoaded", applyConditions);
  document.addEventListener("htmx:load", applyConditions);

  // An OCR proposal is copied into its field only when the customer presses "Use this value".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-accept-for]");
    if (!button) return;
    event.preventDefault();
    var input = document.querySelector("[name='" + button.dataset.acceptFor + "']");
    if (input) {
      input.value = button.dataset.value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    button.closest("[data-proposal]").remove();
  });
})();
