"""Search in the reader's words: the search records, the reviewed synonym list, the worker.

The site owns its search records. Each page's rendered HTML (its article, once every content hook
has run) is cut into one record per section (h2 to h4 with an id), each a list of the blocks a reader
sees: a paragraph, a list item, a table row kept as "cell - cell", a definition. Figures and
their captions, citation numbers, permalinks, evidence labels and parts marked
data-search-exclude are left out. The records replace the text of Material's search index
(search/search_index.json), which the theme fetches and hands to the site's worker
(overrides/theme/assets/javascripts/workers/ttg-search.js); the worker ranks sections and picks the
sentence that answers from these blocks. Nothing here depends on Material's index: the records
come from the built pages in site/ (read after the generator, as a step of the post-build
pipeline), which pages and sections are searchable from their HTML and front matter
(`search: exclude`, `search: boost`), so any generator that writes the same pages feeds the same
worker. A generator that writes no search/search_index.json (Zensical writes its own search.json,
left as it is) gets one, with the search settings of mkdocs.yml.

docs/_data/synonyms.yml maps what readers type ("water pills", "charley horse", "twiching") to
the words the site uses ("diuretic", "cramp", "twitching"). The build fails, naming synonyms.yml
and the line, for: a malformed entry, a reader's phrase listed twice, an entry that maps a phrase
to itself, a site word that no page uses (a synonym that points nowhere), and a word that
collides with a common English word after stemming ("night: evening" would make a search for
"even" find the night words, because Porter stems "evening" to "even"). It also fails if a page
does not load the wrapping worker.

docs/_data/search-nearest.yml lists words for things no page covers ("ssri") with the nearest
answer the site has ("medicines"): search says "We have no page about SSRI" and shows that
answer. It is checked like synonyms.yml.
"""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from selectolax.lexbor import LexborHTMLParser

from .errors import BuildError as PluginError
from .context import Build, front_matter, read_html, set_text, write_html

SYNONYMS = Path("_data") / "synonyms.yml"
NEAREST = Path("_data") / "search-nearest.yml"
WORKER = re.compile(r'"search":\s*"[^"]*workers/ttg-search\.js\?engine=search\.[0-9a-f]+\.min\.js"')
WORD = re.compile(r"[a-z0-9][a-z0-9'&]*")

# Sections that are not answers: the reference list, the report box, comments.
NOT_ANSWERS = {"sources", "report-a-problem", "reader-comments"}
# The result list reads like answers, not like a database: no "91 matching documents".
RESULT_WORDS = {"search.result.one": "The best answer", "search.result.other": "Best answers first"}

_state: dict = {"synonyms": {}, "lines": {}, "records": {}}


def _fail(line: int | None, problem: str, source: Path = SYNONYMS) -> PluginError:
    where = f"docs/{source.as_posix()}" + (f":{line}" if line else "")
    return PluginError(f"{where}: {problem}")


# --- Porter stemming, as the worker does it -------------------------------------------------------
# A line-for-line port of lunr.js's Porter stemmer (the one the worker runs), so that the build
# sees the same stems as the reader's search. Words of three letters or fewer stay whole
# (the worker's rule: Porter would cut "als" to "al"). tests/test_search.py checks the two agree.

_C, _V = "[^aeiou][^aeiouy]*", "[aeiouy][aeiou]*"
_MGR0 = re.compile(f"^({_C})?{_V}{_C}")
_MEQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_MGR1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_S_V = re.compile(f"^({_C})?[aeiouy]")
_CVC = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")
_STEP2 = {"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
          "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
          "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
          "iviti": "ive", "biliti": "ble", "logi": "log"}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_RE2 = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_RE3 = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_RE4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")


