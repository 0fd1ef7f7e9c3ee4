"""The page paints from its own HTML: the stylesheets are inlined as one <style> in every page,
so the first paint waits for no other request (measured with `make bench`: README "Speed").

Material's stylesheet styles every component the theme has; this site uses a fraction of them.
A rule is kept when each class in one of its selectors is used: in a built page, or by the
theme's or the site's JavaScript (which adds classes such as md-search-result__item at run
time; every `md-`/`ttg-` word in the scripts counts, so nothing the scripts can add is lost).
Rules without classes (elements, attributes, custom properties) are always kept, and so are
@font-face and @keyframes. The palette stylesheet and the site's own are kept whole.

Runs after fingerprint.py and before deploy_files.py, which allows the <style> by its hash in
the Content-Security-Policy (no 'unsafe-inline'). `mkdocs serve` inlines too, so what you see
while editing is what ships.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

LINK = re.compile(r'[ \t]*<link rel="stylesheet" href="(?P<href>[^"]*assets/stylesheets/'
                  r'(?P<name>main|palette|site)\.[0-9a-f]{8}(?:\.min)?\.css)">\n?')
CLASS_ATTR = re.compile(r'class="([^"]*)"')
SCRIPT_CLASS = re.compile(r"\b(?:md|ttg)-[\w-]+")
SELECTOR_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
ALWAYS_USED = {"js", "no-js", "focus-visible"}  # set on <html> or by the browser polyfill at run time
DATA_URI = re.compile(r"""url\((?:"data:[^"]*"|'data:[^']*')\)""")
GROUPING = ("@media", "@supports", "@layer", "@container")


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def css_items(css: str) -> list[tuple[str, str | None]]:
    """Top-level items: (prelude, block body) for rules and block at-rules, (statement, None)
    for statements such as @charset."""
    items, i, n = [], 0, len(css)
    while i < n:
        j = i
        while j < n and css[j] not in "{;":
            j = _skip_string(css, j) if css[j] in "\"'" else j + 1
        if j >= n:
            break
        if css[j] == ";":
            items.append((css[i:j + 1], None))
            i = j + 1
            continue
        depth, k = 1, j + 1
        while k < n and depth:
            if css[k] in "\"'":
                k = _skip_string(css, k)
                continue
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
        if depth:
            raise ValueError(f"unbalanced braces after {css[i:i + 60]!r}")
        items.append((css[i:j], css[j + 1:k - 1]))
        i = k
    return items


def split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def selector_used(selector: str, used: set[str]) -> bool:
    without_attributes = re.sub(r"\[[^\]]*\]", "", selector)
    return all(name in used for name in SELECTOR_CLASS.findall(without_attributes))


def prune(css: str, used: set[str]) -> str:
    out = []
    for prelude, body in css_items(css):
        head = prelude.strip()
        if body is None:
            out.append(head)
        elif head.startswith(GROUPING):
            inner = prune(body, used)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")
        else:
            kept = [s for s in split_selectors(head) if selector_used(s, used)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


def minify(css: str) -> str:
    """The site's stylesheet without comments and with runs of white space collapsed (it has no
    strings containing either)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*\n\s*", "\n", css).strip()


def used_classes(site: Path, pages: dict[Path, str]) -> set[str]:
    used = set(ALWAYS_USED)
    for text in pages.values():
        for value in CLASS_ATTR.findall(text):
            used.update(value.split())
    for script in site.glob("assets/javascripts/**/*.js"):
        if "lunr" not in script.parts:
            used.update(SCRIPT_CLASS.findall(script.read_text(encoding="utf-8")))
    return used


def on_post_build(config):
    site = Path(config.site_dir)
    pages = {p: p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}
    linked = {}
    for text in pages.values():
        for match in LINK.finditer(text):
            linked[match.group("name")] = match.group("href").split("assets/stylesheets/")[1]
    if set(linked) != {"main", "palette", "site"}:
        raise PluginError(f"overrides/hooks/inline_css.py: expected the theme's main and palette "
                          f"stylesheets and the site's own; the pages link {sorted(linked)}")
    used = used_classes(site, pages)
    sheets = {name: (site / "assets" / "stylesheets" / file).read_text(encoding="utf-8")
              for name, file in linked.items()}
    css = prune(sheets["main"], used) + sheets["palette"] + minify(sheets["site"])
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    # Inside a page, '<' and '>' in the theme's SVG data URIs look like tags to HTML tools that
    # do not treat <style> as raw text (the link checker stopped reading the page there).
    css = DATA_URI.sub(lambda m: m.group(0).replace("<", "%3C").replace(">", "%3E"), css)
    if "</style" in css.lower():
        raise PluginError("overrides/assets/stylesheets: the CSS contains '</style', which would end the inline style")
    style = f"<style>{css}</style>\n"
    for page, text in pages.items():
        first = LINK.search(text)
        if not first:
            continue  # a redirect stub: no theme
        text = text[: first.start()] + style + text[first.start():]
        page.write_text(LINK.sub("", text), encoding="utf-8")
