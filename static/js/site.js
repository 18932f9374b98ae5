/* Treffpunkt, every page: the few behaviours that used to be inline handlers (the
 * Content-Security-Policy allows no inline script). Everything works without it.
 * - [data-print]: a button that opens the print dialog.
 * - [data-select-on-focus]: a read-only address that is selected when focused, for copying. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
