"""A page paints from its own first bytes: the rules its first part needs are inlined as one
<style> in the head, and the whole stylesheet is linked in the body, where the site's own
stylesheet link stands (main.html puts it after the article). What comes before that link is
painted with the inlined rules alone; what comes after it (the header, the navigation, the
footer) waits for the whole stylesheet, so nothing is ever shown unstyled (measured with
`make bench`: README "Speed").

The whole stylesheet is Material's, pruned to the rules whose classes appear in a built page or
can be added by the theme's or the site's scripts (every `md-`/`ttg-` word in the scripts counts,
so nothing the scripts can add is lost), then the palette's and the site's own; it is written as
`assets/stylesheets/theme.<hash>.css` (cached for a year: its name changes with its content).
The inlined part keeps, of those rules, the ones whose classes and element names all occur in
the page before the link (rules for other pages, for the header and for what the scripts add are
left to the whole stylesheet, which the scripts wait for). In both, custom properties no rule
reads are dropped, and the palette's rules for colours the pages never name.

CSS is parsed with tinycss2. `run(site)` needs only the built site folder (any generator);
on_post_build calls it. It runs after fingerprint.py and before deploy_files.py, which allows
each <style> by its hash in the Content-Security-Policy (no 'unsafe-inline').
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import tinycss2
from selectolax.lexbor import LexborHTMLParser

from .errors import BuildError as PluginError  # MkDocs' own error where MkDocs runs

WHERE = "overrides/ttg_build/pipeline/inline_css.py"
SHEETS = ("main", "palette", "site")
LINK = re.compile(r'[ \t]*<link rel="stylesheet" href="(?P<href>[^"]*assets/stylesheets/'
                  r'(?:modern/|classic/)?(?P<name>main|palette|site)\.[0-9a-f]{8}(?:\.min)?\.css)"(?: fetchpriority="low")?>\n?')
# (Zensical keeps the theme's sheets under modern/ or classic/, by its theme variant.)
SCRIPT_CLASS = re.compile(r"\b(?:md|ttg)-[\w-]+")
SCRIPT_PROPERTY = re.compile(r"--(?:md|ttg)-[\w-]+")
ALWAYS_USED = {"js", "no-js", "focus-visible"}  # set on <html> or by the browser polyfill at run time
DATA_URI = re.compile(r"""url\((?:"data:[^"]*"|'data:[^']*')\)""")
GROUPING = {"media", "supports", "layer", "container"}
# Inside these the classes are alternatives or negations: a rule is kept whatever they name.
OPEN_FUNCTIONS = {"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any", "host", "host-context"}
PALETTE_ATTRIBUTE = re.compile(r"^data-md-color-(scheme|primary|accent)$")
# The loader (main.html, block scripts) sets this on the header, the footer and the sidebars
# until the whole stylesheet is here: rules naming it apply before the first paint.
LOADER_ATTRIBUTE = "data-ttg-later"
PALETTE_VALUE = re.compile(r"""data-md-color-(scheme|primary|accent)=\\?["']([\w-]+)""")
WHOLE_NAME = "theme"
# The theme's rules for features the site does not load, whose selectors its pages match all the
# same: Material's sortable tables (tablesort) give every th[role=columnheader] a pointer and a
# sort icon, and tables.py gives our header cells that role so a stacked table keeps its meaning.
# No table sorts, so those rules are left out of both sheets (tests/test_phone.py checks that no
# header looks sortable).
FEATURES_OFF = re.compile(r"\[role=columnheader\]")


# --- parsing ------------------------------------------------------------------------------------

class _Memo:
    """What depends only on a parsed node (a rule's selectors and declarations, a selector's
    needs): a build prunes the same rules once for every page, so each is worked out once per
    run. Keyed by id(), with the node kept, so no other node can take its id meanwhile."""

    def __init__(self):
        self.store = {}

    def get(self, kind: str, node, make):
        hit = self.store.get((kind, id(node)))
        if hit is None:
            hit = self.store[(kind, id(node))] = (node, make(node))
        return hit[1]


_memo = _Memo()


