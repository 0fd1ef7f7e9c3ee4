"""Three scripts and tags in every page that no reader needs, left out or written once.

- Material's scope script names the site's root relative to the page ("." on the home page, ".."
  one level down, "/" on the 404 page), so its text, and its hash in the CSP, differed by depth:
  every page's policy listed three hashes for it (about 90 bytes gzip a page, where a page of
  about 14 KiB gzip or less loads in one simulated round trip; README, "Performance benchmark").
  Here the root goes in an attribute, `<script data-ttg-scope="..">`, and the script reads it, so
  its text, and its one hash, are the same on every page.
- The generator's `<meta name="generator">`, which tells a reader's browser nothing.
- Material's content-tabs script (it ticks the tab a link's #anchor names), on a page with no
  content tabs: the site has none, so it cost every page about 70 bytes gzip and its hash in the
  CSP about 50 more. A page that has tabs keeps it.

`run(build)` needs only the built site; it runs after whitespace and before deploy_files (which
hashes the final scripts).
"""
from __future__ import annotations

import html
import json
import re

from .context import Build, rewrite_pages

SCOPE = re.compile(r'<script>__md_scope=new URL\(("(?:[^"\\]|\\.)*"),location\)')
SHARED_SCOPE = '<script data-ttg-scope="{}">__md_scope=new URL(document.currentScript.dataset.ttgScope,location)'
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">\n?')
TABS_SCRIPT = re.compile(r'<script>[^<]*"__tabbed_"[^<]*</script>\n?')
TABS = re.compile(r'class="[^"]*\btabbed-set\b')


def rewrite(text: str) -> str:
    text = SCOPE.sub(lambda m: SHARED_SCOPE.format(html.escape(json.loads(m.group(1)), quote=True)), text)
    text = GENERATOR.sub("", text)
    return text if TABS.search(text) else TABS_SCRIPT.sub("", text)


def run(build: Build) -> None:
    rewrite_pages(build.site, rewrite)
