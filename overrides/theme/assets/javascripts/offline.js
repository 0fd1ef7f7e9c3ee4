/* Offline reading (README "Offline"): registers the site's service worker (offline-worker.js,
   at the site's root) once the page has loaded, tells it which page is being read so that it
   is saved, and on the offline page lists the pages saved on this device (the list marked
   data-ttg-offline-list). <html> gets
   data-ttg-offline-saved="<path>" when the worker has saved the page being read. */
(function () {
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var scope = new URL(".", window.__md_scope || location);
  var prefix = "ttg-offline " + scope.pathname + " ";
  var worker = navigator.serviceWorker;

  worker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "saved" && data.saved && data.url === location.href.split(/[?#]/)[0]) {
      document.documentElement.setAttribute("data-ttg-offline-saved", new URL(data.url).pathname);
    }
  });
  worker.startMessages();

  // <html data-ttg-offline-handled="N">: this script has handled the Nth page view of this
  // document (a mark for tests to wait on).
  var handled = 0;
  function reading() {
    worker.ready.then(function (registration) {
      registration.active.postMessage({type: "save", url: location.href});
    });
    Promise.resolve(listSaved()).catch(function () {}).then(function () {
      document.documentElement.setAttribute("data-ttg-offline-handled", String(++handled));
    });
  }

  function title(response, url) {
    var raw = decodeURIComponent(response.headers.get("X-TTG-Title") || "");
    var text = new DOMParser().parseFromString(raw, "text/html").documentElement.textContent;
    return text.replace(/ - [^-]*$/, "") || new URL(url).pathname;
  }

  // The offline page's list: every page in this site's cache, as links with the date saved. (Its
  // own attribute: <html> carries data-ttg-offline-saved once a page is saved, and emptying that
  // would blank the page.)
  function listSaved() {
    var list = document.querySelector("ul[data-ttg-offline-list]");
    if (!list) return;
    return caches.keys().then(function (names) {
      var name = names.filter(function (n) { return n.indexOf(prefix) === 0; })[0];
      return name ? caches.open(name) : null;
    }).then(function (cache) {
      if (!cache) return;
      return cache.keys().then(function (requests) {
        var pages = requests.filter(function (r) { return /\/$/.test(new URL(r.url).pathname); });
        return Promise.all(pages.map(function (r) {
          return cache.match(r).then(function (response) { return {url: r.url, response: response}; });
        }));
      }).then(function (saved) {
        saved.forEach(function (entry) { entry.title = title(entry.response, entry.url); });
        saved.sort(function (a, b) { return a.title.localeCompare(b.title); });
        list.textContent = "";
        saved.forEach(function (entry) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = new URL(entry.url).pathname;
          link.textContent = entry.title;
          var when = new Date(entry.response.headers.get("X-TTG-Saved"));
          item.appendChild(link);
          item.appendChild(document.createTextNode(" (saved " + when.toLocaleDateString("en-GB",
            {day: "numeric", month: "long", year: "numeric"}) + ")"));
          list.appendChild(item);
        });
        list.setAttribute("data-ttg-offline-listed", String(saved.length));
      });
    });
  }

  function start() {
    worker.register(new URL("offline-worker.js", scope).href, {scope: scope.pathname, updateViaCache: "none"})
      .catch(function () {});  // no worker (private mode, http): the site works as before
    if (window.document$) window.document$.subscribe(reading); else reading();
  }
  if (document.readyState === "complete") start(); else addEventListener("load", start);
})();
