"""Shared links keep working after a page or section moves (see docs/_data/redirects.yml).

Works on every static host: each moved page gets a small HTML page with a meta refresh and a
canonical link (no script, so the CSP needs no hash), plus a `_redirects` file that hosts such
as Netlify and Cloudflare Pages turn into real 301s. A moved section keeps its old anchor as an
empty element beside the new heading.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

import yaml
from mkdocs.exceptions import PluginError

REDIRECTS = Path("_data") / "redirects.yml"
PAGE = re.compile(r"^/([a-z0-9-]+/)*$")
ANCHOR = re.compile(r"^(/(?:[a-z0-9-]+/)*)#([A-Za-z][\w-]*)$")

_state: dict = {"pages": {}, "anchors": {}}


def load_redirects(docs_dir: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    path = Path(docs_dir) / REDIRECTS
    where = f"docs/{REDIRECTS.as_posix()}"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if not isinstance(data, dict):
        raise PluginError(f"{where}: must be a mapping of old URL -> new URL")
    pages, anchors = {}, {}
    for old, new in data.items():
        old, new = str(old), str(new)
        if PAGE.match(old) and (PAGE.match(new) or ANCHOR.match(new)):
            pages[old] = new
        elif ANCHOR.match(old) and ANCHOR.match(new):
            old_page, old_id = ANCHOR.match(old).groups()
            new_page, new_id = ANCHOR.match(new).groups()
            if old_page != new_page:
                raise PluginError(f"{where}: {old} -> {new}: a section can only move within its "
                                  "page; redirect the page instead")
            anchors.setdefault(new_page, {})[old_id] = new_id
        else:
            raise PluginError(f"{where}: {old!r} -> {new!r} is not a site URL such as '/page/' "
                              "or '/page/#anchor'")
    return pages, anchors


def on_config(config):
    _state["pages"], _state["anchors"] = load_redirects(config.docs_dir)
    return config


def on_page_content(html_text, page, config, files):
    aliases = _state["anchors"].get("/" + page.url, {})
    for old_id, new_id in aliases.items():
        target = re.search(rf'<(h[1-6]|dt|div|section)\b[^>]*\bid="{re.escape(new_id)}"', html_text)
        if not target:
            raise PluginError(f"docs/{page.file.src_uri}: redirect target #{new_id} does not exist "
                              f"(from docs/{REDIRECTS.as_posix()})")
        html_text = (html_text[: target.start()] + f'<span id="{old_id}" class="ttg-anchor-alias"></span>'
                     + html_text[target.start():])
    return html_text


def on_post_build(config):
    site = Path(config.site_dir)
    base = config.site_url or "/"
    lines = []
    for old, new in sorted(_state["pages"].items()):
        if (site / old.strip("/") / "index.html").exists():
            raise PluginError(f"docs/{REDIRECTS.as_posix()}: {old} is redirected but a page "
                              "still lives there; remove the redirect or the page")
        absolute = urljoin(base, new.lstrip("/"))
        target = site / old.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        url = html.escape(absolute, quote=True)
        target.write_text(
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Moved</title>\n<link rel="canonical" href="{url}">\n'
            f'<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url={url}">\n'
            f'</head>\n<body>\n<p>This page has moved to <a href="{url}">{url}</a>.</p>\n</body>\n</html>\n',
            encoding="utf-8")
        lines.append(f"{old} {new} 301")
    (site / "_redirects").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
