"""Offline reading (issue 24): the offline page and the service worker's build stamp.

- `site/offline.html` is the built 404 page (the theme's shell, with absolute links, as every
  generator renders 404.html) with its title, a noindex tag and its article replaced by
  offline.html beside this file, because the service worker serves it at whatever address the
  reader asked for when that page is not saved and there is no connection. Its emergency numbers
  come from docs/_data/triage.yml. Made from the built site, so it is the same after any generator.
- `overrides/theme/offline-worker.js` (copied to the site's root, so its scope is the whole site,
  sub-path included) gets the build's hash, which names its cache (a new deploy replaces the old
  cache), and the pages it saves on the first visit.

Runs before fingerprint.py, inline_css.py and deploy_files.py, so the offline page gets hashed
asset names, the inlined stylesheet and the CSP like every page. The build hash covers every
file built so far and the pipeline's code, which decides everything it writes afterwards.
"""
from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from string import Template

import yaml

from .errors import BuildError
from .context import Build, element, read_html, set_text, write_html

WORKER = "offline-worker.js"
OFFLINE_PAGE = "offline.html"
SHELL = "404.html"
# Saved on the first visit, besides the page being read (paths relative to the site's root).
PRECACHE = ("warning-signs/", "check/", OFFLINE_PAGE)
TRIAGE = Path("_data") / "triage.yml"
HERE = Path(__file__).resolve().parent
CONTENT = HERE / OFFLINE_PAGE


def emergency_numbers(docs: Path) -> list[dict]:
    """The most urgent tier's numbers (triage.yml lists tiers most urgent first)."""
    path = Path(docs) / TRIAGE
    tiers = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tiers") or []
    if not tiers or not tiers[0].get("numbers"):
        raise BuildError(f"docs/{TRIAGE.as_posix()}: the first (most urgent) tier has no numbers to call, "
                         "which the offline page shows")
    return tiers[0]["numbers"]


def numbers_html(numbers: list[dict]) -> str:
    """'999 (UK), 112 (EU) or 911 (US)', each number a tel: link."""
    links = [f'<a class="ttg-call" href="tel:{html.escape(str(n["number"]), quote=True)}">'
             f'{html.escape(str(n["number"]))}</a> ({html.escape(str(n.get("where", "")))})' for n in numbers]
    return links[0] if len(links) == 1 else ", ".join(links[:-1]) + " or " + links[-1]


def offline_content(build: Build) -> str:
    text = CONTENT.read_text(encoding="utf-8")
    body = text.split("-->", 1)[1]  # after the comment that explains the file
    return Template(body).substitute(numbers=numbers_html(emergency_numbers(build.docs)),
                                     warning_signs=build.base_path + "warning-signs/",
                                     check=build.base_path + "check/")


def offline_page(build: Build) -> str:
    shell = build.site / SHELL
    if not shell.is_file():
        raise BuildError(f"{SHELL}: missing, and the offline page is made from its shell")
    tree = read_html(shell)
    article = tree.css_first("article")
    title = tree.css_first("head title")
    if article is None or title is None or tree.head is None:
        raise BuildError(f"{SHELL}: no <article> or <title>, so the offline page cannot be made from it")
    set_text(title, f"You are offline - {build.site_name}")
    # At the end of the head, where the theme's extrahead block puts it.
    tree.head.insert_child(element('<meta name="robots" content="noindex">'))
    article.inner_html = offline_content(build)
    return tree.html


def build_hash(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != WORKER):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    for code in sorted(HERE.glob("*.py")) + [CONTENT]:
        digest.update(code.read_bytes())
    return digest.hexdigest()[:12]


def run(build: Build) -> None:
    site = build.site
    (site / OFFLINE_PAGE).write_text(offline_page(build), encoding="utf-8")
    for path in PRECACHE:
        if not (site / path / "index.html" if path.endswith("/") else site / path).is_file():
            raise BuildError(f"overrides/ttg_build/pipeline/offline.py: {path} is saved for offline reading but the build has no such page")
    worker = site / WORKER
    if not worker.is_file():
        raise BuildError(f"overrides/theme/{WORKER}: missing (the service worker for offline reading)")
    text = worker.read_text(encoding="utf-8")
    for placeholder in ('"__TTG_BUILD__"', "__TTG_PRECACHE__"):
        if placeholder not in text:
            raise BuildError(f"overrides/theme/{WORKER}: the placeholder {placeholder} is missing")
    text = (text.replace('"__TTG_BUILD__"', json.dumps(build_hash(site)))
                .replace("__TTG_PRECACHE__", json.dumps(list(PRECACHE))))
    worker.write_text(text, encoding="utf-8")
