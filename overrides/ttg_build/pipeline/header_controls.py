"""The header's colour and search controls leave the page's HTML and come back with the scripts.

Both work only with JavaScript (the theme's script switches the colours and runs the search), yet
they are about 1.5 KiB gzip of every page: icons, the search form, the palette's inline script.
Lighthouse simulates a page of about 14 KiB gzip or less as one round trip and a larger one as
two (README, "Performance benchmark"), so these bytes decide whether some pages paint a round
trip sooner. Each control in a page's header is replaced by an empty marker
(`<i data-ttg-control="N" hidden>`), and `assets/javascripts/controls.js`, written here, holds
each distinct control's markup once. The loader in main.html fetches it with the whole
stylesheet after the first paint and shows the header only when both are here, so the header
never appears without its controls; the script puts each control back in its marker's place
before the theme's script starts. Without JavaScript the header has no controls that would do
nothing. What the palette's inline script did (apply a stored colour choice before the first
paint) the head's colour script in main.html does.

The theme's config (`<script id="__config">`, about 0.3 KiB gzip) goes the same way, all but the
two values that are relative to the page (`base`, and `search`, the worker's address, which
fingerprint.py renames there): the rest is the same on every page and controls.js puts it back
into the page's config before the theme's script reads it. A page whose rest differs from the
others' refuses the build, naming it.

Runs after search.py (which reads the pages' config, not the header) and before offline.py (the
offline page is made from the 404 page, controls already cut, and the build hash covers
controls.js) and fingerprint.py (controls.js gets a hashed name like our other scripts).
"""
from __future__ import annotations

import json

from .context import Build, element, read_html, set_text, write_html
from .errors import BuildError

SCRIPT = "assets/javascripts/controls.js"
# What the theme's header holds that only works with scripts: the colour switch (a form, then
# the inline script that applies a stored choice to it), the search button and the search box.
CONTROLS = (
    '[data-md-component="palette"]',
    'script:not([src])',
    'label[for="__search"].md-header__button',
    '[data-md-component="search"]',
)
MARKER = '<i data-ttg-control="{index}" hidden></i>'
CONFIG = 'script#__config[type="application/json"]'
PAGE_KEYS = ("base", "search")  # relative to the page: they stay in it


def controls_in(tree) -> list:
    header = tree.css_first("header.md-header")
    if header is None:
        return []
    found = []
    for selector in CONTROLS:
        for node in header.css(selector):
            if node.tag == "script" and "__palette" not in (node.text() or ""):
                continue  # only the palette's own script goes with the palette
            found.append(node)
    return found


def _js_json(value) -> str:
    # '<' escaped so that no string can look like a tag to HTML tools reading the file
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def script_text(markups: list[str], shared_config: dict | None = None) -> str:
    """controls.js: the theme's shared config merged into the page's, then each marker replaced
    by its control."""
    config = ""
    if shared_config:
        config = ("var c=document.getElementById(\"__config\");if(c){var p=JSON.parse(c.textContent),s="
                  + _js_json(shared_config) + ";for(var k in s)if(!(k in p))p[k]=s[k];c.textContent=JSON.stringify(p)}")
    return ("// Written by the build (overrides/ttg_build/pipeline/header_controls.py): the theme's "
            "config and the header's colour and search controls, put back before the theme's script starts.\n"
            "(function(){" + config + "var m=" + _js_json(markups) + ";document.querySelectorAll(\"[data-ttg-control]\").forEach("
            "function(e){var t=document.createElement(\"template\");t.innerHTML=m[+e.getAttribute("
            "\"data-ttg-control\")];e.replaceWith(t.content)})})();\n")


def cut_config(tree, page: str, shared: dict) -> bool:
    """The page's theme config down to its page-relative values; the rest into `shared` (the
    first page's), or BuildError if it differs from it. True if the page had a config."""
    node = tree.css_first(CONFIG)
    if node is None:
        return False
    try:
        data = json.loads(node.text() or "")
    except ValueError as error:
        raise BuildError(f"{page}: the theme's config (script#__config) is not JSON: {error}") from None
    rest = {k: v for k, v in data.items() if k not in PAGE_KEYS}
    if not shared:
        shared.update(rest, **{"__page": page})
    elif rest != {k: v for k, v in shared.items() if k != "__page"}:
        keys = sorted(k for k in set(rest) | set(shared) - {"__page"} if rest.get(k) != shared.get(k))
        raise BuildError(f"{page}: its theme config differs from {shared['__page']}'s in {', '.join(keys)}; "
                         "controls.js holds one config for every page")
    set_text(node, json.dumps({k: data[k] for k in PAGE_KEYS if k in data}).replace("<", "\\u003c"))
    return True


def run(build: Build) -> None:
    markups: list[str] = []
    shared: dict = {}
    pages_with_loader = 0
    for page in build.html_files():
        tree = read_html(page)
        where = str(page.relative_to(build.site))
        placeholder = tree.css_first("script[data-ttg-controls]") is not None
        pages_with_loader += placeholder
        found = controls_in(tree)
        if found and not placeholder:
            raise BuildError(f"{where}: its header has controls to cut, but the page "
                             "has no controls.js placeholder (<script type=\"text/plain\" data-ttg-controls>): "
                             "they would never come back")
        if not placeholder:
            continue  # a page without the loader keeps its config whole (nothing would put it back)
        had_config = cut_config(tree, where, shared)
        for node in found:
            markup = node.html
            if markup not in markups:
                markups.append(markup)
            node.insert_before(element(MARKER.format(index=markups.index(markup))))
            node.decompose()
        if found or had_config:
            write_html(page, tree)
    if pages_with_loader:
        shared.pop("__page", None)
        target = build.site / SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script_text(markups, shared), encoding="utf-8")
