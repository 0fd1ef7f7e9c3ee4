/* Thigh Twitch Guide: the share button, search results and a helpful empty search state.
   Event delegation keeps both working across Material's instant navigation. */
(function () {
  "use strict";

  function base() {
    // Material sets __md_scope to the site root URL (works on any sub-path).
    return typeof __md_scope !== "undefined" ? __md_scope : new URL("/", location.href);
  }

  /* The search dialog's accessible name (axe: aria-dialog-name): Material 9's header gives none,
     Zensical's does. The name is the theme's own word for search (its search options' label). */
  var dialog = document.querySelector('.md-search[role="dialog"]');
  if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
    var options = dialog.querySelector(".md-search__options[aria-label]");
    dialog.setAttribute("aria-label", options ? options.getAttribute("aria-label") : "Search");
  }

  /* Instant navigation: the theme fetches the next page, parses it with DOMParser and copies the
     head elements it lacks into this page's head. Each page's Content-Security-Policy allows only
     its own inlined <style> (deploy_files.py), so the next page's would be refused under this
     page's policy; by now the whole stylesheet is here and the inlined <style> elements (in the
     head, and after the first emergency card) are not needed: they are left out of every page
     the theme parses. */
  if (typeof DOMParser !== "undefined" && !DOMParser.prototype.__ttgParse) {
    var parse = DOMParser.prototype.parseFromString;
    DOMParser.prototype.__ttgParse = parse;
    DOMParser.prototype.parseFromString = function (text, type) {
      // Cut from the text, not the parsed page: parsing alone applies this page's policy to it.
      if (type === "text/html" && typeof text === "string") text = text.replace(/<style>[\s\S]*?<\/style>/g, "");
      return parse.call(this, text, type);
    };
  }

  /* Share: the Web Share API where the browser has it, else copy the link. */
  function announce(button, message) {
    var status = document.querySelector(".ttg-share-status");
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

  /* The 404 page's "Search this site" button opens Material's search, with the box focused. */
  function openSearch() {
    var toggle = document.getElementById("__search");
    if (!toggle) return;
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    var input = document.querySelector(".md-search__input");
    // The theme moves focus as it opens the dialog; take it back on the next frame.
    if (input) requestAnimationFrame(function () { input.focus(); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-ttg-share]");
    if (button) share(button);
    if (event.target.closest && event.target.closest("[data-ttg-open-search]")) {
      // Before the theme has started there is no search to open yet: keep the press for init.
      if (document.documentElement.hasAttribute("data-ttg-ready")) openSearch();
      else document.documentElement.setAttribute("data-ttg-open-search", "");
    }
  });

  // Pressed before this script arrived (the 404 page keeps a mark on <html>): answer it now.
  function answerEarlySearch() {
    var root = document.documentElement;
    if (!root.hasAttribute("data-ttg-open-search")) return;
    root.removeAttribute("data-ttg-open-search");
    openSearch();
  }

  /* The share button (main.html leaves a slot for it). No title attribute: the theme would show
     it as a tooltip over the page title. The icon is Material's share-variant. */
  var SHARE_BUTTON = '<button type="button" class="md-content__button md-icon ttg-share" data-ttg-share ' +
    'aria-label="Share this page"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M18 16.08c-.76 0-1.44.3-1.96.77L8.91 12.7c.05-.23.09-.46.09-.7s-.04-.47-.09-.7l7.05-4.11c.54.5 1.25.81 ' +
    '2.04.81a3 3 0 0 0 3-3 3 3 0 0 0-3-3 3 3 0 0 0-3 3c0 .24.04.47.09.7L8.04 9.81C7.5 9.31 6.79 9 6 9a3 3 0 0 0-3 3 3 3 ' +
    '0 0 0 3 3c.79 0 1.5-.31 2.04-.81l7.12 4.15c-.05.21-.08.43-.08.66 0 1.61 1.31 2.91 2.92 2.91s2.92-1.3 ' +
    '2.92-2.91A2.92 2.92 0 0 0 18 16.08"/></svg></button>';

  function showShareButtons() {
    document.querySelectorAll("[data-ttg-share-slot]").forEach(function (slot) { slot.outerHTML = SHARE_BUTTON; });
    document.querySelectorAll("[data-ttg-print]").forEach(function (b) { b.hidden = false; });
  }

  /* A Print button (the symptom diary) prints the page. */
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-ttg-print]")) window.print();
  });

  /* A collapsed Sources list opens when a citation or an address points into it (browsers that
     do not do this themselves), and every one opens for printing where CSS cannot do it. */
  function openTarget(rendered) {
    var id = location.hash.length > 1 && decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (details && (rendered || !details.open)) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", function () { openTarget(false); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.ttg-cite a[href^="#"]');
    if (link) setTimeout(function () { openTarget(false); }, 0);
  });
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.ttg-sources:not([open])").forEach(function (d) {
      d.open = true; closedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.splice(0).forEach(function (d) { d.open = false; });
  });

  /* Search. Synonyms, stemming and section-first ranking happen in the search worker
     (assets/javascripts/workers/ttg-search.js); this part shapes what the reader sees. */

  /* The worker sends each section as its own result, after a label card carrying the page
     title. Fold that label into the section's card, so the first link of a result is the
     section that answers, named with its page ("Causes" above "Caffeine"). */
  function foldResult(item) {
    var links = item.querySelectorAll(":scope > .md-search-result__link");
    if (links.length !== 2 || links[1].getAttribute("href").indexOf("#") < 0) return;
    var label = links[0].querySelector("h1");
    var article = links[1].querySelector("article");
    if (!label || !article || article.querySelector(".ttg-search-page")) return;
    var page = document.createElement("p");
    page.className = "ttg-search-page";
    page.textContent = label.textContent;
    article.insertBefore(page, article.firstChild);
    links[0].remove();
  }

  function watchResults() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.ttgWatched) return;
    list.dataset.ttgWatched = "1";
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) { if (n.nodeType === 1 && n.matches("li")) foldResult(n); });
      });
    }).observe(list, { childList: true });
  }

  /* The search index (about 16 KiB compressed, a sixth of a first visit) is fetched when the
     reader first opens search, not on every page view: the theme asks for it at start-up, and
     its request is held here until the search box takes focus or its toggle is switched on. */
  var indexWanted = false;
  var heldIndex = [];
  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.ttgIndex = /\/search\/search_index\.json(\?|$)/.test(String(url));
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.ttgIndex && !indexWanted) {
      heldIndex.push([this, arguments]);
      window.__ttgIndexHeld = true;  // for tests: the theme has asked, and waits
      return undefined;
    }
    return xhrSend.apply(this, arguments);
  };
  function wantIndex() {
    if (indexWanted) return;
    indexWanted = true;
    window.__ttgIndexWanted = true;
    heldIndex.splice(0).forEach(function (held) { xhrSend.apply(held[0], held[1]); });
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".md-search__input")) wantIndex();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) wantIndex();
  });

  /* When nothing matches: the site's words closest to what was typed (from the worker), then
     the symptom finder and the warning signs. */
  var NONE = "No matching documents";
  var closest = [];

  if (typeof Worker !== "undefined") {
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function () {
      if (!this.ttgListening) {
        this.ttgListening = true;
        this.addEventListener("message", function (event) {
          var data = event.data && event.data.type === 3 && event.data.data;  // 3: a result
          if (!data) return;
          closest = data.ttgClosest || [];
          updateEmptyState();
          updateNotice(data);
          // Mark which query the list now answers (results arrive once per keystroke).
          var list = document.querySelector(".md-search-result__list");
          if (list && typeof data.ttgQuery === "string") list.setAttribute("data-ttg-query", data.ttgQuery);
        });
      }
      return post.apply(this, arguments);
    };
  }

  function searchFor(query) {
    var input = document.querySelector(".md-search__input");
    input.value = query;
    input.focus();
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function emptyState() {
    var box = document.createElement("div");
    box.className = "ttg-search-empty";
    if (closest.length) {
      var p0 = document.createElement("p");
      p0.textContent = "Did you mean: ";
      closest.forEach(function (query, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "ttg-search-suggestion";
        b.textContent = query;
        b.addEventListener("click", function () { searchFor(query); });
        p0.appendChild(b);
        if (i < closest.length - 1) p0.appendChild(document.createTextNode(" "));
      });
      box.appendChild(p0);
    }
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

  /* Honest gaps, first in the list: a topic word that no page uses ("We have no page about
     SSRI"), then the nearest answers; and a misspelt word read as the site's word. */
  function typed(query, word) {
    var found = new RegExp("(^|[^a-z0-9])(" + word.replace(/[^a-z0-9]/g, "") + ")(?![a-z0-9])", "i").exec(query);
    return found ? found[2] : word;
  }

  function quoted(words) {
    return words.map(function (w) { return "\u201c" + w + "\u201d"; }).join(" or ");
  }

  function updateNotice(data) {
    var meta = document.querySelector(".md-search-result__meta");
    var old = document.querySelector(".ttg-search-notice");
    if (old) old.remove();
    if (!meta || !data.ttgQuery || !data.ttgQuery.trim()) return;
    var unknown = (data.ttgUnknown || []).map(function (w) { return typed(data.ttgQuery, w); });
    var respelled = data.ttgRespelled || {};
    var fixes = Object.keys(respelled);
    if (!unknown.length && !fixes.length) return;
    var box = document.createElement("div");
    box.className = "ttg-search-notice";
    if (unknown.length) {
      var p = document.createElement("p");
      p.textContent = "We have no page about " + quoted(unknown) + ". " +
        (data.items && data.items.length ? "The nearest answers are below, or " : "You can ");
      var a = document.createElement("a");
      a.href = new URL("symptoms/", base()).href;
      a.textContent = "find your symptom in your own words";
      p.appendChild(a);
      p.appendChild(document.createTextNode("."));
      box.appendChild(p);
    }
    if (fixes.length && data.items && data.items.length) {
      var q = document.createElement("p");
      q.textContent = "Showing answers for " + quoted(fixes.map(function (w) { return respelled[w]; })) +
        " (you typed " + quoted(fixes.map(function (w) { return typed(data.ttgQuery, w); })) + ").";
      box.appendChild(q);
    }
    meta.parentNode.insertBefore(box, meta.nextSibling);
  }

  function updateEmptyState() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    var existing = document.querySelector(".ttg-search-empty");
    var none = meta.textContent.trim() === NONE;
    if (existing && (!none || existing.dataset.closest !== closest.join("|"))) {
      existing.remove();
      existing = null;
    }
    if (none && !existing) {
      var box = emptyState();
      box.dataset.closest = closest.join("|");
      meta.parentNode.insertBefore(box, meta.nextSibling);
    }
  }

  function watchSearch() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta || meta.dataset.ttgWatched) return;
    meta.dataset.ttgWatched = "1";
    new MutationObserver(updateEmptyState).observe(meta, { childList: true, characterData: true, subtree: true });
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

  /* The check (/check/): one step at a time. Its answers are plain #anchor links (Material's
     instant navigation leaves target=_self links alone), so each answer is a history entry and
     the browser's Back button goes back a question. This shows the step the address names, moves
     focus to its heading, and dates a result. Nothing is stored: a reload starts again. */
  var checkState = { fresh: true, path: null, step: null };

  function checkStepFor(check, hash) {
    var target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    // A moved result keeps its old address as an empty alias just before it (hooks/redirects.py).
    if (target && target.classList.contains("ttg-anchor-alias")) target = target.nextElementSibling;
    var step = target && target.closest(".ttg-check-step");
    return step && step.parentNode === check ? step : null;
  }

  function today(element) {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    element.textContent = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    element.setAttribute("datetime", now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()));
  }

  function showCheckStep(moveFocus) {
    var check = document.querySelector("[data-ttg-check]");
    if (!check) return;
    var step = checkStepFor(check, location.hash);
    // An address outside the check (a source, say) keeps the step the reader is on.
    if (!step && location.hash.length > 1 && checkState.path === location.pathname && checkState.step) {
      step = checkStepFor(check, "#" + checkState.step);
    }
    step = step || check.querySelector(":scope > .ttg-check-step");
    var changed = !step.classList.contains("ttg-current");
    // A result says which question led to it: the one the reader just answered (on a shared or
    // reloaded result, every question of its tier shows).
    var from = checkState.step && document.getElementById(checkState.step);
    var answered = changed && from && from.classList.contains("ttg-check-question") ? from.id : null;
    var whys = step.querySelectorAll(".ttg-check-why");
    if (changed) {
      whys.forEach(function (why) {
        why.hidden = !!answered && why.getAttribute("data-question") !== answered &&
          !!step.querySelector('.ttg-check-why[data-question="' + answered + '"]');
      });
    }
    check.querySelectorAll(":scope > .ttg-check-step").forEach(function (s) {
      s.classList.toggle("ttg-current", s === step);
    });
    check.setAttribute("data-ttg-js", "");
    checkState.path = location.pathname;
    checkState.step = step.id;
    step.querySelectorAll(".ttg-check-today").forEach(today);
    if (moveFocus && changed) {
      step.querySelector(".ttg-check-heading").focus({ preventScroll: true });
      window.scrollTo(0, 0);  // the step sits just under the page title
    }
  }

  function initCheck() {
    var check = document.querySelector("[data-ttg-check]");
    var fresh = checkState.fresh;
    checkState.fresh = false;
    if (!check) return;
    // On a fresh load a question's address does not count: the check starts again. A result keeps
    // its address, so it can be shared and printed.
    var step = checkStepFor(check, location.hash);
    if (fresh && step && !step.classList.contains("ttg-check-result")) {
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    showCheckStep(false);
  }

  // Moving between steps is the browser's own fragment navigation. Material's instant navigation
  // would answer the first such history change by fetching and swapping the page, which drops
  // focus, so on the check page it does not see them.
  window.addEventListener("popstate", function (event) {
    if (document.querySelector("[data-ttg-check]") && checkState.path === location.pathname) {
      event.stopImmediatePropagation();
    }
  }, true);
  window.addEventListener("hashchange", function () { showCheckStep(true); });

  /* "Something wrong or unclear on this page?": the prefilled report also names the section the
     reader was last reading: the heading above the top third of the screen once scrolling has
     rested for a second (sections scrolled past on the way down to the link do not count, nor do
     the Sources list and the report box). Nothing is sent: the link only opens a form. */
  var lastSection = null;
  var NOT_READING = { sources: 1, "report-a-problem": 1, "reader-comments": 1 };

  function trackSection() {
    var line = window.innerHeight / 3;
    var found = null;
    document.querySelectorAll(".md-content article :is(h2, h3)[id]").forEach(function (h) {
      if (h.getBoundingClientRect().top < line) found = h;
    });
    if (found && !NOT_READING[found.id] && !found.closest(".ttg-check-step:not(.ttg-current)")) readingSection(found);
  }
  var readingTimer = null;
  window.addEventListener("scroll", function () {
    clearTimeout(readingTimer);
    readingTimer = setTimeout(trackSection, 1000);
  }, { passive: true });

  function headingText(h) {
    var copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function encodePair(pair) {
    return encodeURIComponent(pair[0]).replace(/%5B/g, "[").replace(/%5D/g, "]") + "=" + encodeURIComponent(pair[1]);
  }

  function withSection(href, kind, section) {
    var q = href.indexOf("?");
    if (q < 0) return href;
    var pairs = href.slice(q + 1).split("&").map(function (p) {
      var i = p.indexOf("=");
      return [decodeURIComponent(p.slice(0, i)), decodeURIComponent(p.slice(i + 1))];
    });
    pairs.forEach(function (p) {
      if (kind === "github" && p[0] === "section") p[1] = section;
      if (p[0] === "body" || p[0] === "issue[description]") p[1] = p[1].replace(/^Section: .*$/m, "Section: " + section);
    });
    return href.slice(0, q + 1) + pairs.map(encodePair).join("&");
  }

  // The report links name the section as soon as it is known, so the address a reader sees (or
  // copies with a long press) is the one that opens.
  function readingSection(heading) {
    lastSection = heading;
    if (!heading) return;
    var canonical = document.querySelector('link[rel="canonical"]');
    var address = (canonical ? canonical.href : location.href.split("#")[0]) + "#" + heading.id;
    document.querySelectorAll("a[data-ttg-report]").forEach(function (link) {
      var kind = link.getAttribute("data-ttg-report");
      if (kind !== "about") link.href = withSection(link.href, kind, headingText(heading) + " (" + address + ")");
    });
  }

  /* Comments (only when the site configures them): nothing from the comment host loads until
     the reader presses "Show comments". The frame is built here from giscus's documented widget
     parameters, so no third-party script runs on this site. "Always load" is the one thing kept,
     in this browser, and only when the reader ticks it. */
  var ALWAYS = "ttg-comments-always";

  function commentTheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function loadComments(box) {
    if (box.querySelector("iframe")) return;
    var d = box.dataset;
    var origin = location.href.split("#")[0];
    var description = document.querySelector('meta[name="description"]');
    var params = {
      origin: origin, session: "", theme: commentTheme(), reactionsEnabled: "1", emitMetadata: "0",
      inputPosition: "bottom", repo: d.repo, repoId: d.repoId, category: d.category,
      categoryId: d.categoryId, strict: "1", description: description ? description.content : "",
      backLink: origin, term: d.term
    };
    var frame = document.createElement("iframe");
    frame.src = d.host + "/en/widget?" + new URLSearchParams(params).toString();
    frame.title = "Comments";
    frame.setAttribute("loading", "eager");
    frame.className = "ttg-comments-iframe";
    box.querySelector(".ttg-comments-frame").appendChild(frame);
    box.querySelector("[data-ttg-comments-load]").hidden = true;
  }

  window.addEventListener("message", function (event) {
    var box = document.querySelector("[data-ttg-comments]");
    var frame = box && box.querySelector("iframe");
    if (!frame || event.origin !== box.dataset.host || event.source !== frame.contentWindow) return;
    var data = event.data && event.data.giscus;
    if (data && data.resizeHeight) frame.style.height = data.resizeHeight + "px";
  });

  function initComments() {
    var box = document.querySelector("[data-ttg-comments]");
    if (!box) return;
    box.hidden = false;
    var always = box.querySelector("[data-ttg-comments-always]");
    var remembered = false;
    try { remembered = localStorage.getItem(ALWAYS) === "1"; } catch (e) { /* storage blocked */ }
    always.checked = remembered;
    box.querySelector("[data-ttg-comments-load]").addEventListener("click", function () { loadComments(box); });
    always.addEventListener("change", function () {
      try {
        if (always.checked) localStorage.setItem(ALWAYS, "1"); else localStorage.removeItem(ALWAYS);
      } catch (e) { /* storage blocked: the choice lasts for this page */ }
      if (always.checked) loadComments(box);
    });
    if (remembered) loadComments(box);
  }

  // The comment frame follows the palette.
  new MutationObserver(function () {
    var box = document.querySelector("[data-ttg-comments]");
    var frame = box && box.querySelector("iframe");
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage({ giscus: { setConfig: { theme: commentTheme() } } }, box.dataset.host);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  function init() {
    showShareButtons(); watchSearch(); watchResults(); focusableScrollers(); initCheck(); initComments();
    answerEarlySearch();
    // An instant navigation (also one to a source on the same page) renders the page afresh and
    // keeps the old scroll offset, which no longer lands on the source: open the Sources the
    // address points into and bring that entry into view, once the theme has placed the page.
    requestAnimationFrame(function () { openTarget(true); });
    lastSection = null;
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && /^H[23]$/.test(target.tagName)) readingSection(target);
    // The scripts load after the first paint; tests (and curious readers) can see when they ran.
    document.documentElement.setAttribute("data-ttg-ready", "");
  }
  // Deferred scripts have all run by DOMContentLoaded, so the theme's document$ exists by then.
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") {
      document$.subscribe(init);  // Material's observable: fires on every (instant) page load
    } else {
      init();
    }
  });
})();
