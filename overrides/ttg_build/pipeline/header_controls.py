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

Runs after search.py (which reads the pages' config, not the header) and before offline.py (the
offline page is made from the 404 page, controls already cut, and the build hash covers
controls.js) and fingerprint.py (controls.js gets a hashed name like our other scripts).
"""
from __future__ import annotations

import json

from .context import Build, element, read_html, write_html
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


def script_text(markups: list[str]) -> str:
    """controls.js: each marker replaced by its control. '<' is escaped so that no string can
    look like a tag to HTML tools reading the file."""
    data = json.dumps(markups, ensure_ascii=False).replace("<", "\\u003c")
    return ("// Written by the build (overrides/ttg_build/pipeline/header_controls.py): the header's "
            "colour and search controls, put back in their places before the theme's script starts.\n"
            "(function(){var m=" + data + ";document.querySelectorAll(\"[data-ttg-control]\").forEach("
            "function(e){var t=document.createElement(\"template\");t.innerHTML=m[+e.getAttribute("
            "\"data-ttg-control\")];e.replaceWith(t.content)})})();\n")


def run(build: Build) -> None:
    markups: list[str] = []
    pages_with_loader = 0
    for page in build.html_files():
        tree = read_html(page)
        placeholder = tree.css_first("script[data-ttg-controls]") is not None
        pages_with_loader += placeholder
        found = controls_in(tree)
        if not found:
            continue
        if not placeholder:
            raise BuildError(f"{page.relative_to(build.site)}: its header has controls to cut, but the page "
                             "has no controls.js placeholder (<script type=\"text/plain\" data-ttg-controls>): "
                             "they would never come back")
        for node in found:
            markup = node.html
            if markup not in markups:
                markups.append(markup)
            node.insert_before(element(MARKER.format(index=markups.index(markup))))
            node.decompose()
        write_html(page, tree)
    if pages_with_loader:
        target = build.site / SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script_text(markups), encoding="utf-8")
