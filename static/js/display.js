/* Treffpunkt screens (foyer screen, door signs): keep the page current without ever scrolling.
 * - Polls through htmx (attributes on #screen) with the last ETag in If-None-Match: an
 *   unchanged screen gets a 304 and keeps what it shows.
 * - A failed poll (server down, no network, timeout) keeps the last content and shows
 *   "No connection – as of HH:MM"; the next good poll clears it.
 * - What does not fit on the screen is split into pages that take turns.
 * - The clock in the header follows the center's time zone.
 * No inline script or style: everything comes from data attributes. */
(function () {
  "use strict";

  var root = document.getElementById("screen");
  if (!root) { return; }
  var body = document.body;
  var pageSeconds = parseInt(body.getAttribute("data-page-seconds"), 10) || 12;
  var etag = root.getAttribute("data-etag") || "";
  var format;
  try {
    format = new Intl.DateTimeFormat("de-DE", {
      hour: "2-digit", minute: "2-digit", hour12: false, timeZone: body.getAttribute("data-tz") || undefined
    });
  } catch (e) {
    format = new Intl.DateTimeFormat("de-DE", { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }
  function now() { return format.format(new Date()); }
  function tick() { each("[data-clock]", function (el) { el.textContent = now(); }); }

  function online() {
    body.classList.remove("is-offline");
    each("[data-offline]", function (el) { el.hidden = true; });
    each("[data-as-of]", function (el) { el.textContent = now(); });
  }
  function offline() {
    body.classList.add("is-offline");
    each("[data-offline]", function (el) { el.hidden = false; });
  }

  // --- pages ------------------------------------------------------------------------------
  var pages = [];
  var current = 0;

  function container() { return root.querySelector("[data-pages]"); }
  function items() {
    var box = container();
    return box ? Array.prototype.slice.call(box.querySelectorAll("[data-item]")) : [];
  }
  function updateSections() {
    var box = container();
    if (!box) { return; }
    Array.prototype.forEach.call(box.querySelectorAll("[data-section]"), function (section) {
      var its = section.querySelectorAll("[data-item]");
      var shown = its.length === 0;
      Array.prototype.forEach.call(its, function (item) { if (!item.hidden) { shown = true; } });
      section.hidden = !shown;
    });
  }
  function fits(item) {
    var box = container();
    var limit = Infinity;
    var el = item.parentElement;
    while (el && el !== root) {
      if (getComputedStyle(el).overflowY !== "visible") {
        limit = Math.min(limit, el.getBoundingClientRect().bottom);
      }
      if (el === box) { break; }
      el = el.parentElement;
    }
    return item.getBoundingClientRect().bottom <= limit + 1;
  }
  function show(n) {
    current = n;
    var page = pages[n] || [];
    items().forEach(function (item) { item.hidden = page.indexOf(item) === -1; });
    updateSections();
    var many = pages.length > 1;
    each("[data-pager]", function (el) { el.hidden = !many; });
    each("[data-page-number]", function (el) { el.textContent = String(n + 1); });
    each("[data-page-count]", function (el) { el.textContent = String(pages.length); });
  }
  function allFit(list) {
    for (var i = 0; i < list.length; i++) { if (!fits(list[i])) { return false; } }
    return true;
  }
  // Pages are filled by revealing one date at a time: a date joins the page only if it and
  // every date already on it still fit (sections shrink as others grow). Once a date of a
  // section does not fit, the rest of that section waits for a later page, in order.
  function paginate() {
    var all = items();
    var remaining = all;
    pages = [];
    for (var guard = 0; remaining.length && guard < 100; guard++) {
      all.forEach(function (item) { item.hidden = true; });
      var page = [];
      var rest = [];
      var full = [];
      remaining.forEach(function (item) {
        var section = item.closest("[data-section]") || root;
        if (full.indexOf(section) !== -1) { rest.push(item); return; }
        item.hidden = false;
        updateSections();
        if (page.length && !allFit(page.concat([item]))) {
          item.hidden = true;
          updateSections();
          full.push(section);
          rest.push(item);
        } else {
          page.push(item);
        }
      });
      pages.push(page);
      remaining = rest;
    }
    show(0);
  }

  // --- polling ----------------------------------------------------------------------------
  body.addEventListener("htmx:configRequest", function (evt) {
    if (evt.detail.elt === root && etag) { evt.detail.headers["If-None-Match"] = etag; }
  });
  body.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target !== root) { return; }
    var xhr = evt.detail.xhr;
    if (xhr.status === 304) {
      evt.detail.shouldSwap = false;
      online();
    } else if (xhr.status >= 200 && xhr.status < 300) {
      etag = xhr.getResponseHeader("ETag") || etag;
      online();
    }
  });
  body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target === root) { tick(); paginate(); }
  });
  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    body.addEventListener(name, offline);
  });

  // Lay the pages out again whenever the space for them changes (window, fonts, a new swap).
  var resizing = null;
  var lastSize = "";
  function relayout() {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      var box = container();
      var size = box ? box.clientWidth + "x" + box.clientHeight : "";
      if (size !== lastSize) { lastSize = size; paginate(); }
    }, 100);
  }
  window.addEventListener("resize", relayout);
  if (window.ResizeObserver) { new ResizeObserver(relayout).observe(root); }
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(paginate); }
  setInterval(tick, 5000);
  setInterval(function () { if (pages.length > 1) { show((current + 1) % pages.length); } }, pageSeconds * 1000);
  tick();
  paginate();
})();
