/* Offline reading (issue 24, README "Offline"): the site's service worker. One cache, named
   after the build, holds the warning signs, the check and the offline page from the first visit,
   every page the reader opens (offline.js says which), and the files those pages use; nothing
   else is stored. Pages come from the network first: the saved copy is shown only with no
   connection or after TIMEOUT_MS, and then says it is a saved copy and when it was saved. Files
   with a content hash in their names come from the cache first. A page never saved shows the
   offline page. A new deploy has a new build hash: its worker saves the same pages afresh and
   deletes the old cache. overrides/hooks/offline.py writes BUILD and PRECACHE. */
"use strict";

const BUILD = "__TTG_BUILD__";
const PRECACHE = __TTG_PRECACHE__;
const OFFLINE_PAGE = "offline.html";
const TIMEOUT_MS = 3000;
const SAVED_AT = "X-TTG-Saved";
const TITLE = "X-TTG-Title";
const SCOPE = new URL(self.registration.scope);
// Several sites can share an origin (project pages on one host): the cache names our scope.
const PREFIX = "ttg-offline " + SCOPE.pathname + " ";
const CACHE = PREFIX + BUILD;
const FINGERPRINTED = /\.[0-9a-f]{8}(\.min)?\.(css|js)$/;
const LINKED = /\s(?:src|data-src|href)="([^"#]+)"/g;
const ARTICLE = '<article class="md-content__inner md-typeset">';

const inScope = url => url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
const isPage = url => url.pathname.endsWith("/") || url.pathname.endsWith(".html");
const isAsset = url => url.pathname.startsWith(SCOPE.pathname + "assets/") && !isPage(url);
const pageKey = href => { const url = new URL(href); url.search = ""; url.hash = ""; return url.href; };
const offlinePage = () => new URL(OFFLINE_PAGE, SCOPE).href;

// Pages fetched lately, so that saving the page being read needs no second download.
const recent = new Map();
function remember(key, response) {
  recent.set(key, response);
  for (const old of recent.keys()) if (recent.size > 3) recent.delete(old);
}

// A page with the date it was saved and its title (for the offline page's list), and the
// files it links to (scripts, icons), unless they are saved already.
async function save(cache, key, response) {
  const html = await response.text();
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  const title = /<title>([^<]*)<\/title>/.exec(html);
  if (title) headers.set(TITLE, encodeURIComponent(title[1]));
  await cache.put(key, new Response(html, {status: response.status, statusText: response.statusText, headers}));
  const files = new Set();
  for (const match of html.matchAll(LINKED)) {
    const url = new URL(match[1].replace(/&amp;/g, "&"), key);
    if (inScope(url) && isAsset(url)) files.add(url.href);
  }
  await Promise.all([...files].map(async href => {
    if (await cache.match(href)) return;
    const file = await fetch(href);
    if (file.ok) await cache.put(href, file);
  }));
}

self.addEventListener("install", event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const required = PRECACHE.map(path => new URL(path, SCOPE).href);
    // Pages saved under an earlier build come along, in this build's text.
    const earlier = [];
    for (const name of await caches.keys()) {
      if (!name.startsWith(PREFIX) || name === CACHE) continue;
      for (const request of await (await caches.open(name)).keys()) {
        if (isPage(new URL(request.url)) && !required.includes(request.url)) earlier.push(request.url);
      }
    }
    await Promise.all(required.map(async key => {
      const response = await fetch(key, {cache: "no-cache"});
      if (!response.ok) throw new Error(`${key}: ${response.status}`);
      await save(cache, key, response);
    }));
    await Promise.allSettled(earlier.map(async key => {
      const response = await fetch(key, {cache: "no-cache"});
      if (response.ok) await save(cache, key, response);
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The saved copy, with a note at the top of the article saying so and when it was saved.
async function markedSaved(saved) {
  const when = new Date(saved.headers.get(SAVED_AT));
  const said = when.toLocaleString("en-GB", {day: "numeric", month: "long", year: "numeric",
                                             hour: "2-digit", minute: "2-digit"});
  const note = `<div class="admonition ttg-saved-copy" data-ttg-saved-copy="${when.toISOString()}">` +
    '<p class="admonition-title">Saved copy</p>' +
    `<p>No connection just now, so this is the copy saved on this device on <time datetime="${when.toISOString()}">${said}</time>. ` +
    "The site may have changed since. Reload the page when you are back online.</p></div>";
  const headers = new Headers(saved.headers);
  headers.delete("Content-Length");
  return new Response((await saved.text()).replace(ARTICLE, ARTICLE + note), {status: saved.status, headers});
}

async function page(event, url) {
  const key = pageKey(url.href);
  // Past the HTTP cache too: some hosts (GitHub Pages) let browsers keep pages for ten minutes,
  // and a new deploy's text must win whenever there is a connection. A navigation follows
  // redirects itself (redirect: "manual").
  const request = event.request.mode === "navigate"
    ? new Request(url.href, {cache: "no-cache", credentials: "same-origin", redirect: "manual"})
    : new Request(event.request, {cache: "no-cache"});
  const fromNetwork = fetch(request).then(response => {
    if (response.ok) {
      remember(key, response.clone());
      // A page already saved is kept up to date whenever it is read online.
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(async cache => (await cache.match(key)) && save(cache, key, copy)));
    }
    return response;
  });
  event.waitUntil(fromNetwork.catch(() => null));
  const late = new Promise(resolve => setTimeout(resolve, TIMEOUT_MS, null));
  const first = await Promise.race([fromNetwork.catch(() => null), late]);
  if (first) return first;
  const cache = await caches.open(CACHE);
  const saved = key !== offlinePage() && await cache.match(key);
  if (saved) return markedSaved(saved);
  const response = await fromNetwork.catch(() => null);  // slow, not gone: keep waiting
  if (response) return response;
  const purpose = event.request.headers.get("Sec-Purpose") || event.request.headers.get("Purpose") || "";
  if (purpose.includes("prefetch")) return Response.error();  // never keep the offline page as a prefetch
  return (await cache.match(offlinePage())) || Response.error();
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(request);
  if (saved) return saved;
  const response = await fetch(request);
  if (response.ok && FINGERPRINTED.test(new URL(request.url).pathname)) {
    const copy = response.clone();
    await cache.put(request, copy);
  }
  return response;
}

self.addEventListener("fetch", event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !inScope(url)) return;
  if (request.mode === "navigate" || isPage(url)) event.respondWith(page(event, url));
  else if (isAsset(url)) event.respondWith(file(request));
});

// offline.js: "the reader is reading this page", so it is saved (from the response just served
// when there is one). The answer tells the page it is saved.
self.addEventListener("message", event => {
  const data = event.data || {};
  if (data.type !== "save") return;
  const url = new URL(data.url);
  if (!inScope(url) || !isPage(url)) return;
  event.waitUntil((async () => {
    const key = pageKey(url.href);
    const cache = await caches.open(CACHE);
    const response = recent.get(key) || await fetch(key).catch(() => null);
    recent.delete(key);
    if (response && response.ok && key !== offlinePage()) await save(cache, key, response);
    event.source.postMessage({type: "saved", url: key, saved: Boolean(await cache.match(key))});
  })());
});
