"""Search benchmark (run on demand with `make bench`; not a test).

Measures the shipped search (Material's lunr worker wrapped by
overrides/assets/javascripts/workers/ttg-search.js) and the engine we did not ship (Pagefind,
untuned, run over each page's <article>) on the same lay queries, tests/data/search-queries.yml:

- ranking: share of queries with the expected section first (top-1), in the first three (top-3),
  and mean reciprocal rank (MRR, over the first ten results);
- bytes fetched for the first search (compressed, as served with gzip);
- time from the last keystroke to results: for ours, until the result list is rendered; for
  Pagefind, until its API has returned the first three results' data (no UI is drawn, so this
  flatters Pagefind a little).

Pagefind is installed on demand into the project's .venv (pip package `pagefind[bin]`, pinned
below); it is not part of the site or the test suite. Pass --skip-pagefind to measure ours only.
Writes tests/bench/results/search-<timestamp>.json and prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
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
QUERIES = yaml.safe_load((ROOT / "tests" / "data" / "search-queries.yml").read_text())

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
  const urls = [...list.querySelectorAll('.md-search-result__item')].slice(0, 10)
    .map(li => { const u = new URL(li.querySelector('a').href); return u.pathname + u.hash; });
  return {ms, urls};
}"""

PAGEFIND_QUERY = """async (query) => {
  const pf = window.__pf || (window.__pf = await import('/pagefind/pagefind.js'));
  await pf.init();
  const start = performance.now();
  const search = await pf.search(query);
  const pages = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  const ms = performance.now() - start;
  // Section-first like ours: each page's best-matching section (most matched words).
  const urls = pages.map(p => {
    const subs = (p.sub_results || []).slice().sort((a, b) => (b.locations || []).length - (a.locations || []).length);
    const u = new URL(subs.length ? subs[0].url : p.url, location.href);
    return u.pathname.replace(/index\\.html$/, '') + u.hash;
  });
  return {ms, urls};
}"""


def ensure_pagefind() -> list[str]:
    python = str(Path(sys.executable))
    probe = subprocess.run([python, "-m", "pagefind", "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"Installing {PAGEFIND} into the project's .venv for this benchmark...")
        subprocess.run([python, "-m", "pip", "install", "--quiet", PAGEFIND], check=True)
    return [python, "-m", "pagefind"]


def score(results: list[dict]) -> dict:
    ranks = []
    for case, found in zip(QUERIES, results):
        urls = found["urls"]
        ranks.append(urls.index(case["expect"]) + 1 if case["expect"] in urls else None)
    n = len(ranks)
    return {
        "queries": n,
        "top1": sum(r == 1 for r in ranks) / n,
        "top3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "median_ms": statistics.median(f["ms"] for f in results),
        "p95_ms": sorted(f["ms"] for f in results)[int(0.95 * (n - 1))],
        "misses": [c["query"] for c, r in zip(QUERIES, ranks) if r != 1],
    }


def measure(site: Path, engine: str) -> dict:
    from playwright.sync_api import sync_playwright

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
                page.wait_for_function("!/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
                first = page.evaluate(OURS_QUERY, QUERIES[0]["query"])
            else:
                first = page.evaluate(PAGEFIND_QUERY, QUERIES[0]["query"])
            search_bytes = sum(size for url, size in fetched.items()
                               if "/search/" in url or "/workers/" in url or "/pagefind/" in url)
            results = [first] + [page.evaluate(OURS_QUERY if engine == "ours" else PAGEFIND_QUERY, q["query"])
                                 for q in QUERIES[1:]]
            browser.close()
    finally:
        server.shutdown()
    return {**score(results), "first_search_bytes": search_bytes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pagefind", action="store_true")
    args = parser.parse_args()
    report = {"date": dt.datetime.now().isoformat(timespec="seconds"), "engines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        timed_build(ROOT, site)
        report["engines"]["ours (lunr, shipped)"] = measure(site, "ours")
        if not args.skip_pagefind:
            pagefind = ensure_pagefind()
            other = Path(tmp) / "pagefind-site"
            shutil.copytree(site, other)
            subprocess.run(pagefind + ["--site", str(other), "--root-selector", "article"],
                           check=True, capture_output=True)
            report["engines"]["Pagefind 1.5.2 (untuned, not shipped)"] = measure(other, "pagefind")
    print(f"\n{'engine':40} {'top-1':>6} {'top-3':>6} {'MRR':>5} {'first search':>13} {'median':>7} {'p95':>7}")
    for name, r in report["engines"].items():
        print(f"{name:40} {r['top1']:6.0%} {r['top3']:6.0%} {r['mrr']:5.2f} "
              f"{r['first_search_bytes'] / 1024:10.0f} KB {r['median_ms']:5.0f}ms {r['p95_ms']:5.0f}ms")
    out = HERE / "results" / f"search-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
