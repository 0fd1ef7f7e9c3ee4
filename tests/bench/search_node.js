/* Fast search loop: the site's worker in Node, on every tests/data/search-queries*.yml set,
   scored as tests/bench/search.py scores the real search box (top-1, top-3, the answer in the
   first result's excerpt; "not covered" counts when the "We have no page about" line would show).
   Usage: node tests/bench/search_node.js [site dir] [--misses SET] [--excerpt SET] [--json]
   Besides the three scores it counts the covered queries shown the "We have no page about" line
   (false "no page"), which the scores alone would not catch.
   Needs a built site (mkdocs build) and python3 with PyYAML (the .venv's) to read the sets. */
"use strict";
const fs = require("fs"), path = require("path"), vm = require("vm"), cp = require("child_process");
const ROOT = path.resolve(__dirname, "..", "..");
const args = process.argv.slice(2);
const site = args[0] && !args[0].startsWith("--") ? path.resolve(args[0]) : path.join(ROOT, "site");
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const worker = process.env.WORKER || path.join(ROOT, "overrides/theme/assets/javascripts/workers/ttg-search.js");

function load() {
  let handler = null, last = null;
  const self = { addEventListener: (t, f) => { handler = f; }, postMessage: (m) => { last = m; } };
  vm.runInNewContext(fs.readFileSync(worker, "utf8"), { self, WeakMap, Math, Object, RegExp, JSON });
  const index = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8"));
  // WEIGHTS='{"opening": 0}' sets the worker's weights, as the tests do, to measure one rule off.
  if (process.env.WEIGHTS) index.config.weights = Object.assign(index.config.weights || {}, JSON.parse(process.env.WEIGHTS));
  handler({ data: { type: 0, data: index } });
  return (q) => { handler({ data: { type: 2, data: q } }); return last.data; };
}

const python = fs.existsSync(path.join(ROOT, ".venv/bin/python")) ? path.join(ROOT, ".venv/bin/python") : "python3";
const sets = JSON.parse(cp.execFileSync(python, ["-c", `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(ROOT, "tests/bench"))})
from pathlib import Path
import yaml
data = Path(${JSON.stringify(path.join(ROOT, "tests/data"))})
sets = {"tuning": yaml.safe_load((data / "search-queries.yml").read_text())}
for p in sorted(data.glob("search-queries-untouched*.yml"), key=lambda p: p.stem):
    sets[p.stem.removeprefix("search-queries-")] = yaml.safe_load(p.read_text()) or []
print(json.dumps(sets))`], { maxBuffer: 1 << 26 }).toString());

const norm = (t) => t.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
const decode = (h) => h.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

function found(search, q) {
  const data = search(q);
  const items = data.items || [];
  const urls = items.slice(0, 10).map((g) => "/" + g[0].location);
  const excerpt = items.length ? decode(items[0][0].text) : "";
  const notCovered = !!(q.trim() && (data.ttgUnknown || []).length);
  return { urls, excerpt, notCovered };
}

function rank(c, f) {
  if (c.expect === "not-covered") return f.notCovered ? 1 : null;
  const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
  const i = f.urls.findIndex((u) => expected.includes(u));
  return i >= 0 ? i + 1 : null;
}

const search = load();
const report = {};
for (const [name, qs] of Object.entries(sets)) {
  let top1 = 0, top3 = 0, named = 0, shown = 0;
  const misses = [], exMisses = [], falseNotCovered = [];
  for (const c of qs) {
    const f = found(search, c.query), r = rank(c, f);
    if (r === 1) top1++; if (r && r <= 3) top3++;
    // The "We have no page about" line above a covered query's answers is wrong, whatever the rank.
    if (c.expect !== "not-covered" && f.notCovered) falseNotCovered.push(c.query);
    if (r !== 1) misses.push({ q: c.query, expect: c.expect, got: f.urls.slice(0, 3), nc: f.notCovered, r });
    if (c.answer) {
      named++;
      const answers = Array.isArray(c.answer) ? c.answer : [c.answer];
      const ok = r === 1 && answers.some((a) => norm(f.excerpt).includes(norm(a)));
      if (ok) shown++; else exMisses.push({ q: c.query, answer: c.answer, excerpt: f.excerpt, r, expect: c.expect, got: f.urls[0] });
    }
  }
  report[name] = { n: qs.length, top1: top1 / qs.length, top3: top3 / qs.length, excerpt: shown / Math.max(1, named), named, misses, exMisses, falseNotCovered };
}
if (args.includes("--json")) { console.log(JSON.stringify(report)); process.exit(0); }
for (const [name, r] of Object.entries(report)) {
  console.log(`${name.padEnd(14)} n=${String(r.n).padStart(3)} first ${(100 * r.top1).toFixed(1).padStart(5)}%  top3 ${(100 * r.top3).toFixed(1).padStart(5)}%  excerpt ${(100 * r.excerpt).toFixed(1).padStart(5)}% of ${r.named}  false "no page" ${r.falseNotCovered.length}`);
}
const ms = opt("--misses"), ex = opt("--excerpt");
if (ms) for (const m of report[ms].misses) console.log("MISS", JSON.stringify(m));
if (ex) for (const m of report[ex].exMisses) console.log("EXC", JSON.stringify(m));
