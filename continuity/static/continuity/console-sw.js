/* The teller console's service worker (served at /continuity/console/sw.js, scope /counter/console/):
   network first, keeping static files; when the server is unreachable, opening or reloading a
   console page shows that counter's offline ledger page (kept by counter/offline-ledger.js: it
   holds no customer data), so the teller can go on recording services. API calls and the console
   pages themselves are never cached (they carry personal data). */
"use strict";

var CACHE = "console-shell-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var console = url.pathname.match(/^\/counter\/console\/(\d+)\/$/);
  if (request.mode === "navigate" && console) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match("/continuity/console/" + console[1] + "/offline/").then(function (shell) {
        return shell || Response.error();
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request).then(function (cached) { return cached || Response.error(); });
  }));
});
