// Lobby screen: now calling, last calls, waiting per queue; announces every call in Chinese and
// English through the browser's speech synthesis, one announcement at a time.
(function () {
  "use strict";

  const root = document.getElementById("lobby");
  if (!root) return;
  const nowNumber = document.getElementById("now-number");
  const nowCounter = document.getElementById("now-counter");
  const nowName = document.getElementById("now-name");
  const calls = document.getElementById("recent-calls");
  const queues = document.getElementById("queues");
  const clock = document.getElementById("lobby-clock");
  const notice = document.getElementById("reconnecting");
  const DIGITS_ZH = "零一二三四五六七八九";
  const labels = root.dataset;  // translated sentences, both languages, from the template

  function fill(template, number, counter) {
    return (template || "").replace("{number}", number).replace("{counter}", counter).replace("{n}", number);
  }

  // --- voice ------------------------------------------------------------------------------
  const speech = window.speechSynthesis;
  const pending = [];
  let speaking = false;

  function voiceFor(lang) {
    if (!speech) return null;
    const voices = speech.getVoices();
    return voices.find(function (v) { return v.lang.toLowerCase().startsWith(lang); }) || null;
  }

  function spokenNumber(number, zh) {
    return number.split("").map(function (ch) {
      if (/[0-9]/.test(ch)) return zh ? DIGITS_ZH[Number(ch)] : ch;
      return ch;
    }).join(" ");
  }

  function announce(call) {
    if (!speech) return;
    const counterZh = (call.counter && call.counter.name["zh-hans"]) || "";
    const counterEn = (call.counter && call.counter.name.en) || counterZh;
    pending.push({ text: fill(labels.announceZh, spokenNumber(call.number, true), counterZh), lang: "zh" });
    pending.push({ text: fill(labels.announceEn, spokenNumber(call.number, false), counterEn), lang: "en" });
    speakNext();
  }

  function speakNext() {
    if (speaking || pending.length === 0) return;
    const item = pending.shift();
    const utterance = new SpeechSynthesisUtterance(item.text);
    utterance.lang = item.lang === "zh" ? "zh-CN" : "en-GB";
    const voice = voiceFor(item.lang);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    speaking = true;
    const done = function () {
      speaking = false;
      window.setTimeout(speakNext, 400);
    };
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    speech.speak(utterance);
  }

  // --- rendering --------------------------------------------------------------------------
  function counterText(counter) {
    if (!counter) return "";
    return counter.name["zh-hans"] + (counter.name.en && counter.name.en !== counter.name["zh-hans"] ? " · " + counter.name.en : "");
  }

  function showNow(call) {
    nowNumber.textContent = call ? call.number : "—";
    nowCounter.textContent = call ? counterText(call.counter) : "";
    nowName.textContent = call && call.name ? call.name : "";
    root.classList.remove("flash");
    void root.offsetWidth;  // restart the highlight animation
    if (call) root.classList.add("flash");
  }

  function renderCalls(list) {
    calls.replaceChildren();
    list.slice(0, 6).forEach(function (call) {
      const li = document.createElement("li");
      const number = document.createElement("span");
      number.className = "number";
      number.textContent = call.number;
      const counter = document.createElement("span");
      counter.className = "counter";
      counter.textContent = counterText(call.counter);
      li.append(number, counter);
      calls.append(li);
    });
  }

  function renderQueues(list) {
    queues.replaceChildren();
    list.forEach(function (queue) {
      const li = document.createElement("li");
      li.dataset.queue = queue.queue;
      const name = document.createElement("span");
      name.className = "queue-name";
      name.textContent = queue.queue + " " + queue.name["zh-hans"] + (queue.name.en ? " / " + queue.name.en : "");
      const waiting = document.createElement("span");
      waiting.className = "queue-waiting";
      waiting.textContent = fill(labels.waitingZh, queue.waiting) + " · " + fill(labels.waitingEn, queue.waiting);
      const wait = document.createElement("span");
      wait.className = "queue-estimate";
      wait.textContent = fill(labels.minutesZh, queue.estimated_minutes) + " · " + fill(labels.minutesEn, queue.estimated_minutes);
      li.append(name, waiting, wait);
      queues.append(li);
    });
  }

  let recent = [];

  window.QueueLive.connect(root.dataset.ws, function (event, payload) {
    if (event === "state") {
      recent = payload.calls || [];
      showNow(recent[0]);
      renderCalls(recent.slice(1));
      renderQueues(payload.queues || []);
    } else if (event === "ticket.called") {
      recent = [payload].concat(recent.filter(function (c) { return c.number !== payload.number; })).slice(0, 9);
      showNow(payload);
      renderCalls(recent.slice(1));
      announce(payload);
    } else if (event === "queue.state") {
      renderQueues(payload.queues || []);
    }
    root.dataset.lastEvent = event;
  }, notice, root.dataset.poll);

  function tick() {
    const now = new Date();
    clock.textContent = now.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" });
  }
  tick();
  window.setInterval(tick, 10000);
})();
