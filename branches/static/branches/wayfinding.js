// Moves the floor plan's highlight when the page learns where the customer should go: the ticket
// page when the ticket is called (ticket.js dispatches "ticket:counter"), the kiosk slip when a
// ticket is taken (kiosk.js calls Wayfinding.show). No plan on the page: nothing to do.
(function () {
  "use strict";

  function show(markerId, text) {
    document.querySelectorAll("[data-floor-plan]").forEach(function (figure) {
      figure.querySelectorAll(".floor-marker").forEach(function (marker) {
        marker.classList.toggle("highlight", String(marker.dataset.marker) === String(markerId));
      });
      const where = figure.querySelector("[data-where] span");
      if (where && text) where.textContent = text;
    });
  }

  function showPoint(pointId) {
    document.querySelectorAll("[data-floor-plan]").forEach(function (figure) {
      const marker = figure.querySelector('.floor-marker[data-point="' + pointId + '"]');
      const data = document.getElementById(figure.dataset.directions);
      const texts = data ? JSON.parse(data.textContent) : {};
      if (marker) show(marker.dataset.marker, texts[String(pointId)]);
    });
  }

  document.addEventListener("ticket:counter", function (event) {
    if (event.detail && event.detail.id) showPoint(event.detail.id);
  });
  window.Wayfinding = { show: show, showPoint: showPoint };
})();
