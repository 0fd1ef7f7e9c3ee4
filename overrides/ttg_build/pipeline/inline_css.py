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


# The palette stylesheet styles every colour the theme offers; only the configured ones can apply.
PALETTE_VALUE = re.compile(r"""\[data-md-color-(scheme|primary|accent)=["']?([\w-]+)["']?\]""")


def palette_values(config) -> dict[str, set[str]]:
    """The schemes, primaries and accents mkdocs.yml configures (the theme's defaults if unset)."""
    palette = config.theme.get("palette") or []
    options = [palette] if isinstance(palette, dict) else list(palette) or [{}]
    values = {"scheme": set(), "primary": set(), "accent": set()}
    for option in options:
        values["scheme"].add(option.get("scheme") or "default")
        values["primary"].add(option.get("primary") or "indigo")
        values["accent"].add(option.get("accent") or "indigo")
    return values


def selector_possible(selector: str, palette: dict[str, set[str]] | None) -> bool:
    return palette is None or all(value in palette[kind] for kind, value in PALETTE_VALUE.findall(selector))


def prune(css: str, used: set[str], palette: dict[str, set[str]] | None = None) -> str:
    out = []
    for prelude, body in css_items(css):
        head = prelude.strip()
        if body is None:
            out.append(head)
        elif head.startswith(GROUPING):
            inner = prune(body, used, palette)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")
        else:
            kept = [s for s in split_selectors(head) if selector_used(s, used) and selector_possible(s, palette)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


CUSTOM_PROPERTY = re.compile(r"(?<![\w-])(--[\w-]+)\s*:")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
SCRIPT_PROPERTY = re.compile(r"--(?:md|ttg)-[\w-]+")


def declarations(body: str) -> list[str]:
    """A rule's declarations, split on ';' outside strings and brackets (data URIs hold both)."""
    parts, depth, quote, current = [], 0, None, ""
    for char in body:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return parts + [current] if current.strip() else parts


def drop_unused_properties(css: str, keep: set[str]) -> str:
    """Custom properties that no rule reads, directly or through another property, and that no
    script names, are left out (the theme declares an icon for every component it has)."""
    defined: dict[str, set[str]] = {}
    read = set(keep)
    for match in re.finditer(r"\{([^{}]*)\}", css):
        for declaration in declarations(match.group(1)):
            name = CUSTOM_PROPERTY.match(declaration.strip())
            refs = set(VAR.findall(declaration))
            if name:
                defined.setdefault(name.group(1), set()).update(refs)
            else:
                read |= refs
    frontier = list(read)
    while frontier:
        for ref in defined.get(frontier.pop(), ()):
            if ref not in read:
                read.add(ref)
                frontier.append(ref)

    def rewrite(match):
        found = declarations(match.group(1))
        kept = [d for d in found if not (name := CUSTOM_PROPERTY.match(d.strip())) or name.group(1) in read]
        if len(kept) == len(found):
            return match.group(0)  # nothing dropped: the rule stays exactly as written
        return "{" + ";".join(kept) + "}"

    css = re.sub(r"\{([^{}]*)\}", rewrite, css)
    return re.sub(r"(?<=[{}])[^{}@]+\{\}", "", css)  # rules left empty


def minify(css: str) -> str:
    """The site's stylesheet without comments and with runs of white space collapsed (it has no
    strings containing either)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*\n\s*", "\n", css).strip()


def scripts(site: Path) -> list[str]:
    return [s.read_text(encoding="utf-8") for s in site.glob("assets/javascripts/**/*.js") if "lunr" not in s.parts]


def used_classes(site: Path, pages: dict[Path, str]) -> set[str]:
    used = set(ALWAYS_USED)
    for text in pages.values():
        for value in CLASS_ATTR.findall(text):
            used.update(value.split())
    for script in scripts(site):
        used.update(SCRIPT_CLASS.findall(script))
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
    palette = palette_values(config)
    css = prune(sheets["main"], used, palette) + prune(sheets["palette"], used, palette) + minify(sheets["site"])
    css = drop_unused_properties(css, {name for script in scripts(site) for name in SCRIPT_PROPERTY.findall(script)})
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    # Inside a page, '<' and '>' in the theme's SVG data URIs look like tags to HTML tools that
    # do not treat <style> as raw text (the link checker stopped reading the page there).
    css = DATA_URI.sub(lambda m: m.group(0).replace("<", "%3C").replace(">", "%3E"), css)
    if "</style" in css.lower():
        raise PluginError("overrides/theme/assets/stylesheets: the CSS contains '</style', which would end the inline style")
    style = f"<style>{css}</style>\n"
    for page, text in pages.items():
        first = LINK.search(text)
        if not first:
            continue  # a redirect stub: no theme
        text = text[: first.start()] + style + text[first.start():]
        page.write_text(LINK.sub("", text), encoding="utf-8")
