/* The kiosk's service worker (served at /continuity/kiosk/sw.js, scope /kiosk/): keeps the kiosk
   page and its static files so the kiosk still opens, and can issue offline tickets
   (kiosk-offline.js), when the server is unreachable. Network first: a reachable server is always
   what the kiosk shows. API calls are never cached (they may carry personal data). */
"use strict";

var CACHE = "kiosk-shell-v1";
var KIOSK_PAGES = ["/kiosk/", "/kiosk/vtm/"];

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keepable(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  // The kiosk and VTM pages themselves (nothing personal is in them) and static files only.
  return (request.mode === "navigate" && KIOSK_PAGES.indexOf(url.pathname) !== -1) ||
    url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!keepable(request)) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request).then(function (cached) {
      return cached || Response.error();
    });
  }));
});
