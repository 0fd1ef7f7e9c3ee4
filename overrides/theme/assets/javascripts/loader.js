/* The loader (README "Speed: how a page loads"). It is a file, not inline, so that its bytes are
   not part of every page (0.5 KiB gzip: the long pages were that much over the first round trip
   of a cold load), and it is cached for a year with the other scripts. The head asks for it with
   `defer`: it is fetched while the page arrives, never holds the first paint, and runs once the
   page has been read.

   After the first paint: the whole stylesheet asked for, at the end of the body (outside the
   container an instant navigation replaces, and outside the head it rewrites), and the header's
   controls with it; once both are here, the header and the sidebars put in their places and
   shown, <html> marked data-ttg-styled, and the scripts added in order, once (the sheet's load
   event can fire again when the theme resets the link's href). The inline script at the end of
   the body has already hidden what the sheet styles (the header, the footer, the theme's dialog,
   which shown unstyled would fade out when the sheet lands). */
(function () {
  if (window.__ttgLoader) return;  // a head copied by an instant navigation must not run it again
  window.__ttgLoader = true;
  var d = document, done = false;
  var h = d.querySelector("body>.md-header");
  var later = d.querySelectorAll("body>.md-header,.md-footer,.md-dialog");

  function place() {
    var slot = d.querySelector(".ttg-header-slot");
    if (h && slot) slot.replaceWith(h);
    later.forEach(function (e) { e.removeAttribute("data-ttg-later"); });
    if (window.__ttgPlaceSidebars) window.__ttgPlaceSidebars(false);
    d.documentElement.setAttribute("data-ttg-styled", "");
  }

  // The theme starts its work on DOMContentLoaded, which has passed by then: it is fired again
  // once the last script has run.
  function scripts() {
    var placeholders = d.querySelectorAll("script[data-ttg-late]");
    placeholders.forEach(function (p, i) {
      var s = d.createElement("script");
      s.src = p.getAttribute("data-src");
      s.async = false;
      if (i === placeholders.length - 1) s.onload = function () {
        d.dispatchEvent(new Event("DOMContentLoaded", {bubbles: true}));
      };
      d.body.appendChild(s);
    });
  }

  function go() {
    if (done) return;
    done = true;
    var noscript = d.querySelector("noscript[data-ttg-theme]");
    var href = noscript && /href="([^"]+)"/.exec(noscript.textContent);
    var controls = d.querySelector("script[data-ttg-controls]");
    var wait = 1;
    function ready() {
      if (--wait) return;
      place();
      scripts();
    }
    if (controls) {
      wait++;
      var k = d.createElement("script");
      k.src = controls.getAttribute("data-src");
      k.onload = k.onerror = ready;
      d.body.appendChild(k);
    }
    if (!href) { ready(); return; }
    var link = d.createElement("link");
    link.rel = "stylesheet";
    link.href = href[1];
    link.onload = link.onerror = function () { link.onload = link.onerror = null; ready(); };
    d.body.appendChild(link);
  }

  // At `load` only in a browser that cannot report the first paint: a busy phone may fire
  // `load` before it has painted. `buffered` reports a paint that came before this script.
  var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
  if (types && types.indexOf("paint") !== -1) {
    new PerformanceObserver(function (list) {
      if (list.getEntriesByName("first-contentful-paint").length) setTimeout(go, 0);
    }).observe({type: "paint", buffered: true});
  } else if (d.readyState === "complete") {
    setTimeout(go, 0);
  } else {
    addEventListener("load", function () { setTimeout(go, 0); });
  }
})();
