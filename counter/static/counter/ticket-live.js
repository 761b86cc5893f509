// The customer's counter page for a ticket changes live: when the teller asks for a signature, the
// signature is taken, or the receipt is issued, the panel is fetched again over htmx. The socket
// reconnects by itself with backoff; the panel's own 4 s polling covers the time it is away.
(function () {
  "use strict";

  var EVENTS = ["counter.signature_requested", "counter.signed", "counter.receipt", "ticket.updated"];
  var panel = document.getElementById("ticket-panel");
  if (!panel || !panel.dataset.ws || !window.WebSocket) return;
  var path = panel.dataset.ws;
  var url = window.location.pathname;
  var delay = 500;

  function refresh() {
    if (window.htmx) window.htmx.ajax("GET", url, { target: "#ticket-panel", swap: "outerHTML" });
    else window.location.reload();
  }

  function open() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () { delay = 500; });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (EVENTS.indexOf(message.event) < 0) return;
      // A customer halfway through signing keeps their pad; only the signature's own outcome redraws it.
      var signing = document.querySelector("#ticket-panel [data-testid=signing]");
      if (signing && message.event !== "counter.signed" && message.event !== "counter.receipt") return;
      refresh();
    });
    socket.addEventListener("close", function () {
      var wait = Math.min(15000, delay) * (0.75 + Math.random() * 0.5);
      delay = Math.min(15000, delay * 2);
      window.setTimeout(open, wait);
    });
  }

  open();
})();
