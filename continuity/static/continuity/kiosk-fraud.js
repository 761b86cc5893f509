/* The kiosk's fraud button: adds its screen to the kiosk (kiosk.js shows it by data-go="fraud")
   and reports the case to /api/continuity/fraud-cases/ for the kiosk's branch. */
(function () {
  "use strict";
  var script = document.currentScript;
  var template = document.getElementById("fraud-kiosk-screen");
  if (!template) return;
  var menu = document.querySelector('[data-screen="menu"]');
  menu.parentNode.insertBefore(template.content.cloneNode(true), menu.nextSibling);
  var screen = document.querySelector('[data-screen="fraud"]');
  var form = screen.querySelector("form");
  var result = screen.querySelector(".fraud-kiosk-result");
  var error = screen.querySelector(".fraud-kiosk-error");
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.hidden = true;
    var amount = form.elements.amount.value.trim();
    var body = { description: form.elements.description.value };
    if (amount) body.amount = amount;
    fetch("/api/continuity/fraud-cases/", {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (reply) {
      if (!reply.ok) throw new Error(reply.data.detail || "refused");
      form.hidden = true;
      result.hidden = false;
      result.querySelector(".fraud-kiosk-ref").textContent = script.getAttribute("data-case-label") + " " + reply.data.ref +
        " · " + reply.data.status_label;
    }).catch(function () {
      error.textContent = script.getAttribute("data-error");
      error.hidden = false;
    });
  });
  // Back at the menu the screen starts empty again for the next customer.
  document.addEventListener("click", function (event) {
    if (event.target.closest('[data-go="menu"]')) { form.reset(); form.hidden = false; result.hidden = true; error.hidden = true; }
  });
}());
