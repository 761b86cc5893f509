// Counter pages answer bad input with 400 (and a queue step not possible now with 409) together with
// the re-rendered panel carrying the field errors: show it, as htmx does not swap 4xx by default.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var path = event.detail.pathInfo && event.detail.pathInfo.requestPath || "";
  if ((status === 400 || status === 409) && path.indexOf("/counter/") === 0) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
