"""Search benchmark (run on demand with `make bench`; not a test).

Measures the shipped search (the site's own records, cut from each page's HTML by
overrides/hooks/search.py, searched by overrides/assets/javascripts/workers/ttg-search.js) in
the real search box, on two query sets, reported separately:

- tuning: tests/data/search-queries.yml, the queries the weights were chosen on;
- untouched: tests/data/search-queries-untouched.yml, 120 lay queries written blind and given
  their expected sections before any was searched; never tuned against, never edited;
- every other tests/data/search-queries-untouched*.yml (a later blind set, such as
  search-queries-untouched-2.yml), each reported as its own set under the rest of its name.

For each set: top-1 and top-3 (the expected section first, or in the first three; a query the
site does not cover counts as answered when the "We have no page about ..." line shows), the
answering sentence visible in the first result's excerpt (over the queries that name one), and
"not covered" lines shown for covered queries. For all queries: bytes fetched for the first
search (compressed, as served with gzip) and the time from the last keystroke to the rendered
results (median and p95).

--baseline REF also builds the project at a git commit (for example the last one that searched
with Material's lunr behind the worker) and measures it on the same sets. --pagefind also
measures Pagefind (installed on demand into the project's .venv; untuned, over each page's
<article>, not shipped). Writes tests/bench/results/search-<timestamp>.json and prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from helpers import CHROMIUM_ARGS, chromium_path  # noqa: E402
from run import serve, timed_build  # noqa: E402  (gzip server and build from the page benchmark)

PAGEFIND = "pagefind[bin]==1.5.2"
DATA = ROOT / "tests" / "data"


def query_sets(data: Path = DATA) -> dict[str, list[dict]]:
    """The tuning set, then each untouched set (search-queries-untouched*.yml), by name: a new
    blind set dropped into tests/data is measured and reported on its own, with no change here."""
    sets = {"tuning": yaml.safe_load((data / "search-queries.yml").read_text())}
    for path in sorted(data.glob("search-queries-untouched*.yml"), key=lambda p: p.stem):
        sets[path.stem.removeprefix("search-queries-")] = yaml.safe_load(path.read_text()) or []
    return sets


SETS = query_sets()
NOT_COVERED = "not-covered"

OURS_QUERY = """async (query) => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  input.value = '';
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  await new Promise(r => setTimeout(r, 50));
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  await new Promise(resolve => {
    const done = () => (list.children.length || /No matching/.test(meta.textContent)) && resolve();
    new MutationObserver(done).observe(list, {childList: true});
    new MutationObserver(done).observe(meta, {childList: true, characterData: true, subtree: true});
  });
  const ms = performance.now() - start;
  await new Promise(r => setTimeout(r, 30));
  const items = [...list.querySelectorAll('.md-search-result__item')];
  const urls = items.slice(0, 10)
    .map(li => { const u = new URL(li.querySelector('a').href); return u.pathname + u.hash; });
  const first = items[0] && items[0].querySelector('a article');
  const excerpt = first ? [...first.querySelectorAll('p:not(.ttg-search-page)')].map(p => p.innerText).join(' ') : '';
  const notice = document.querySelector('.ttg-search-notice');
  return {ms, urls, excerpt, notCovered: !!notice && /We have no page about/.test(notice.innerText)};
}"""

PAGEFIND_QUERY = """async (query) => {
  const pf = window.__pf || (window.__pf = await import('/pagefind/pagefind.js'));
  await pf.init();
  const start = performance.now();
  const search = await pf.search(query);
  const pages = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  const ms = performance.now() - start;
  // Section-first like ours: each page's best-matching section (most matched words).
  const best = pages.map(p => {
    const subs = (p.sub_results || []).slice().sort((a, b) => (b.locations || []).length - (a.locations || []).length);
    return subs.length ? subs[0] : p;
  });
  const urls = best.map(s => {
    const u = new URL(s.url, location.href);
    return u.pathname.replace(/index\\.html$/, '') + u.hash;
  });
  const excerpt = best.length ? best[0].excerpt.replace(/<[^>]+>/g, '') : '';
  return {ms, urls, excerpt, notCovered: false};
}"""


def ensure_pagefind() -> list[str]:
    python = str(Path(sys.executable))
    probe = subprocess.run([python, "-m", "pagefind", "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"Installing {PAGEFIND} into the project's .venv for this benchmark...")
        subprocess.run([python, "-m", "pip", "install", "--quiet", PAGEFIND], check=True)
    return [python, "-m", "pagefind"]


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def rank(case: dict, found: dict) -> int | None:
    """1-based rank of the expected answer, or None."""
    if case["expect"] == NOT_COVERED:
        return 1 if found["notCovered"] else None
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    return next((i + 1 for i, url in enumerate(found["urls"]) if url in expected), None)


def score(queries: list[dict], results: list[dict]) -> dict:
    ranks = [rank(c, f) for c, f in zip(queries, results)]
    n = max(1, len(ranks))
    named = [(c, f, r) for c, f, r in zip(queries, results, ranks) if c.get("answer")]
    def shows(c, f):
        return any(norm(a) in norm(f["excerpt"]) for a in (c["answer"] if isinstance(c["answer"], list) else [c["answer"]]))
    answered = [c["query"] for c, f, r in named if r == 1 and shows(c, f)]
    covered = [(c, f) for c, f in zip(queries, results) if c["expect"] != NOT_COVERED]
    return {
        "queries": n,
        "top1": sum(r == 1 for r in ranks) / n,
        "top3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "excerpt_answers": len(answered) / max(1, len(named)),
        "excerpt_answers_of": len(named),
        "false_not_covered": [c["query"] for c, f in covered if f["notCovered"]],
        "not_covered_shown": sum(f["notCovered"] for c, f in zip(queries, results) if c["expect"] == NOT_COVERED),
        "not_covered_of": sum(c["expect"] == NOT_COVERED for c in queries),
        "misses": [{"query": c["query"], "expect": c["expect"], "got": f["urls"][:3], "not_covered_line": f["notCovered"]}
                   for c, f, r in zip(queries, results, ranks) if r != 1],
        "excerpt_misses": [{"query": c["query"], "answer": c["answer"], "excerpt": f["excerpt"][:160]}
                           for c, f, r in named if c["query"] not in answered],
    }


def measure(site: Path, engine: str) -> dict:
    from playwright.sync_api import sync_playwright

    script = OURS_QUERY if engine == "ours" else PAGEFIND_QUERY
    server, origin = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            fetched: dict[str, int] = {}
            page.on("requestfinished", lambda r: fetched.__setitem__(r.url, r.sizes()["responseBodySize"]))
            page.goto(origin + "/", wait_until="networkidle")
            if engine == "ours":
                page.locator("body").press("/")
                page.wait_for_function("() => !/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
            results = {}
            for name, queries in SETS.items():
                results[name] = [page.evaluate(script, q["query"]) for q in queries]
                if "search_bytes" not in results:
                    results["search_bytes"] = sum(size for url, size in fetched.items()
                                                  if "/search/" in url or "/workers/" in url or "/pagefind/" in url)
            browser.close()
    finally:
        server.shutdown()
    timed = sorted(((f["ms"], q["query"]) for name in SETS for q, f in zip(SETS[name], results[name])), reverse=True)
    times = sorted(ms for ms, _ in timed)
    report = {name: score(SETS[name], results[name]) for name in SETS}
    # The page's request events do not see the worker's own fetch: count the index and the worker
    # script as files, gzip-compressed as a host serves them (level 6).
    report["first_search_bytes"] = first_search_bytes(site) if engine == "ours" else results["search_bytes"]
    report["first_search_bytes_seen_by_page"] = results["search_bytes"]
    report["median_ms"] = statistics.median(times)
    report["p95_ms"] = times[int(0.95 * (len(times) - 1))]
    report["slowest"] = [{"query": q, "ms": round(ms, 1)} for ms, q in timed[:5]]
    return report


def first_search_bytes(site: Path) -> int:
    files = [site / "search" / "search_index.json", *(site / "assets" / "javascripts" / "workers").glob("ttg-search*.js")]
    return sum(len(gzip.compress(f.read_bytes(), compresslevel=6)) for f in files)


def build_at(ref: str, work: Path) -> Path:
    """The project as it was at a git commit, built into work/site."""
    source = work / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    timed_build(source, work / "site")
    return work / "site"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REF", help="also measure the project at this git commit")
    parser.add_argument("--pagefind", action="store_true", help="also measure Pagefind (not shipped)")
    args = parser.parse_args()
    # Timings on a shared machine: the load average says how busy it was while they were taken.
    report = {"date": dt.datetime.now().isoformat(timespec="seconds"), "load_average": os.getloadavg(), "engines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        timed_build(ROOT, site)
        report["engines"]["ours (own records + worker, shipped)"] = measure(site, "ours")
        if args.baseline:
            old = build_at(args.baseline, Path(tmp) / "baseline")
            report["engines"][f"baseline at {args.baseline}"] = measure(old, "ours")
        if args.pagefind:
            pagefind = ensure_pagefind()
            other = Path(tmp) / "pagefind-site"
            shutil.copytree(site, other)
            subprocess.run(pagefind + ["--site", str(other), "--root-selector", "article"],
                           check=True, capture_output=True)
            report["engines"]["Pagefind 1.5.2 (untuned, not shipped)"] = measure(other, "pagefind")
    print(f"\nload average while measuring (1, 5, 15 min): {report['load_average']}")
    print(f"\n{'engine':40} {'set':13} {'top-1':>6} {'top-3':>6} {'MRR':>5} {'excerpt':>8} "
          f"{'not covered':>11} {'first search':>13} {'median':>7} {'p95':>7}")
    for name, r in report["engines"].items():
        for set_name in SETS:
            s = r[set_name]
            shown = f"{s['not_covered_shown']}/{s['not_covered_of']}"
            print(f"{name:40} {set_name:13} {s['top1']:6.0%} {s['top3']:6.0%} {s['mrr']:5.2f} "
                  f"{s['excerpt_answers']:8.0%} {shown:>11} {r['first_search_bytes'] / 1024:10.1f} KB "
                  f"{r['median_ms']:5.1f}ms {r['p95_ms']:5.1f}ms")
    ours = report["engines"]["ours (own records + worker, shipped)"]
    for set_name in SETS:
        s = ours[set_name]
        print(f"\n{set_name}: {len(s['misses'])} not first; 'not covered' shown for covered queries: "
              f"{s['false_not_covered'] or 'none'}")
        for m in s["misses"]:
            print(f"  {m['query']!r}: expected {m['expect']}, got {m['got']}"
                  + (" (with the 'not covered' line)" if m["not_covered_line"] else ""))
        print(f"  excerpt without the answer ({len(s['excerpt_misses'])} of {s['excerpt_answers_of']}):")
        for m in s["excerpt_misses"]:
            print(f"    {m['query']!r}: {m['answer']!r} not in {m['excerpt']!r}")
    out = HERE / "results" / f"search-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
