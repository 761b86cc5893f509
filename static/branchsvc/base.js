// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("change", (event) => {
  if (event.target.matches("select.autosubmit")) {
    event.target.form.submit();
  }
});

// The branch's clock: the server's time (the page carries it, so a device whose clock is wrong or
// set to another zone still shows branch time) in the branch's time zone, in the page's language.
window.branchClock = (() => {
  const body = document.body.dataset;
  const served = Date.parse(body.serverTime || "");
  const offset = Number.isNaN(served) ? 0 : served - Date.now();
  const timeZone = body.timeZone || "Asia/Shanghai";
  const LOCALES = { en: "en-GB", ja: "ja-JP", ko: "ko-KR" };
  const locale = () => LOCALES[document.documentElement.lang] || "zh-CN";
  const format = (date, options) =>
    new Intl.DateTimeFormat(locale(), { timeZone, hourCycle: "h23", ...options }).format(date);
  return {
    timeZone,
    now: () => new Date(Date.now() + offset),
    time: (date) => format(date, { hour: "2-digit", minute: "2-digit" }),
    dateTime: (date) => format(date, { year: "numeric", month: "long", day: "numeric",
                                       weekday: "long", hour: "2-digit", minute: "2-digit" }),
  };
})();

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

// Dialogs (design system): a button with data-dialog-open="id" opens the <dialog id>; a button
// inside it with data-dialog-close closes it. Native <dialog> keeps focus inside and Esc closes.
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-dialog-open]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.dialogOpen);
    if (dialog && typeof dialog.showModal === "function") dialog.showModal();
    return;
  }
  const closer = event.target.closest("[data-dialog-close]");
  if (closer) closer.closest("dialog")?.close(closer.value || "");
});

// A table that scrolls sideways must be reachable by keyboard (WCAG 2.1.1): every scroll box
// takes focus unless its template already made it a labelled region.
document.querySelectorAll(".table-scroll:not([tabindex])").forEach((box) => box.setAttribute("tabindex", "0"));