def parse(css: str, where: str) -> list:
    """The stylesheet's top-level rules (tinycss2 nodes), or ValueError naming the problem."""
    tree = tinycss2.parse_component_value_list(css)
    stray = _find_literal(tree, "}")
    if stray is not None:
        raise ValueError(f"{where}: unbalanced braces after {_context(css, stray)!r}")
    if tinycss2.serialize(tree) != css and tinycss2.serialize(tree).startswith(css):
        raise ValueError(f"{where}: unbalanced braces after {css[-60:]!r} (a block is never closed)")
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    for rule in rules:
        if rule.type == "error":
            raise ValueError(f"{where}: {rule.message} at line {rule.source_line}")
    return rules


def _find_literal(tokens, value):
    for token in tokens:
        if token.type == "literal" and token.value == value:
            return token
        inner = getattr(token, "content", None) or getattr(token, "arguments", None)
        if isinstance(inner, list):
            found = _find_literal(inner, value)
            if found is not None:
                return found
    return None


def _context(css: str, token) -> str:
    lines = css.splitlines()
    line = lines[token.source_line - 1] if 0 < token.source_line <= len(lines) else ""
    return line[max(0, token.source_column - 61): token.source_column - 1]


def _compact(tokens) -> str:
    """Tokens as CSS with comments dropped and runs of white space made one space."""
    out = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if token.type == "() block":
            out.append("(" + _compact(token.content) + ")")
        elif token.type == "[] block":
            out.append("[" + _compact(token.content) + "]")
        elif token.type == "{} block":
            out.append("{" + _compact(token.content) + "}")
        elif token.type == "function":
            out.append(tinycss2.serialize([token])[: -len(tinycss2.serialize(token.arguments)) - 1]
                       + _compact(token.arguments) + ")")
        else:
            out.append(tinycss2.serialize([token]))
    return "".join(out).strip()


def split_selectors(prelude) -> list[list]:
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    return parts + [current]


def selector_needs(selector) -> tuple[set[str], set[str], list[tuple[str, str]]]:
    """What an element must have for the selector to match anything: its classes, element
    names and palette attribute values (outside :not(), :is() and the like)."""
    classes, types, palette = set(), set(), []
    previous = None
    for token in selector:
        if token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            classes.add(token.value)
        elif token.type == "ident" and (previous is None or previous.type == "whitespace"
                                        or (previous.type == "literal" and previous.value in (">", "+", "~"))):
            types.add(token.value.lower())
        elif token.type == "[] block":
            parts = [t for t in token.content if t.type not in ("whitespace", "comment")]
            if len(parts) >= 3 and parts[0].type == "ident" and PALETTE_ATTRIBUTE.match(parts[0].value) \
                    and parts[1].type == "literal" and parts[1].value == "=" and parts[2].type in ("ident", "string"):
                palette.append((PALETTE_ATTRIBUTE.match(parts[0].value).group(1), parts[2].value))
        elif token.type == "function" and token.lower_name not in OPEN_FUNCTIONS:
            pass  # :nth-child(2n+1) and the like: nothing needed
        previous = token
    return classes, types, palette


def has_needs(selector) -> tuple[set[str], set[str]]:
    """What the page must hold somewhere for the selector's :has() to hold: the classes and
    element names every alternative of each :has() needs (`:has(.ttg-check > .ttg-check-step)`
    holds only on the check page)."""
    classes, types = set(), set()
    previous = None
    for token in selector:
        if token.type == "function" and token.lower_name == "has" and previous is not None \
                and previous.type == "literal" and previous.value == ":":
            needs = [selector_needs(alt)[:2] for alt in split_selectors(token.arguments)]
            classes |= set.intersection(*(n[0] for n in needs))
            types |= set.intersection(*(n[1] for n in needs))
            for alt in split_selectors(token.arguments):  # a :has() inside a :has()
                inner = has_needs(alt)
                classes |= inner[0]
                types |= inner[1]
        previous = token
    return classes, types


# --- pruning ------------------------------------------------------------------------------------

