// The live connection of every live screen (lobby, ticket page, teller console, dashboard): one
// module, so none of them can go silently stale.
//
// The server beats every 2 s (`live.heartbeat`, `{layer: bool}`) and says at once when its channel
// layer (Redis) stops carrying events. The screen is "reconnecting" — the notice shows,
// `<body data-live="reconnecting">`, and it polls — while the layer is lost, while the socket is
// closed, or when nothing at all has arrived for SILENCE_MS (a dead server or network: the socket
// is then closed and opened again). It is live again on the next full "state" from the socket,
// which the server sends on every connect and once when the layer returns: that is the resync.
// Polls still in flight then are dropped, so a screen never goes back to an older state.
(function () {
  "use strict";

  const SILENCE_MS = 5000;
  const POLL_MS = 4000;
  const MAX_BACKOFF_MS = 10000;

  // `onMessage(event, payload, how)`: `how` is "live" for the socket's messages and "poll" for a
  // polled state. `notice`: the element shown while reconnecting. `poll` (optional): a URL whose
  // JSON is handed over as a "state", or a function called instead (e.g. to refresh htmx parts).
  function connect(path, onMessage, notice, poll) {
    let delay = 500;
    let socket = null;
    let lastHeard = Date.now();
    let reconnecting = false;
    let poller = null;
    let outage = 0;  // which reconnecting period a poll belongs to
    // What a test (or a curious engineer in the console) can read as `window.liveStatus`.
    const status = { state: "connecting", beats: 0, resyncs: 0, polls: 0, outages: 0 };

    function fetchState() {
      if (typeof poll === "function") {
        status.polls += 1;
        poll();
        return;
      }
      const asked = outage;
      window.fetch(poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state || !reconnecting || asked !== outage) return;  // live again meanwhile
          status.polls += 1;
          onMessage("state", state, "poll");
        })
        .catch(function () { /* the server is away too; the next poll tries again */ });
    }

    function setReconnecting(on) {
      if (on === reconnecting) return;
      reconnecting = on;
      status.state = on ? "reconnecting" : "live";
      document.body.dataset.live = status.state;
      if (notice) notice.hidden = !on;
      if (on) {
        outage += 1;
        status.outages += 1;
        if (poll) {
          fetchState();
          poller = window.setInterval(fetchState, POLL_MS);
        }
      } else if (poller !== null) {
        window.clearInterval(poller);
        poller = null;
      }
    }

    function heard(message) {
      lastHeard = Date.now();
      if (message.event === "live.heartbeat") {
        status.beats += 1;
        const layer = (message.payload || {}).layer;
        if (layer === false) {
          setReconnecting(true);
        } else if (reconnecting) {
          // Reconnecting for a reason of our own (a late beat): ask for the state once.
          send({ type: "resync" });
        }
        return;
      }
      if (message.event === "state") {
        if (reconnecting) status.resyncs += 1;
        setReconnecting(false);
        status.state = document.body.dataset.live = "live";
      }
      onMessage(message.event, message.payload || {}, "live");
    }

    function send(content) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(content));
    }

    function open() {
      const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      const current = socket = new WebSocket(scheme + window.location.host + path);
      lastHeard = Date.now();
      current.addEventListener("open", function () { delay = 500; });
      current.addEventListener("message", function (event) {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        heard(message);
      });
      current.addEventListener("close", function (event) {
        if (current !== socket) return;
        setReconnecting(true);
        if (event.code === 4403) return;  // refused: reconnecting would be refused again
        // Exponential backoff with jitter, so a restarted server is not stormed.
        const wait = Math.min(MAX_BACKOFF_MS, delay) * (0.75 + Math.random() * 0.5);
        delay = Math.min(MAX_BACKOFF_MS, delay * 2);
        window.setTimeout(open, wait);
      });
    }

    // The watchdog: a socket that says nothing for SILENCE_MS is as good as closed.
    window.setInterval(function () {
      if (Date.now() - lastHeard < SILENCE_MS || socket === null) return;
      setReconnecting(true);
      const silent = socket;
      socket = null;
      silent.close();
      window.setTimeout(open, 0);
    }, 500);

    open();
    window.liveStatus = status;
    return {
      get socket() {
        return socket;
      },
      status: status,
    };
  }

  function lang() {
    return (document.documentElement.lang || "zh-hans").toLowerCase().startsWith("zh") ? "zh-hans" : "en";
  }

  function pick(text) {
    if (text === null || text === undefined) return "";
    if (typeof text === "string") return text;
    // Texts come in Chinese and English (and the customer languages where the server has them).
    const page = (document.documentElement.lang || "zh-hans").toLowerCase();
    return text[page] || text[lang()] || text["zh-hans"] || "";
  }

  window.QueueLive = { connect: connect, lang: lang, pick: pick };
})();
