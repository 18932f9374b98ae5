/* Treffpunkt, leader pages: small progressive enhancement. Everything works without it.
 * - The request form shows only the recurrence fields that apply to the chosen repetition.
 * - After a failed submit, focus moves to the error summary so screen readers read it first.
 * - Picking an alternative inside the preview does not ask for a new preview.
 * - "Until" follows "From": a new date lasts two hours, a moved one keeps its length.
 * - On a phone (up to 40rem) the request form asks one thing at a time: its parts marked
 *   data-step show step by step, with "Continue", "Back" and "Step 2 of 3"; after a refused
 *   submit the step of the first error opens. Wider screens and no script: the whole form.
 *   Each step is an entry in the browser's history: the phone's back button goes back a step
 *   (with everything entered kept), not off the page.
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

  var DEFAULT_MINUTES = 120;

  function minutes(value) {
    var parts = /^(\d{1,2}):(\d{2})/.exec(value || "");
    return parts ? Number(parts[1]) * 60 + Number(parts[2]) : null;
  }

  function clock(total) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(Math.floor(total / 60)) + ":" + pad(total % 60);
  }

  function followStart(form) {
    var start = form.querySelector('[name="start_time"]');
    var end = form.querySelector('[name="end_time"]');
    if (!start || !end) { return; }
    var last = minutes(start.value);
    function moved() {
      var from = minutes(start.value);
      if (from === null || from === last) { return; }
      var until = minutes(end.value);
      var length = null;
      if (until === null) {
        length = DEFAULT_MINUTES;
      } else if (last !== null && until > last) {
        length = until - last;
      }
      // Only within the day: a date never runs past midnight.
      if (length !== null && from + length < 24 * 60) { end.value = clock(from + length); }
      last = from;
    }
    start.addEventListener("input", moved);
    start.addEventListener("change", moved);
  }

  function stepper(form) {
    var parts = form.querySelectorAll("[data-step]");
    if (!parts.length || !window.matchMedia) { return; }
    var phone = window.matchMedia("(max-width: 40rem)");
    var last = 0;
    parts.forEach(function (part) { last = Math.max(last, Number(part.getAttribute("data-step"))); });
    var current = 1;

    function stepOf(element) {
      var part = element && element.closest("[data-step]");
      return part ? Number(part.getAttribute("data-step")) : null;
    }

    // How many steps of this form lie behind the current history entry: while there are any,
    // "Back" is the browser's back, so that the two never disagree.
    function taken() {
      return (history.state && history.state.requestIndex) || 0;
    }

    function stepTo(step) {
      if (step === current) { return; }
      show(step, true);
      history.pushState({ requestStep: step, requestIndex: taken() + 1 }, "");
    }

    function show(step, focus) {
      current = step;
      var stepped = phone.matches;
      form.classList.toggle("is-stepped", stepped);
      parts.forEach(function (part) {
        var own = Number(part.getAttribute("data-step")) === step;
        var chrome = part.classList.contains("step-head") || part.classList.contains("step-nav");
        part.hidden = stepped ? !own : chrome;
      });
      if (stepped && focus) {
        var title = form.querySelector('.step-head[data-step="' + step + '"] .step-title');
        if (title) { title.focus(); }
      }
    }

    form.addEventListener("click", function (event) {
      var go = event.target.closest("[data-step-go]");
      if (!go || !form.classList.contains("is-stepped")) { return; }
      event.preventDefault();
      var step = Number(go.getAttribute("data-step-go"));
      if (go.classList.contains("step-back") && taken() > 0) {
        history.back();  // popstate shows the step before
      } else {
        stepTo(step);
      }
    });
    window.addEventListener("popstate", function (event) {
      var step = event.state && event.state.requestStep;
      if (step) { show(step, form.classList.contains("is-stepped")); }
    });
    // Enter in a field of an earlier step goes on to the next step, as "Continue" does,
    // instead of sending the form from the middle.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !form.classList.contains("is-stepped") || current >= last) { return; }
      var target = event.target;
      if (target.tagName !== "INPUT" || target.type === "checkbox" || target.type === "radio") { return; }
      event.preventDefault();
      stepTo(current + 1);
    });
    // A link of the error summary to a field on another step opens that step first.
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.addEventListener("click", function (event) {
        var link = event.target.closest('a[href^="#"]');
        var field = link && document.getElementById(link.getAttribute("href").slice(1));
        var step = stepOf(field);
        if (step && form.classList.contains("is-stepped")) {
          event.preventDefault();
          show(step, false);
          field.focus();
        }
      });
    }
    // After a refused submit: the step of the first marked field. Back from "Check dates" or
    // a choice for all clashing dates, or refused with a message about the whole request (a
    // clash, say): the last step, where the dates are.
    var first = form.querySelector("[data-step] .has-error, [data-step] .errorlist");
    var bound = form.hasAttribute("data-bound");
    show(first ? stepOf(first) : (summary || bound ? last : 1), false);
    // This entry in the history shows the step shown now (a reload keeps its place).
    history.replaceState({ requestStep: current, requestIndex: taken() }, "");
    phone.addEventListener("change", function () { show(current, false); });
  }

  function init() {
    var form = document.getElementById("request-form");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
      followStart(form);
      stepper(form);
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
