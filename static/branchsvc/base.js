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
