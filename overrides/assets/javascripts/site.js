/* Thigh Twitch Guide: the share button and a helpful empty search state.
   Event delegation keeps both working across Material's instant navigation. */
(function () {
  "use strict";

  function base() {
    // Material sets __md_scope to the site root URL (works on any sub-path).
    return typeof __md_scope !== "undefined" ? __md_scope : new URL("/", location.href);
  }

  /* Share: the Web Share API where the browser has it, else copy the link. */
  function announce(button, message) {
    var status = button.parentNode.querySelector(".ttg-share-status");
    if (status) {
      status.textContent = message;
      setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function copyFallback(text) {
    var input = document.createElement("textarea");
    input.value = text;
    input.setAttribute("readonly", "");
    input.style.position = "fixed";
    input.style.opacity = "0";
    document.body.appendChild(input);
    input.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(input);
    return ok;
  }

  function share(button) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var url = location.href.split("#")[0] + location.hash;
    if (!location.hash && canonical) url = canonical.href;
    var title = document.title;
    if (navigator.share) {
      navigator.share({ title: title, url: url })
        .then(function () { announce(button, "Thanks for sharing."); })
        .catch(function () { /* the reader closed the share sheet */ });
      return;
    }
    var done = function () { announce(button, "Link copied: " + url); };
    var failed = function () {
      announce(button, copyFallback(url) ? "Link copied: " + url : "Copy this link: " + url);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-ttg-share]");
    if (button) share(button);
    // The 404 page's "Search this site" button opens Material's search.
    if (event.target.closest && event.target.closest("[data-ttg-open-search]")) {
      var toggle = document.getElementById("__search");
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      var input = document.querySelector(".md-search__input");
      if (input) setTimeout(function () { input.focus(); }, 50);
    }
  });

  function showShareButtons() {
    document.querySelectorAll("[data-ttg-share]").forEach(function (b) { b.hidden = false; });
  }

  /* Search: Material matches word beginnings only and has no English stemming, so
     "fasciculations" would not find "fasciculation" and "twitches" not "twitch". Trim common
     endings from each query word before it reaches the search worker; Material then adds its
     own trailing wildcard, so "cramps" -> "cramp*" finds cramp, cramps and cramping. */
  function stem(word) {
    var w = word.toLowerCase();
    if (w.length < 5 || /[^a-z]/.test(w)) return word;
    var rules = [[/ies$/, ""], [/(ch|sh|ss|x|z)es$/, "$1"], [/([^s])s$/, "$1"], [/ing$/, ""]];
    for (var i = 0; i < rules.length; i++) {
      if (rules[i][0].test(w)) {
        var cut = w.replace(rules[i][0], rules[i][1]);
        return cut.length >= 4 ? cut : word;
      }
    }
    return word;
  }

  function normaliseQuery(query) {
    return query.split(/(\s+)/).map(function (part) { return /\s/.test(part) ? part : stem(part); }).join("");
  }

  if (typeof Worker !== "undefined") {
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      // Material's search worker protocol: type 2 is a query.
      if (message && message.type === 2 && typeof message.data === "string") {
        arguments[0] = { type: 2, data: normaliseQuery(message.data) };
      }
      return post.apply(this, arguments);
    };
  }

  /* Search: when nothing matches, point to the symptom finder and the warning signs. */
  var NONE = "No matching documents";

  function emptyState() {
    var box = document.createElement("div");
    box.className = "ttg-search-empty";
    var p = document.createElement("p");
    p.textContent = "Try other words, such as \u201ctwitch\u201d, \u201ccramp\u201d or \u201cweakness\u201d. Or:";
    box.appendChild(p);
    var list = document.createElement("ul");
    [["symptoms/", "Find your symptom in your own words"],
     ["warning-signs/", "Check the warning signs"]].forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = new URL(item[0], base()).href;
      a.textContent = item[1];
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function watchSearch() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta || meta.dataset.ttgWatched) return;
    meta.dataset.ttgWatched = "1";
    var update = function () {
      var existing = document.querySelector(".ttg-search-empty");
      var none = meta.textContent.trim() === NONE;
      if (none && !existing) meta.parentNode.insertBefore(emptyState(), meta.nextSibling);
      if (!none && existing) existing.remove();
    };
    new MutationObserver(update).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  /* A table wider than the screen scrolls sideways: make it reachable by keyboard. */
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table (scroll sideways to see all of it)");
      }
    });
  }

  function init() { showShareButtons(); watchSearch(); focusableScrollers(); }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);  // Material's observable: fires on every (instant) page load
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