class Needs:
    """What a page (or the whole site) has: classes, element names (None: any) and the palette
    values its pages name (None: any)."""

    def __init__(self, classes: set[str], types: set[str] | None = None,
                 palette: dict[str, set[str]] | None = None, media_print: bool = True):
        self.classes, self.types, self.palette, self.media_print = classes, types, palette, media_print

    def allows(self, selector) -> bool:
        if _memo.get("feature-off", selector, lambda s: bool(FEATURES_OFF.search(_compact(s)))):
            return False
        classes, types, palette = _memo.get("needs", selector, selector_needs)
        if not classes <= self.classes:
            return False
        if self.types is not None and not types <= self.types:
            return False
        if not self.holds(*_memo.get("has", selector, has_needs)):
            return False
        return self.palette is None or all(value in self.palette.get(kind, {value}) for kind, value in palette)

    def holds(self, classes: set[str], types: set[str]) -> bool:
        """Whether the page holds, somewhere, what a :has() asks for."""
        return classes <= self.classes and (self.types is None or types <= self.types)


# States that only a reader's pointer or keys bring about: before the whole stylesheet arrives
# the browser's own hover and focus styles do (keyboard focus stays visible).
INTERACTION = {"hover", "active", "focus", "focus-visible", "focus-within"}
# Can hold at first paint, or once more of the page has arrived: counted as holding.
POSSIBLE = {"target", "checked", "last-child", "only-child", "last-of-type", "only-of-type", "empty"}
LEGACY_PSEUDO_ELEMENTS = {"before", "after", "first-line", "first-letter"}
ANY = ":not(#ttg-none)"  # matches every element: stands in for what a static page cannot show


class FirstPart(Needs):
    """The part of a page painted before the whole stylesheet arrives: a rule is needed if one
    of its selectors matches an element there (the page as parsed so far, before any script
    but the inline palette one, which may set any configured scheme). Pseudo-elements count
    as their element; :target, :checked, :last-child and functional pseudo-classes (:is(),
    :not(), :has(): lexbor gets :is() wrong) as holding; selectors lexbor cannot read fall back
    to the classes and element names they need."""

    def __init__(self, html: str, palette: dict[str, set[str]], whole: tuple[set[str], set[str]]):
        self.tree = LexborHTMLParser(html)
        classes, types = set(), set()
        for node in self.tree.root.traverse():
            types.add(node.tag)
            classes.update((node.attributes.get("class") or "").split())
        super().__init__(classes, types, palette, media_print=False)
        # What a :has() asks for may come later in the page: the parser shows what it has read
        # with the inlined rules for a frame before the loader hides it (the header, a sidebar).
        self.whole_classes, self.whole_types = whole

    def holds(self, classes: set[str], types: set[str]) -> bool:
        return classes <= self.whole_classes and types <= self.whole_types

    def allows(self, selector) -> bool:
        if not super().allows(selector):
            return False
        text = _memo.get("lexbor", selector, _lexbor_selector)
        if text is False:
            return False
        try:
            return self.tree.css_first(text) is not None
        except Exception:  # a selector lexbor cannot read: the classes and names were enough
            return True


def _lexbor_selector(selector) -> str | bool:
    """The selector as lexbor is asked it (see FirstPart), or False for one that only a
    reader's pointer or keys can make hold."""
    text = []
    tokens = list(selector)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        colon = token.type == "literal" and token.value == ":"
        if colon and i + 1 < len(tokens) and tokens[i + 1].type == "literal" and tokens[i + 1].value == ":":
            text.append(ANY)  # a pseudo-element: its element
            i += 3
            continue
        if colon and i + 1 < len(tokens) and tokens[i + 1].type == "function":
            text.append(ANY)  # :is(), :not(), :has(), :nth-child(): lexbor is not trusted with them
            i += 2
            continue
        if colon and i + 1 < len(tokens) and tokens[i + 1].type == "ident":
            name = tokens[i + 1].lower_value
            if name in INTERACTION:
                return False
            if name in POSSIBLE or name in LEGACY_PSEUDO_ELEMENTS:
                text.append(ANY)
                i += 2
                continue
        if token.type == "[] block" and any(t.type == "ident" and PALETTE_ATTRIBUTE.match(t.value) for t in token.content):
            text.append(ANY)  # the palette script sets any configured scheme before the first paint
        elif token.type == "[] block" and any(t.type == "ident" and t.lower_value == LOADER_ATTRIBUTE for t in token.content):
            text.append(ANY)  # the loader sets it as the page is parsed
        else:
            text.append(tinycss2.serialize([token]))
        i += 1
    return "".join(text).strip()


