"""Performance benchmark (run on demand with `make bench`; not a test).

One run, one machine:
1. builds the site (timed, plus synthetic copies with 10x and 50x the pages) and serves it
   gzip-compressed on 127.0.0.1;
2. builds two baselines from the same Markdown: stock Material (default theme config,
   font: false) and bare HTML (Python-Markdown into a minimal page, no CSS, no JavaScript);
3. runs Lighthouse (mobile preset, simulated throttling) on every page of all three;
4. prints a table and writes the same as JSON to tests/bench/results/.

Options: --pages N (first N pages only), --skip-scale, --variants ours,stock,bare
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
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
from helpers import CHROMIUM_ARGS, chromium_path, copy_project, html_pages, page_url  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


# --- serving like a static host: gzip for text -------------------------------------------------

class GzipHandler(http.server.SimpleHTTPRequestHandler):
    cache: dict = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in COMPRESSIBLE and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io
            return io.BytesIO(body)
        return super().send_head()


def serve(directory: Path):
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- building the three variants ----------------------------------------------------------------

def timed_build(project: Path, site: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(site)], cwd=project,
                            env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stdout}\n{result.stderr}")
    return elapsed


def build_ours(work: Path) -> tuple[Path, list[float]]:
    times = [timed_build(ROOT, work / f"ours-{i}") for i in range(3)]
    return work / "ours-0", times


def build_stock(work: Path) -> Path:
    """The same pages with a default Material configuration (font: false), no project hooks."""
    project = copy_project(work / "stock-project")
    shutil.rmtree(project / "overrides")
    shutil.copytree(ROOT / "overrides" / "snippets", project / "snippets")
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
    for md_file in sorted((ROOT / "docs").glob("*.md")):
        text = md_file.read_text()
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
            copy.write_text(page.read_text())
            nav.append(f"  - Copy {i} {page.stem}: {copy.name}\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "".join(nav))
    return timed_build(project, work / f"scale-{factor}-site")


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
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 10x/50x build timing")
    parser.add_argument("--variants", default="ours,stock,bare")
    args = parser.parse_args()
    if not (HERE / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)

    work = Path(tempfile.mkdtemp(prefix="ttg-bench-"))
    results: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": os.uname().nodename}
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
    for name, site in sites.items():
        server, url = serve(site)
        for path in paths:
            report = lighthouse(url + path, work / "lh.json")
            results["pages"].setdefault(path, {})[name] = report
            print(f"  {name:5} {path:35} perf {report['performance']:3}  LCP {report['lcp_ms']:5} ms", flush=True)
        server.shutdown()

    print_table(results)
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"bench-{dt.date.today()}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nJSON written to {out.relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)


def print_table(results: dict) -> None:
    header = (f"{'page':32} {'variant':7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
              f"{'FCP ms':>7} {'LCP ms':>7} {'KiB':>6} {'req':>4} {'LCP/bare':>8}")
    print("\n" + header + "\n" + "-" * len(header))
    totals: dict = {}
    for path, variants in results["pages"].items():
        bare_lcp = variants.get("bare", {}).get("lcp_ms")
        for name, r in variants.items():
            ratio = f"{r['lcp_ms'] / bare_lcp:.2f}" if bare_lcp else "-"
            print(f"{path:32} {name:7} {r['performance']:4} {r['accessibility']:4} {r['best_practices']:4} "
                  f"{r['seo']:4} {r['fcp_ms']:7} {r['lcp_ms']:7} {r['transfer_bytes'] / 1024:6.1f} "
                  f"{r['requests']:4} {ratio:>8}")
            t = totals.setdefault(name, {"pages": 0, "min_scores": 100, "max_kib": 0, "lcp": []})
            t["pages"] += 1
            t["min_scores"] = min(t["min_scores"], r["performance"], r["accessibility"], r["best_practices"], r["seo"])
            t["max_kib"] = max(t["max_kib"], r["transfer_bytes"] / 1024)
            t["lcp"].append(r["lcp_ms"])
    print()
    for name, t in totals.items():
        print(f"{name:6}: {t['pages']} pages, lowest Lighthouse score {t['min_scores']}, "
              f"largest first visit {t['max_kib']:.1f} KiB, median LCP {statistics.median(t['lcp']):.0f} ms")
    results["totals"] = {k: {**v, "lcp": None} for k, v in totals.items()}
    b = results["build_seconds"]
    print(f"build: median {b['median']} s over {len(b['runs'])} runs (includes starting Python)"
          + (f"; 10x pages {b['pages_x10']} s; 50x pages {b['pages_x50']} s" if "pages_x10" in b else ""))
    s = results["search_index"]
    print(f"search index: {s['bytes'] / 1024:.1f} KiB ({s['gzip_bytes'] / 1024:.1f} KiB gzip)")


if __name__ == "__main__":
    main()
