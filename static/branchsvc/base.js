// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("change", (event) => {
  if (event.target.matches("select.autosubmit")) {
    event.target.form.submit();
  }
});
