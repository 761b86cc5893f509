// Remote ticket form: fill in the customer's location when they allow it.
(function () {
  "use strict";

  const form = document.getElementById("remote-form");
  const status = document.getElementById("location-status");
  if (!form || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (position) {
    form.elements.latitude.value = position.coords.latitude.toFixed(6);
    form.elements.longitude.value = position.coords.longitude.toFixed(6);
    status.textContent = status.dataset.labelOk;
  }, function () {
    status.textContent = status.dataset.labelDenied;
  }, { timeout: 10000, maximumAge: 60000 });
})();
