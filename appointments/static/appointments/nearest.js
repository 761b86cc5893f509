// Branch list: when the browser shares its location, reload once with ?lat=&lng= so the server
// sorts branches nearest first. Nothing is sent anywhere else, and refusing is fine.
(function () {
  "use strict";
  var list = document.querySelector("[data-nearest-branches]");
  if (!list || !navigator.geolocation) return;
  var params = new URLSearchParams(window.location.search);
  if (params.has("lat")) return;
  var button = document.querySelector("[data-use-location]");
  function locate() {
    navigator.geolocation.getCurrentPosition(function (pos) {
      params.set("lat", pos.coords.latitude.toFixed(4));
      params.set("lng", pos.coords.longitude.toFixed(4));
      window.location.search = params.toString();
    }, function () {}, { maximumAge: 600000, timeout: 8000 });
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", locate);
  }
})();
