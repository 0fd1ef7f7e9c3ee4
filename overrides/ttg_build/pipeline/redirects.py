"""Shared links keep working after a page or section moves (see docs/_data/redirects.yml).

Works on every static host: each moved page gets a small HTML page with a meta refresh and a
canonical link (no script, so the CSP needs no hash), plus a `_redirects` file that hosts such
as Netlify and Cloudflare Pages turn into real 301s. A moved section keeps its old anchor as an
empty element beside the new heading (put into the built page, found with the HTML parser).
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

import yaml

from .errors import BuildError
from .context import Build, element, read_html, write_html

REDIRECTS = Path("_data") / "redirects.yml"
PAGE = re.compile(r"^/([a-z0-9-]+/)*$")
ANCHOR = re.compile(r"^(/(?:[a-z0-9-]+/)*)#([A-Za-z][\w-]*)$")
# What a moved section's new anchor may be: a heading, a definition, a block.
TARGETS = ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "div", "section")


def load_redirects(docs_dir) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    path = Path(docs_dir) / REDIRECTS
    where = f"docs/{REDIRECTS.as_posix()}"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if not isinstance(data, dict):
        raise BuildError(f"{where}: must be a mapping of old URL -> new URL")
    pages, anchors = {}, {}
    for old, new in data.items():
        old, new = str(old), str(new)
        if PAGE.match(old) and (PAGE.match(new) or ANCHOR.match(new)):
            pages[old] = new
        elif ANCHOR.match(old) and ANCHOR.match(new):
            old_page, old_id = ANCHOR.match(old).groups()
            new_page, new_id = ANCHOR.match(new).groups()
            if old_page != new_page:
                raise BuildError(f"{where}: {old} -> {new}: a section can only move within its "
                                 "page; redirect the page instead")
            anchors.setdefault(new_page, {})[old_id] = new_id
        else:
            raise BuildError(f"{where}: {old!r} -> {new!r} is not a site URL such as '/page/' "
                             "or '/page/#anchor'")
    return pages, anchors


def add_anchor_aliases(build: Build, page_url: str, aliases: dict[str, str]) -> None:
    source = build.source_of(page_url)
    where = f"docs/{source.relative_to(build.docs).as_posix()}" if source else page_url
    target_file = build.site / page_url.strip("/") / "index.html"
    tree = read_html(target_file) if target_file.is_file() else None
    article = tree.css_first("article") if tree else None
    for old_id, new_id in aliases.items():
        target = next((n for n in (article.css(f'[id="{new_id}"]') if article else []) if n.tag in TARGETS), None)
        if target is None:
            raise BuildError(f"{where}: redirect target #{new_id} does not exist "
                             f"(from docs/{REDIRECTS.as_posix()})")
        alias = element(f'<span id="{html.escape(old_id, quote=True)}" class="ttg-anchor-alias"></span>')
        target.insert_before(alias)
    if tree is not None and aliases:
        write_html(target_file, tree)


def redirect_page(url: str) -> str:
    url = html.escape(url, quote=True)
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Moved</title>\n<link rel="canonical" href="{url}">\n'
            f'<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url={url}">\n'
            f'</head>\n<body>\n<p>This page has moved to <a href="{url}">{url}</a>.</p>\n</body>\n</html>\n')


def run(build: Build) -> None:
    pages, anchors = load_redirects(build.docs)
    for page_url, aliases in sorted(anchors.items()):
        add_anchor_aliases(build, page_url, aliases)
    site = build.site
    base = build.site_url or "/"
    lines = []
    for old, new in sorted(pages.items()):
        target = site / old.strip("/") / "index.html"
        if target.exists():
            raise BuildError(f"docs/{REDIRECTS.as_posix()}: {old} is redirected but a page "
                             "still lives there; remove the redirect or the page")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(urljoin(base, new.lstrip("/"))), encoding="utf-8")
        lines.append(f"{old} {new} 301")
    (site / "_redirects").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
