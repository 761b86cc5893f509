/* WebRTC call for the VTM (kiosk side) and the remote teller, signalling over the
   ws/kiosk/vtm/<session>/ websocket. Media goes browser to browser (or through the bank's TURN
   relay); the server only relays {description} and {candidate} messages. The teller makes the
   offer once both sides said hello. STUN/TURN servers and each end's short-lived TURN credential
   come from the server for this call (/api/kiosk/vtm/<session>/ice/ or .../teller-ice/). */
(function () {
  "use strict";

  function wsUrl(path) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function iceConfig(opts) {
    var path = "/api/kiosk/vtm/" + opts.session + (opts.side === "teller" ? "/teller-ice/" : "/ice/");
    return fetch(path, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; })
      .then(function (config) {
        return { iceServers: config.iceServers || [],
                 iceTransportPolicy: config.iceTransportPolicy || "all" };
      });
  }

  function startCall(opts) {
    var ended = false;
    var call = { pc: null, hangUp: function () { ended = true; } };
    iceConfig(opts).then(function (config) {
      if (!ended) Object.assign(call, connect(opts, config));
    });
    return call;
  }

  function connect(opts, config) {
    var pc = new RTCPeerConnection(config);
    window.KioskRtc.peer = pc;  // the call's connection, for diagnostics (getStats)
    var socket = new WebSocket(wsUrl("/ws/kiosk/vtm/" + opts.session + "/"));
    var offered = false;
    var pendingCandidates = [];
    var stream = null;

    function send(data) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "signal", data: data }));
    }
    function state(value) {
      document.body.setAttribute("data-call-state", value);
      if (opts.onState) opts.onState(value);
    }

    var media = navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (s) {
      stream = s;
      if (opts.localVideo) opts.localVideo.srcObject = s;
      s.getTracks().forEach(function (track) { pc.addTrack(track, s); });
    }).catch(function () {
      // No camera or microphone here: still receive the other side.
      pc.addTransceiver("video", { direction: "recvonly" });
      pc.addTransceiver("audio", { direction: "recvonly" });
    });

    pc.onicecandidate = function (event) {
      if (event.candidate) send({ candidate: event.candidate.toJSON() });
    };
    pc.ontrack = function (event) {
      if (opts.onRemoteStream) opts.onRemoteStream(event.streams[0]);
      if (opts.remoteVideo && opts.remoteVideo.srcObject !== event.streams[0]) {
        opts.remoteVideo.srcObject = event.streams[0];
      }
    };
    if (opts.remoteVideo) {
      // The other side's picture is really arriving (not just negotiated).
      opts.remoteVideo.addEventListener("playing", function () {
        opts.remoteVideo.setAttribute("data-playing", "1");
      });
    }
    pc.onconnectionstatechange = function () { state(pc.connectionState); };

    function offer() {
      if (offered) return;
      offered = true;
      media.then(function () { return pc.createOffer(); })
        .then(function (description) { return pc.setLocalDescription(description); })
        .then(function () { send({ description: pc.localDescription.toJSON() }); });
    }

    function flushCandidates() {
      pendingCandidates.splice(0).forEach(function (c) { pc.addIceCandidate(c).catch(function () {}); });
    }

    function onSignal(data) {
      if (data.hello) {
        if (opts.side === "teller" && data.hello === "kiosk") offer();
        if (opts.side === "kiosk" && data.hello === "teller") send({ hello: "kiosk" });
        return;
      }
      if (data.description) {
        var description = data.description;
        pc.setRemoteDescription(description).then(function () {
          flushCandidates();
          if (description.type !== "offer") return null;
          return media.then(function () { return pc.createAnswer(); })
            .then(function (answer) { return pc.setLocalDescription(answer); })
            .then(function () { send({ description: pc.localDescription.toJSON() }); });
        });
        return;
      }
      if (data.candidate) {
        if (pc.remoteDescription) pc.addIceCandidate(data.candidate).catch(function () {});
        else pendingCandidates.push(data.candidate);
      }
    }

    socket.onopen = function () { state("signalling"); send({ hello: opts.side }); };
    socket.onmessage = function (message) {
      var parsed = JSON.parse(message.data);
      if (parsed.event === "signal") onSignal(parsed.payload);
      else if (opts.onEvent) opts.onEvent(parsed.event, parsed.payload);
    };
    socket.onclose = function (event) { if (opts.onClose) opts.onClose(event.code); };

    return {
      pc: pc,
      localStream: function () { return stream; },
      hangUp: function () {
        try { socket.close(); } catch (e) { /* already closed */ }
        pc.close();
        if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
        if (opts.localVideo) opts.localVideo.srcObject = null;
        if (opts.remoteVideo) {
          opts.remoteVideo.srcObject = null;
          opts.remoteVideo.removeAttribute("data-playing");
        }
        document.body.removeAttribute("data-call-state");
      },
    };
  }

  window.KioskRtc = { startCall: startCall, wsUrl: wsUrl };
})();
