"""Our own CSS and JavaScript get a content hash in their names, as Material's files have
(site.css -> site.1a2b3c4d.css), so a host can tell browsers to keep them for a year: a changed
file gets a new name. Runs after the build, before deploy_files.py writes the cache headers.

Every built page's reference to an asset is rewritten; the build fails, naming the file, if an
asset is missing or no page refers to it (a stale name in a template).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

# Site-relative path of each asset, as the templates refer to it.
ASSETS = (
    "assets/stylesheets/site.css",
    "assets/javascripts/site.js",
    "assets/javascripts/offline.js",
    "assets/javascripts/workers/ttg-search.js",
)


def fingerprinted_name(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return f"{path.stem}.{digest}{path.suffix}"


def on_post_build(config):
    site = Path(config.site_dir)
    pages = sorted(site.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    for asset in ASSETS:
        source = site / asset
        if not source.is_file():
            raise PluginError(f"overrides/theme/{asset}: missing, but the templates load it")
        new_name = fingerprinted_name(source)
        old_name = source.name
        # The name as it appears in a page: after a '/' and before a quote or '?'.
        pattern = re.compile(rf"(?<=/){re.escape(old_name)}(?=[\"'?])")
        used = False
        for page, text in texts.items():
            text, count = pattern.subn(new_name, text)
            if count:
                texts[page], used = text, True
        if not used:
            raise PluginError(f"overrides/theme/{asset}: no built page refers to it; fix the template or this list")
        source.rename(source.with_name(new_name))
    for page, text in texts.items():
        page.write_text(text, encoding="utf-8")
