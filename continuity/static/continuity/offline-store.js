/* What the two offline scripts share (docs/continuity.md): the kiosk's offline tickets
   (continuity/kiosk-offline.js) and the teller console's offline ledger (counter/offline-ledger.js).
   Loaded before either (same `defer` order): an IndexedDB database opened once with its object
   stores, a JSON call to the server with the page's CSRF token, and a random idempotency key. */
(function () {
  "use strict";
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";

  // Database `name` (version 1); `stores` maps each object store to its keyPath (null: out-of-line keys).
  function open(name, stores) {
    var opened = new Promise(function (resolve, reject) {
      var request = indexedDB.open(name, 1);
      request.onupgradeneeded = function () {
        Object.keys(stores).forEach(function (storeName) {
          var keyPath = stores[storeName];
          request.result.createObjectStore(storeName, keyPath ? { keyPath: keyPath } : undefined);
        });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });

    // One transaction on one store: `work(objectStore, done)`; resolves with what `done` was given.
    function store(storeName, mode, work) {
      return opened.then(function (db) {
        return new Promise(function (resolve, reject) {
          var tx = db.transaction(storeName, mode);
          var result;
          tx.oncomplete = function () { resolve(result); };
          tx.onerror = tx.onabort = function () { reject(tx.error); };
          work(tx.objectStore(storeName), function (value) { result = value; });
        });
      });
    }

    function all(storeName) {
      return store(storeName, "readonly", function (os, done) {
        os.getAll().onsuccess = function (event) { done(event.target.result); };
      });
    }

    return { opened: opened, store: store, all: all };
  }

  // A JSON call; never answered from the HTTP cache. Resolves with {ok, status, data}; rejects
  // (a TypeError) only when the server cannot be reached.
  function call(method, path, data) {
    var options = { method: method, credentials: "same-origin", cache: "no-store",
                    headers: { "Accept": "application/json", "X-CSRFToken": csrf } };
    if (data) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(data); }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, data: json };
      });
    });
  }

  // A random UUID (randomUUID needs a secure origin; a kiosk on plain http has only getRandomValues).
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  window.offlineStore = { open: open, call: call, newKey: newKey };
}());
