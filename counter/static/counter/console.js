// Teller console: keyboard shortcuts, live timers and the counter's websocket.
(function () {
  "use strict";

  // Shortcuts: a button with data-shortcut="n" is clicked by the key n (not while typing).
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key.toLowerCase();
    var button = document.querySelector("[data-shortcut='" + key + "']:not([disabled])");
    if (button) {
      event.preventDefault();
      button.click();
      return;
    }
    var field = document.querySelector("[data-shortcut-focus='" + key + "']");
    if (field) {
      event.preventDefault();
      var details = field.closest("details");
      if (details) details.open = true;
      field.focus();
    }
  });

  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    return pad(m) + ":" + pad(seconds % 60);
  }

  // Timers: <span data-since="ISO" data-target-seconds="900"> shows mm:ss and turns red past the target.
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor((now - Date.parse(el.dataset.since)) / 1000));
      el.textContent = clock(seconds);
      var target = parseInt(el.dataset.targetSeconds || "0", 10);
      if (target) el.classList.toggle("over-target", seconds > target);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);

  // Live events for this counter refresh the panels (they listen to "counter-refresh from:body");
  // while the live connection is lost (queueing/live.js) the panels are refreshed by polling.
  function refresh() {
    if (window.htmx) window.htmx.trigger(document.body, "counter-refresh");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-counter-ws]");
    // The state sent when the socket opens says nothing new to a page just rendered: refreshing on
    // it re-rendered the panels under a teller's typing (the agent form lost its fields). A state
    // after an outage (a resync) and every event refresh them.
    var opened = false;
    function onLive(event) {
      if (event === "state" && !opened) { opened = true; return; }
      refresh();
    }
    if (root) window.QueueLive.connect(root.dataset.counterWs, onLive, document.getElementById("reconnecting"), refresh);
  });
})();
