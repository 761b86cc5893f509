/* The teller console's offline ledger (continuity/_console_ledger.html; docs/continuity.md,
   "Offline ledger"). While the server answers it keeps the counter's plan (services, outcomes,
   teller) in IndexedDB and syncs what was recorded offline, each entry once (its key). When the
   server does not answer it says so across the console and records services in the browser.
   A file of its own: the console's own scripts (console.js) are not touched. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-offline-ledger]");
  if (!panel || !window.indexedDB || !window.offlineStore) return;
  var POLL_MS = 10000;
  var labels = panel.querySelector("[data-ledger-labels]").dataset;
  var banner = panel.querySelector("[data-ledger-offline]");
  var form = panel.querySelector("[data-ledger-form]");
  var list = panel.querySelector("[data-ledger-list]");
  var planUrl = panel.dataset.plan;
  var offline = null, busy = false, startedAt = null, syncedHere = 0;

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(panel.dataset.worker, { scope: "/counter/console/" }).catch(function () {});
  }

  // --- IndexedDB: entries (key), the plan per counter; the server (continuity/offline-store.js) ---
  var db = window.offlineStore.open("console-ledger", { entries: "key", plan: null });
  var store = db.store, call = window.offlineStore.call;
  function all() { return db.all("entries"); }

  function now() { return window.branchClock ? window.branchClock.now() : new Date(); }

  // --- online: keep the plan and the offline page, sync what waits -----------------------------------
  function keepShell() {
    if (!window.caches || !panel.dataset.shell || panel.hasAttribute("data-shell-kept")) return Promise.resolve();
    // The offline page and this page's static files (loaded before the worker took over).
    var assets = Array.prototype.map.call(document.querySelectorAll("script[src], link[rel=stylesheet][href]"),
      function (element) { return element.src || element.href; })
      .filter(function (url) { return new URL(url).pathname.indexOf("/static/") === 0; });
    return caches.open("console-shell-v1").then(function (cache) {
      // Each file on its own: one that fails (a 404) must not keep the others out.
      return Promise.all(assets.map(function (url) { return cache.add(url).catch(function () {}); }))
        .then(function () { return cache.add(panel.dataset.shell); });
    }).then(function () { panel.setAttribute("data-shell-kept", "1"); }, function () {});
  }

  // Once synced, the browser keeps no personal data: the name and ID number are dropped.
  function forget(entry) {
    entry.customer_name = entry.customer_name ? entry.customer_name.charAt(0) + "*" : "";
    entry.customer_id_number = entry.customer_id_number ? "****" + entry.customer_id_number.slice(-4) : "";
  }

  function syncPending() {
    return all().then(function (entries) {
      return entries.filter(function (e) { return e.state === "pending"; })
        .sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; })
        .reduce(function (chain, entry) {
          return chain.then(function () {
            var body = {};
            ["key", "counter", "service_type", "outcome", "outcome_reason", "ticket_number", "customer_name",
             "customer_id_number", "amount", "note", "served_at", "recorded_at"].forEach(function (name) {
              body[name] = entry[name];
            });
            return call("POST", panel.dataset.sync, body).then(function (reply) {
              if (reply.status >= 500) throw new TypeError("server unavailable");  // try again later
              // Signed out or a stale CSRF token (signed in again elsewhere): the entry is not
              // refused, it waits until this page is reloaded with a valid session.
              if (reply.status === 401 || reply.status === 403) throw new Error("not signed in");
              entry.state = reply.ok ? reply.data.status : "refused";
              entry.reply = reply.ok ? { ticket: reply.data.ticket, conflicts: reply.data.conflicts }
                : { detail: reply.data.detail || "", errors: reply.data.errors || {} };
              forget(entry);
              syncedHere += 1;
              return store("entries", "readwrite", function (os) { os.put(entry); });
            });
          });
        }, Promise.resolve());
    });
  }

  function round() {
    if (busy) return;
    busy = true;
    call("GET", planUrl).then(function (reply) {
      if (reply.status >= 500) throw new TypeError("server unavailable");  // e.g. the proxy's 502
      if (!reply.ok) throw new Error("plan refused");
      return store("plan", "readwrite", function (os) { os.put(reply.data, planUrl); })
        .then(function () { panel.setAttribute("data-plan-kept", "1"); setOffline(false); })
        .then(keepShell).then(syncPending);
    }).catch(function (error) {
      if (error instanceof TypeError) setOffline(true);  // unreachable, not a refusal
    }).then(show).then(function () { busy = false; });
  }

  // --- offline: the banner and the form -------------------------------------------------------------
  function plan() {
    return store("plan", "readonly", function (os, done) {
      os.get(planUrl).onsuccess = function (event) { done(event.target.result); };
    });
  }

  function fill(select, options) {
    select.textContent = "";
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option.value;
      element.textContent = option.label;
      select.appendChild(element);
    });
  }

  // The ticket being served when the server went away, as the console shows it ("A012 · 存款").
  function currentTicket(services) {
    var shown = document.querySelector("[data-testid=current-ticket]");
    if (!shown) return;
    var parts = shown.textContent.split("·").map(function (part) { return part.trim(); });
    form.elements.ticket_number.value = parts[0] || "";
    services.forEach(function (service) {
      if (service.label === parts[1]) form.elements.service_type.value = service.value;
    });
  }

  function setOffline(isOffline) {
    if (isOffline === offline) return;
    offline = isOffline;
    document.body.classList.toggle("offline-ledger", offline);
    banner.hidden = form.hidden = !offline;
    if (!offline) return;
    plan().then(function (p) {
      if (!p) return;
      var services = p.services.map(function (s) { return { value: s.code, label: s.name }; });
      fill(form.querySelector("[data-ledger-services]"), services);
      fill(form.querySelector("[data-ledger-outcomes]"), p.outcomes.map(function (o) { return { value: o.value, label: o.label }; }));
      panel.querySelector("[data-ledger-who]").textContent = p.counter_name + " · " + p.teller_name;
      panel.querySelector("[data-ledger-limit]").textContent = labels.limit.replace("%(limit)s", p.limit);
      currentTicket(services);
    });
  }

  form.addEventListener("input", function () { if (!startedAt) startedAt = now(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    plan().then(function (p) {
      var fields = form.elements;
      var select = fields.service_type;
      var recorded = now();
      var entry = {
        key: window.offlineStore.newKey(), counter: p.counter, teller: p.teller, state: "pending",
        service_type: select.value, service: select.options[select.selectedIndex].textContent,
        outcome: fields.outcome.value, outcome_reason: fields.outcome_reason.value.trim(),
        ticket_number: fields.ticket_number.value.trim().toUpperCase(),
        customer_name: fields.customer_name.value.trim(), customer_id_number: fields.customer_id_number.value.trim(),
        amount: fields.amount.value.trim() || null, note: fields.note.value.trim(),
        served_at: (startedAt || recorded).toISOString(), recorded_at: recorded.toISOString()
      };
      return store("entries", "readwrite", function (os) { os.put(entry); });
    }).then(function () {
      form.reset();
      startedAt = null;
      show();
    });
  });

  // --- what the ledger holds, on screen and as data-* for staff tools and tests ---------------------
  function show() {
    return all().then(function (entries) {
      var mine = entries.filter(function (e) { return String(e.counter) === panel.dataset.counter; })
        .sort(function (a, b) { return a.recorded_at < b.recorded_at ? 1 : -1; });
      var count = function (state) { return mine.filter(function (e) { return e.state === state; }).length; };
      var pending = count("pending");
      ["pending", "reconciled", "conflict", "refused"].forEach(function (state) {
        panel.setAttribute("data-" + state, count(state));
      });
      panel.hidden = !(offline || pending || syncedHere);
      panel.classList.toggle("is-synced", !offline && !pending);
      panel.querySelector("[data-ledger-tally]").textContent = labels.tally
        .replace("%(pending)s", pending).replace("%(synced)s", mine.length - pending);
      list.textContent = "";
      mine.slice(0, 10).forEach(function (entry) {
        var item = document.createElement("li");
        item.setAttribute("data-ledger-key", entry.key);
        var when = window.branchClock ? window.branchClock.time(new Date(entry.served_at)) : entry.served_at;
        var state = document.createElement("span");
        state.className = "state-" + entry.state;
        state.textContent = labels[entry.state] || entry.state;
        item.textContent = [when, entry.ticket_number, entry.service, entry.amount ? entry.amount + " ¥" : ""]
          .filter(Boolean).join(" · ") + " — ";
        item.appendChild(state);
        list.appendChild(item);
      });
    });
  }

  // htmx's panels fail first when the server goes away: check at once rather than at the next poll.
  document.body.addEventListener("htmx:sendError", round);
  window.addEventListener("online", round);
  window.addEventListener("offline", function () { setOffline(true); show(); });
  round();
  setInterval(round, POLL_MS);
}());
