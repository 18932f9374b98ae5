/* Treffpunkt, Django's admin: names for the controls its widgets make in the browser.
 * - The filter box of a two-list selection (filter_horizontal) has a help icon whose
 *   aria-label is not allowed on a plain span: it becomes an image with that name.
 * - The search field of an autocomplete (select2) has no label: it takes its select's. */
(function () {
  "use strict";

  function name(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      var container = field.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      field.setAttribute("aria-label", label ? label.textContent.replace(/:\s*$/, "").trim() : field.placeholder || "");
    });
  }

  new MutationObserver(function () { name(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", function () { name(document); });
})();
