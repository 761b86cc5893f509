// Entrance / kiosk camera: sends bursts of 3 frames (150 ms apart, each a new picture from the
// camera) to the face greeting API and shows the greeting pushed back over the device websocket.
// Frames are never stored here.
(() => {
  const root = document.getElementById("face-camera");
  if (!root) return;
  const video = document.getElementById("face-video");
  const state = document.getElementById("face-state");
  const greeting = document.getElementById("face-greeting");
  const messages = document.getElementById("face-messages").dataset;
  const BURST = 3, GAP_MS = 150, EVERY_MS = 1500, GREETING_MS = 20000, FRAME_WAIT_MS = 2000;
  let pausedUntil = 0;

  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = 480;

  // Bursts are only sent while something moves in front of the camera: an empty lobby costs the
  // workers nothing. A 32×24 grey thumbnail is compared with the previous one.
  const thumb = document.createElement("canvas");
  thumb.width = 32;
  thumb.height = 24;
  let previous = null, lastMotion = 0;
  function sceneMoved() {
    const context = thumb.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, thumb.width, thumb.height);
    const pixels = context.getImageData(0, 0, thumb.width, thumb.height).data;
    let change = 0;
    if (previous) {
      for (let i = 0; i < pixels.length; i += 4) change += Math.abs(pixels[i + 1] - previous[i + 1]);
    }
    const moved = !previous || change / (pixels.length / 4) > 2;
    previous = pixels;
    return moved;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const drawing = canvas.getContext("2d", { willReadFrequently: true });
  const samePixels = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);

  // Draws the camera's picture on the canvas once it differs from `taken` (the pixels of the frame
  // taken before) and returns its pixels; null if it stays the same for FRAME_WAIT_MS. A
  // slow camera or a busy device can show one picture for longer than GAP_MS, and copies of one
  // picture show no movement: the server's liveness check rightly refuses such a burst.
  async function newPicture(taken) {
    const deadline = Date.now() + FRAME_WAIT_MS;
    for (;;) {
      drawing.drawImage(video, 0, 0, canvas.width, canvas.height);
      const pixels = drawing.getImageData(0, 0, canvas.width, canvas.height).data;
      if (!taken || !samePixels(pixels, taken)) return pixels;
      if (Date.now() > deadline) return null;
      await sleep(30);
    }
  }
  const jpeg = () => new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));

  async function sendBurst() {
    const form = new FormData();
    let taken = null;
    for (let i = 0; i < BURST; i += 1) {
      if (i) await sleep(GAP_MS);
      taken = await newPicture(taken);
      if (!taken) return; // the picture froze: no burst of copies
      form.append("frames", await jpeg(), `frame${i}.jpg`);
    }
    await fetch(root.dataset.framesUrl, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrf },
    });
  }

  async function loop() {
    for (;;) {
      if (video.readyState >= 2 && sceneMoved()) lastMotion = Date.now();
      if (Date.now() > pausedUntil && Date.now() - lastMotion < 4000) {
        try { await sendBurst(); } catch (error) { /* the next burst retries */ }
      }
      await sleep(EVERY_MS);
    }
  }

  function act(token, action) {
    const url = root.dataset.actionUrl.replace("TOKEN", token).replace("ACTION", action);
    const result = document.getElementById("face-result");
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": root.dataset.csrf } })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
      .then(({ ok, body }) => { result.textContent = ok ? body.message : messages.failed; })
      .catch(() => { result.textContent = messages.failed; });
  }

  function showGreeting(payload) {
    pausedUntil = Date.now() + GREETING_MS;
    document.getElementById("face-greeting-text").textContent = payload.greeting;
    document.getElementById("face-result").textContent = "";
    const offers = document.getElementById("face-offers");
    offers.replaceChildren(...payload.offers.map((offer) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = offer.detail ? `${offer.label} · ${offer.detail}` : offer.label;
      button.addEventListener("click", () => act(payload.arrival, offer.action), { once: true });
      return button;
    }));
    greeting.hidden = false;
    setTimeout(() => { greeting.hidden = true; }, GREETING_MS);
  }

  function listen() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socketPath}`);
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.event === "face.greeting") showGreeting(message.payload);
    });
    socket.addEventListener("close", () => setTimeout(listen, 3000));
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    state.textContent = messages.noCamera;
    return;
  }
  navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false })
    .then((stream) => {
      video.srcObject = stream;
      state.textContent = messages.watching;
      listen();
      loop();
    })
    .catch(() => { state.textContent = messages.noCamera; });
})();
