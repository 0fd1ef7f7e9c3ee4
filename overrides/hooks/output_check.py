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
- build sources (Python, Markdown, YAML, fonts, the snippets) were published.

It reads only the built site, `docs/` and `docs/_data/triage.yml`, with an HTML parser, so it runs
the same after MkDocs, ProperDocs or Zensical:

    python overrides/hooks/output_check.py site [--docs docs]

and as an MkDocs hook, after every other step of `mkdocs build` (not `mkdocs serve`: the live
preview leaves out the CSP and host files on purpose).
"""
from __future__ import annotations

import argparse
import html.parser
import re
import sys
from pathlib import Path

import yaml

HOST_FILES = ("_headers", "_redirects", "robots.txt", "sitemap.xml", "404.html")
# What only the build reads: publishing it leaks sources and bloats the site.
SOURCE_SUFFIXES = {".py", ".pyc", ".md", ".yml", ".yaml", ".ttf", ".otf"}
SOURCE_DIRS = {"hooks", "snippets", "_data", "__pycache__"}
CITATION = re.compile(r"\[@[\w:.\-]+")
# A build marker: an HTML comment naming a step ("<!-- triage-card: emergency -->"), lower-case
# words joined by hyphens, then a colon or the end. Prose comments do not look like this.
MARKER = re.compile(r"<!--\s*([a-z]+(?:-[a-z]+)+)\s*(?::[^>]*)?-->")
CARD_MARKER = re.compile(r"^<!-- triage-card: ([a-z0-9-]+)( compact)? -->", re.M)
CHECK_MARKER = re.compile(r"^<!-- triage-check -->", re.M)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class _Page(html.parser.HTMLParser):
    """What the check needs from one page: visible text (outside code, scripts and styles), the
    ids and classes present, comments, meta tags, and the text inside each element with an id."""

    SKIP = {"script", "style", "pre", "code", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.comments: list[str] = []
        self.metas: list[dict] = []
        self.classes: list[set[str]] = []
        self.ids: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None, bool]] = []  # tag, id, skipping

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.metas.append(attrs)
        self.classes.append(set((attrs.get("class") or "").split()))
        if tag in self.VOID:
            return
        skipping = tag in self.SKIP or bool(self._open and self._open[-1][2])
        element_id = attrs.get("id")
        if element_id:
            self.ids.setdefault(element_id, [])
        self._open.append((tag, element_id, skipping))

    def handle_endtag(self, tag):
        if tag in self.VOID or all(open_tag != tag for open_tag, _, _ in self._open):
            return  # a stray end tag closes nothing
        while self._open:
            open_tag = self._open.pop()[0]
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open and self._open[-1][2]:
            return
        self.text.append(data)
        for _, element_id, _ in self._open:
            if element_id:
                self.ids[element_id].append(data)

    def handle_comment(self, data):
        self.comments.append(f"<!--{data}-->")

    def text_of(self, element_id: str) -> str:
        return " ".join("".join(self.ids.get(element_id, [])).split())

    def has_class(self, *names: str) -> bool:
        return any(set(names) <= classes for classes in self.classes)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def front_matter(source: Path) -> dict:
    match = FRONT_MATTER.match(source.read_text(encoding="utf-8"))
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def built_page(site: Path, docs: Path, source: Path) -> Path:
    """Where a Markdown page lands with directory URLs: docs/causes.md -> site/causes/index.html."""
    rel = source.relative_to(docs).with_suffix("")
    if rel.name == "index":
        return site / rel.parent / "index.html"
    return site / rel / "index.html"


def is_redirect_stub(text: str) -> bool:
    return 'http-equiv="refresh"' in text


def page_problems(site: Path, path: Path) -> list[str]:
    name = path.relative_to(site).as_posix()
    text = path.read_text(encoding="utf-8")
    if is_redirect_stub(text):
        return []
    page = parse(path)
    problems = []
    visible = " ".join("".join(page.text).split())
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


def share_image_problems(site: Path, pages: list[Path], site_url: str | None) -> list[str]:
    """Every og:image must be a file of this site (the link preview a reader's friend sees)."""
    problems = []
    prefix = site_url.rstrip("/") + "/" if site_url else None
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if is_redirect_stub(text):
            continue
        for url in re.findall(r'<meta property="og:image" content="([^"]+)"', text):
            rel = url[len(prefix):] if prefix and url.startswith(prefix) else None
            if rel is None or not (site / rel).is_file():
                problems.append(f"{path.relative_to(site).as_posix()}: share image {url} is not in the site")
    return problems


def site_url_of(site: Path) -> str | None:
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return None
    match = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
    return match.group(1) if match else None


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
    pages = sorted(p for p in site.rglob("*.html") if not (set(p.relative_to(site).parts[:-1]) & SOURCE_DIRS))
    for path in pages:
        problems += page_problems(site, path)
    for source in sorted(docs.rglob("*.md")):
        if source.relative_to(docs).parts[0].startswith("_"):
            continue
        meta = front_matter(source)
        target = built_page(site, docs, source)
        if meta.get("medical") and target.is_file() and 'class="ttg-references' not in target.read_text(encoding="utf-8"):
            problems.append(f"{target.relative_to(site).as_posix()}: a medical page with no Sources list "
                            f"(docs/{source.relative_to(docs).as_posix()} has medical: true)")
    problems += share_image_problems(site, pages, site_url_of(site))
    problems += triage_problems(site, docs)
    problems += published_source_problems(site)
    return problems


def report(problems: list[str]) -> str:
    return (f"The built site is not fit to publish ({len(problems)} problems):\n  "
            + "\n  ".join(problems))


# --- as an MkDocs hook: after every other post-build step ------------------------------------

_serving = {"on": False}


def on_startup(command, dirty):
    _serving["on"] = command == "serve"


try:  # the hook's priority needs MkDocs; the command-line check does not
    from mkdocs.plugins import event_priority
except ImportError:  # pragma: no cover - run without MkDocs installed
    def event_priority(_priority):
        return lambda function: function


@event_priority(-1000)
def on_post_build(config):
    if _serving["on"]:
        return
    from mkdocs.exceptions import PluginError

    problems = check_site(Path(config["site_dir"]), Path(config["docs_dir"]))
    if problems:
        raise PluginError(report(problems))


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
