/* The kiosk and VTM screen: attract → language → menu → ticket / check-in / form / face /
   question / remote teller. Touch only; elderly and high-contrast modes; idle timeout clears
   everything personal (screen, browser storage, server session); heartbeats; offline notice. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var T = JSON.parse(document.getElementById("kiosk-strings").textContent);
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";
  var body = document.body;
  var notice = document.querySelector(".kiosk-notice");
  var offlineBanner = document.querySelector(".kiosk-offline");
  var state = { screen: "attract", lastTouch: Date.now(), session: !!config.session, stopped: false,
                services: [], service: null, form: null, streams: [], call: null, vtm: null,
                faceTimer: null, scanTimer: null, conversation: "" };

  // --- plumbing ---------------------------------------------------------------------------------

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function api(method, path, data) {
    var options = { method: method, credentials: "same-origin",
                    headers: { "X-CSRFToken": csrf, "Accept": "application/json" } };
    if (data !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data);
    }
    return fetch(path, options).then(function (response) {
      online(true);
      if (response.status === 401 || response.status === 403) { revoked(); throw new Error("refused"); }
      if (response.status === 204) return { ok: true, status: 204, data: {} };
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, data: json };
      });
    }, function (error) { online(false); throw error; });
  }

  function online(isOnline) {
    offlineBanner.hidden = isOnline;
    if (!isOnline) offlineBanner.textContent = T.offline;
    body.classList.toggle("is-offline", !isOnline);
  }

  // `quiet`: a screen's own prompt, already its heading: read out (live region, voice in elderly
  // mode) but not shown a second time under the bar.
  function say(text, quiet) {
    notice.textContent = text || "";
    notice.classList.toggle("quiet", !!quiet);
    if (text && body.classList.contains("elderly") && window.speechSynthesis) {
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = ({ en: "en-GB", ja: "ja-JP", ko: "ko-KR" })[document.documentElement.lang] || "zh-CN";
      utterance.rate = 0.85;
      window.speechSynthesis.speak(utterance);
    }
  }

  function firstError(data, field) {
    // The API's one error shape: {code, detail, errors: {field: [...]}}.
    var errors = (data && ((data.errors && data.errors[field]) || data.detail)) || [T.error];
    return Array.isArray(errors) ? String(errors[0]) : String(errors);
  }

  // --- screens ----------------------------------------------------------------------------------

  function show(name) {
    if (state.screen === "checkin" && name !== "checkin") stopScan();
    if (state.screen === "face" && name !== "face") stopFace();
    state.screen = name;
    $$("[data-screen]").forEach(function (section) { section.hidden = section.getAttribute("data-screen") !== name; });
    body.setAttribute("data-kiosk-screen", name);
    $$("[data-needs-session]").forEach(function (b) { b.hidden = !state.session; });
    showProgress(name);
    var section = $('[data-screen="' + name + '"]');
    notice.textContent = "";
    if (section && section.getAttribute("data-say")) say(section.getAttribute("data-say"), true);
    var enter = { services: enterServices, checkin: enterCheckin, forms: enterForms, face: enterFace,
                  remote: enterRemote, sign: enterSign, menu: paginate }[name];
    if (enter) enter();
  }

  // Progress through a flow: the menu choice starts a flow (its first screen); the steps bar
  // marks the screens before this one done and this one current. Screens outside the flow
  // (menu, attract) hide it.
  var progress = $(".kiosk-progress");
  function showProgress(name) {
    if ($('.kiosk-progress [data-flow="' + name + '"]')) state.flow = name;
    if (name === "menu" || name === "attract" || name === "language") state.flow = null;
    var flow = state.flow && $('.kiosk-progress [data-flow="' + state.flow + '"]');
    var steps = flow ? $$("[data-step]", flow) : [];
    var current = steps.map(function (li) { return li.getAttribute("data-step"); }).indexOf(name);
    progress.hidden = current < 0;
    $$("[data-flow]", progress).forEach(function (ol) { ol.hidden = ol !== flow; });
    steps.forEach(function (li, i) {
      li.classList.toggle("done", i < current);
      if (i === current) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
  }

  // Elderly mode shows fewer choices per screen: page through them with big buttons.
  function paginate() {
    $$("[data-screen]:not([hidden]) .choices").forEach(function (box) {
      var size = body.classList.contains("elderly") ? Number(box.getAttribute("data-page-size") || 4) : 0;
      var items = $$(":scope > button:not([data-pager])", box).filter(function (b) { return !b.hasAttribute("data-unavailable"); });
      $$(":scope > [data-pager]", box).forEach(function (b) { b.remove(); });
      var page = Number(box.getAttribute("data-page") || 0);
      if (!size || items.length <= size) {
        items.forEach(function (b) { b.hidden = false; });
        return;
      }
      var pages = Math.ceil(items.length / size);
      page = Math.min(page, pages - 1);
      items.forEach(function (b, i) { b.hidden = Math.floor(i / size) !== page; });
      var forward = page + 1 < pages;
      var more = el("button", { type: "button", class: "big secondary pager", "data-pager": "1" }, [
        forward ? null : icon("previous"), el("span", { text: forward ? T.more : T.previous }),
        forward ? icon("next") : null]);
      more.addEventListener("click", function () {
        box.setAttribute("data-page", String(page + 1 < pages ? page + 1 : 0));
        paginate();
      });
      box.appendChild(more);
    });
  }

  function applyCapabilities() {
    $$("[data-needs-vtm]").forEach(function (b) { b.hidden = !config.hasVtm; if (!config.hasVtm) b.setAttribute("data-unavailable", "1"); });
    $$("[data-needs-camera]").forEach(function (b) { if (!config.hasCamera) { b.hidden = true; b.setAttribute("data-unavailable", "1"); } });
    $$("[data-needs-printer]").forEach(function (b) { b.hidden = !config.hasPrinter; });
  }

  // --- sessions, modes, idle ----------------------------------------------------------------------

  function startSession(language, elderly) {
    return api("POST", "/api/kiosk/session/", {
      language: language, elderly_mode: elderly || body.classList.contains("elderly"),
      high_contrast: body.classList.contains("contrast"),
    }).then(function (result) {
      if (!result.ok) { say(firstError(result.data, "language")); return; }
      state.session = true;
      // Reload in the chosen language; the open session brings the customer to the menu.
      if (document.documentElement.lang !== language) location.replace(location.pathname + "?language=" + language);
      else show("menu");
    });
  }

  function setMode(cls, on) {
    body.classList.toggle(cls, on);
    $$('[data-action="toggle-' + (cls === "elderly" ? "elderly" : "contrast") + '"]').forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (state.session) {
      var change = cls === "elderly" ? { elderly_mode: on } : { high_contrast: on };
      api("POST", "/api/kiosk/session/settings/", change).catch(function () {});
    }
    paginate();
  }

  function idleLimit() {
    return 1000 * (body.classList.contains("elderly") ? config.elderlyIdleSeconds : config.idleSeconds);
  }

  function touched() { state.lastTouch = Date.now(); }

  function clearPersonal() {
    stopScan();
    stopFace();
    if (state.call) { state.call.hangUp(); state.call = null; }
    state.vtm = null;
    state.form = null;
    state.service = null;
    state.conversation = "";
    $$("form").forEach(function (form) { form.reset(); });
    $$("input, textarea").forEach(function (input) { input.value = ""; });
    $$(".business-form, .ask-answer, .ask-options, .face-offers, .route-best, .route-alt, .qr, .services")
      .forEach(function (box) { box.textContent = ""; });
    $$(".ticket-slip [data-field], .confirmation [data-field], [data-form-title], [data-service-name], .field-error")
      .forEach(function (node) { node.textContent = ""; });
    $(".confirmation").hidden = true;
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage disabled */ }
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }

  function endSession(reason) {
    var wasOpen = state.session;
    state.session = false;
    clearPersonal();
    setMode("elderly", false);
    setMode("contrast", false);
    show("attract");
    if (wasOpen) {
      api("POST", "/api/kiosk/session/end/", { reason: reason }).then(function () {
        body.setAttribute("data-cleared", reason);
      }).catch(function () { state.pendingEnd = reason; });
    } else {
      body.setAttribute("data-cleared", reason);
    }
  }

  setInterval(function () {
    if (state.stopped || state.screen === "attract" || state.screen === "call") return;
    if (Date.now() - state.lastTouch > idleLimit()) endSession("idle");
  }, 500);

  // --- heartbeats and the device socket -------------------------------------------------------------

  function heartbeat() {
    if (state.stopped) return;
    api("POST", "/api/kiosk/heartbeat/").then(function () {
      clearTimeout(state.retry);
      if (state.pendingEnd) {
        var reason = state.pendingEnd;
        state.pendingEnd = null;
        api("POST", "/api/kiosk/session/end/", { reason: reason }).catch(function () {});
      }
      if (!state.socket || state.socket.readyState > 1) connectDevice();
    }).catch(function () {
      // Unreachable: try again soon rather than at the next heartbeat.
      clearTimeout(state.retry);
      state.retry = setTimeout(heartbeat, 5000);
    });
  }

  function connectDevice() {
    if (state.stopped) return;
    var socket = new WebSocket(KioskRtc.wsUrl("/ws/kiosk/device/"));
    state.socket = socket;
    socket.onmessage = function (message) {
      var parsed = JSON.parse(message.data);
      if (parsed.event === "device.revoked") revoked();
      else if (parsed.event === "face.greeting") greeted(parsed.payload);
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) revoked();
      else if (!state.stopped) setTimeout(connectDevice, 3000);
    };
  }

  function revoked() {
    if (state.stopped) return;
    state.stopped = true;
    clearPersonal();
    $$("[data-screen]").forEach(function (section) { section.hidden = true; });
    offlineBanner.hidden = false;
    offlineBanner.textContent = T.revoked;
    body.setAttribute("data-revoked", "1");
    if (state.socket) state.socket.close();
  }

  // --- services, routing, tickets ---------------------------------------------------------------------

  // Icons are the page's inline SVGs (ui/icons.py renders them into <template>s): no emoji,
  // which a kiosk PC without an emoji font draws as empty boxes.
  function icon(name) {
    var template = $('template[data-icon-template="' + name + '"]') || $('template[data-icon-template="other"]');
    return document.importNode(template.content.firstElementChild, true);
  }

  function serviceButton(service, onPick) {
    var button = el("button", { type: "button", class: "big service", "data-service": service.code }, [
      icon(service.category),
      el("span", { text: service.name }),
    ]);
    button.addEventListener("click", function () { onPick(service); });
    return button;
  }

  function loadServices(query) {
    return api("GET", "/api/kiosk/services/?q=" + encodeURIComponent(query || "")).then(function (result) {
      state.services = result.data || [];
      return state.services;
    });
  }

  function renderServiceList(box, list, onPick) {
    box.textContent = "";
    box.setAttribute("data-page-size", "4");
    box.setAttribute("data-page", "0");
    if (!list.length) box.appendChild(el("p", { class: "muted", text: T.no_services }));
    list.forEach(function (service) { box.appendChild(serviceButton(service, onPick)); });
    paginate();
  }

  function enterServices() {
    $('[data-screen="services"] [data-title]').textContent = T.choose_service;
    var input = $('[data-screen="services"] input[name=q]');
    loadServices(input.value).then(function (list) {
      renderServiceList($('[data-screen="services"] .services'), list, pickService);
    }).catch(function () {});
  }

  var searchTimer = null;
  $('[data-screen="services"] input[name=q]').addEventListener("input", function (event) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      loadServices(event.target.value).then(function (list) {
        renderServiceList($('[data-screen="services"] .services'), list, pickService);
      }).catch(function () {});
    }, 250);
  });

  function pickService(service) {
    state.service = service;
    show("route");
    $("[data-service-name]").textContent = service.name;
    var best = $(".route-best");
    var alt = $(".route-alt");
    best.textContent = "";
    alt.textContent = "";
    api("GET", "/api/kiosk/services/" + encodeURIComponent(service.code) + "/recommendation/").then(function (result) {
      if (!result.ok) { best.appendChild(el("p", { text: firstError(result.data, "detail") })); return; }
      var rec = result.data;
      best.appendChild(el("p", { class: "route-label", "data-testid": "route-label", text: rec.label }));
      best.appendChild(routeButton(rec, rec.channel === "kiosk" && service.can_do_here ? T.here_now : T.take_ticket));
      say(rec.label);
      if (rec.alternative) {
        alt.appendChild(el("p", { class: "muted", text: T.alternative }));
        alt.appendChild(el("p", { class: "route-label", text: rec.alternative.label }));
        alt.appendChild(routeButton(rec.alternative, T.take_ticket, true));
      }
      if (service.remote_teller && config.hasVtm) {
        var remote = el("button", { type: "button", class: "big secondary", text: $('[data-go="remote"]').textContent.trim() });
        remote.addEventListener("click", function () { requestTeller(service); });
        alt.appendChild(remote);
      }
    }).catch(function () {});
  }

  function routeButton(rec, label, secondary) {
    var button = el("button", { type: "button", class: "big" + (secondary ? " secondary" : ""),
                                "data-channel": rec.channel, "data-testid": "take-" + rec.channel, text: label });
    button.addEventListener("click", function () {
      // Routed to a video teller while standing at one: call a remote teller right here.
      if (rec.channel === "vtm" && config.hasVtm && state.service.remote_teller) requestTeller(state.service);
      else takeTicket(rec.channel);
    });
    return button;
  }

  function takeTicket(channel, signLanguage) {
    api("POST", "/api/kiosk/tickets/", { service_type: state.service.code, channel: channel,
                                         sign_language: !!signLanguage }).then(function (result) {
      if (!result.ok) { say(firstError(result.data, "service_type")); return; }
      showTicket(result.data);
    }).catch(function () {});
  }

  function showTicket(ticket) {
    show("ticket");
    var slip = $(".ticket-slip");
    ["branch", "number", "service", "wait_label", "where"].forEach(function (field) {
      $('[data-field="' + field + '"]', slip).textContent = ticket[field] || "";
    });
    if (window.Wayfinding) window.Wayfinding.show(ticket.where_marker, ticket.where);
    $('[data-field="issued_at"]', slip).textContent = window.branchClock.dateTime(new Date(ticket.issued_at));
    var svg = new DOMParser().parseFromString(ticket.qr_svg, "text/html").body.firstElementChild;
    var qr = $('[data-field="qr"]', slip);
    qr.textContent = "";
    qr.appendChild(document.importNode(svg, true));
    // Chinese and Japanese end a sentence with 。 ("您的号码 S001。柜台，无需等候"), not ". "
    var stop = /^(zh|ja)/.test(document.documentElement.lang) ? "。" : ". ";
    say(T.your_ticket + " " + ticket.number + stop + (ticket.wait_label || ""));
  }

  // --- check-in (QR with the camera where the browser can read it, or the typed code) ---------------

  function camera(video) {
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false }).then(function (stream) {
      state.streams.push(stream);
      video.srcObject = stream;
      return video.play().then(function () { return stream; });
    });
  }

  function stopStreams() {
    state.streams.splice(0).forEach(function (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); });
  }

  function stopScan() { clearTimeout(state.scanTimer); state.scanTimer = null; stopStreams(); }

  function enterCheckin() {
    var hint = $(".scan-hint");
    var video = $(".scan-video");
    // No camera or no QR reader: no empty black box, only the hint to type the code.
    video.hidden = !config.hasCamera || !("BarcodeDetector" in window);
    if (video.hidden) { hint.textContent = T.no_camera; return; }
    hint.textContent = T.scan_hint;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    camera(video).then(function () {
      function scan() {
        detector.detect(video).then(function (codes) {
          if (codes.length) { checkIn(codes[0].rawValue); return; }
          state.scanTimer = setTimeout(scan, 300);
        }).catch(function () { state.scanTimer = setTimeout(scan, 600); });
      }
      scan();
    }).catch(function () { video.hidden = true; hint.textContent = T.no_camera; });
  }

  $(".checkin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    checkIn(event.target.elements.code.value);
  });

  function checkIn(code) {
    stopScan();
    var error = $('[data-error-for="code"]');
    error.textContent = "";
    api("POST", "/api/kiosk/check-in/", { code: code }).then(function (result) {
      if (!result.ok) { error.textContent = firstError(result.data, "code"); say(error.textContent); return; }
      say(T.checked_in);
      showTicket(result.data);
    }).catch(function () {});
  }

  // --- pre-filled forms (counter's business form schema) ----------------------------------------------

  function enterForms() {
    loadServices("").then(function (list) {
      renderServiceList($(".form-services"), list.filter(function (s) { return s.has_form; }), startForm);
    }).catch(function () {});
  }

  function label(spec) {
    var labels = spec.label || {};
    // Forms are written in Chinese and English; other languages read the English label.
    var lang = document.documentElement.lang;
    return labels[lang] || (lang.indexOf("zh") === 0 ? labels["zh-hans"] : labels.en) || labels["zh-hans"] || spec.name;
  }

  function startForm(service) {
    state.service = service;
    api("POST", "/api/kiosk/forms/", { service_type: service.code }).then(function (result) {
      if (!result.ok) { say(firstError(result.data, "service_type")); return; }
      state.form = result.data;
      show("form");
      $("[data-form-title]").textContent = service.name;
      renderForm(result.data.fields);
    }).catch(function () {});
  }

  var INPUT_TYPES = { number: "text", money: "text", date: "date", phone: "tel", resident_id: "text",
                      card_number: "text", text: "text", address: "text" };
  var INPUT_MODES = { number: "decimal", money: "decimal", phone: "numeric", card_number: "numeric" };

  function renderForm(fields) {
    var form = $(".business-form");
    form.textContent = "";
    fields.forEach(function (spec) {
      if (spec.type === "document_photo") return; // photos are taken at the counter
      var id = "field-" + spec.name;
      var row = el("div", { class: "form-row", "data-field-row": spec.name });
      row.appendChild(el("label", { for: id, text: label(spec) + (spec.required ? " *" : "") }));
      var input;
      if (spec.type === "choice") {
        input = el("select", { id: id, name: spec.name }, [el("option", { value: "", text: "—" })]);
        (spec.choices || []).forEach(function (choice) {
          input.appendChild(el("option", { value: choice.value, text: label(choice) }));
        });
      } else {
        input = el("input", { id: id, name: spec.name, type: INPUT_TYPES[spec.type] || "text" });
        if (INPUT_MODES[spec.type]) input.setAttribute("inputmode", INPUT_MODES[spec.type]);
      }
      if (spec.when) row.setAttribute("data-when", JSON.stringify(spec.when));
      row.appendChild(input);
      row.appendChild(el("p", { class: "field-error", "data-error-for": spec.name }));
      form.appendChild(row);
    });
    form.addEventListener("change", applyConditions);
    applyConditions();
  }

  function formValues() {
    var values = {};
    $$(".business-form [name]").forEach(function (input) {
      if (!input.closest(".form-row").hidden) values[input.name] = input.value;
    });
    return values;
  }

  function applyConditions() {
    var values = {};
    $$(".business-form [name]").forEach(function (input) { values[input.name] = input.value; });
    $$(".business-form [data-when]").forEach(function (row) {
      var when = JSON.parse(row.getAttribute("data-when"));
      var value = values[when.field];
      row.hidden = when.in ? when.in.indexOf(value) < 0 : value !== when.equals;
    });
  }

  $('[data-action="form-submit"]').addEventListener("click", function () {
    if (!state.form) return;
    $$(".business-form .field-error, [data-error-for=__all__]").forEach(function (p) { p.textContent = ""; });
    api("POST", "/api/kiosk/forms/" + state.form.form + "/", { values: formValues(), submit: true }).then(function (result) {
      if (result.ok) { say(T.form_saved); pickService(state.service); return; }
      var fields = (result.data && result.data.errors) || { __all__: [(result.data && result.data.detail) || T.error] };
      Object.keys(fields).forEach(function (field) {
        var target = $('.business-form [data-error-for="' + field + '"]') || $("[data-error-for=__all__]");
        target.textContent = [].concat(fields[field]).join(" ");
      });
      say(T.fix_fields);
    }).catch(function () {});
  });

  // --- face greeting (customers.face: frames in, greeting over the device socket) -------------------

  function stopFace() { clearTimeout(state.faceTimer); state.faceTimer = null; stopStreams(); }

  function enterFace() {
    var status = $(".face-status");
    $(".face-offers").textContent = "";
    status.textContent = T.face_hint;
    var video = $(".face-video");
    camera(video).then(function () {
      var attempts = 0;
      function burst() {
        if (state.screen !== "face") return;
        attempts += 1;
        if (attempts > 8) { status.textContent = T.face_none; return; }
        grabFrames(video, 3).then(function (blobs) {
          var data = new FormData();
          blobs.forEach(function (blob, i) { data.append("frames", blob, "frame" + i + ".jpg"); });
          return fetch("/api/face/frames/", { method: "POST", body: data, credentials: "same-origin",
                                              headers: { "X-CSRFToken": csrf } });
        }).catch(function () {}).then(function () { state.faceTimer = setTimeout(burst, 1500); });
      }
      burst();
    }).catch(function () { status.textContent = T.no_camera; });
  }

  // `count` frames 150 ms apart, each a picture that differs from the one before: a slow camera or
  // a busy kiosk can show one picture for longer than that, and copies of one picture show no
  // movement, so the liveness check would refuse the burst. Rejects if the picture stays the same
  // for 2 s.
  function grabFrames(video, count) {
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    var drawing = canvas.getContext("2d", { willReadFrequently: true });
    var frames = [];
    var taken = null;
    function same(a, b) {
      if (!a || a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
      return true;
    }
    function newPicture(deadline) {
      drawing.drawImage(video, 0, 0, canvas.width, canvas.height);
      var pixels = drawing.getImageData(0, 0, canvas.width, canvas.height).data;
      if (!same(taken, pixels)) { taken = pixels; return Promise.resolve(); }
      if (Date.now() > deadline) return Promise.reject(new Error("the camera picture froze"));
      return new Promise(function (resolve) { setTimeout(resolve, 30); }).then(function () { return newPicture(deadline); });
    }
    function one() {
      return newPicture(Date.now() + 2000).then(function () {
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
      });
    }
    var chain = Promise.resolve();
    for (var i = 0; i < count; i++) {
      chain = chain.then(one).then(function (blob) {
        frames.push(blob);
        return new Promise(function (resolve) { setTimeout(resolve, 150); });
      });
    }
    return chain.then(function () { return frames; });
  }

  function greeted(payload) {
    if (state.screen !== "face") return;
    stopFace();
    $(".face-status").textContent = payload.greeting;
    say(payload.greeting);
    var offers = $(".face-offers");
    offers.textContent = "";
    (payload.offers || []).forEach(function (offer) {
      var button = el("button", { type: "button", class: "big", text: offer.label });
      button.addEventListener("click", function () {
        api("POST", "/api/face/arrivals/" + encodeURIComponent(payload.arrival) + "/actions/" +
            encodeURIComponent(offer.action) + "/", {}).then(function (result) {
          say((result.data && result.data.message) || firstError(result.data, "detail"));
        }).catch(function () {});
      });
      offers.appendChild(button);
    });
  }

  // --- ask a question (knowledge's FAQ assistant) -------------------------------------------------

  function ask(question, choice) {
    var answer = $(".ask-answer");
    var options = $(".ask-options");
    answer.textContent = T.thinking;
    options.textContent = "";
    api("POST", "/api/kiosk/ask/", { question: question, conversation: state.conversation, choice: choice || "" })
      .then(function (result) {
        if (!result.ok) { answer.textContent = firstError(result.data, "question"); return; }
        var reply = result.data;
        state.conversation = reply.conversation || "";
        answer.textContent = "";
        answer.appendChild(el("p", { text: reply.message }));
        if (reply.article) {
          answer.appendChild(el("h2", { text: reply.article.title || "" }));
          answer.appendChild(el("p", { text: reply.article.excerpt || "" }));
        }
        (reply.steps || []).forEach(function (step) { answer.appendChild(el("p", { text: "• " + step })); });
        (reply.options || []).forEach(function (option) {
          var button = el("button", { type: "button", class: "big secondary", text: option.title });
          button.addEventListener("click", function () { ask(question, option.slug); });
          options.appendChild(button);
        });
        say(reply.message);
      }).catch(function () { answer.textContent = ""; });
  }

  $(".ask-form").addEventListener("submit", function (event) {
    event.preventDefault();
    ask(event.target.elements.question.value);
  });

  // --- remote teller (VTM) ---------------------------------------------------------------------------

  function enterRemote() {
    loadServices("").then(function (list) {
      renderServiceList($(".remote-services"), list.filter(function (s) { return s.remote_teller; }), requestTeller);
    }).catch(function () {});
  }

  // A deaf customer: a video call with an agent who signs, from a VTM or a kiosk with a camera. With
  // nobody to answer, the refusal says so and offers a counter ticket (staff there will write).
  function enterSign() {
    $(".sign-refusal").hidden = true;
    loadServices("").then(function (list) {
      renderServiceList($(".sign-services"), list.filter(function (s) { return s.video_service; }), function (service) {
        requestTeller(service, true);
      });
    }).catch(function () {});
  }

  function signRefused(service, data) {
    var box = $(".sign-refusal");
    var errors = (data && data.errors) || {};
    var field = ["sign_language", "device", "service_type"].filter(function (f) { return errors[f]; })[0];
    $('[data-field="text"]', box).textContent = firstError(data, field || "sign_language");
    $('[data-action="sign-counter"]', box).hidden = !errors.sign_language;
    box.hidden = false;
    state.service = service;
  }

  function requestTeller(service, signLanguage) {
    api("POST", "/api/kiosk/vtm/", { service_type: service.code, sign_language: !!signLanguage }).then(function (result) {
      if (!result.ok && signLanguage) { signRefused(service, result.data); return; }
      if (!result.ok) { say(firstError(result.data, "service_type")); return; }
      state.vtm = result.data;
      show("call");
      $(".call-status").textContent = T.waiting_teller;
      say(T.waiting_teller);
      $(".recording-consent").hidden = !!state.vtm.recording_consent;
      showWithdraw();
      $(".recording-withdrawn").hidden = state.vtm.recording_consent !== "withdrawn";
      state.call = KioskRtc.startCall({
        session: state.vtm.session, side: "kiosk",
        localVideo: $(".local-video"), remoteVideo: $(".remote-video"), onEvent: callEvent,
        onClose: function (code) { if (code === 4401) revoked(); },
      });
    }).catch(function () {});
  }

  function callEvent(event, payload) {
    if (event === "device.revoked") { revoked(); return; }
    if (event === "vtm.accepted") {
      $(".call-status").textContent = T.teller_joined;
      say(T.teller_joined);
      if (state.vtm) { state.vtm.status = "connected"; showWithdraw(); }
    }
    if (event === "vtm.confirmation") showConfirmation(payload.confirmation || {});
    if (event === "vtm.recording_consent" && state.vtm) consentChanged(payload.recording_consent);
    if (event === "vtm.ended") {
      $(".call-status").textContent = T.call_ended;
      say(T.call_ended);
      $(".confirmation").hidden = true;
      $(".recording-consent").hidden = true;
      $(".recording-consent-again").hidden = true;
      $(".recording-withdraw").hidden = true;
      $(".recording-withdrawn").hidden = true;
      if (state.call) { state.call.hangUp(); state.call = null; }
      state.vtm = null;
      touched();
      show("menu");
      say(T.call_ended);
    }
  }

  // Dual recording (双录): the customer's answer to the statement shown while the call starts.
  function answerConsent(consent) {
    if (!state.vtm) return;
    $(".recording-consent").hidden = true;
    api("POST", "/api/kiosk/vtm/" + state.vtm.session + "/consent/", { consent: consent }).then(function (result) {
      if (!result.ok || !state.vtm) return;
      state.vtm.recording_consent = result.data.recording_consent;
      $(".recording-withdrawn").hidden = true;
      showWithdraw();
    }).catch(function () {});
  }

  // The teller asks a customer who refused or stopped the recording to agree again (the business
  // they want needs it): the statement comes back with both answers.
  function consentChanged(consent) {
    state.vtm.recording_consent = consent;
    if (consent === "requested") {
      $(".recording-withdrawn").hidden = true;
      $(".recording-consent-again").hidden = false;
      $(".recording-consent").hidden = false;
      say($(".recording-consent-again").textContent);
    }
    showWithdraw();
  }

  // "Stop the recording" once a teller is on the call and the customer agreed (nothing is
  // recorded while they wait).
  function showWithdraw() {
    var vtm = state.vtm;
    $(".recording-withdraw").hidden = !(vtm && vtm.status === "connected" && vtm.recording_consent === "given");
  }

  // The customer stops the recording during the call: what was recorded so far is kept.
  function withdrawConsent() {
    if (!state.vtm) return;
    api("POST", "/api/kiosk/vtm/" + state.vtm.session + "/consent/withdraw/").then(function (result) {
      if (!result.ok) { say(firstError(result.data, "consent")); return; }
      state.vtm.recording_consent = "withdrawn";
      showWithdraw();
      $(".recording-withdrawn").hidden = false;
      say($(".recording-withdrawn").textContent);
    }).catch(function () {});
  }

  function showConfirmation(confirmation) {
    var box = $(".confirmation");
    $('[data-field="title"]', box).textContent = confirmation.title || "";
    $('[data-field="text"]', box).textContent = confirmation.text || "";
    var canvas = $("canvas.signature", box);
    canvas.hidden = !confirmation.needs_signature;
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    canvas.removeAttribute("data-signed");
    box.hidden = false;
    say((confirmation.title || "") + " " + (confirmation.text || ""));
  }

  (function signaturePad() {
    var canvas = $("canvas.signature");
    var drawing = false;
    var context = canvas.getContext("2d");
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return [(event.clientX - rect.left) * canvas.width / rect.width, (event.clientY - rect.top) * canvas.height / rect.height];
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      var p = point(event);
      context.lineWidth = 4;
      context.lineCap = "round";
      context.beginPath();
      context.moveTo(p[0], p[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      context.lineTo(p[0], p[1]);
      context.stroke();
      canvas.setAttribute("data-signed", "1");
    });
    ["pointerup", "pointerleave"].forEach(function (name) { canvas.addEventListener(name, function () { drawing = false; }); });
  })();

  function answer(confirmed) {
    if (!state.vtm) return;
    var canvas = $("canvas.signature");
    var signature = "";
    if (confirmed && !canvas.hidden) {
      if (!canvas.hasAttribute("data-signed")) { say(T.sign_here); return; }
      signature = canvas.toDataURL("image/png");
    }
    api("POST", "/api/kiosk/vtm/" + state.vtm.session + "/answer/", { confirmed: confirmed, signature: signature })
      .then(function (result) {
        if (!result.ok) { say(firstError(result.data, "signature")); return; }
        $(".confirmation").hidden = true;
      }).catch(function () {});
  }

  // --- wiring -----------------------------------------------------------------------------------------

  document.addEventListener("pointerdown", touched, true);
  document.addEventListener("keydown", touched, true);
  document.addEventListener("input", touched, true);

  document.addEventListener("click", function (event) {
    var go = event.target.closest("[data-go]");
    if (go) { show(go.getAttribute("data-go")); return; }
    var action = event.target.closest("[data-action]");
    if (!action) return;
    var name = action.getAttribute("data-action");
    if (name === "start") show("language");
    else if (name === "start-elderly") setMode("elderly", true);
    else if (name === "language") startSession(action.getAttribute("data-language"));
    else if (name === "toggle-elderly") setMode("elderly", !body.classList.contains("elderly"));
    else if (name === "toggle-contrast") setMode("contrast", !body.classList.contains("contrast"));
    else if (name === "finish") endSession("finished");
    else if (name === "print") window.print();
    else if (name === "confirm-yes") answer(true);
    else if (name === "sign-counter" && state.service) takeTicket("counter", true);
    else if (name === "confirm-no") answer(false);
    else if (name === "consent-yes") answerConsent(true);
    else if (name === "consent-no") answerConsent(false);
    else if (name === "consent-withdraw") withdrawConsent();
    else if (name === "hang-up" && state.vtm) {
      api("POST", "/api/kiosk/vtm/" + state.vtm.session + "/cancel/").catch(function () {});
      callEvent("vtm.ended", {});
    }
  });

  applyCapabilities();
  if (config.session) {
    body.classList.toggle("elderly", !!config.session.elderly);
    body.classList.toggle("contrast", !!config.session.contrast);
    show("menu");
  } else {
    show("attract");
  }
  connectDevice();
  heartbeat();
  setInterval(heartbeat, 1000 * config.heartbeatSeconds);
  body.setAttribute("data-ready", "1");
})();
