/* Treffpunkt, leader pages: small progressive enhancement. Everything works without it.
 * - The request form shows only the recurrence fields that apply to the chosen repetition.
 * - After a failed submit, focus moves to the error summary so screen readers read it first.
 * - Picking an alternative inside the preview does not ask for a new preview.
 * The live preview itself is plain htmx (attributes on the form). */
(function () {
  "use strict";

  function checkedValue(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function fieldOf(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest(".field") : null;
  }

  function update(form) {
    var frequency = checkedValue(form, "frequency") || "once";
    form.querySelectorAll("[data-show-when]").forEach(function (block) {
      var shown = block.getAttribute("data-show-when").split(" ").indexOf(frequency) !== -1;
      block.hidden = !shown;
    });
    var ends = checkedValue(form, "ends");
    var until = fieldOf(form, "until");
    var count = fieldOf(form, "count");
    var term = fieldOf(form, "term");
    if (until) { until.hidden = ends !== "until"; }
    if (count) { count.hidden = ends !== "count"; }
    if (term) { term.hidden = ends !== "term"; }
  }

  function init() {
    var form = document.getElementById("request-form");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
      // Instead of an htmx trigger filter, which would need eval (refused by the CSP).
      var preview = form.querySelector(".preview");
      if (preview) {
        preview.addEventListener("change", function (event) { event.stopPropagation(); });
      }
    }
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
