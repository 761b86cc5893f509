// The customer's ticket page: position, estimate, "you're next" and "go to counter" live.
(function () {
  "use strict";

  const root = document.getElementById("ticket");
  if (!root) return;
  const pick = window.QueueLive.pick;
  const el = function (id) { return document.getElementById(id); };

  function render(page) {
    el("ticket-number").textContent = page.number;
    el("ticket-status").textContent = pick(page.status_label);
    root.dataset.status = page.status;
    const waiting = page.status === "waiting";
    el("ticket-facts").hidden = !waiting;
    el("ticket-position").textContent = page.position === null ? "—" : page.position;
    el("ticket-estimate").textContent = page.estimated_wait_minutes === null ? "—" : page.estimated_wait_minutes;
    el("you-are-next").hidden = !page.you_are_next;
    el("position-reason").hidden = !page.position_reason;
    el("position-reason").textContent = page.position_reason ? pick(page.position_reason) : "";
    renderTimeline(page.timeline || []);
    const go = el("go-to-counter");
    if (page.counter) {
      go.textContent = root.dataset.labelCalled.replace("{counter}", pick(page.counter.name));
      go.hidden = false;
      document.dispatchEvent(new CustomEvent("ticket:counter", { detail: page.counter }));  // the floor plan
      if (page.status === "called" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    } else {
      go.hidden = true;
    }
    el("cancel-form").hidden = !page.can_cancel;
    // Counter's page for the same ticket: the form while waiting, the e-receipt once served.
    el("counter-link").hidden = ["cancelled", "no_show", "left"].indexOf(page.status) >= 0;
    el("counter-link-form").hidden = page.status === "done";
    el("counter-link-receipt").hidden = page.status !== "done";
  }

  function renderTimeline(steps) {
    const list = el("ticket-timeline");
    list.replaceChildren();
    steps.forEach(function (step) {
      const li = document.createElement("li");
      li.dataset.step = step.kind;
      const time = document.createElement("time");
      time.dateTime = step.at;
      time.textContent = step.time;
      li.append(time, document.createTextNode(" " + pick(step.label) + (step.counter ? " · " + pick(step.counter.name) : "")));
      list.append(li);
    });
  }

  window.QueueLive.connect(root.dataset.ws, function (event, payload) {
    if (event === "state" || event === "ticket.updated") render(payload);
    // The teller asks for a signature: go to the counter's signing view for this ticket.
    if (event === "counter.signature_requested" && payload.url) window.location.assign(payload.url);
  }, el("reconnecting"), root.dataset.poll);
})();
