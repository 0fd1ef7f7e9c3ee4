"""Our own CSS and JavaScript get a content hash in their names, as Material's files have
(site.css -> site.1a2b3c4d.css), so a host can tell browsers to keep them for a year: a changed
file gets a new name. Runs after the pages are final, before deploy_files.py writes the cache headers.

Every built page's reference to an asset is rewritten: URLs in attributes (href, src, data-src)
and strings in JSON data blocks (the theme's config names the search worker), read with the HTML
parser. The build fails, naming the file, if an asset a page loads is missing, or an asset is
built but no page refers to it (a stale name in a template).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .errors import BuildError
from .context import Build, read_html, set_text, write_html

# Site-relative path of each asset, as the templates refer to it.
ASSETS = (
    "assets/stylesheets/site.css",
    "assets/javascripts/site.js",
    "assets/javascripts/offline.js",
    "assets/javascripts/controls.js",
    "assets/javascripts/workers/ttg-search.js",
)
JSON_TYPES = ("application/json", "application/ld+json")


def fingerprinted_name(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return f"{path.stem}.{digest}{path.suffix}"


def url_pattern(name: str) -> re.Pattern:
    """The file name as the last part of a URL's path: after a '/', before the end, '?' or '#'."""
    return re.compile(rf"(?<=/){re.escape(name)}(?=$|[?#])")


def _rename_in_json(value, renames):
    """(new value, count) with every string in a JSON value renamed."""
    if isinstance(value, str):
        count = 0
        for pattern, new in renames:
            value, n = pattern.subn(new, value)
            count += n
        return value, count
    if isinstance(value, list):
        pairs = [_rename_in_json(v, renames) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        pairs = {k: _rename_in_json(v, renames) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    return value, 0


def script_json(data) -> str:
    """JSON for a <script> data block: '<', '>' and '&' escaped as Jinja's tojson does, so no
    string can end the element."""
    return (json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def rename_in_page(tree, renames) -> dict[str, int]:
    """Rewrite the references in one parsed page; the count per old name."""
    used: dict[str, int] = {}
    for node in tree.css("*"):
        for attribute, value in list(node.attributes.items()):
            if not value or attribute in ("class", "id") or attribute.startswith("aria-"):
                continue
            new_value = value
            for pattern, new, old in renames:
                new_value, n = pattern.subn(new, new_value)
                if n:
                    used[old] = used.get(old, 0) + n
            if new_value != value:
                node.attrs[attribute] = new_value
        if node.tag == "script" and (node.attributes.get("type") or "") in JSON_TYPES:
            try:
                data = json.loads(node.text() or "null")
            except ValueError:
                continue
            for pattern, new, old in renames:
                _, n = _rename_in_json(data, [(pattern, new)])
                if n:
                    used[old] = used.get(old, 0) + n
            renamed, count = _rename_in_json(data, [(p, n) for p, n, _ in renames])
            if count:
                set_text(node, script_json(renamed))
    return used


def run(build: Build) -> None:
    site = build.site
    renames = []
    for asset in ASSETS:
        source = site / asset
        new_name = fingerprinted_name(source) if source.is_file() else None
        renames.append((url_pattern(source.name), new_name, asset))
    used: dict[str, int] = {}
    for page in build.html_files():
        tree = read_html(page)
        # A missing asset keeps its name: its references are only counted.
        found = rename_in_page(tree, [(p, n or Path(a).name, a) for p, n, a in renames])
        if found:
            write_html(page, tree)
            for asset, n in found.items():
                used[asset] = used.get(asset, 0) + n
    for pattern, new_name, asset in renames:
        if new_name is None and used.get(asset):
            raise BuildError(f"overrides/theme/{asset}: missing, but the templates load it")
        if new_name is None:
            continue  # neither built nor loaded (the search step drops the worker a theme does not use)
        if not used.get(asset):
            raise BuildError(f"overrides/theme/{asset}: no built page refers to it; fix the template or this list")
        source = site / asset
        source.rename(source.with_name(new_name))
