/* The lobby screen's emergency overlay: polls the branch's emergency state, covers the screen with
   the plan's message in Chinese and English while a plan is active, and reads it out (Chinese,
   then English) each time a new incident starts and every two minutes while it lasts. */
(function () {
  "use strict";
  var box = document.getElementById("emergency-overlay");
  if (!box) return;
  var POLL_MS = 3000, REPEAT_MS = 120000;
  var shown = null, lastSaid = 0;

  function say(text, lang) {
    if (!window.speechSynthesis || !text) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    window.speechSynthesis.speak(utterance);
  }

  function render(state) {
    document.body.setAttribute("data-emergency", state.active ? String(state.id) : "");
    if (!state.active) { box.hidden = true; shown = null; return; }
    box.querySelector(".emergency-title").textContent = box.dataset.titleZh + " · " + box.dataset.titleEn;
    box.querySelector(".emergency-zh").textContent = state.message["zh-hans"];
    box.querySelector(".emergency-en").textContent = state.message.en;
    box.hidden = false;
    if (shown !== state.id || Date.now() - lastSaid > REPEAT_MS) {
      shown = state.id;
      lastSaid = Date.now();
      say(state.message["zh-hans"], "zh-CN");
      say(state.message.en, "en-US");
    }
  }

  function poll() {
    window.fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) render(state); })
      .catch(function () { /* the server is away; the next poll tries again */ });
  }

  poll();
  window.setInterval(poll, POLL_MS);
}());
