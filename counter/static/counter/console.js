// Teller console: keyboard shortcuts, live timers and the counter's websocket.
(function () {
  "use strict";

  // Shortcuts: a button with data-shortcut="n" is clicked by the key n, a field with
  // data-shortcut-focus="t" is focused by t (not while typing: Esc leaves the field first).
  function openHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open) dialog.showModal();
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("dialog[open]")) return;
    if (target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape" && !target.closest("dialog")) target.blur();
      return;
    }
    var key = event.key.toLowerCase();
    if (key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
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
      field.scrollIntoView({ block: "nearest" });
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcut='?']")) openHelp();
  });

  // A live event (or the queue panel's poll) re-renders a pane with a GET: what the teller typed,
  // chose or opened there is kept (the agent form, a correction, a note lost their text). A POST
  // is the teller's own action: its answer is shown as it comes, and focus goes to the likely
  // next button (data-next-focus).
  function fieldKey(el) {
    if (el.id) return "#" + el.id;
    if (el.tagName === "BUTTON") {
      var action = el.form ? (el.form.getAttribute("action") || "") : "";
      return action + "|button|" + (el.name || "") + "|" + el.textContent.trim();
    }
    var form = el.form ? (el.form.getAttribute("action") || "") : "";
    return form + "|" + el.name + (el.type === "radio" ? "=" + el.value : "");
  }
  function typed(root) {
    var kept = { fields: {}, open: [], focus: null };
    root.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "hidden" || el.type === "submit" || !el.name && !el.id) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked !== el.defaultChecked) kept.fields[fieldKey(el)] = el.checked;
      } else if (el.tagName === "SELECT") {
        var chosen = Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
        if (chosen) kept.fields[fieldKey(el)] = el.value;
      } else if (el.value !== el.defaultValue) {
        kept.fields[fieldKey(el)] = el.value;
      }
    });
    root.querySelectorAll("details[open] > summary").forEach(function (summary) {
      kept.open.push(summary.textContent.trim());
    });
    var active = document.activeElement;
    if (active && root.contains(active) && active !== document.body) {
      // A button keeps the focus too: a redraw between the teller's Tab (or V) and Enter must not
      // drop the Enter on the page.
      kept.focus = active.matches("input, textarea, select, button") ? fieldKey(active) : null;
    }
    return kept;
  }
  function restore(root, kept) {
    root.querySelectorAll("input, textarea, select").forEach(function (el) {
      var key = fieldKey(el);
      if (!(key in kept.fields)) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = kept.fields[key];
      else el.value = kept.fields[key];
      if (key === kept.focus) el.focus();
    });
    if (kept.focus) {
      root.querySelectorAll("input, textarea, select, button").forEach(function (el) {
        if (fieldKey(el) === kept.focus && document.activeElement !== el) el.focus();
      });
    }
    root.querySelectorAll("details > summary").forEach(function (summary) {
      if (kept.open.indexOf(summary.textContent.trim()) !== -1) summary.parentElement.open = true;
    });
  }
  var pending = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var kept = typed(target);
    // The fields of the form just sent are answered by the server, not restored.
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = sent && (sent.tagName === "FORM" ? sent : sent.form || sent.closest("form"));
    if (form) {
      Array.prototype.forEach.call(form.elements, function (el) { delete kept.fields[fieldKey(el)]; });
      kept.focus = null;
    }
    pending.set(target, { kept: kept, action: !!form });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var swap = pending.get(target);
    if (!swap) return;
    pending.delete(target);
    restore(target, swap.kept);
    if (swap.action && target.id === "current") {
      var next = target.querySelector("[data-next-focus]:not([disabled])");
      if (next) next.focus({ preventScroll: false });
    }
  });

  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    return pad(m) + ":" + pad(seconds % 60);
  }

  // Timers: <span data-since="ISO" data-target-seconds="900"> shows mm:ss and turns red past the target.
  // They count on the server's clock, not the PC's (a counter PC with a wrong clock showed hours
  // for a visit just started): the page carries the server's time (body data-server-time) and so
  // does every redraw of the visit (data-server-now); the offset is taken again from each.
  var offset = 0;
  function syncClock(root) {
    var stamp = root.querySelector("[data-server-now]");
    var served = Date.parse(stamp ? stamp.dataset.serverNow : document.body.dataset.serverTime || "");
    if (!isNaN(served)) offset = served - Date.now();
  }
  document.addEventListener("DOMContentLoaded", function () { syncClock(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.querySelector("[data-server-now]")) { syncClock(target); tick(); }
  });
  function tick() {
    var now = Date.now() + offset;
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
