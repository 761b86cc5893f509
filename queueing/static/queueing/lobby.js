// Lobby screen: now calling, last calls, waiting per queue; announces every call in Chinese and
// English (browser speech synthesis, else the server's espeak-ng recording), one at a time.
(function () {
  "use strict";

  const root = document.getElementById("lobby");
  if (!root) return;
  const nowNumber = document.getElementById("now-number");
  const nowCounter = document.getElementById("now-counter");
  const nowDirection = document.getElementById("now-direction");
  // Counter id → the floor plan's direction text ("A区，左手边"), from branches.wayfinding.
  const directions = JSON.parse((document.getElementById("lobby-directions") || {}).textContent || "{}");
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
  // One queue of calls; each is said in Chinese, then English, one sentence at a time. A sentence
  // goes through the browser's speech synthesis when it has a voice for that language, else it
  // plays the server's recording (espeak-ng) through one Audio object. A burst of calls drops the
  // oldest waiting ones, never the latest. Without a voice or the server's recording the screen
  // stays visual. `window.lobbyAnnouncements` logs what was said, how, and when.
  const speech = window.speechSynthesis || null;
  const player = new Audio();
  const MAX_PENDING_CALLS = 3;
  const GAP_MS = 400;
  const LONGEST_SENTENCE_MS = 15000;  // a sentence that never reports its end frees the queue
  const SERVER_RETRY_MS = 10 * 60 * 1000;
  const pending = [];  // {call, languages: ["zh", "en"]}
  let busy = false;
  let serverAudioAfter = 0;  // time before which the server said it cannot speak (503)
  const said = window.lobbyAnnouncements = [];
  const voiceState = document.getElementById("voice-state");
  let serverVoice = labels.serverVoice === "1";
  const queued = window.lobbyCalls = [];  // the number of every call queued to be said

  function voiceFor(lang) {
    if (!speech) return null;
    const voices = speech.getVoices().filter(function (v) { return v.lang.toLowerCase().startsWith(lang); });
    const preferred = lang === "zh" ? "zh-cn" : "en";
    return voices.find(function (v) { return v.lang.toLowerCase().replace("_", "-").startsWith(preferred); })
      || voices[0] || null;
  }

  function spokenNumber(number, zh) {
    return number.split("").map(function (ch) {
      if (/[0-9]/.test(ch)) return zh ? DIGITS_ZH[Number(ch)] : ch;
      return ch;
    }).join(" ");
  }

  function announce(call) {
    if (!call.counter) return;
    queued.push(call.number);
    pending.push({ call: call, languages: ["zh", "en"] });
    if (pending.length > MAX_PENDING_CALLS) pending.splice(0, pending.length - MAX_PENDING_CALLS);
    sayNext();
  }

  function sayNext() {
    if (busy || pending.length === 0) return;
    const entry = pending[0];
    const lang = entry.languages.shift();
    if (entry.languages.length === 0) pending.shift();
    busy = true;
    const record = { number: entry.call.number, lang: lang, via: "", started: performance.now(), ended: null };
    let stop = function () {};
    const done = function (via) {
      if (record.ended !== null) return;
      window.clearTimeout(guard);
      stop();
      record.via = via;
      record.ended = performance.now();
      said.push(record);
      document.body.dataset.announced = String(said.length);
      busy = false;
      window.setTimeout(sayNext, GAP_MS);
    };
    const guard = window.setTimeout(function () { done("timeout"); }, LONGEST_SENTENCE_MS);
    const voice = voiceFor(lang);
    if (voice) {
      stop = speakWith(voice, entry.call, lang, done);
    } else if (Date.now() >= serverAudioAfter) {
      stop = playRecording(entry.call, lang, done);
    } else {
      done("none");
    }
  }

  // Each returns a function that silences it (called once the sentence is over, or overdue).
  function speakWith(voice, call, lang, done) {
    const zh = lang === "zh";
    const counter = call.counter.name[zh ? "zh-hans" : "en"] || call.counter.name["zh-hans"];
    const utterance = new SpeechSynthesisUtterance(
      fill(zh ? labels.announceZh : labels.announceEn, spokenNumber(call.number, zh), counter));
    utterance.lang = voice.lang;
    utterance.voice = voice;
    utterance.rate = 0.9;
    let over = false;
    utterance.addEventListener("end", function () { over = true; done("speech"); });
    utterance.addEventListener("error", function () { over = true; done("speech-error"); });
    speech.speak(utterance);
    return function () { if (!over) speech.cancel(); };
  }

  function playRecording(call, lang, done) {
    let over = false;
    let source = null;
    const onEnded = function () { done("audio"); };
    const onError = function () { done("audio-error"); };
    const url = labels.announceUrl.replace("NUMBER", encodeURIComponent(call.number)).replace("LANG", lang);
    window.fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) return response.blob();
      // The server cannot speak (no espeak-ng): stay visual for a while. Anything else (a
      // database hiccup, a call gone) only skips this sentence.
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (body.code === "speech_unavailable") {
          serverAudioAfter = Date.now() + SERVER_RETRY_MS;
          serverVoice = false;
          showVoiceState();
        }
        throw new Error("no recording: " + response.status);
      });
    }).then(function (blob) {
      if (over) return;  // overdue: the queue has moved on
      source = URL.createObjectURL(blob);
      player.addEventListener("ended", onEnded);
      player.addEventListener("error", onError);
      player.src = source;
      const playing = player.play();
      if (playing) playing.catch(function () { done("audio-blocked"); });
    }).catch(function () { done("none"); });
    return function () {
      over = true;
      player.removeEventListener("ended", onEnded);
      player.removeEventListener("error", onError);
      player.pause();
      if (source) URL.revokeObjectURL(source);
    };
  }

  // Whether calls can be heard: a browser voice for Chinese or English, or the server's
  // recordings (espeak-ng). Without either the screen says so ("语音已关闭 · Voice off") rather
  // than leaving staff to find out from a customer who missed a call.
  function showVoiceState() {
    const on = Boolean(voiceFor("zh") || voiceFor("en")) || serverVoice;
    voiceState.dataset.voice = on ? "on" : "off";
    voiceState.querySelector(".voice-on").hidden = !on;
    voiceState.querySelector(".voice-off").hidden = on;
  }
  showVoiceState();
  if (speech) speech.addEventListener("voiceschanged", showVoiceState);

  // --- rendering --------------------------------------------------------------------------
  function counterText(counter) {
    if (!counter) return "";
    return counter.name["zh-hans"] + (counter.name.en && counter.name.en !== counter.name["zh-hans"] ? " · " + counter.name.en : "");
  }

  // A call is one number called once (a recall is a new call): its key tells a call that comes
  // live, through a poll and again in the resync apart from a new one.
  function callKey(call) {
    return call.number + "|" + (call.recall || 0) + "|" + (call.at || "");
  }

  let shown = null;

  function showNow(call) {
    nowNumber.textContent = call ? call.number : "—";
    nowCounter.textContent = call ? counterText(call.counter) : "";
    const direction = call && call.counter ? directions[String(call.counter.id)] : null;
    nowDirection.textContent = direction
      ? direction["zh-hans"] + (direction.en && direction.en !== direction["zh-hans"] ? " · " + direction.en : "") : "";
    if (call && callKey(call) === shown) return;  // a poll or resync of what is on screen
    shown = call ? callKey(call) : null;
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
      const letter = document.createElement("span");
      letter.className = "queue-letter";
      letter.textContent = queue.queue;
      // Each cell: Chinese above, English below (the lobby is bilingual, Chinese first).
      const cell = function (className, zh, en) {
        const span = document.createElement("span");
        span.className = className;
        const small = document.createElement("span");
        small.className = "en";
        small.lang = "en";
        small.textContent = en;
        span.append(zh, small);
        return span;
      };
      const minutes = queue.estimated_minutes;
      li.append(letter,
        cell("queue-name", queue.name["zh-hans"],
             queue.name.en && queue.name.en !== queue.name["zh-hans"] ? queue.name.en : ""),
        cell("queue-waiting", fill(labels.waitingZh, queue.waiting), fill(labels.waitingEn, queue.waiting)),
        // null: nobody staffed serves this queue now; show no number rather than "0 min".
        cell("queue-estimate", minutes === null ? "—" : fill(labels.minutesZh, minutes),
             minutes === null ? "" : fill(labels.minutesEn, minutes)));
      queues.append(li);
    });
  }

  let recent = [];
  // Calls this screen has shown. The first state is what was called before the screen started
  // (not announced); a later state (a poll while reconnecting, the resync) announces the calls it
  // has not shown yet, oldest first, so a call made during an outage is announced exactly once.
  const known = new Set();
  let started = false;

  function announceUnknown(list) {
    const unknown = list.filter(function (call) { return !known.has(callKey(call)); });
    unknown.forEach(function (call) { known.add(callKey(call)); });
    if (started) unknown.reverse().forEach(announce);
    started = true;
  }

  window.QueueLive.connect(root.dataset.ws, function (event, payload) {
    if (event === "state") {
      recent = payload.calls || [];
      showNow(recent[0]);
      renderCalls(recent.slice(1));
      renderQueues(payload.queues || []);
      announceUnknown(recent);
    } else if (event === "ticket.called") {
      recent = [payload].concat(recent.filter(function (c) { return c.number !== payload.number; })).slice(0, 9);
      showNow(payload);
      renderCalls(recent.slice(1));
      announceUnknown([payload]);
    } else if (event === "queue.state") {
      renderQueues(payload.queues || []);
    }
    root.dataset.lastEvent = event;
  }, notice, root.dataset.poll);

  function tick() {
    clock.textContent = window.branchClock.time(window.branchClock.now());
  }
  tick();
  window.setInterval(tick, 10000);

  // The ticker shows its standing notices one after another.
  const notices = Array.from(document.querySelectorAll(".ticker-items li"));
  let noticeIndex = 0;
  if (notices.length > 1) {
    window.setInterval(function () {
      notices[noticeIndex].hidden = true;
      noticeIndex = (noticeIndex + 1) % notices.length;
      notices[noticeIndex].hidden = false;
    }, 8000);
  }
})();
