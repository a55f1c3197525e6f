// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
});
// Long operations: a button with data-busy-label shows a spinner and that label once its form is sent, and is
// disabled so that it cannot be pressed twice (the server refuses a second submission anyway).
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("button[type=submit][data-busy-label]");
  if (!button || !button.dataset.busyLabel || event.defaultPrevented) { return; }
  window.setTimeout(function () {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>';
    button.appendChild(document.createTextNode(button.dataset.busyLabel));
  }, 0);
});
