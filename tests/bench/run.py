"""Performance benchmark (run on demand with `make bench`; not a test).

One run, one machine:
1. builds the site (timed, plus synthetic copies with 10x and 50x the pages) and serves it
   gzip-compressed on 127.0.0.1;
2. builds two baselines from the same Markdown: stock Material (default theme config,
   font: false) and bare HTML (Python-Markdown into a minimal page, no CSS, no JavaScript);
3. runs Lighthouse (mobile preset, simulated throttling) on every page of all three;
4. prints a table and writes the same as JSON to tests/bench/results/.

5. measures a second page view with a warm cache (what goes over the network, with the site's
   `_headers` cache rules served), and a slow network (400 kbit/s, 400 ms latency): when the
   emergency card's text is first painted on the home and warning-signs pages.

Lighthouse and the slow network run the variants one after the other, page by page and run by
run, so a busy spell of the machine falls on all of them; the load average is reported.

Options: --pages N (first N pages only), --skip-scale, --skip-lighthouse, --lighthouse-runs N
(medians over N runs), --variants ours,stock,bare, --slow-all (the slow network on every page),
--slow-runs N (slow-network loads per page and variant; default 5)
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from helpers import CHROMIUM_ARGS, cache_rules, chromium_path, copy_project, html_pages, page_url  # noqa: E402
from ttg_build.citations import LABELS_MARKER, LABELS_PAGE  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "overrides"), os.environ.get("PYTHONPATH", "")]))}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


# --- serving like a static host: gzip for text -------------------------------------------------

def site_cache_rules(site: Path) -> dict[str, str]:
    """The site's `_headers` cache rules, served as a static host would."""
    headers = site / "_headers"
    return cache_rules(headers.read_text()) if headers.exists() else {}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip for text, the site's `_headers` cache rules, ETag revalidation (304)."""
    cache: dict = {}
    rules: dict = {}
    sent: list = []  # bytes of every 200 answered (what the service worker fetches counts too)

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser closed the connection (a navigation moved on)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        raw = path.read_bytes()
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        url_path = self.path.split("?")[0].split("#")[0]
        cache_control = self.rules.get(url_path)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            if cache_control:
                self.send_header("Cache-Control", cache_control)
            self.end_headers()
            return None
        gzipped = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        body = raw
        if gzipped:
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(raw, 6)
        self.sent.append(len(body))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        if cache_control:
            self.send_header("Cache-Control", cache_control)
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path):
    handler = functools.partial(type("Handler", (GzipHandler,), {"cache": {}, "sent": [], "rules": site_cache_rules(directory)}),
                                directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.sent = handler.func.sent
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- building the three variants ----------------------------------------------------------------

def timed_build(project: Path, site: Path) -> float:
    # The project's own build package first: a copy at another commit (search.py --baseline) must
    # not build with this checkout's (the environment's ttg-build.pth points here).
    env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(project / "overrides"), os.environ.get("PYTHONPATH", "")]))}
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(site)], cwd=project,
                            env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stdout}\n{result.stderr}")
    return elapsed


def build_ours(work: Path) -> tuple[Path, list[float]]:
    times = [timed_build(ROOT, work / f"ours-{i}") for i in range(3)]
    return work / "ours-0", times


def triage_renderer():
    """The site's triage step as a function (Markdown -> Markdown with the warning-sign cards and
    the check rendered from docs/_data/triage.yml), so both baselines carry the same cards."""
    sys.path.insert(0, str(ROOT / "overrides"))
    from ttg_build import triage

    tiers, check = triage.triage_for(ROOT / "docs")
    return lambda markdown, where: triage.render_markers(markdown, tiers, where, check)


def build_stock(work: Path) -> Path:
    """The same pages with a default Material configuration (font: false), no project hooks."""
    project = copy_project(work / "stock-project")
    shutil.rmtree(project / "overrides")
    shutil.copytree(ROOT / "overrides" / "snippets", project / "snippets")
    render = triage_renderer()
    for md_file in (project / "docs").glob("*.md"):
        md_file.write_text(render(md_file.read_text(), md_file.name))
    config = (ROOT / "mkdocs.yml").read_text()
    nav = config[config.index("\nnav:"):]
    (project / "mkdocs.yml").write_text(
        "site_name: Thigh Twitch Guide\nsite_url: https://thigh-twitch.example.org/\n"
        "exclude_docs: |\n  _data/\n"
        "theme:\n  name: material\n  font: false\n"
        "markdown_extensions: [abbr, admonition, attr_list, md_in_html, footnotes, tables, def_list,"
        " toc, pymdownx.details, pymdownx.superfences,"
        " {pymdownx.snippets: {base_path: [snippets], auto_append: [disclaimer.md, abbreviations.md]}}]\n"
        + nav)
    timed_build(project, work / "stock")
    return work / "stock"


