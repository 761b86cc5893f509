// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("change", (event) => {
  if (event.target.matches("select.autosubmit")) {
    event.target.form.submit();
  }
});

// A refused form (400, 409, 422) answers with the partial that explains why: show it. htmx 2
// drops 4xx responses by default, which would leave the person looking at an unchanged page.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 400 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The signed-in person's own live events (escalations, assignments, survey links, knowledge
// change notices): a toast for those that carry a text, and a DOM event pages can refresh on.
(() => {
  const path = document.body.dataset.userEvents;
  if (!path) return;
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let delay = 1000;

  function toast(payload) {
    const text = payload.text || payload.message;
    if (!text) return;
    const box = document.createElement(payload.url ? "a" : "div");
    box.className = "toast";
    box.setAttribute("role", "status");
    box.textContent = payload.title && payload.message ? `${payload.title}: ${text}` : text;
    if (payload.url) box.href = payload.url;
    document.body.appendChild(box);
    setTimeout(() => box.remove(), 8000);
  }

  function connect() {
    const socket = new WebSocket(`${scheme}://${window.location.host}${path}`);
    socket.onopen = () => { delay = 1000; };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      toast(data.payload || {});
      document.body.dispatchEvent(new CustomEvent("live-event", { detail: data }));
      if (data.event.startsWith("work_order.")) {
        document.body.dispatchEvent(new Event("sd-refresh"));
      }
    };
    socket.onclose = (event) => {
      if (event.code === 4401) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
