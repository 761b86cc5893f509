// Dates people enter, readable in the page's language whatever the PC's.
//
// Chromium draws a date picker (<input type="date">, "datetime-local", "month") in the PC's own
// order: an English PC shows mm/dd/yyyy on a Chinese page, and a Chinese teller may read 03/04 as
// 3 April or as 4 March. The picker stays (keyboard and screen readers work as people are used
// to); beside each one this script writes
//   - while it is empty, the order this PC types dates in, named in the page's language
//     ("本机输入顺序：月/日/年");
//   - once a date is chosen, that date spelled out in the page's language ("2026年12月7日 星期一",
//     "Monday, 7 December 2026"), so a wrong day/month order shows at once;
//   - a half-typed date, that it is not complete.
// The note is the field's description (aria-describedby). Fields that htmx or a script adds later
// get theirs too. The translated sentences come from this script tag's data attributes.
(() => {
  const strings = document.currentScript.dataset;
  const SELECTOR = 'input[type="date"], input[type="datetime-local"], input[type="month"]';
  const LOCALES = { en: "en-GB", ja: "ja-JP", ko: "ko-KR" };
  const pageLanguage = () => document.documentElement.lang || "zh-hans";
  const locale = () => LOCALES[pageLanguage()] || "zh-CN";
  let counter = 0;

  // The input's value is always ISO (yyyy-mm-dd, yyyy-mm-ddThh:mm, yyyy-mm): read it as a wall
  // date in UTC, so no time zone can move it to another day.
  function spell(input) {
    const [day, time] = input.value.split("T");
    const [year, month, date] = day.split("-").map(Number);
    const when = new Date(Date.UTC(year, month - 1, date || 1));
    const format = (options) => new Intl.DateTimeFormat(locale(), { timeZone: "UTC", ...options }).format(when);
    if (input.type === "month") return format({ year: "numeric", month: "long" });
    const long = format({ year: "numeric", month: "long", day: "numeric" });
    const weekday = format({ weekday: "long" });
    const text = pageLanguage() === "en" ? `${weekday}, ${long}` : `${long} ${weekday}`;
    return time ? `${text} ${time.slice(0, 5)}` : text;
  }

  // The order the PC's picker asks for: Chromium draws it in the browser's own locale, the one
  // Intl uses when given none.
  function order(input) {
    const parts = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date(Date.UTC(2026, 11, 7, 12)))
      .map((part) => part.type)
      .filter((type) => type === "year" || type === "month" || (type === "day" && input.type !== "month"));
    try {
      const names = new Intl.DisplayNames(locale(), { type: "dateTimeField" });
      return parts.map((type) => names.of(type)).join(" / ");
    } catch (error) {
      return "";  // a browser without field names: the spelled-out date still says what was picked
    }
  }

  // Each picker's note. Kept here, not in an attribute: htmx puts the old element's attributes on
  // a redrawn one until the swap settles, then takes them away again.
  const notes = new WeakMap();

  function describe(input) {
    const note = notes.get(input);
    if (!note) return;
    let state = "hint";
    const prefix = strings.orderHint || "";
    const space = prefix.endsWith("：") ? "" : " ";  // a full-width colon carries its own space
    let text = `${prefix}${space}${order(input)}`;
    if (input.value) {
      state = "date";
      text = spell(input);
    } else if (input.validity.badInput) {
      state = "bad";
      text = strings.incomplete || "";
    }
    note.dataset.state = state;
    if (note.textContent !== text) note.textContent = text;  // an unchanged note is not re-announced
  }

  function equip(input) {
    let note = notes.get(input);
    if (!note || !note.isConnected) {
      counter += 1;
      note = document.createElement("span");
      note.className = "date-echo";
      note.id = `${input.id || "date-field"}-echo-${counter}`;
      note.setAttribute("aria-live", "polite");
      notes.set(input, note);
      // Inside a <label> the note would become part of the field's name: put it after the label.
      (input.closest("label") || input).after(note);
    }
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(note.id)) {
      input.setAttribute("aria-describedby", [...described, note.id].join(" "));
    }
    describe(input);
  }

  const equipAll = () => document.querySelectorAll(SELECTOR).forEach(equip);
  for (const type of ["input", "change", "focusout"]) {
    document.addEventListener(type, (event) => {
      if (event.target.matches && event.target.matches(SELECTOR)) describe(event.target);
    });
  }
  equipAll();
  // Pickers that htmx or a script adds later. A form reset, or a script restoring what was typed
  // after a redraw (counter/console.js), sets .value without an input event: catch up then too.
  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; equipAll(); });
  };
  new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  document.addEventListener("reset", () => setTimeout(soon, 0));
  document.addEventListener("htmx:afterSettle", soon);
  window.branchDates = { refresh: describe };
})();