# What only a reader's pointer, tap or a change of state shows: a page's inlined rules leave these
# out of the theme's rules (about 0.13 KiB gzip a page), as the whole stylesheet brings them a
# moment after the first paint. Nothing a still page shows depends on them. A declaration that
# stops motion (`transition: none`, the theme's rule for a reader who asks for reduced motion) is
# kept: without it the site's reduced-motion rule would give every element a 0.01 ms transition
# of everything until the whole sheet lands.
AFTER_FIRST_PAINT = re.compile(r"^(?:transition(?:-[a-z-]+)?|cursor|-webkit-tap-highlight-color)$")


def prune(rules, needs: Needs, written: bool = False, first_paint: bool = False) -> list[str]:
    """The rules some selector of which the page can match, as CSS texts in order: compact, or
    with written=True (the site's own sheet) each kept rule whole: its selectors as written, white
    space collapsed and squeezed (squeeze()), so what an author (or a test's fixture, squeezed
    alike) finds in site.css is in the page too. With first_paint=True (a page's inlined rules),
    the theme's rules leave out the declarations AFTER_FIRST_PAINT names."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _memo.get("selectors", rule, lambda r: split_selectors(r.prelude))
            if written:
                if any(needs.allows(s) for s in selectors):
                    out.append(_memo.get("written", rule, lambda r: squeeze(minify(tinycss2.serialize([r])))))
                continue
            kept = [s for s in selectors if needs.allows(s)]
            if kept:
                body = (_memo.get("paint-body", rule, lambda r: _declarations(r.content, still=True)) if first_paint
                        else _memo.get("body", rule, lambda r: _declarations(r.content)))
                if body:
                    out.append(",".join(_memo.get("compact", s, _compact) for s in kept) + "{" + body + "}")
        elif rule.type == "at-rule":
            prelude = minify(tinycss2.serialize(rule.prelude)) if written else _compact(rule.prelude)
            head = "@" + rule.at_keyword + (" " + prelude if prelude else "")
            if not needs.media_print and rule.lower_at_keyword in ("charset", "page"):
                continue  # ignored inside <style> / paper only: the whole stylesheet has them
            if rule.content is None:
                out.append(head + ";")
            elif rule.lower_at_keyword in GROUPING:
                if not needs.media_print and rule.lower_at_keyword == "media" and _compact(rule.prelude).strip() == "print":
                    continue
                inner = prune(_memo.get("inner", rule, lambda r: tinycss2.parse_rule_list(
                    r.content, skip_whitespace=True, skip_comments=True)), needs, written, first_paint)
                if inner:
                    out.append(head + "{" + ("\n" if written else "").join(inner) + "}")
            elif written:
                out.append(minify(tinycss2.serialize([rule])))
            elif rule.lower_at_keyword == "keyframes" or rule.lower_at_keyword.endswith("-keyframes"):
                frames = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
                out.append(head + "{" + "".join(_compact(f.prelude) + "{" + _declarations(f.content) + "}"
                                                for f in frames if f.type == "qualified-rule") + "}")
            else:  # @font-face, @page: declarations
                out.append(head + "{" + _declarations(rule.content) + "}")
    return out


def minify(css: str) -> str:
    """CSS as written, without comments and with runs of white space around line breaks made
    one line break (the site's stylesheet has no strings holding either)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*\n\s*", "\n", css).strip()


SQUEEZE = ((re.compile(r"\s*\{\s*"), "{"), (re.compile(r"\s*\}"), "}"), (re.compile(r";\s+"), ";"),
           (re.compile(r"(^|[{;])([\w-]+):\s+"), r"\1\2:"))


def squeeze(css: str) -> str:
    """The site's CSS as written, without the spaces around braces and after semicolons and
    declaration names (`a { b: c; }` -> `a{b:c;}`): about 0.2 KiB gzip a page, whose bytes decide
    whether a long page paints a round trip sooner (README, "Performance benchmark"). Text, not
    tokens, so a fixture's fragment of site.css squeezes as the page's copy did (tests/helpers.py);
    the site's sheet has no braces or semicolons in strings."""
    for pattern, replacement in SQUEEZE:
        css = pattern.sub(replacement, css)
    return css


ANIMATION = re.compile(r"(?:^|[{;])animation(?:-name)?:([^;}]*)")
KEYFRAMES = re.compile(r"@(?:-[a-z]+-)?keyframes ([\w-]+)\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")


def drop_unused_keyframes(css: str) -> str:
    """Animations no kept rule names are left out."""
    named = {word for value in ANIMATION.findall(css) for word in re.findall(r"[\w-]+", value)}
    return KEYFRAMES.sub(lambda m: m.group(0) if m.group(1) in named else "", css)


def _declarations(content, still: bool = False) -> str:
    parts = []
    for item in tinycss2.parse_blocks_contents(content, skip_whitespace=True, skip_comments=True):
        if item.type == "declaration":
            value = _compact(item.value)
            if still and AFTER_FIRST_PAINT.match(item.lower_name) and value.strip().lower() != "none":
                continue
            parts.append(f"{item.name}:{value}" + ("!important" if item.important else ""))
        elif item.type in ("qualified-rule", "at-rule"):
            parts.append(tinycss2.serialize([item]).strip())  # nested CSS: kept as written
    return ";".join(parts)


CUSTOM_PROPERTY = re.compile(r"(?<![\w-])(--[\w-]+):")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
RULE_BODY = re.compile(r"\{([^{}]*)\}")


def drop_unused_properties(css: str, keep: set[str]) -> str:
    """Custom properties that no rule reads, directly or through another property, and that no
    script names, are left out (the theme declares an icon for every component it has). Works
    on compact CSS from prune(), whose declaration blocks hold no braces."""
    defined: dict[str, set[str]] = {}
    read = set(keep)
    for match in RULE_BODY.finditer(css):
        for name, refs, _text in _body_declarations(match.group(1)):
            if name.startswith("--"):
                defined.setdefault(name, set()).update(refs)
            else:
                read |= refs
    frontier = list(read)
    while frontier:
        for ref in defined.get(frontier.pop(), ()):
            if ref not in read:
                read.add(ref)
                frontier.append(ref)

    def rewrite(match):
        items = _body_declarations(match.group(1))
        kept = [text for name, _refs, text in items if not name.startswith("--") or name in read]
        if len(kept) == len(items):
            return match.group(0)
        return "{" + ";".join(kept) + "}"

    css = drop_unused_keyframes(RULE_BODY.sub(rewrite, css))
    previous = None
    while previous != css:  # rules left empty, then groups left empty
        previous = css
        css = re.sub(r"(?:(?<=[{}])|^)[^{}@;]+\{\}", "", css)
        css = re.sub(r"(?:(?<=[{}])|^)@(?:media|supports|layer|container)[^{}]*\{\}", "", css)
    return css


@functools.lru_cache(maxsize=None)
def _body_declarations(body: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """A compact declaration block's declarations: name, the properties it reads, compact text.
    Cached by text: every page's CSS repeats the same blocks."""
    return tuple((item.name, frozenset(VAR.findall(tinycss2.serialize(item.value))),
                  f"{item.name}:{_compact(item.value)}" + ("!important" if item.important else ""))
                 for item in tinycss2.parse_blocks_contents(body) if item.type == "declaration")


# --- the built site -----------------------------------------------------------------------------

def scripts(site: Path) -> list[str]:
    return [s.read_text(encoding="utf-8") for s in site.glob("assets/javascripts/**/*.js") if "lunr" not in s.parts]


def page_needs(html: str, stop_at_link: bool) -> tuple[set[str], set[str]]:
    """Classes and element names in a page; with stop_at_link, only those before the link to
    the site's stylesheet in the body (what is painted before the whole stylesheet arrives)."""
    classes, types = set(), set()
    body = False
    for node in LexborHTMLParser(html).root.traverse():
        tag = node.tag
        if tag == "body":
            body = True
        if stop_at_link and body and tag == "link" and "/stylesheets/site." in (node.attributes.get("href") or ""):
            break
        types.add(tag)
        value = node.attributes.get("class")
        if value:
            classes.update(value.split())
    return classes, types


def first_part(html: str) -> str:
    """The page up to the whole stylesheet's link in the body (all of it if there is none)."""
    body = html.find("<body")
    for match in LINK.finditer(html):
        if match.group("name") == "site" and match.start() > body:
            return html[: match.start()]
    return html


EMERGENCY_CARD = re.compile(r'<div class="admonition emergency\b')


def first_card_end(part: str) -> int | None:
    """Where the page's first emergency card (999, 112, 911) ends, if the part painted with the
    inlined rules holds one."""
    card = EMERGENCY_CARD.search(part)
    if card is None:
        return None
    depth = 0
    for tag in re.finditer(r"<(/?)div\b[^>]*>", part[card.start():]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return card.start() + tag.end()
    return None


def rest_after_card(head: str, css: str) -> str:
    """The rules for the <style> after the first emergency card: those of the page's CSS that the
    head's <style> lacks. A rule the head holds with fewer declarations (custom properties only
    the rest of the article reads: the other cards' icons, the palette's other colours) brings
    only the declarations the head's copy lacks, not the whole block again (the two <style>
    elements are too far apart for gzip to find the repeat)."""
    return _rest(tinycss2.parse_stylesheet(head, skip_whitespace=True, skip_comments=True),
                 tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))


def _rule_key(rule) -> tuple:
    return rule.type, getattr(rule, "lower_at_keyword", None), tinycss2.serialize(rule.prelude).strip()


def _rest(head_rules, rules) -> str:
    texts = {tinycss2.serialize([r]) for r in head_rules}
    same: dict[tuple, list] = {}
    for rule in head_rules:
        if rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
            same.setdefault(_rule_key(rule), []).append(rule)
    out = []
    for rule in rules:
        text = tinycss2.serialize([rule])
        if text in texts:
            continue
        held = same.get(_rule_key(rule)) if rule.type in ("qualified-rule", "at-rule") and rule.content is not None else None
        if held and rule.type == "qualified-rule":
            have = {t for h in held for _name, _refs, t in _body_declarations(tinycss2.serialize(h.content))}
            new = [t for _name, _refs, t in _body_declarations(tinycss2.serialize(rule.content)) if t not in have]
            if new:
                out.append(tinycss2.serialize(rule.prelude).strip() + "{" + ";".join(new) + "}")
            continue
        if held and rule.lower_at_keyword in GROUPING:
            inner_head = [r for h in held for r in tinycss2.parse_rule_list(h.content, skip_whitespace=True, skip_comments=True)]
            inner = _rest(inner_head, tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))
            if inner:
                out.append(f"@{rule.at_keyword} " + tinycss2.serialize(rule.prelude).strip() + "{" + inner + "}")
            continue
        out.append(text)
    return "".join(out)


def site_palette(pages: dict[Path, str]) -> dict[str, set[str]]:
    """The schemes, primaries and accents the pages name (attributes and the inline palette
    script's JSON): the palette's rules for other colours can never apply."""
    values = {"scheme": set(), "primary": set(), "accent": set()}
    for text in pages.values():
        for kind, value in PALETTE_VALUE.findall(text):
            values[kind].add(value)
        for kind, value in re.findall(r'"(scheme|primary|accent)": ?"([\w-]+)"', text):
            values[kind].add(value)
    for kind in values:
        if not values[kind]:
            values[kind] = {"default" if kind == "scheme" else "indigo"}
    return values


def finish(css: str, where: str) -> str:
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    # Inside a page, '<' and '>' in the theme's SVG data URIs look like tags to HTML tools that
    # do not treat <style> as raw text (the link checker stopped reading the page there).
    css = DATA_URI.sub(lambda m: m.group(0).replace("<", "%3C").replace(">", "%3E"), css)
    if "</style" in css.lower():
        raise PluginError(f"{where}: the CSS contains '</style', which would end the inline style")
    return css


def run(site: Path) -> None:
    _memo.store.clear()
    pages = {p: p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}
    linked = {}
    for text in pages.values():
        for match in LINK.finditer(text):
            linked[match.group("name")] = match.group("href").split("assets/stylesheets/")[1]
    if set(linked) != set(SHEETS):
        raise PluginError(f"{WHERE}: expected the theme's main and palette "
                          f"stylesheets and the site's own; the pages link {sorted(linked)}")
    folder = site / "assets" / "stylesheets"
    rules = {}
    for name in SHEETS:
        path = folder / linked[name]
        try:
            rules[name] = parse(path.read_text(encoding="utf-8"), f"overrides/theme/assets/stylesheets/{linked[name]}"
                                if name == "site" else f"{path.relative_to(site)}")
        except ValueError as error:
            raise PluginError(str(error)) from None
    themed = {p: t for p, t in pages.items() if LINK.search(t)}  # redirect stubs have no theme
    palette = site_palette(themed)
    script_texts = scripts(site)
    used = set(ALWAYS_USED)
    for text in themed.values():
        used |= page_needs(text, stop_at_link=False)[0]
    for script in script_texts:
        used.update(SCRIPT_CLASS.findall(script))
    script_properties = {name for script in script_texts for name in SCRIPT_PROPERTY.findall(script)}

    # The whole stylesheet: every rule a page or a script can use (the site's own kept whole).
    everything = Needs(used, None, palette)
    whole = "".join(prune(rules["main"], everything) + prune(rules["palette"], everything)
                    + ["\n".join(prune(rules["site"], Needs(used | _all_classes(rules["site"]), None, None), written=True))])
    whole = finish(drop_unused_properties(whole, script_properties), WHERE)
    name = f"{WHOLE_NAME}.{hashlib.sha256(whole.encode('utf-8')).hexdigest()[:8]}.css"
    (folder / name).write_text(whole, encoding="utf-8")

    def inlined(part: str, whole: tuple[set[str], set[str]]) -> str:
        first = FirstPart(part, palette, whole)
        css = "".join(prune(rules["main"], first, first_paint=True) + prune(rules["palette"], first, first_paint=True)
                      + ["\n".join(prune(rules["site"], first, written=True))])
        return finish(drop_unused_properties(css, set()), WHERE)

    for page, text in themed.items():
        part = first_part(text)
        whole_page = page_needs(text, stop_at_link=False)
        whole_page[0].update(ALWAYS_USED)
        css = inlined(part, whole_page)
        # The first emergency card paints from the rules it and what comes before it need; the
        # rules only the rest of the article needs follow the card, in a second <style>.
        split = first_card_end(part)
        if split is not None:
            head = inlined(part[:split], whole_page)
            rest = rest_after_card(head, css)
            if rest:
                css = head
                text = text[:split] + f"<style>{rest}</style>" + text[split:]
        text = LINK.sub(lambda m: _relink(m, linked["site"], name), text)
        first = text.index("<!--ttg-style-->")
        text = text[:first] + f"<style>{css}</style>\n" + text[first:].replace("<!--ttg-style-->", "", 1)
        page.write_text(text, encoding="utf-8")


def _relink(match, site_file: str, whole_file: str) -> str:
    """The theme's sheets in the head give way to the inlined <style> (the first one marks its
    place); the site's own link becomes the whole stylesheet's, where it stands: in the body,
    after what the inlined rules paint, or in the head (then the page waits for it)."""
    if match.group("name") == "site":
        return match.group(0).replace(site_file, whole_file)
    return "<!--ttg-style-->" if match.group("name") == "main" else ""


def _all_classes(rules) -> set[str]:
    found = set()
    for rule in rules:
        if rule.type == "qualified-rule":
            for selector in split_selectors(rule.prelude):
                found |= selector_needs(selector)[0]
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in GROUPING:
            found |= _all_classes(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))
    return found

