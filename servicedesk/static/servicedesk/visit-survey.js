// The visit survey answers bad input with 400 and a closed survey with 409/410, together with the
// re-rendered survey carrying the message: show it, as htmx does not swap 4xx by default.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var path = event.detail.pathInfo && event.detail.pathInfo.requestPath || "";
  if ((status === 400 || status === 409 || status === 410) && path.indexOf("/sd/visit-survey/") === 0) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
