"""Fast development run of the search worker (not a test, not the shipped number).

Runs the worker in node (tests/bench/search_node.js) over an already built site's index, on the
same query sets and with the same scoring as tests/bench/search.py, which types the queries into
the real search box in Chromium and gives the numbers the README reports. Use this while tuning;
use search.py to measure.

    PYTHONPATH=overrides .venv/bin/mkdocs build --strict   # once per change to pages or build code
    .venv/bin/python tests/bench/search_quick.py [--site site] [--set NAME] [--misses]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from search import SETS, first_search_bytes, score  # noqa: E402

WORKER = ROOT / "overrides" / "theme" / "assets" / "javascripts" / "workers" / "ttg-search.js"


def run(site: Path, queries: list[str], worker: Path = WORKER, weights: dict | None = None) -> list[dict]:
    payload = {"index": str(site / "search" / "search_index.json"), "worker": str(worker), "queries": queries,
               "weights": weights or {}}
    done = subprocess.run(["node", str(HERE / "search_node.js")], input=json.dumps(payload),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--set", action="append", help="only this set (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list the misses")
    parser.add_argument("--weights", default="{}", help='weights to try, as JSON: {"intent": 1.5}')
    parser.add_argument("--query", action="append", help="show the top five for this query (repeatable)")
    args = parser.parse_args()
    site = Path(args.site)
    if args.query:
        for q, f in zip(args.query, run(site, args.query, weights=json.loads(args.weights))):
            print(f"{q!r}{' (not covered line)' if f['notCovered'] else ''}")
            for url, sc in list(zip(f["urls"], f["scores"]))[:5]:
                print(f"   {sc:8.2f} {url}")
            print(f"   excerpt: {f['excerpt'][:200]!r}")
        return
    names = args.set or list(SETS)
    for name in names:
        queries = SETS[name]
        found = run(site, [q["query"] for q in queries], weights=json.loads(args.weights))
        s = score(queries, found)
        times = sorted(f["ms"] for f in found)
        print(f"{name:13} top-1 {s['top1']:4.0%}  top-3 {s['top3']:4.0%}  excerpt {s['excerpt_answers']:4.0%}"
              f" (of {s['excerpt_answers_of']})  not covered {s['not_covered_shown']}/{s['not_covered_of']}"
              f"  false 'not covered' {len(s['false_not_covered'])}  node p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms")
        if args.misses:
            for m in s["misses"]:
                print(f"  MISS {m['query']!r}: expected {m['expect']}, got {m['got']}"
                      + (" (not covered line)" if m["not_covered_line"] else ""))
            for m in s["excerpt_misses"]:
                print(f"  EXCERPT {m['query']!r}: {m['answer']!r} not in {m['excerpt']!r}")
            if s["false_not_covered"]:
                print(f"  FALSE NOT COVERED {s['false_not_covered']}")
    print(f"first search {first_search_bytes(site) / 1024:.1f} KB gzip")


if __name__ == "__main__":
    main()
