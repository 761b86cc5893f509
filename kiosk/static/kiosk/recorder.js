/* The remote teller's dual recording (双录) of a VTM call: the customer's picture beside the
   teller's on a canvas, both voices mixed, recorded with MediaRecorder in 2-second slices that are
   uploaded in order (retried) to /api/kiosk/vtm/<session>/recording/<recording>/...; on stop the
   server joins them into one stored file with its SHA-256. Only started after the customer agreed;
   each agreement in a call gets a recording of its own (the server names it on start). */
(function () {
  "use strict";

  var SLICE_MS = 2000;

  function mix(remoteVideo, localVideo, streams) {
    var canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 240;
    var ctx = canvas.getContext("2d");
    var draw = function () {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, 640, 240);
      [remoteVideo, localVideo].forEach(function (video, i) {
        if (video && video.readyState >= 2) ctx.drawImage(video, i * 320, 0, 320, 240);
      });
    };
    // A timer, not requestAnimationFrame: the console may be in a background tab.
    var timer = setInterval(draw, 1000 / 15);
    draw();
    var out = canvas.captureStream(15);
    var audio = new AudioContext();
    var sink = audio.createMediaStreamDestination();
    streams.forEach(function (stream) {
      if (stream && stream.getAudioTracks().length) audio.createMediaStreamSource(stream).connect(sink);
    });
    sink.stream.getAudioTracks().forEach(function (track) { out.addTrack(track); });
    return { stream: out, stop: function () { clearInterval(timer); audio.close(); } };
  }

  function start(opts) {
    // opts: session, csrf, post(path, data), remoteVideo, localVideo, streams(), onState(state)
    var base = "/api/kiosk/vtm/" + opts.session + "/recording/", own = null;
    var recorder = null, mixed = null, seq = 0, failed = false, uploads = Promise.resolve();
    var type = MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus") ? "video/webm;codecs=vp8,opus" : "video/webm";

    function put(n, blob, tries) {
      return fetch(own + "chunks/" + n + "/", {
        method: "PUT", credentials: "same-origin", body: blob,
        headers: { "X-CSRFToken": opts.csrf, "Content-Type": "application/octet-stream" },
      }).then(function (response) {
        if (!response.ok) throw new Error("chunk " + n + ": " + response.status);
      }).catch(function (error) {
        if (tries > 1) return put(n, blob, tries - 1);
        failed = true;
        throw error;
      });
    }

    var ready = opts.post(base, { content_type: type }).then(function (result) {
      if (!result.ok) { opts.onState("failed"); return false; }
      own = base + result.data.recording + "/";
      mixed = mix(opts.remoteVideo, opts.localVideo, opts.streams());
      recorder = new MediaRecorder(mixed.stream, { mimeType: type });
      recorder.ondataavailable = function (event) {
        if (!event.data || !event.data.size) return;
        var n = ++seq, blob = event.data;
        uploads = uploads.then(function () { return put(n, blob, 3); }).catch(function () {});
      };
      recorder.start(SLICE_MS);
      opts.onState("recording");
      return true;
    });

    var stopping = null;
    return {
      // The customer withdrew their agreement: the server has stored what it received; stop
      // recording at once and send nothing more.
      abort: function () {
        if (stopping) return stopping;
        stopping = ready.then(function (started) {
          if (!started || !recorder) return null;
          recorder.ondataavailable = null;
          if (recorder.state !== "inactive") recorder.stop();
          mixed.stop();
          return null;
        }).catch(function () { return null; });
        return stopping;
      },
      // Stop, upload the last slice and have the server store the whole; resolves either way.
      stop: function () {
        if (stopping) return stopping;
        stopping = ready.then(function (started) {
          if (!started || !recorder) return null;
          return new Promise(function (resolve) {
            recorder.addEventListener("stop", resolve, { once: true });
            if (recorder.state !== "inactive") recorder.stop(); else resolve();
          }).then(function () {
            mixed.stop();
            return uploads;
          }).then(function () {
            if (failed) throw new Error("upload failed");
            return opts.post(own + "finish/");
          }).then(function (result) {
            opts.onState(result.ok ? "stored" : "failed");
          }).catch(function () { opts.onState("failed"); });
        });
        return stopping;
      },
    };
  }

  window.VtmRecorder = { start: start };
})();
