"""The last step of every build: refuse to publish half a page.

A generator that skips our build code (Zensical ignores MkDocs hooks, for one) still "succeeds",
and the check page then says "call the emergency number now: ." with the numbers gone. So the
finished site itself is read, whatever made it, and the build fails, naming the page and the
problem, when:

- a citation ([@key]) or a build marker (<!-- triage-card: ... -->) is still in a page;
- a medical page (front matter `medical: true`) has no Sources list;
- the check lacks a question or a tier result, or a result lacks that tier's numbers;
- a page that asks for warning-sign cards lacks them;
- a page has no Content-Security-Policy;
- a host file (_headers, _redirects, robots.txt, sitemap.xml, 404.html) or a page's share image
  is missing;
- the offline service worker has no build stamp, or the site has no search index;
- build sources (Python, Markdown, YAML, fonts, the snippets, the build package) were published.

It reads only the built site, `docs/` and `docs/_data/triage.yml`, with an HTML5 parser
(selectolax), so it runs the same after MkDocs, ProperDocs or Zensical: as the last step of the
post-build pipeline (runner.py; not under `mkdocs serve`: the live preview leaves out the CSP on
purpose), or on its own:

    python overrides/ttg_build/pipeline/output_check.py site [--docs docs]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser

HOST_FILES = ("_headers", "_redirects", "robots.txt", "sitemap.xml", "404.html")
# What only the build reads: publishing it leaks sources and bloats the site.
SOURCE_SUFFIXES = {".py", ".pyc", ".md", ".yml", ".yaml", ".ttf", ".otf"}
SOURCE_DIRS = {"hooks", "snippets", "_data", "__pycache__", "ttg_build"}
CITATION = re.compile(r"\[@[\w:.\-]+")
# A build marker: an HTML comment naming a step ("<!-- triage-card: emergency -->"), lower-case
# words joined by hyphens, then a colon or the end. Prose comments do not look like this.
MARKER = re.compile(r"<!--\s*([a-z]+(?:-[a-z]+)+)\s*(?::[^>]*)?-->")
CARD_MARKER = re.compile(r"^<!-- triage-card: ([a-z0-9-]+)( compact)? -->", re.M)
CHECK_MARKER = re.compile(r"^<!-- triage-check -->", re.M)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
WORKER = "offline-worker.js"
SEARCH_INDEX = "search/search_index.json"


class _Page:
    """What the check needs from one page, read with the HTML5 parser: visible text (outside code,
    scripts and styles), the ids and classes present, comments, meta tags, and the text inside
    each element with an id."""

    SKIP = ["script", "style", "pre", "code", "template"]

    def __init__(self, markup: str):
        tree = LexborHTMLParser(markup)
        self.comments = [node.html for node in tree.root.traverse(include_text=True)
                         if node.is_comment_node]
        self.metas = [dict(node.attributes) for node in tree.css("meta")]
        self.classes = [set((node.attributes.get("class") or "").split()) for node in tree.css("[class]")]
        self.ids = {node.attributes["id"] for node in tree.css("[id]") if node.attributes.get("id")}
        tree.strip_tags(self.SKIP)  # what a reader sees as text
        self._visible = tree
        self.text = tree.root.text(deep=True, separator="") if tree.root else ""

    def text_of(self, element_id: str) -> str:
        node = next((n for n in self._visible.css("[id]") if n.attributes.get("id") == element_id), None)
        return " ".join(node.text(deep=True, separator="").split()) if node is not None else ""

    def has_class(self, *names: str) -> bool:
        return any(set(names) <= classes for classes in self.classes)

    def meta_content(self, **match: str) -> list[str]:
        return [m.get("content") or "" for m in self.metas
                if all((m.get(k) or "").lower() == v.lower() for k, v in match.items())]


def parse(path: Path) -> _Page:
    return _Page(path.read_text(encoding="utf-8"))


def front_matter(source: Path) -> dict:
    match = FRONT_MATTER.match(source.read_text(encoding="utf-8"))
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def built_page(site: Path, docs: Path, source: Path) -> Path:
    """Where a Markdown page lands with directory URLs: docs/causes.md -> site/causes/index.html."""
    rel = source.relative_to(docs).with_suffix("")
    if rel.name == "index":
        return site / rel.parent / "index.html"
    return site / rel / "index.html"


def is_redirect_stub(page: _Page) -> bool:
    return bool(page.meta_content(**{"http-equiv": "refresh"}))


def page_problems(site: Path, path: Path, page: _Page) -> list[str]:
    name = path.relative_to(site).as_posix()
    if is_redirect_stub(page):
        return []
    problems = []
    visible = " ".join(page.text.split())
    for citation in sorted(set(CITATION.findall(visible))):
        problems.append(f"{name}: a raw citation {citation}] is in the text (the citations step did not run)")
    for comment in page.comments:
        marker = MARKER.match(comment)
        if marker:
            problems.append(f"{name}: the build marker '{comment}' is still in the page ({marker.group(1)} did not run)")
    if not any((m.get("http-equiv") or "").lower() == "content-security-policy" for m in page.metas):
        problems.append(f"{name}: no Content-Security-Policy (the deploy step did not run)")
    image = next((m.get("content") for m in page.metas if m.get("property") == "og:image"), None)
    if image is None:
        problems.append(f"{name}: no share image (og:image)")
    return problems


def share_image_problems(site: Path, pages: dict[Path, _Page], site_url: str | None) -> list[str]:
    """Every og:image must be a file of this site (the link preview a reader's friend sees)."""
    problems = []
    prefix = site_url.rstrip("/") + "/" if site_url else None
    for path, page in pages.items():
        if is_redirect_stub(page):
            continue
        for url in (u for u in page.meta_content(property="og:image") if u):
            rel = url[len(prefix):] if prefix and url.startswith(prefix) else None
            if rel is None or not (site / rel).is_file():
                problems.append(f"{path.relative_to(site).as_posix()}: share image {url} is not in the site")
    return problems


def site_url_of(site: Path) -> str | None:
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return None
    try:
        root = ElementTree.fromstring(sitemap.read_bytes())
    except ElementTree.ParseError:
        return None
    loc = next((el.text for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc" and el.text), None)
    return loc.strip() if loc else None


def triage_problems(site: Path, docs: Path) -> list[str]:
    """The check has every question and tier result, each result its numbers; every page that
    asks for warning-sign cards has them."""
    data_file = docs / "_data" / "triage.yml"
    if not data_file.is_file():
        return []
    data = yaml.safe_load(data_file.read_text(encoding="utf-8")) or {}
    tiers = {t["id"]: t for t in data.get("tiers", [])}
    problems = []
    for source in sorted(docs.rglob("*.md")):
        markdown = source.read_text(encoding="utf-8")
        cards = CARD_MARKER.findall(markdown)
        check = CHECK_MARKER.search(markdown)
        if not cards and not check:
            continue
        target = built_page(site, docs, source)
        name = target.relative_to(site).as_posix()
        if not target.is_file():
            problems.append(f"{name}: missing (from docs/{source.relative_to(docs).as_posix()})")
            continue
        page = parse(target)
        for tier_id, _compact in cards:
            card_type = (tiers.get(tier_id) or {}).get("card")
            if card_type and not page.has_class("admonition", card_type):
                problems.append(f"{name}: the '{tier_id}' warning-sign card is missing")
        if check:
            questions = (data.get("check") or {}).get("questions") or []
            for question in questions:
                if question.get("id") not in page.ids:
                    problems.append(f"{name}: the check's question #{question.get('id')} is missing")
            for tier_id, tier in tiers.items():
                result = f"result-{tier_id}"
                if result not in page.ids:
                    problems.append(f"{name}: the check's result #{result} is missing")
                    continue
                shown = page.text_of(result)
                for number in tier.get("numbers") or []:
                    digits = str(number.get("number") if isinstance(number, dict) else number)
                    if digits not in shown:
                        problems.append(f"{name}: the check's result #{result} does not show the number {digits}")
    return problems


def pipeline_problems(site: Path) -> list[str]:
    """What the pipeline's own steps leave that nothing above reads: the offline worker's build
    stamp and the search records."""
    problems = []
    worker = site / WORKER
    if not worker.is_file():
        problems.append(f"{WORKER}: missing (the service worker for offline reading)")
    elif "__TTG_BUILD__" in worker.read_text(encoding="utf-8"):
        problems.append(f"{WORKER}: no build stamp (the offline step did not run)")
    if not (site / "offline.html").is_file():
        problems.append("offline.html: missing (the offline step did not run)")
    index = site / SEARCH_INDEX
    if not index.is_file():
        problems.append(f"{SEARCH_INDEX}: missing (the search step did not run)")
    else:
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
        except ValueError as error:
            problems.append(f"{SEARCH_INDEX}: not valid JSON ({error})")
        else:
            docs = data.get("docs") if isinstance(data, dict) else None
            if not docs or not all(isinstance(d, dict) and "blocks" in d for d in docs):
                problems.append(f"{SEARCH_INDEX}: no search records (the search step did not run)")
    return problems


def published_source_problems(site: Path) -> list[str]:
    problems = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_dir() and path.name in SOURCE_DIRS:
            problems.append(f"{rel.as_posix()}/: a build folder was published")
        elif path.is_file() and path.suffix in SOURCE_SUFFIXES and not (set(rel.parts[:-1]) & SOURCE_DIRS):
            problems.append(f"{rel.as_posix()}: a build source file was published")
    return problems


def check_site(site: Path, docs: Path) -> list[str]:
    """Every problem found in a built site, one line each, naming the file."""
    site, docs = Path(site), Path(docs)
    if not (site / "index.html").is_file():
        return [f"{site}: no index.html (is this a built site?)"]
    problems = [f"{name}: missing (a static host needs it)" for name in HOST_FILES if not (site / name).is_file()]
    # Every page a reader can land on: index.html files, 404.html, offline.html (redirect stubs
    # are skipped in page_problems).
    paths = sorted(p for p in site.rglob("*.html") if not (set(p.relative_to(site).parts[:-1]) & SOURCE_DIRS))
    pages = {path: parse(path) for path in paths}
    for path, page in pages.items():
        problems += page_problems(site, path, page)
    for source in sorted(docs.rglob("*.md")):
        if source.relative_to(docs).parts[0].startswith("_"):
            continue
        meta = front_matter(source)
        target = built_page(site, docs, source)
        if meta.get("medical") and target in pages and not pages[target].has_class("ttg-references"):
            problems.append(f"{target.relative_to(site).as_posix()}: a medical page with no Sources list "
                            f"(docs/{source.relative_to(docs).as_posix()} has medical: true)")
    problems += share_image_problems(site, pages, site_url_of(site))
    problems += triage_problems(site, docs)
    problems += pipeline_problems(site)
    problems += published_source_problems(site)
    return problems


def report(problems: list[str]) -> str:
    return (f"The built site is not fit to publish ({len(problems)} problems):\n  "
            + "\n  ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Refuse a built site that is not fit to publish.")
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the Markdown sources (default: docs)")
    args = parser.parse_args(argv)
    problems = check_site(args.site, args.docs)
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    print(f"output check: {args.site} is fit to publish")
    return 0


if __name__ == "__main__":
    sys.exit(main())