def porter(w: str) -> str:
    if len(w) < 3:
        return w
    first_y = w[0] == "y"
    if first_y:
        w = "Y" + w[1:]
    if m := re.match(r"^(.+?)(ss|i)es$", w):
        w = m[1] + m[2]
    elif m := re.match(r"^(.+?)([^s])s$", w):
        w = m[1] + m[2]
    if m := re.match(r"^(.+?)eed$", w):
        if _MGR0.search(m[1]):
            w = w[:-1]
    elif m := re.match(r"^(.+?)(ed|ing)$", w):
        if _S_V.search(m[1]):
            w = m[1]
            if re.search(r"(at|bl|iz)$", w):
                w += "e"
            elif re.search(r"([^aeiouylsz])\1$", w):
                w = w[:-1]
            elif _CVC.search(w):
                w += "e"
    if m := re.match(r"^(.+?[^aeiou])y$", w):
        w = m[1] + "i"
    if (m := _RE2.match(w)) and _MGR0.search(m[1]):
        w = m[1] + _STEP2[m[2]]
    if (m := _RE3.match(w)) and _MGR0.search(m[1]):
        w = m[1] + _STEP3[m[2]]
    if m := _RE4.match(w):
        if _MGR1.search(m[1]):
            w = m[1]
    elif (m := re.match(r"^(.+?)(s|t)(ion)$", w)) and _MGR1.search(m[1] + m[2]):
        w = m[1] + m[2]
    if m := re.match(r"^(.+?)e$", w):
        if _MGR1.search(m[1]) or (_MEQ1.search(m[1]) and not _CVC.search(m[1])):
            w = m[1]
    if re.search(r"ll$", w) and _MGR1.search(w):
        w = w[:-1]
    if first_y:
        w = "y" + w[1:]
    return w


def stem(word: str) -> str:
    return word if len(word) <= 3 else porter(word)


# --- common English words ---------------------------------------------------------------------------
# Everyday words a reader types around the topic ("mean", "need", "worried", "even"). The build
# refuses a synonym whose stem is also the stem of one of these (a collision), and the worker never
# reports one of them as a topic the site lacks ("no page about bed").
# The last group are the general words of health questions: they name no topic on this site.
# Base forms only (their endings are generated, see forms()); two entries that share a stem are
# two different words ("even", "evening"), and that stem is ambiguous: no synonym may use it.
COMMON_WORDS = """
a about above after again against all almost alone along already also although always am among an
and another any anyone anything are around as ask at away back bad be became because become been
before began begin believe below best better between big bit both bring but by call came can
cannot cant case certain change check clear close come could couldnt day did didnt different do
does doesnt done dont down during each early easy either else end enough even evening ever every
everyone everything example far feel felt few find fine first for found from full gave get give
given go goes gone good got great had happen hard has have he help her here high him his hold home
how however i if im in inside instead into is isnt it its itself ive just keep kind knew know
known last late later least left less let life like likely little long look lost lot made make many
matter may maybe me mean meant might mind more morning most much must my myself near need never
new next night no normal not nothing now of off often ok okay old on once one only or other our
out over own part past people person place put quite rather real really right said same saw say
see seem seen set several she should show side since small so some someone something sometimes
soon sort start still stop such sure take taken tell than that the their them then there these
they thing think this those though thought through time to today together told too took toward try
trying turn two under until up upon us use usual very want was way we week well went were what
when where whether which while who whole why will with within without wont work worry would year
yes yet you your
cause disease effect issue mean problem sign symptom syndrome condition
weird strange odd crazy awful terrible constant constantly nonstop random randomly frequent
frequently lots stuff guy man woman women male female upper whole anyone literally basically
properly proper dad mum mom father mother brother sister son daughter wife husband partner friend
"""
COMMON = sorted(set(COMMON_WORDS.split()))

# Of those, the words that carry no topic in a question about this site: the worker weighs them
# low when ranking, so "can twitching mean nerve damage" does not open on "Weakness: what doctors
# mean". Words that name when or where ("night", "leg"), or a topic of the site, are not here.
STRAY_WORDS = """
about actually again almost already also always any anyone anything ask away bad be because become between
best better bit both bring but call can cannot cant case certain change check clear come could
couldnt did didnt different do does doesnt dont either else enough even ever every everyone
everything example far fine find first get give go good got great happen have help her here how
however if instead issue just keep kind know let like likely little look lot make matter may maybe
mean might mind more most much must need never not nothing now okay ok one only other own part
people person place put quite rather real really right same say see seem set should show since so
some someone something sometimes soon sort still sure take tell than that the thing think though
through thought time today together told too try turn two up use usual very want way well what
when where whether which while who whole why will with without wont work worry would yes yet cause
disease effect problem sign symptom syndrome condition
weird strange odd crazy awful terrible lots stuff guy anyone literally basically
"""
STRAY = sorted(set(STRAY_WORDS.split()))