def build_bare(work: Path) -> Path:
    """The same Markdown through Python-Markdown into a minimal page: no CSS, no JavaScript."""
    import markdown
    import yaml

    out = work / "bare"
    render = triage_renderer()
    for md_file in sorted((ROOT / "docs").glob("*.md")):
        text = render(md_file.read_text(), md_file.name)
        match = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
        meta = yaml.safe_load(match.group(1)) if match else {}
        body = markdown.markdown(
            text[match.end():] if match else text,
            extensions=["abbr", "admonition", "attr_list", "md_in_html", "tables", "def_list", "toc",
                        "pymdownx.snippets"],
            extension_configs={"pymdownx.snippets": {"base_path": [str(ROOT / "overrides" / "snippets")],
                                                     "auto_append": ["disclaimer.md", "abbreviations.md"]}})
        slug = md_file.stem
        target = out / "index.html" if slug == "index" else out / slug / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{meta.get('title', 'Thigh Twitch Guide')}</title>\n"
            f"<meta name=\"description\" content=\"{meta.get('description', '')}\">\n"
            f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
    return out


def build_scaled(work: Path, factor: int) -> float:
    """A synthetic copy with `factor` times the pages, to show how build time grows."""
    project = copy_project(work / f"scale-{factor}")
    docs = project / "docs"
    originals = [p for p in sorted(docs.glob("*.md")) if p.stem != "index"]
    nav = []
    for i in range(1, factor):
        for page in originals:
            copy = docs / f"copy{i}-{page.name}"
            # Only the real About page explains the evidence labels: a copy's marker would stay
            # in its page, and the output check refuses a page with a build marker left in it.
            text = page.read_text()
            copy.write_text(text.replace(LABELS_MARKER, "") if page.name == LABELS_PAGE else text)
            nav.append(f"  - Copy {i} {page.stem}: {copy.name}\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "".join(nav))
    # Each copy cites what its original cites, so it needs the same claim notes.
    import yaml
    bib_file = docs / "_data" / "bibliography.yml"
    bib = yaml.safe_load(bib_file.read_text())
    for entry in bib.values():
        notes = entry.get("supports") or {}
        for slug, note in list(notes.items()):
            for i in range(1, factor):
                if (docs / f"copy{i}-{slug}.md").exists():
                    notes[f"copy{i}-{slug}"] = note
    bib_file.write_text(yaml.safe_dump(bib, allow_unicode=True, sort_keys=False))
    return timed_build(project, work / f"scale-{factor}-site")


# --- a second page view, and a slow network (Chromium through Playwright and CDP) ---------------

def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def second_view(url: str, first: str, second: str) -> dict:
    """Open `first` cold, then `second` as a new page load with the cache warm: what goes over
    the network for the second (requests answered from the cache do not count; a 304 does)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        # The site's service worker would answer the second view itself (and fetch in its own
        # target, unseen here): measure the HTTP cache alone; offline_first_visit() counts the worker.
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        fetched: dict = {}
        bytes_by_id: dict = {}
        served_from_cache: set = set()
        recording = {"on": False}

        def on_response(event):
            r = event["response"]
            if recording["on"] and event["requestId"] not in served_from_cache and not (r.get("fromDiskCache") or r.get("fromMemoryCache")
                                        or r.get("fromPrefetchCache") or r.get("fromServiceWorker")):
                fetched[event["requestId"]] = f"{r['status']} {r['url'].replace(url, '')}"

        cdp.on("Network.responseReceived", on_response)
        # A memory-cache hit is reported by this event, not by a flag on the response.
        cdp.on("Network.requestServedFromCache", lambda e: fetched.pop(e["requestId"], None) or
               served_from_cache.add(e["requestId"]))
        cdp.on("Network.loadingFinished", lambda e: bytes_by_id.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(url + first, wait_until="networkidle")
        recording["on"] = True
        page.goto(url + second, wait_until="networkidle")
        page.wait_for_timeout(500)
        browser.close()
    return {"requests": sorted(fetched.values()),
            "bytes": sum(bytes_by_id.get(i, 0) for i in fetched)}


# The emergency card's title, as both our site and the bare twin render it.
CARD_TITLE = re.compile(r'(<div class="admonition emergency(?: [^"]*)?">\s*<p class="admonition-title")')


def mark_emergency_card(site: Path, paths: list[str], required: tuple[str, ...] = ("/", "/warning-signs/")) -> set[str]:
    """Give the emergency card's title an `elementtiming` attribute (in the bench's copy only), so
    the browser reports when its text is first painted. The pages that have one; the required
    ones must."""
    marked = set()
    for path in paths:
        page = site / path.strip("/") / "index.html" if path != "/" else site / "index.html"
        html = page.read_text(encoding="utf-8")
        if not CARD_TITLE.search(html):
            if path in required:
                raise SystemExit(f"no emergency card on {path} in {site}")
            continue
        page.write_text(CARD_TITLE.sub(r'\1 elementtiming="emergency-card"', html, count=1), encoding="utf-8")
        marked.add(path)
    return marked


SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8, "uploadThroughput": 400 * 1024 / 8}


def slow_network(url: str, path: str, card: bool = True) -> dict:
    """A cold load over about 400 kbit/s with 400 ms latency: when the emergency card's text is
    first painted, first contentful paint, and the browser's own Largest Contentful Paint (under
    real throttling, where Lighthouse only simulates it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 412, "height": 2400}, service_workers="block")
        context.add_init_script("""
            window.__card = null;
            new PerformanceObserver(list => list.getEntries().forEach(e => {
              if (e.identifier === 'emergency-card' && window.__card === null) window.__card = e.renderTime || e.loadTime;
            })).observe({type: 'element', buffered: true});
            window.__lcp = 0;
            new PerformanceObserver(list => list.getEntries().forEach(e => { window.__lcp = e.startTime; }))
              .observe({type: 'largest-contentful-paint', buffered: true});""")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW)
        page.goto(url + path, wait_until="load", timeout=180000)
        if card:
            page.wait_for_function("() => window.__card !== null", timeout=60000)
        card = page.evaluate("window.__card") or 0
        fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        lcp = page.evaluate("window.__lcp")
        browser.close()
    return {"card_ms": round(card), "fcp_ms": round(fcp or 0), "lcp_ms": round(lcp or 0)}


