"""The URL ledger: every page URL and section anchor ever published (tests/data/url-ledger.txt),
including the results of the check (/check/#result-<tier>), which readers share and print.

    make ledger     # add the current pages and explicit {#anchors}; never removes a line

A published URL must keep working: tests/test_urls.py fails if a ledger entry no longer
resolves in the built site and no redirect for it is declared in docs/_data/redirects.yml.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LEDGER = ROOT / "tests" / "data" / "url-ledger.txt"
EXPLICIT_ID = re.compile(r"\{[^}]*#([A-Za-z][\w-]*)[^}]*\}")
SECTION_ID = re.compile(r'<section\b[^>]*\bid="([A-Za-z][\w-]*)"')
CHECK_MARKER = "<!-- triage-check -->"
TRIAGE = DOCS / "_data" / "triage.yml"
HEADER = ("# Published URLs: pages and explicit section anchors. Lines are only ever added\n"
          "# (make ledger). To move or remove one, declare a redirect in docs/_data/redirects.yml.\n")


def page_url(markdown: Path) -> str:
    rel = markdown.relative_to(DOCS).with_suffix("").as_posix()
    if rel == "index":
        return "/"
    return "/" + (rel[: -len("/index")] if rel.endswith("/index") else rel) + "/"


def current_urls() -> list[str]:
    """The site's pages and every explicit {#id} anchor, from the Markdown sources."""
    urls = []
    for md in sorted(DOCS.rglob("*.md")):
        if any(part.startswith("_") for part in md.relative_to(DOCS).parts):
            continue
        url = page_url(md)
        urls.append(url)
        text = re.sub(r"\A---\n.*?\n---\n", "", md.read_text(encoding="utf-8"), flags=re.S)
        urls += [f"{url}#{anchor}" for anchor in EXPLICIT_ID.findall(text) + SECTION_ID.findall(text)]
        if CHECK_MARKER in text:  # the check's results are shared and printed: their URLs stay
            import yaml

            urls += [f"{url}#result-{tier['id']}" for tier in yaml.safe_load(TRIAGE.read_text())["tiers"]]
    return urls


def read_ledger(path: Path = LEDGER) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def update(path: Path = LEDGER) -> list[str]:
    known = read_ledger(path)
    added = [url for url in current_urls() if url not in known]
    path.write_text(HEADER + "".join(u + "\n" for u in known + added))
    return added


if __name__ == "__main__":
    new = update()
    print(f"{len(new)} URL(s) added to {LEDGER.relative_to(ROOT)}" + ("".join(f"\n  {u}" for u in new)))
    sys.exit(0)
