/* Treffpunkt: the program of a center on any website.
 *
 *   <div data-treffpunkt-program="brunnenplatz" data-lang="de"></div>
 *   <script src="https://treffpunkt.example.org/embed/embed.js" async></script>
 *
 * Optional: data-group="<group slug>" (one group's next dates). Style it with CSS variables on
 * the element (--tp-accent, --tp-text, --tp-background, --tp-font, ...). The program lives in a
 * shadow root, so the page's styles and ours never touch; no cookies are sent or set.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  if (!base) {
    var found = document.querySelector('script[src$="/embed/embed.js"]');
    base = found ? new URL(found.src, document.baseURI).origin : "";
  }

  function load(host, shadow, params, announce) {
    var slug = host.getAttribute("data-treffpunkt-program");
    var url = base + "/embed/" + encodeURIComponent(slug) + "/fragment/?" + params.toString();
    host.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "omit", mode: "cors" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var root = parsed.querySelector(".tp-root");
        var old = shadow.querySelector(".tp-root");
        if (old) { old.remove(); }
        if (root) { shadow.appendChild(document.importNode(root, true)); }
        wire(host, shadow, params);
        if (announce) {
          var status = shadow.querySelector(".tp-count");
          if (status) { status.setAttribute("tabindex", "-1"); status.focus(); }
        }
      })
      .catch(function () {
        var note = document.createElement("p");
        note.textContent = host.getAttribute("data-error") || "Das Programm kann gerade nicht geladen werden. / The program cannot be loaded right now.";
        shadow.appendChild(note);
      })
      .finally(function () { host.removeAttribute("aria-busy"); });
  }

  function wire(host, shadow, params) {
    var form = shadow.querySelector("form.tp-filters");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var next = new URLSearchParams();
        new FormData(form).forEach(function (value, key) { if (value !== "") { next.append(key, value); } });
        load(host, shadow, next, true);
      });
    }
    shadow.querySelectorAll("a[data-tp-page]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var next = new URLSearchParams(params);
        next.set("page", link.getAttribute("data-tp-page"));
        load(host, shadow, next, true);
      });
    });
  }

  function start(host) {
    if (host.shadowRoot || !host.attachShadow) { return; }
    var shadow = host.attachShadow({ mode: "open" });
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = base + "/static/api/embed.css";
    shadow.appendChild(style);
    var params = new URLSearchParams();
    var lang = host.getAttribute("data-lang") || document.documentElement.lang || "de";
    params.set("lang", lang.slice(0, 2) === "en" ? "en" : "de");
    var group = host.getAttribute("data-group");
    if (group) { params.set("group", group); }
    load(host, shadow, params, false);
  }

  document.querySelectorAll("[data-treffpunkt-program]").forEach(start);
})();