def offline_first_visit(server, url: str, path: str) -> dict | None:
    """A first visit with the service worker: everything the host sends until the worker has
    saved the page for offline reading (the page, its files, and the pages saved in advance)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        page = context.new_page()
        server.sent.clear()
        page.goto(url + path, wait_until="load")
        if not page.evaluate("'serviceWorker' in navigator && !!document.querySelector('script[data-src*=offline]')"):
            browser.close()
            return None  # a site without the worker
        page.wait_for_function("p => document.documentElement.getAttribute('data-ttg-offline-saved') === p",
                               arg=path, timeout=60000)
        total = sum(server.sent)
        browser.close()
    return {"bytes": total}


# --- Lighthouse ---------------------------------------------------------------------------------

def lighthouse(url: str, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    cmd = [str(HERE / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
           f"--output-path={out}", f"--chrome-flags={flags}",
           "--only-categories=performance,accessibility,best-practices,seo"]
    subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": chromium_path()},
                   capture_output=True, timeout=240)
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "best_practices": round(report["categories"]["best-practices"]["score"] * 100),
        "seo": round(report["categories"]["seo"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        # What holds the performance score down when FCP and LCP are fast.
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "speed_index_ms": round(audits["speed-index"]["numericValue"]),
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def median_report(reports: list[dict]) -> dict:
    """Each figure's median over the runs (scores too), and the runs' FCP and LCP."""
    out = {key: statistics.median(r[key] for r in reports) for key in reports[0]}
    out = {key: round(value, 3) if key == "cls" else round(value) if isinstance(value, float) else value
           for key, value in out.items()}
    out["runs"] = len(reports)
    out["fcp_runs"] = [r["fcp_ms"] for r in reports]
    out["lcp_runs"] = [r["lcp_ms"] for r in reports]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 10x/50x build timing")
    parser.add_argument("--variants", default="ours,stock,bare")
    parser.add_argument("--slow-all", action="store_true",
                        help="the slow network on every page, not only home and warning signs (the browser's own LCP)")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only the second view and the slow network")
    parser.add_argument("--slow-runs", type=int, default=5, metavar="N",
                        help="slow-network loads per page and variant, interleaved (medians; default 5)")
    parser.add_argument("--lighthouse-runs", type=int, default=1, metavar="N",
                        help="Lighthouse N times per page and variant (the median of each figure is reported)")
    args = parser.parse_args()
    if not (HERE / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)

    work = Path(tempfile.mkdtemp(prefix="ttg-bench-"))
    results: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": os.uname().nodename,
                     "slow_runs": args.slow_runs}
    ours, times = build_ours(work)
    results["build_seconds"] = {"runs": [round(t, 2) for t in times], "median": round(statistics.median(times), 2)}
    if not args.skip_scale:
        results["build_seconds"]["pages_x10"] = round(build_scaled(work, 10), 2)
        results["build_seconds"]["pages_x50"] = round(build_scaled(work, 50), 2)
    index = ours / "search" / "search_index.json"
    results["search_index"] = {"bytes": index.stat().st_size, "gzip_bytes": len(gzip.compress(index.read_bytes(), 6))}

    sites = {"ours": ours}
    if "stock" in args.variants:
        sites["stock"] = build_stock(work)
    if "bare" in args.variants:
        sites["bare"] = build_bare(work)
    paths = [page_url(ours, p) for p in html_pages(ours) if p.name == "index.html"]
    if args.pages:
        paths = paths[: args.pages]

    results["pages"] = {}
    results["second_view"] = {}
    results["slow_network"] = {}
    results["load_average"] = {"start": os.getloadavg()}
    slow_paths = paths if args.slow_all else [p for p in ("/", "/warning-signs/") if p in paths]
    servers, carded = {}, {}
    for name, site in sites.items():
        carded[name] = mark_emergency_card(site, slow_paths)
        servers[name] = serve(site)
    # Each page's variants one after the other, run after run, so that a busy spell of the
    # machine falls on all of them alike; medians over the runs.
    if not args.skip_lighthouse:
        for path in paths:
            for run in range(args.lighthouse_runs):
                for name, (server, url) in servers.items():
                    report = lighthouse(url + path, work / "lh.json")
                    results["pages"].setdefault(path, {}).setdefault(name, []).append(report)
                    print(f"  {name:5} {path:35} perf {report['performance']:3}  FCP {report['fcp_ms']:5} ms"
                          f"  LCP {report['lcp_ms']:5} ms", flush=True)
        for path, variants in results["pages"].items():
            for name, reports in variants.items():
                variants[name] = median_report(reports)
    for name, (server, url) in servers.items():
        results["second_view"][name] = second_view(url, "/", "/causes/")
        offline = offline_first_visit(server, url, "/causes/")
        if offline:
            results.setdefault("offline_first_visit", {})[name] = offline
    for path in slow_paths:
        runs: dict = {}
        for _ in range(args.slow_runs):
            for name, (server, url) in servers.items():
                # The card is waited for on the two pages it leads; elsewhere it may sit folded
                # (the check's steps) and is read only if it painted by the load event.
                wait = path in carded[name] and path in ("/", "/warning-signs/")
                runs.setdefault(name, []).append(slow_network(url, path, wait))
        for name, measured in runs.items():
            results["slow_network"].setdefault(path, {})[name] = {
                "card_ms": statistics.median(r["card_ms"] for r in measured),
                "fcp_ms": statistics.median(r["fcp_ms"] for r in measured),
                "lcp_ms": statistics.median(r["lcp_ms"] for r in measured),
                "card_runs": [r["card_ms"] for r in measured]}
    for server, _ in servers.values():
        server.shutdown()
    results["load_average"]["end"] = os.getloadavg()

    print_table(results)
    print_extra(results)
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"bench-{dt.date.today()}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nJSON written to {out.relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)


def print_extra(results: dict) -> None:
    print("\nSecond page view, warm cache (/ then /causes/): what goes over the network")
    for name, r in results["second_view"].items():
        print(f"  {name:6} {len(r['requests'])} request(s), {r['bytes'] / 1024:.1f} KiB: {', '.join(r['requests'])}")
    for name, r in results.get("offline_first_visit", {}).items():
        print(f"\nFirst visit to /causes/ with the offline worker ({name}): {r['bytes'] / 1024:.1f} KiB sent by the host "
              "until the page is saved (the page, its files, and the warning signs, the check and the offline page)")
    print(f"\nSlow network (400 kbit/s, 400 ms latency), cold, median of {results['slow_runs']}: emergency card text first painted")
    for path, variants in results["slow_network"].items():
        bare = variants.get("bare", {})
        for name, r in variants.items():
            ratio = "  ".join(f"{label} {r[key] / bare[key]:.2f}x" for label, key in
                              (("card", "card_ms"), ("FCP", "fcp_ms"), ("LCP", "lcp_ms")) if r.get(key) and bare.get(key))
            print(f"  {path:16} {name:6} card {r['card_ms']:6.0f} ms  FCP {r['fcp_ms']:6.0f} ms  "
                  f"LCP {r.get('lcp_ms', 0):6.0f} ms  {ratio} (of bare)"
                  f"  (runs: {', '.join(str(c) for c in r.get('card_runs', []))})")
    load = results.get("load_average", {})
    if load:
        print(f"\nLoad average (1, 5, 15 min): start {', '.join(f'{v:.1f}' for v in load['start'])}; "
              f"end {', '.join(f'{v:.1f}' for v in load.get('end', ()))}")


def print_table(results: dict) -> None:
    header = (f"{'page':32} {'variant':7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
              f"{'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>6} {'CLS':>5} {'KiB':>6} {'req':>4} {'FCP/bare':>8} {'LCP/bare':>8}")
    print("\n" + header + "\n" + "-" * len(header))
    totals: dict = {}
    for path, variants in results["pages"].items():
        bare_lcp = variants.get("bare", {}).get("lcp_ms")
        bare_fcp = variants.get("bare", {}).get("fcp_ms")
        for name, r in variants.items():
            ratio = f"{r['lcp_ms'] / bare_lcp:.2f}" if bare_lcp else "-"
            fcp_ratio = f"{r['fcp_ms'] / bare_fcp:.2f}" if bare_fcp else "-"
            print(f"{path:32} {name:7} {r['performance']:4} {r['accessibility']:4} {r['best_practices']:4} "
                  f"{r['seo']:4} {r['fcp_ms']:7} {r['lcp_ms']:7} {r.get('tbt_ms', '-'):>6} {r.get('cls', '-'):>5} "
                  f"{r['transfer_bytes'] / 1024:6.1f} "
                  f"{r['requests']:4} {fcp_ratio:>8} {ratio:>8}")
            t = totals.setdefault(name, {"pages": 0, "min_scores": 100, "max_kib": 0, "lcp": [], "fcp_ratios": [], "lcp_ratios": []})
            if bare_fcp and bare_lcp:
                t["fcp_ratios"].append(round(r["fcp_ms"] / bare_fcp, 2))
                t["lcp_ratios"].append(round(r["lcp_ms"] / bare_lcp, 2))
            t["pages"] += 1
            t["min_scores"] = min(t["min_scores"], r["performance"], r["accessibility"], r["best_practices"], r["seo"])
            t["max_kib"] = max(t["max_kib"], r["transfer_bytes"] / 1024)
            t["lcp"].append(r["lcp_ms"])
    print()
    for name, t in totals.items():
        print(f"{name:6}: {t['pages']} pages, lowest Lighthouse score {t['min_scores']}, "
              f"largest first visit {t['max_kib']:.1f} KiB, median LCP {statistics.median(t['lcp']):.0f} ms")
        if t["fcp_ratios"] and name != "bare":
            print(f"        FCP/bare {min(t['fcp_ratios']):.2f}-{max(t['fcp_ratios']):.2f} "
                  f"({sum(x <= 1.2 for x in t['fcp_ratios'])} of {len(t['fcp_ratios'])} within 1.2x); "
                  f"LCP/bare {min(t['lcp_ratios']):.2f}-{max(t['lcp_ratios']):.2f} "
                  f"({sum(x <= 1.2 for x in t['lcp_ratios'])} of {len(t['lcp_ratios'])} within 1.2x)")
    results["totals"] = {k: {**v, "lcp": None} for k, v in totals.items()}
    b = results["build_seconds"]
    print(f"build: median {b['median']} s over {len(b['runs'])} runs (includes starting Python)"
          + (f"; 10x pages {b['pages_x10']} s; 50x pages {b['pages_x50']} s" if "pages_x10" in b else ""))
    s = results["search_index"]
    print(f"search index: {s['bytes'] / 1024:.1f} KiB ({s['gzip_bytes'] / 1024:.1f} KiB gzip)")


if __name__ == "__main__":
    main()