def stray_stems(known: set[str]) -> set[str]:
    """Stems of the stray words and their forms ("trying" stems to "tri", "try" stays "try"), as
    far as the pages use them."""
    return {stem(f) for c in STRAY for f in forms(c) | {c}} & {stem(w) for w in known}


def common_site_stems(known: set[str]) -> list[str]:
    """Stems of the common words the pages use ("year", "even"): the worker never reads a
    misspelt word as one of these ("tear" is not "year"), since a reader's unknown word is far
    more likely a topic the site lacks than a typo for an everyday word."""
    return sorted({stem(c) for c in COMMON} & {stem(w) for w in known})


def forms(word: str) -> set[str]:
    """A site word's own inflections, which may share its stem without colliding."""
    w = word
    out = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "er", w + "ers", w + "ly"}
    if w.endswith("e"):
        out |= {w[:-1] + "ing", w[:-1] + "ed"}
    if w.endswith("y"):
        out |= {w[:-1] + "ies", w[:-1] + "ied", w[:-1] + "ily"}
    if len(w) > 2 and w[-1] not in "aeiouwxy":
        out |= {w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er"}
    for end in ("s", "es"):  # a plural names the same thing as its singular
        if w.endswith(end):
            out |= forms(w[: -len(end)]) if len(w) > len(end) + 2 else set()
    return out


def collisions(synonyms: dict[str, str], lines: dict[str, int]) -> list[str]:
    """Each synonym word whose stem is also the stem of a common word that is not one of the
    word's own forms ("evening" -> "even"), or a stem two common words share."""
    by_stem: dict[str, list[str]] = {}
    for c in COMMON:
        by_stem.setdefault(stem(c), []).append(c)
    problems = []
    for phrase, target in synonyms.items():
        for side, text in (("reader's words", phrase), ("site words", target)):
            for word in re.findall(r"[a-z0-9]+", text):
                common = by_stem.get(stem(word), [])
                if len(common) < 2:
                    common = [c for c in common if c not in forms(word) and word not in forms(c)]
                others = [c for c in common if c != word]
                if not others:
                    continue
                if side == "site words":
                    effect = (f"a search for {phrase!r} would find every section that says "
                              f"{others[0]!r}")
                else:
                    effect = f"a search for {others[0]!r} would be read as {target!r}"
                problems.append(
                    f"docs/{SYNONYMS.as_posix()}:{lines[phrase]}: '{phrase}: {target}': the "
                    f"{'site' if side == 'site words' else 'reader' + chr(39) + 's'} word {word!r} "
                    f"stems to {stem(word)!r}, as the common word {others[0]!r} does: {effect}. "
                    "Use another word")
    return problems


# --- the synonym list --------------------------------------------------------------------------------

def load_synonyms(path: Path, source: Path = SYNONYMS) -> tuple[dict[str, str], dict[str, int]]:
    """The synonym list as {reader's phrase: site words}, with the line of each entry."""
    def _fail(line, problem):
        return globals()["_fail"](line, problem, source)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _fail(mark.line + 1 if mark else None, f"not valid YAML ({error})") from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise _fail(node.start_mark.line + 1, "must be a mapping of 'reader's words: site words'")
    synonyms: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
            raise _fail(line, "each entry must be one line: reader's words: site words")
        phrase, target = " ".join(key.value.lower().split()), " ".join(value.value.lower().split())
        if not WORD.search(phrase) or not WORD.search(target):
            raise _fail(line, f"entry {key.value!r}: both sides need at least one word")
        if phrase in synonyms:
            raise _fail(line, f"{key.value!r} is listed twice (first on line {lines[phrase]})")
        if phrase == target:
            raise _fail(line, f"{key.value!r} maps to itself")
        synonyms[phrase], lines[phrase] = target, line
    return synonyms, lines


def load_word_lists(config):
    path = Path(config["docs_dir"]) / SYNONYMS
    if not path.exists():
        raise _fail(None, "missing: search needs the synonym list")
    _state["synonyms"], _state["lines"] = load_synonyms(path)
    nearest_path = Path(config["docs_dir"]) / NEAREST
    nearest, nearest_lines = load_synonyms(nearest_path, NEAREST) if nearest_path.exists() else ({}, {})
    for phrase in nearest:
        if phrase in _state["synonyms"]:
            raise _fail(nearest_lines[phrase], f"{phrase!r} is also in {SYNONYMS.as_posix()} "
                        f"(line {_state['lines'][phrase]}): a word is either covered or not", NEAREST)
    _state["nearest"], _state["nearest_lines"] = nearest, nearest_lines
    problems = collisions(_state["synonyms"], _state["lines"])
    problems += [p.replace(SYNONYMS.as_posix(), NEAREST.as_posix()) for p in collisions(nearest, nearest_lines)]
    if problems:
        raise PluginError("synonyms that collide with common words after stemming:\n  " + "\n  ".join(problems))
    _state["records"] = {}
    return config


# --- the search records, from the final HTML -------------------------------------------------------

BLOCKS = {"p", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4"}  # a heading with an id starts a section (h4: "Low potassium" under its salts)
SKIP = {"script", "style", "svg", "sup", "button", "template", "noscript", "form", "nav"}
SKIP_CLASSES = {"headerlink", "ttg-share-status", "ttg-print-only", "ttg-sr-only", "ttg-report",
                "ttg-feedback", "ttg-comments", "md-source-file", "ttg-evidence-key",
                "ttg-review"}  # the template's review dates, which follow the content in the article


# A myth the page quotes (<q class="ttg-myth">) reads as site.css shows it, 'Myth: "..."', so that
# no excerpt states it as if the site said it.
MYTH_CLASS = "ttg-myth"
MYTH_OPEN, MYTH_CLOSE = "Myth: \u201c", "\u201d"


class _Article(HTMLParser):
    """Collects (kind, id, content) in reading order: ('heading', id, title), ('block', None, text),
    ('row', None, [cells]) or ('caption', None, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str | None, str]] = []
        self.skip = 0           # depth inside an element that readers of an excerpt should not see
        self.stack: list[tuple[str, bool, dict]] = []
        self.parts: list[list[str]] = []   # text of the open blocks, innermost last
        self.cells: list[list[str]] = []   # cells of the open table rows
        self.row_is_head: list[bool] = []
        self.links: list[int] = []   # characters of link text in each open block
        self.leads: list[bool | None] = []   # whether each open block starts with a link
        self.in_link = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skipping = (tag in SKIP or classes & SKIP_CLASSES or "data-search-exclude" in a or KEPT_EXCLUSION in a
                    or "hidden" in a or "ttg-ev" in classes)
        if tag in {"br", "img", "input", "hr", "meta", "link", "wbr"}:
            if tag == "br" and self.parts:
                self.parts[-1].append(" ")
            return
        self.stack.append((tag, bool(skipping), a))
        if skipping:
            self.skip += 1
            return
        if self.skip:
            return
        card = card_tier(tag, classes)
        if card:
            self.items.append(("card", card, ""))
        if tag == "tr":
            self.cells.append([])
            self.row_is_head.append(True)
        elif tag in {"td", "th"} and self.cells:
            self.cells[-1].append("")
            if tag == "td":
                self.row_is_head[-1] = False
        elif tag in BLOCKS:
            self.parts.append([])
            self.links.append(0)
            self.leads.append(None)
        if tag == "a":
            self.in_link += 1
        if tag == "q" and MYTH_CLASS in classes:
            self.handle_data(MYTH_OPEN)
        if tag in {"ul", "ol"} and self.parts:  # a nested list: close the item's own text first
            self._flush_partial()

    def _flush_partial(self):
        text = _clean("".join(self.parts[-1]))
        if text:
            self.items.append(("block", None, text))
        self.parts[-1] = []

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, skipping, a = self.stack.pop()
            self._close(open_tag, skipping, a)
            if open_tag == tag:
                break

    def _close(self, tag, skipping, a):
        if skipping:
            self.skip -= 1
            return
        if self.skip:
            return
        if tag == "a":
            self.in_link -= 1
        if tag == "q" and MYTH_CLASS in (a.get("class") or "").split():
            self.handle_data(MYTH_CLOSE)
        if tag == "tr" and self.cells:
            cells = [c for c in (_clean(c) for c in self.cells.pop()) if c]
            head = self.row_is_head.pop()
            if cells and not head:  # a header row says nothing on its own
                self.items.append(("row", None, cells))
        elif tag in {"td", "th"}:
            pass
        elif tag in BLOCKS and self.parts:
            text = _clean("".join(self.parts.pop()))
            linked, lead = self.links.pop(), self.leads.pop()
            # A block that is mostly a link ("All emergency signs"), or a list item that starts
            # with one ("Could it be ALS? The worry most people have..."), points to an answer
            # elsewhere; it is not one.
            if tag not in HEADINGS and text and (linked > 0.6 * len(text) or (tag == "li" and lead)):
                return
            if tag in HEADINGS and a.get("id"):
                self.items.append(("heading", a["id"], text))
            elif tag in HEADINGS:
                self.items.append(("heading", None, text))
            elif text and tag == "figcaption":
                self.items.append(("caption", None, text))
            elif text and tag == "p" and LEAD_CLASS in (a.get("class") or "").split():
                self.items.append(("lead", None, text))  # the page's short answer
            elif text and tag == "li" and any(t == "li" for t, _, _ in self.stack):
                self.items.append(("sub", None, text))  # an item of a nested list
            elif text:
                self.items.append(("block", None, text))

    def handle_data(self, data):
        if self.skip:
            return
        if self.cells and self.cells[-1] and (not self.parts or len(self.stack) and self.stack[-1][0] in {"td", "th"}):
            self.cells[-1][-1] += data
        elif self.parts:
            self.parts[-1].append(data)
            if self.in_link:
                self.links[-1] += len(data.strip())
            if self.leads[-1] is None and data.strip():
                self.leads[-1] = bool(self.in_link)
        elif self.cells and self.cells[-1]:
            self.cells[-1][-1] += data
        elif data.strip():
            self.items.append(("block", None, _clean(data)))


# --- warning-sign cards (issue 22: safety first) ------------------------------------------------------
# A section that holds one of the warning-signs page's tier cards (rendered by hooks/triage.py from
# docs/_data/triage.yml as <div class="admonition emergency|urgent|gp">) is marked with its tier, and
# the items of a nested list (the signs under "back pain or leg pain with any one of these") with
# the item they belong to: the worker puts a card first when one of its signs holds the query's
# words, the most urgent tier first. The home page's compact card only points to the full one.
CARD_TIERS = ("emergency", "urgent", "gp")


# A paragraph marked as the page's short answer (`{ .ttg-lead }` in the Markdown, shown a little
# larger): the excerpt prefers its sentences when others hold the query's words as well, so "is this
# ALS" shows "The short answer: ALS is rare..." rather than the page's opening about searching.
LEAD_CLASS = "ttg-lead"


def card_tier(tag: str, classes: set[str]) -> str | None:
    if tag != "div" or "admonition" not in classes or "ttg-compact" in classes:
        return None
    return next((t for t in CARD_TIERS if t in classes), None)


def safety_fields(section: dict) -> dict:
    """The record's card tier, nested-item links and short-answer blocks, where it has them."""
    fields = {}
    if section.get("card"):
        fields["card"] = section["card"]
    if section.get("under"):
        fields["under"] = section["under"]
    if section.get("lead"):
        fields["lead"] = section["lead"]
    return fields


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def article_sections(page_html: str) -> list[dict]:
    """The article of a built page as sections: [{id (None for the page's own record), title,
    blocks, captions}]: a block is a string, or a table row as a list of its cells; figure captions are searched but never shown as excerpts. Sections start at h2, h3 and h4 headings with an id (Material lists those it finds)."""
    start = page_html.find('<article class="md-content__inner')
    end = page_html.find("</article>", start) if start >= 0 else len(page_html)
    parser = _Article()
    parser.feed(page_html[max(start, 0):end])
    parser.close()
    sections = [{"id": None, "title": "", "blocks": [], "captions": []}]
    parent = None  # the block a nested list's items belong to
    for kind, anchor, text in parser.items:
        if kind == "card":
            sections[-1].setdefault("card", anchor)
        elif kind == "sub" and sections[-1]["blocks"]:
            sections[-1]["blocks"].append(text)
            if parent is not None:
                sections[-1].setdefault("under", []).append([len(sections[-1]["blocks"]) - 1, parent])
        elif kind == "caption":  # searchable, never shown as an excerpt
            sections[-1]["captions"].append(text)
        elif kind == "heading" and anchor and sections[0]["title"]:
            sections.append({"id": anchor, "title": text, "blocks": [], "captions": []})
        elif kind == "heading" and not sections[0]["title"]:
            sections[0]["title"] = text
        elif kind in ("block", "row", "heading", "sub", "lead"):
            if not sections[-1]["blocks"] or sections[-1]["blocks"][-1] != text:
                sections[-1]["blocks"].append(text)
                if kind == "lead":
                    sections[-1].setdefault("lead", []).append(len(sections[-1]["blocks"]) - 1)
        if kind == "heading" and anchor:
            parent = None
        elif kind == "block" and sections[-1]["blocks"]:
            parent = len(sections[-1]["blocks"]) - 1
    return sections


KEPT_EXCLUSION = "data-ttg-search-exclude"


def keep_exclusions(content: str) -> str:
    """A page's content with each data-search-exclude element also marked data-ttg-search-exclude
    (Material's search drops the first from the pages; the search step reads the second, then
    removes it)."""
    if "data-search-exclude" not in content:
        return content
    tree = LexborHTMLParser(f"<body>{content}</body>")
    for node in tree.css("[data-search-exclude]"):
        node.attrs[KEPT_EXCLUSION] = ""
    return tree.body.inner_html


def searchable_pages(build: Build) -> tuple[list[dict], dict[str, list[dict]]]:
    """What Material's index lists, from the built pages: each page and each of its h2-h4 sections
    with an id (not inside a data-search-exclude part), unless its front matter says
    `search: {exclude: true}`; a page's `search: {boost: N}` is kept. And each page's sections.
    Read from site/ after the generator, so the article is what the reader sees (citations,
    warning-sign cards and all)."""
    entries, pages = [], {}
    for source in build.sources():
        built = build.built_page(source)
        if not built.is_file():
            continue
        search = (front_matter(source).get("search") or {})
        article = read_html(built).css_first("article.md-content__inner")
        if article is None or (isinstance(search, dict) and search.get("exclude")):
            continue
        url = build.url_of(source)
        sections = pages[url] = article_sections(article.html)
        boost = search.get("boost") if isinstance(search, dict) else None
        for section in sections:
            entry = {"location": url + (f"#{section['id']}" if section["id"] else ""), "title": section["title"]}
            if boost is not None:
                entry["boost"] = boost
            entries.append(entry)
    return entries, pages


ENGINE = re.compile(r"^(?P<dir>.*/)ttg-search\.js\?engine=(?P<engine>search\.[0-9a-f]+\.min\.js)$")


def zensical_ui(build: Build) -> bool:
    """Zensical's theme: it fetches its own search.json ({config, items}) and speaks another
    worker protocol than Material's, which the site's worker does not (yet) speak."""
    return (build.site / "search.json").is_file() and not (build.site / "search" / "search_index.json").is_file()


def use_site_worker(build: Build) -> None:
    """Every Markdown page's theme config must point Material's search at the site's worker, and
    every page's result list reads like answers (RESULT_WORDS). Under Zensical's theme every page's config
    is pointed back at Zensical's own engine (named in the worker's ?engine=), so its search works."""
    own_engine = zensical_ui(build)
    if own_engine:  # not loaded by any page, so not published
        for worker in build.site.glob("assets/javascripts/workers/ttg-search*.js"):
            worker.unlink()
    markdown_pages = {build.built_page(source): source for source in build.sources()}
    # Every page with the theme's config (the 404 page too): the result list reads the same from
    # any page, and header_controls.py keeps one shared config for all.
    for built in build.html_files():
        source = markdown_pages.get(built)
        tree = read_html(built)
        found = tree.css_first('script#__config[type="application/json"]')
        if found is not None and source is not None and not WORKER.search(found.text()):
            raise PluginError(
                f"{source.relative_to(build.docs).as_posix()}: the page does not load the site's search worker "
                "(overrides/main.html, block config, should point Material's search at "
                "workers/ttg-search.js?engine=...)"
            )
        if found is not None:
            settings = json.loads(found.text())
            settings.get("translations", {}).update(RESULT_WORDS)
            if own_engine and (engine := ENGINE.match(settings.get("search") or "")):
                settings["search"] = engine["dir"] + engine["engine"]
            set_text(found, json.dumps(settings))
            write_html(built, tree)


# --- the index ----------------------------------------------------------------------------------------

def site_words(docs: list[dict]) -> set[str]:
    """Every word in the search records, as readers see them."""
    blocks = [b if isinstance(b, str) else " ".join(b) for d in docs for b in d.get("blocks", []) + d.get("captions", [])]
    text = " ".join([d.get("title", "") for d in docs] + blocks)
    text = text.lower().replace("\u2019", "'")
    return set(re.findall(r"[a-z0-9]+", text))


def unknown_site_words(synonyms: dict[str, str], known: set[str]) -> list[tuple[str, str]]:
    """(phrase, word) for each site word no page uses. A word counts if a site word starts
    with it: 'diuretic' is used when the page says 'diuretics'."""
    missing = []
    for phrase, target in synonyms.items():
        for word in re.findall(r"[a-z0-9]+", target):
            if word not in known and not any(k.startswith(word) for k in known):
                missing.append((phrase, word))
    return missing


def covered_nearest(nearest: dict[str, str], known: set[str]) -> list[str]:
    """Entries of search-nearest.yml whose words the pages now use: search would say "We have no
    page about SSRI" while a section talks about SSRIs. Compared as stems ("ssri" is "SSRIs")."""
    stems = {stem(w) for w in known}
    return [phrase for phrase in nearest
            if all(stem(w) in stems for w in re.findall(r"[a-z0-9]+", phrase))]


def opening_section(sections: list[dict]) -> dict | None:
    """The section that opens a page with no introduction of its own (nothing between the page's
    title and the section's heading), or None."""
    if len(sections) < 2 or sections[0]["blocks"] or sections[0]["captions"] or not sections[1]["blocks"]:
        return None
    return sections[1]


def records(material_docs: list[dict], pages: dict[str, list[dict]]) -> list[dict]:
    """One record per page and section that Material would index (its list says which pages are
    searchable and their boost), with our blocks in place of Material's text."""
    out = []
    for doc in material_docs:
        path, _, anchor = doc["location"].partition("#")
        if anchor in NOT_ANSWERS or path not in pages:
            continue
        sections = pages[path]
        section = next((s for s in sections if s["id"] == (anchor or None)), None)
        if section is None:
            continue
        blocks, title = section["blocks"], doc["title"]
        # A page with no introduction, whose first section opens right under its title (the quick
        # check's "A quick check: how soon do you need help?"): that section is the top of the page,
        # one record at the page's address under both headings, not two records with one text.
        opening = opening_section(sections)
        if anchor and opening is section:
            continue
        if not anchor and opening is not None:
            section, blocks, title = opening, opening["blocks"], f"{title} {opening['title']}"
        elif not anchor and not blocks:  # a page with no introduction: its first words stand in
            blocks = next((s["blocks"][:2] for s in sections if s["blocks"]), [])
        elif anchor and not (blocks or section["captions"]):
            continue  # a section with nothing to show (a list of links, an excluded table)
        record = {"location": doc["location"], "title": title, "page": sections[0]["title"] or doc["title"],
                  "blocks": blocks}
        if section["captions"]:
            record["captions"] = section["captions"]
        record.update(safety_fields(section))
        if doc.get("boost") not in (None, 1):
            record["boost"] = doc["boost"]
        out.append(record)
    return out


def word_list_stems(config, known: set[str], key: str, example: str) -> list[str]:
    """The stems of a word list in mkdocs.yml's `extra`: `search_subject` (what every page is
    about) or `search_places` (words that say where in the body). A word no page uses fails the
    build: it would make search answer nothing on the home page, or name a place no sign says."""
    words = ((config.get("extra") or {}).get(key)) or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise PluginError(f"mkdocs.yml: extra.{key} must be a list of words, e.g. {example}")
    stems = {stem(w) for w in known}
    missing = [w for w in words if stem(w.lower().strip()) not in stems]
    if missing:
        raise PluginError(f"mkdocs.yml: extra.{key} names {missing[0]!r}, which no page uses")
    return sorted({stem(w.lower().strip()) for w in words})


def remedy_settings(build: Build) -> dict:
    """mkdocs.yml's `extra.search_remedies`: the pages that answer how to stop or ease twitching
    (as record locations) and the stems of the words that ask it. A page that is not a searchable
    page of the site, or a malformed list, fails the build."""
    remedies = (build.config.get("extra") or {}).get("search_remedies")
    if remedies is None:
        return {"pages": [], "words": []}
    example = "e.g. {pages: [what-helps.md], words: [stop, help]}"
    if not isinstance(remedies, dict) or set(remedies) - {"pages", "words"}:
        raise PluginError(f"mkdocs.yml: extra.search_remedies must have pages and words, {example}")
    pages, words = remedies.get("pages"), remedies.get("words")
    for name, value in (("pages", pages), ("words", words)):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise PluginError(f"mkdocs.yml: extra.search_remedies.{name} must be a list, {example}")
    locations = []
    for page in pages:
        source = build.docs / page
        if not source.is_file() or source not in build.sources():
            raise PluginError(f"mkdocs.yml: extra.search_remedies.pages names {page!r}, which is not a page in docs/")
        locations.append(build.url_of(source))
    return {"pages": locations, "words": sorted({stem(w.lower().strip()) for w in words})}


def material_settings(build: Build) -> dict:
    """The index's config as Material writes it from mkdocs.yml's search plugin settings."""
    plugins = build.config.get("plugins") or []
    options = next((p["search"] for p in plugins if isinstance(p, dict) and "search" in p), None) or {}
    lang = options.get("lang") or [build.config.get("theme", {}).get("language") or "en"]
    return {"lang": lang if isinstance(lang, list) else [lang],
            "separator": options.get("separator") or r"[\s\-]+",
            "pipeline": options.get("pipeline") or ["stopWordFilter"]}


def write_index(build: Build, entries: list[dict], pages: dict[str, list[dict]]):
    index_path = build.site / "search" / "search_index.json"
    if index_path.is_file():  # Material's: its settings stay, its text is replaced
        index = json.loads(index_path.read_text(encoding="utf-8"))
    else:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        index = {"config": material_settings(build), "docs": []}
    docs = records(entries, pages)
    synonyms = _state["synonyms"]
    known = site_words(docs)
    for source, entries, lines in ((SYNONYMS, synonyms, _state["lines"]),
                                   (NEAREST, _state["nearest"], _state["nearest_lines"])):
        missing = unknown_site_words(entries, known)
        if missing:
            problems = "; ".join(f"{p!r} (line {lines[p]}) points to {w!r}, which no page uses" for p, w in missing)
            raise _fail(lines[missing[0][0]], f"synonyms that point nowhere: {problems}", source)
    covered = covered_nearest(_state["nearest"], known)
    if covered:
        raise _fail(_state["nearest_lines"][covered[0]], f"{covered[0]!r} is on a page now: search would say "
                    "it has no page about it. Move it to synonyms.yml, or delete it", NEAREST)
    index["config"]["synonyms"] = synonyms
    index["config"]["nearest"] = _state["nearest"]
    # Stray words (weighed low) and everyday words (never reported as "no page about"), as stems.
    index["config"]["stray"] = sorted(stray_stems(known))
    index["config"]["everyday"] = sorted({stem(c) for c in COMMON} - {stem(w) for w in known})
    index["config"]["common"] = common_site_stems(known)
    index["config"]["subject"] = word_list_stems(build.config, known, "search_subject", "[thigh, twitching]")
    index["config"]["places"] = word_list_stems(build.config, known, "search_places", "[knee, foot]")
    index["config"]["remedies"] = remedy_settings(build)
    index["config"].pop("fields", None)
    index["docs"] = docs
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def drop_kept_marks(build: Build) -> None:
    """The marks kept for this step are read: the pages go out as the theme wrote them."""
    for page in build.html_files():
        tree = read_html(page)
        marked = tree.css(f"[{KEPT_EXCLUSION}]")
        for node in marked:
            del node.attrs[KEPT_EXCLUSION]
        if marked:
            write_html(page, tree)


def run(build: Build) -> None:
    load_word_lists({"docs_dir": str(build.docs)})
    use_site_worker(build)
    write_index(build, *searchable_pages(build))
    drop_kept_marks(build)
