/* The remote teller: the live queue of VTM calls (console page) and the call itself (call page). */
(function () {
  "use strict";

  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";

  function post(path, data) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(data || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, data: json };
      });
    });
  }

  // The API's one error shape: {code, detail, errors: {field: [...]}}.
  function message(data) {
    if (!data) return "";
    var values = [];
    Object.keys(data.errors || {}).forEach(function (key) { values = values.concat(data.errors[key]); });
    return values.length ? values.join(" ") : (data.detail || "");
  }

  // --- console: waiting calls, live ---------------------------------------------------------------

  var queue = document.querySelector("[data-testid=vtm-queue] tbody");
  if (queue) {
    var error = document.querySelector(".vtm-queue + .error");
    var answerLabel = document.getElementById("answer-label").innerHTML;

    queue.addEventListener("click", function (event) {
      var button = event.target.closest("[data-accept]");
      if (!button) return;
      var id = button.getAttribute("data-accept");
      button.disabled = true;
      post("/api/kiosk/vtm/" + id + "/accept/").then(function (result) {
        if (result.ok) { location.href = "/kiosk/remote-teller/" + id + "/"; return; }
        button.disabled = false;
        error.hidden = false;
        error.textContent = message(result.data);
      });
    });

    var connect = function () {
      var socket = new WebSocket(KioskRtc.wsUrl("/ws/kiosk/tellers/"));
      socket.onmessage = function (event) {
        var parsed = JSON.parse(event.data);
        var payload = parsed.payload || {};
        var row = queue.querySelector('[data-session="' + payload.session + '"]');
        // Sign-language calls are offered only to agents with the skill (the server refuses the others).
        var offered = !payload.sign_language || queue.parentNode.getAttribute("data-signs") === "1";
        if (parsed.event === "vtm.waiting" && !row && offered) addRow(payload);
        else if (parsed.event !== "vtm.waiting" && row) row.remove();
      };
      socket.onclose = function () { setTimeout(connect, 3000); };
    };

    var addRow = function (call) {
      var empty = queue.querySelector("tr.empty");
      if (empty) empty.remove();
      var row = document.createElement("tr");
      row.setAttribute("data-session", call.session);
      var lang = document.documentElement.lang === "en" ? "en" : "zh-hans";
      [call.ticket, call.service[lang], call.device, window.branchClock.time(new Date(call.requested_at))].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      if (call.sign_language) {
        row.children[1].appendChild(document.createTextNode(" "));
        row.children[1].appendChild(document.getElementById("sign-label").content.cloneNode(true));
      }
      var cell = document.createElement("td");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-accept", call.session);
      button.textContent = answerLabel;
      cell.appendChild(button);
      row.appendChild(cell);
      queue.appendChild(row);
    };
    connect();
  }

  // --- the call --------------------------------------------------------------------------------------

  var configNode = document.getElementById("call-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  if (!config.connected) return;
  var status = document.querySelector("[data-testid=teller-call-status]");
  var answer = document.querySelector("[data-testid=confirm-answer]");

  // Dual recording (双录): once the customer agreed and their picture arrives.
  var consentNode = document.querySelector("[data-testid=recording-consent-status]");
  var recordNode = document.querySelector("[data-testid=recording-state]");
  var remoteVideo = document.querySelector(".remote-video"), localVideo = document.querySelector(".local-video");
  var remoteStream = null, recording = null;
  var recordState = function (value) {
    recordNode.setAttribute("data-state", value);
    recordNode.textContent = document.getElementById("recording-" + value).innerHTML;
  };
  var maybeRecord = function () {
    if (recording || consentNode.getAttribute("data-consent") !== "given") return;
    if (remoteVideo.getAttribute("data-playing") !== "1") return;
    recording = VtmRecorder.start({
      session: config.session, csrf: csrf, post: post, remoteVideo: remoteVideo, localVideo: localVideo,
      streams: function () { return [call.localStream ? call.localStream() : null, remoteStream]; },
      onState: recordState,
    });
  };
  var stopRecording = function () { return recording ? recording.stop() : Promise.resolve(); };
  // After a refusal or a withdrawal the teller may ask the customer to agree again.
  var askAgain = document.querySelector("[data-action=consent-ask]");
  var showAskAgain = function () {
    var consent = consentNode.getAttribute("data-consent");
    askAgain.hidden = consent !== "refused" && consent !== "withdrawn";
  };
  askAgain.addEventListener("click", function () {
    askAgain.disabled = true;
    post("/api/kiosk/vtm/" + config.session + "/consent/ask/").then(function (result) {
      askAgain.disabled = false;
      if (!result.ok) { recordNode.textContent = message(result.data); return; }
      showConsent(result.data.recording_consent);
    });
  });
  var showConsent = function (value) {
    consentNode.setAttribute("data-consent", value);
    consentNode.innerHTML = document.getElementById("consent-" + value).innerHTML;
    showAskAgain();
  };
  showAskAgain();
  remoteVideo.addEventListener("playing", function () { setTimeout(maybeRecord, 0); });

  var call = KioskRtc.startCall({
    session: config.session, side: "teller",
    localVideo: localVideo, remoteVideo: remoteVideo,
    onRemoteStream: function (stream) { remoteStream = stream; },
    onState: function (value) { status.setAttribute("data-state", value); },
    onEvent: function (event, payload) {
      if (event === "vtm.recording_consent") {
        showConsent(payload.recording_consent);
        if (payload.recording_consent === "withdrawn") {
          // That recording is stored by the server; a new agreement starts a new one.
          var stopped = recording;
          recording = null;
          if (stopped) stopped.abort().then(function () { recordState("withdrawn"); });
          return;
        }
        maybeRecord();
      } else if (event === "vtm.confirmation_answered") {
        answer.textContent = payload.confirmation_status;
        answer.setAttribute("data-status", payload.confirmation_status);
      } else if (event === "vtm.ended") {
        status.textContent = payload.status;
        stopRecording().then(function () { call.hangUp(); });
      }
    },
  });

  document.querySelector(".confirm-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    answer.textContent = "";
    answer.removeAttribute("data-status");
    post("/api/kiosk/vtm/" + config.session + "/confirm/", {
      title: form.elements.title.value, text: form.elements.text.value,
      needs_signature: form.elements.needs_signature.checked,
    }).then(function (result) {
      answer.textContent = result.ok ? "…" : message(result.data);
      if (result.ok) answer.setAttribute("data-status", "pending");
    });
  });

  document.querySelector("[data-action=hang-up]").addEventListener("click", function () {
    stopRecording().then(function () {
      return post("/api/kiosk/vtm/" + config.session + "/hang-up/");
    }).then(function () {
      call.hangUp();
      location.href = "/kiosk/remote-teller/";
    });
  });
})();
