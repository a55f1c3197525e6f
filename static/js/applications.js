// The 申报表's small conveniences. Everything works without JavaScript too: "添加一行" posts the form back
// with one more row, "删除" is a checkbox saved with the form, and the share is computed on the server.
(function () {
  "use strict";

  // Members: add a row in place from the <template> holding the formset's empty form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-member]");
    if (!button) { return; }
    var template = document.getElementById("member-empty");
    var total = document.getElementById("id_members-TOTAL_FORMS");
    var rows = document.getElementById("member-rows");
    if (!template || !total || !rows) { return; }
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild && rows.lastElementChild.querySelector("input[type=text]");
    if (added) { added.focus(); }
  });

  // Members: a row ticked for deletion is shown struck through until the form is saved.
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-delete-member]")) { return; }
    var row = event.target.closest("tr");
    if (row) { row.classList.toggle("table-danger", event.target.checked); }
  });

  // Talent counts: the share of the workforce, recomputed as the counts are typed.
  function updateShare() {
    var box = document.querySelector("[data-staff-total]");
    var output = document.getElementById("talent-share");
    if (!box || !output) { return; }
    var staff = parseInt(box.getAttribute("data-staff-total"), 10);
    if (!staff) { return; }
    var total = 0;
    box.querySelectorAll("[data-talent]").forEach(function (input) {
      total += Math.max(parseInt(input.value, 10) || 0, 0);
    });
    // In hundredths of a percent, rounded half up like the server.
    var hundredths = Math.floor((total * 100000 / staff + 5) / 10);
    output.textContent = (hundredths / 100).toFixed(2) + "%";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-talent]")) { updateShare(); }
  });
})();
