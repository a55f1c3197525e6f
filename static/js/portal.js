// Small behaviours without inline script (the Content-Security-Policy forbids it).
// A refused step shows its object's page again at the step's own address (the form's action): the page names its
// address (<meta name="page-address">, access.posted_from), which replaces the step's in the address bar, so that
// reloading does not post the step again and a copied or bookmarked address opens the page.
(function () {
  var address = document.querySelector("meta[name=page-address]");
  if (address && window.history.replaceState && address.content !== window.location.pathname) {
    window.history.replaceState(null, "", address.content + window.location.hash);
  }
})();
// A refused form shown again says what to do at the field that caused it; on a long page (the scoring sheet, a
// step of the 申报表) that field may lie far below the top where the page opens again, the button pressed at the
// bottom: the first message (an alert or a field marked invalid) is brought into view, its field focused. Not when
// the address names a place of its own (#…), nor when the first message is in view already.
window.addEventListener("load", function () {
  if (window.location.hash) { return; }
  var first = Array.prototype.find.call(
    document.querySelectorAll("main .alert-danger, main .is-invalid, main .invalid-feedback"),
    function (element) { return element.getClientRects().length > 0; });  // shown, not display:none
  if (!first) { return; }
  var box = first.getBoundingClientRect();
  if (box.top >= 0 && box.bottom <= window.innerHeight) { return; }
  first.scrollIntoView({block: "center", behavior: "instant"});  // not smooth (Bootstrap's :root)
  if (first.matches("input, select, textarea")) { first.focus({preventScroll: true}); }
});
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
// A table marked .table-stack reads on a phone as one card per row (portal.css): each body cell without a label
// of its own is given its column's name from the header (data-label), then the table is marked data-stacked.
document.querySelectorAll("table.table-stack").forEach(function (table) {
  var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  Array.prototype.forEach.call(table.tBodies, function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.cells.length !== names.length) { return; }  // a row spanning the table: "nothing found"
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (names[i] && !cell.querySelector("label")) { cell.setAttribute("data-label", names[i]); }
      });
    });
  });
  table.setAttribute("data-stacked", "");
});
