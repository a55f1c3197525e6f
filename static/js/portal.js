// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
});
