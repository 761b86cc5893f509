// Keep one conversation id across htmx replies so a hand-off carries the whole conversation.
document.addEventListener("htmx:afterSwap", function (event) {
  var turns = event.detail.target.querySelectorAll(".kb-turn[data-conversation]");
  if (!turns.length) { return; }
  var id = turns[turns.length - 1].getAttribute("data-conversation");
  var field = document.getElementById("kb-conversation-id");
  if (field) { field.value = id; }
  var question = document.getElementById("kb-question");
  if (question) { question.value = ""; question.focus(); }
});
