// Toasts for escalations, assignments and survey links, and live refresh of the work-order queue.
(() => {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let delay = 1000;

  function toast(payload) {
    const box = document.createElement("a");
    box.className = "sd-toast";
    box.setAttribute("role", "status");
    box.textContent = payload.text || "";
    if (payload.url) box.href = payload.url;
    document.body.appendChild(box);
    setTimeout(() => box.remove(), 8000);
  }

  function connect() {
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/sd/notifications/`);
    socket.onopen = () => { delay = 1000; };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.event === "toast") toast(data.payload);
      else document.body.dispatchEvent(new Event("sd-refresh"));
    };
    socket.onclose = (event) => {
      if (event.code === 4401) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
