/* The offline kiosk ticket (docs/continuity.md, "Offline kiosk tickets"). While online it keeps a
   block of reserved numbers per queue in IndexedDB and syncs tickets issued offline, each once
   (its key). While the server is unreachable it covers the kiosk with its own screen: the walk-in
   services, and a slip with the next number of the block, marked "offline", printable. */
(function () {
  "use strict";
  var script = document.currentScript;
  var panel = document.querySelector("[data-offline-kiosk]");
  if (!panel || !window.indexedDB || !window.offlineStore) return;
  var POLL_MS = 10000, LOW = 5, SIZE = 20;
  var list = panel.querySelector(".offline-kiosk-services");
  var slip = panel.querySelector(".offline-kiosk-slip");
  var actions = panel.querySelector(".offline-kiosk-actions");
  var empty = panel.querySelector(".offline-kiosk-empty");
  var offline = false, busy = false;

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/kiosk/" }).catch(function () {});
  }

  // --- IndexedDB: blocks (id), tickets (key), the plan; the server (offline-store.js) ----------
  var db = window.offlineStore.open("kiosk-offline", { blocks: "id", tickets: "key", plan: null });
  var opened = db.opened, store = db.store, all = db.all, call = window.offlineStore.call;

  // The branch's calendar day (a block is for one business day).
  function today() {
    if (!window.branchClock) return null;
    return new Intl.DateTimeFormat("en-CA", { timeZone: window.branchClock.timeZone })
      .format(window.branchClock.now());
  }

  function reserveWhereLow(plan) {
    return all("blocks").then(function (blocks) {
      var left = {};
      blocks.forEach(function (block) {
        left[block.queue] = (left[block.queue] || 0) + (block.last - block.next + 1);
      });
      return plan.queues.filter(function (queue) { return (left[queue] || 0) < LOW; })
        .reduce(function (chain, queue) {
          return chain.then(function () {
            return call("POST", "/api/continuity/kiosk/number-blocks/", { queue: queue, size: SIZE }).then(function (reply) {
              if (!reply.ok) return null;
              var block = reply.data;
              block.next = block.first;
              return store("blocks", "readwrite", function (os) { os.put(block); });
            });
          });
        }, Promise.resolve());
    });
  }

  function syncPending() {
    return all("tickets").then(function (tickets) {
      return tickets.filter(function (t) { return t.state === "pending"; })
        .sort(function (a, b) { return a.issued_at < b.issued_at ? -1 : 1; })
        .reduce(function (chain, ticket) {
          return chain.then(function () {
            return call("POST", "/api/continuity/kiosk/offline-tickets/", {
              key: ticket.key, block: ticket.block, sequence: ticket.sequence,
              service_type: ticket.service_type, issued_at: ticket.issued_at
            }).then(function (reply) {
              if (reply.status >= 500) return null;  // try again at the next round
              ticket.state = reply.ok ? "synced" : "refused";
              ticket.reply = reply.data;
              return store("tickets", "readwrite", function (os) { os.put(ticket); });
            });
          });
        }, Promise.resolve());
    });
  }

  function dropSpentBlocks(day) {
    return store("blocks", "readwrite", function (os) {
      os.getAll().onsuccess = function (event) {
        event.target.result.forEach(function (block) {
          if (block.next > block.last || (day && block.business_date !== day)) os.delete(block.id);
        });
      };
    });
  }

  // What the kiosk holds, on the panel for staff tools and tests: numbers left, tickets by state.
  function tally() {
    return Promise.all([all("blocks"), all("tickets")]).then(function (stores) {
      panel.setAttribute("data-numbers-left", stores[0].reduce(function (sum, b) { return sum + b.last - b.next + 1; }, 0));
      ["pending", "synced", "refused"].forEach(function (state) {
        panel.setAttribute("data-" + state, stores[1].filter(function (t) { return t.state === state; }).length);
      });
    });
  }

  function round() {
    if (busy) return;
    busy = true;
    call("GET", "/api/continuity/kiosk/offline-plan/").then(function (reply) {
      if (reply.status >= 500) throw new TypeError("server unavailable");  // e.g. the proxy's 502
      if (!reply.ok) throw new Error("plan refused");
      setOffline(false);
      return store("plan", "readwrite", function (os) { os.put(reply.data, "plan"); })
        .then(syncPending)
        .then(function () { return dropSpentBlocks(today()); })
        .then(function () { return reserveWhereLow(reply.data); })
        .then(tally);
    }).catch(function (error) {
      if (error instanceof TypeError) setOffline(true);  // unreachable, not a refusal
    }).then(function () { busy = false; });
  }

  // --- the offline screen --------------------------------------------------------------------------
  function setOffline(isOffline) {
    if (isOffline === offline) return;
    offline = isOffline;
    panel.hidden = !offline;
    document.body.classList.toggle("offline-ticketing", offline);
    if (offline) showServices();
    else round();
  }

  function showServices() {
    slip.hidden = actions.hidden = empty.hidden = true;
    list.hidden = false;
    list.textContent = "";
    store("plan", "readonly", function (os, done) {
      os.get("plan").onsuccess = function (event) { done(event.target.result); };
    }).then(function (plan) {
      panel.querySelector(".slip-branch").textContent = plan ? plan.branch : "";
      ((plan && plan.services) || []).forEach(function (service) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "big";
        button.textContent = service.name;
        button.setAttribute("data-offline-service", service.code);
        button.addEventListener("click", function () { issue(service); });
        list.appendChild(button);
      });
    });
  }

  // Take the next number of the queue's block and keep the ticket, in one IndexedDB transaction.
  function issue(service) {
    opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(["blocks", "tickets"], "readwrite");
        var ticket = null;
        tx.objectStore("blocks").getAll().onsuccess = function (event) {
          var day = today();
          var block = event.target.result.filter(function (b) {
            return b.queue === service.queue && b.next <= b.last && (!day || b.business_date === day);
          })[0];
          if (!block) return;
          ticket = { key: window.offlineStore.newKey(), block: block.id, sequence: block.next,
                     number: block.queue + String(block.next).padStart(3, "0"),
                     service_type: service.code, service: service.name,
                     issued_at: (window.branchClock ? window.branchClock.now() : new Date()).toISOString(),
                     state: "pending" };
          block.next += 1;
          tx.objectStore("blocks").put(block);
          tx.objectStore("tickets").put(ticket);
        };
        tx.oncomplete = function () { resolve(ticket); };
        tx.onerror = function () { reject(tx.error); };
      });
    }).then(function (ticket) {
      tally();
      list.hidden = true;
      if (!ticket) { empty.hidden = false; actions.hidden = false; return; }
      slip.querySelector(".ticket-number").textContent = ticket.number;
      slip.querySelector(".slip-service").textContent = ticket.service;
      slip.querySelector(".slip-time").textContent = window.branchClock
        ? window.branchClock.dateTime(new Date(ticket.issued_at)) : ticket.issued_at;
      slip.hidden = actions.hidden = false;
    });
  }

  panel.querySelector("[data-offline-print]").addEventListener("click", function () { window.print(); });
  panel.querySelector("[data-offline-done]").addEventListener("click", showServices);

  // kiosk.js marks the page offline when any of its calls fails: check at once rather than later.
  new MutationObserver(function () {
    if (document.body.classList.contains("is-offline") && !offline) round();
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  window.addEventListener("online", round);
  window.addEventListener("offline", function () { setOffline(true); });
  round();
  setInterval(round, POLL_MS);
}());
