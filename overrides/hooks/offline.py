"""Offline reading (issue 24): the offline page and the service worker's build stamp.

- `overrides/theme/offline.html` is rendered to `site/offline.html` with absolute links (as MkDocs
  renders 404.html), because the service worker serves it at whatever address the reader asked
  for when that page is not saved and there is no connection. Its emergency numbers come from
  docs/_data/triage.yml.
- `overrides/theme/offline-worker.js` (copied to the site's root, so its scope is the whole site,
  sub-path included) gets the build's hash, which names its cache (a new deploy replaces the old
  cache), and the pages it saves on the first visit.

Runs before fingerprint.py, inline_css.py and deploy_files.py, so the offline page gets hashed
asset names, the inlined stylesheet and the CSP like every page. The build hash covers every
file built so far and the hooks' code, which decides everything they write afterwards.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError

WORKER = "offline-worker.js"
OFFLINE_PAGE = "offline.html"
# Saved on the first visit, besides the page being read (paths relative to the site's root).
PRECACHE = ("warning-signs/", "check/", OFFLINE_PAGE)
TRIAGE = Path("_data") / "triage.yml"
HOOKS = Path(__file__).resolve().parent

_state: dict = {}


def on_env(env, config, files):
    _state.update(env=env, files=files)
    return env


def on_nav(nav, config, files):
    _state["nav"] = nav
    return nav


def emergency_numbers(config) -> list[dict]:
    """The most urgent tier's numbers (triage.yml lists tiers most urgent first)."""
    path = Path(config.docs_dir) / TRIAGE
    tiers = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tiers") or []
    if not tiers or not tiers[0].get("numbers"):
        raise PluginError(f"docs/{TRIAGE.as_posix()}: the first (most urgent) tier has no numbers to call, "
                          "which the offline page shows")
    return tiers[0]["numbers"]


def render_offline_page(config) -> str:
    template = _state["env"].get_template(OFFLINE_PAGE)
    context = get_context(_state["nav"], _state["files"], config,
                          base_url=urlsplit(config.site_url or "/").path)
    context["emergency_numbers"] = emergency_numbers(config)
    context = config.plugins.on_template_context(context, template_name=OFFLINE_PAGE, config=config)
    return template.render(context)


def build_hash(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != WORKER):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    for hook in sorted(HOOKS.glob("*.py")):
        digest.update(hook.read_bytes())
    return digest.hexdigest()[:12]


def on_post_build(config):
    site = Path(config.site_dir)
    (site / OFFLINE_PAGE).write_text(render_offline_page(config), encoding="utf-8")
    for path in PRECACHE:
        if not (site / path / "index.html" if path.endswith("/") else site / path).is_file():
            raise PluginError(f"overrides/hooks/offline.py: {path} is saved for offline reading but the build has no such page")
    worker = site / WORKER
    if not worker.is_file():
        raise PluginError(f"overrides/theme/{WORKER}: missing (the service worker for offline reading)")
    text = worker.read_text(encoding="utf-8")
    for placeholder in ('"__TTG_BUILD__"', "__TTG_PRECACHE__"):
        if placeholder not in text:
            raise PluginError(f"overrides/theme/{WORKER}: the placeholder {placeholder} is missing")
    text = (text.replace('"__TTG_BUILD__"', json.dumps(build_hash(site)))
                .replace("__TTG_PRECACHE__", json.dumps(list(PRECACHE))))
    worker.write_text(text, encoding="utf-8")
