// Lobby manager dashboard: live events refresh the server-rendered parts (htmx), alerts are
// added as they come, and service timers tick against their targets.
(function () {
  "use strict";

  const root = document.getElementById("dashboard");
  if (!root) return;
  const pick = window.QueueLive.pick;
  const alerts = document.getElementById("alerts");
  const pending = new Set();
  let timer = null;

  function refresh(parts) {
    parts.forEach(function (part) { pending.add(part); });
    if (timer) return;
    // Coalesce bursts of events (a call changes the queue, the counter and the list at once).
    timer = window.setTimeout(function () {
      timer = null;
      pending.forEach(function (part) {
        if (window.htmx) {
          // Each part is its own source: htmx queues only the last request per source, so with
          // one shared source (the body, by default) the counters part was never refreshed.
          const target = "#part-" + part;
          window.htmx.ajax("GET", root.dataset.partUrl.replace("PART", part), { source: target, target: target, swap: "innerHTML" });
        }
      });
      pending.clear();
    }, 300);
  }

  function addAlert(alert, atTop) {
    const empty = document.getElementById("no-alerts");
    if (empty) empty.remove();
    const li = document.createElement("li");
    li.className = alert.level || "info";
    const time = document.createElement("time");
    time.textContent = window.branchClock.time(alert.at ? new Date(alert.at) : window.branchClock.now());
    li.append(time, document.createTextNode(pick(alert.text)));
    if (alert.ticket) li.dataset.ticket = alert.ticket;
    if (atTop) alerts.prepend(li); else alerts.append(li);
    while (alerts.children.length > 30) alerts.lastElementChild.remove();
  }

  window.QueueLive.connect(root.dataset.ws, function (event, payload) {
    root.dataset.lastEvent = event;
    if (event === "state") {
      alerts.replaceChildren();
      (payload.alerts || []).forEach(function (alert) { addAlert(alert, false); });
      refresh(["queues", "counters", "waiting"]);
    } else if (event === "alert") {
      addAlert(payload, true);
    } else if (event === "counter.updated") {
      refresh(["counters"]);
    } else if (event === "queue.state") {
      refresh(["queues", "waiting"]);
    } else if (event.indexOf("ticket.") === 0) {
      refresh(["queues", "counters", "waiting"]);
    }
  }, document.getElementById("reconnecting"), root.dataset.poll);

  // Tick the "elapsed / target" timers between refreshes.
  window.setInterval(function () {
    document.querySelectorAll(".elapsed").forEach(function (el) {
      if (!el.dataset.base) el.dataset.base = String(Date.now());
      const seconds = Number(el.dataset.elapsed) + (Date.now() - Number(el.dataset.base)) / 1000;
      el.textContent = Math.floor(seconds / 60);
      el.classList.toggle("over-target", seconds / 60 > Number(el.dataset.target));
    });
  }, 5000);
})();
