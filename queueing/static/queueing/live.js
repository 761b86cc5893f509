// A websocket that reconnects by itself with backoff. Each (re)connect gets a full "state"
// message from the server first, so the page resyncs after any gap; a notice shows meanwhile.
(function () {
  "use strict";

  // `pollUrl` (optional): while the socket is down, fetch the full state from it every 5 s and
  // hand it over as a "state" message, so a screen stays current (degraded) when Redis is away.
  function connect(path, onMessage, notice, pollUrl) {
    let delay = 500;
    let socket = null;
    let poller = null;

    function poll() {
      window.fetch(pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) { if (state) onMessage("state", state); })
        .catch(function () { /* the server is away too; the next poll tries again */ });
    }

    function show(visible) {
      if (notice) notice.hidden = !visible;
      if (pollUrl && visible && poller === null) {
        poller = window.setInterval(poll, 5000);
      } else if (!visible && poller !== null) {
        window.clearInterval(poller);
        poller = null;
      }
    }

    function open() {
      const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () {
        delay = 500;
        show(false);
      });
      socket.addEventListener("message", function (event) {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        onMessage(message.event, message.payload || {});
      });
      socket.addEventListener("close", function () {
        show(true);
        // Exponential backoff with jitter, capped at 15 s, so a restarted server is not stormed.
        const wait = Math.min(15000, delay) * (0.75 + Math.random() * 0.5);
        delay = Math.min(15000, delay * 2);
        window.setTimeout(open, wait);
      });
    }

    open();
    return {
      get socket() {
        return socket;
      },
    };
  }

  function lang() {
    return (document.documentElement.lang || "zh-hans").toLowerCase().startsWith("en") ? "en" : "zh-hans";
  }

  function pick(text) {
    if (text === null || text === undefined) return "";
    if (typeof text === "string") return text;
    return text[lang()] || text["zh-hans"] || "";
  }

  window.QueueLive = { connect: connect, lang: lang, pick: pick };
})();
