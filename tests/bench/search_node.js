/* Development harness for the search worker (not shipped, not a test): runs
   overrides/theme/assets/javascripts/workers/ttg-search.js in node over a built index, as the
   search box would, for fast iteration. The shipped numbers come from tests/bench/search.py
   (the real search box in Chromium). Driven by tests/bench/search_quick.py.

   stdin: {"index": path to search_index.json, "worker": path, "queries": [string], "weights": {...}}
   stdout: [{urls, excerpt, notCovered, ms}] in the same order. */
"use strict";
const fs = require("fs");
const vm = require("vm");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
let listener = null, reply = null;
const self = {
  addEventListener: (type, fn) => { if (type === "message") listener = fn; },
  postMessage: (message) => { reply = message; },
};
vm.runInNewContext(fs.readFileSync(input.worker, "utf8"), { self, WeakMap, Math, JSON, Object, RegExp });
const send = (type, data) => { reply = null; listener({ data: { type, data } }); return reply; };
const index = JSON.parse(fs.readFileSync(input.index, "utf8"));
// Weights to try (the worker reads them from the index's config, as tests do).
if (input.weights) index.config.weights = Object.assign({}, index.config.weights || {}, input.weights);
send(0, index);

// What the reader sees of an excerpt: the text without its marks, entities read.
const text = (html) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&lt;/g, "<")
  .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
// Material's default query transform (quotes and operator characters go, the end is trimmed).
const transform = (q) => q.split(/"([^"]+)"/g).map((t, i) => (i & 1 ? t.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +") : t))
  .join("").replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "").trim();

const out = input.queries.map((q) => {
  const start = process.hrtime.bigint();
  const data = send(2, transform(q)).data;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const items = data.items || [];
  return {
    ms,
    urls: items.slice(0, 10).map((r) => r[0].location.replace(/^(?!\/)/, "/")),
    scores: items.slice(0, 10).map((r) => Math.round(r[0].score * 100) / 100),
    excerpt: items.length ? text(items[0][0].text) : "",
    notCovered: !!(data.ttgUnknown && data.ttgUnknown.length),
  };
});
process.stdout.write(JSON.stringify(out));
