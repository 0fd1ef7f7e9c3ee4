"""Citations from one site-wide bibliography, as a Python-Markdown extension.

Write `[@key]` or `[@key-a; @key-b]` in a page (or a snippet it includes). Each citation becomes a
numbered link to the page's own "Sources" list, which this step appends. Entries live once, in
docs/_data/bibliography.yml. The build fails, naming the file, on: a malformed entry, an unknown
key, a medical page that cites nothing, or a citation with no claim note. Which pages cite which
sources is recorded in RECORD, so the build can fail at its end on an entry no page cites
(`site_problems`; MkDocs: overrides/hooks/page_context.py on_post_build; after a generator that
runs no hooks, the same check over the built site: `python -m ttg_build.citations site --docs docs`).

Steps: an inline pattern turns `[@a; @b]` into a placeholder `<sup class="ttg-cite"
data-cite="@a; @b">` (the keys in an attribute, so abbreviations and other inline steps cannot alter
them); a tree step, after Markdown's inline steps (the whole page is there, included snippets too),
numbers them and appends the Sources lists; a preprocessor writes the evidence labels' meanings into
the About page.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
import xml.etree.ElementTree as etree
from pathlib import Path

import yaml
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ttg_build import datafiles
from ttg_build.steps import ORDER
from ttg_build.page import current
from ttg_build.problems import BuildProblem

BIBLIOGRAPHY = Path("_data") / "bibliography.yml"
CITATION = re.compile(r"\[(@[^\]\s;]+(?:\s*;\s*@[^\]\s;]+)*)\]")
LEFTOVER = re.compile(r"\[@[^\]]*\]?")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
URL = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$")
LABELS_MARKER = "<!-- evidence-labels -->"
LABELS_PAGE = "about.md"  # the one page that explains the evidence labels (#evidence-labels)
# The Sources heading until the contents list (toc) has been made: MkDocs and Material never
# listed it there (the old hook added it after conversion), and the reader's contents stay the same.
HEADING_PLACEHOLDER = "ttg-sources-heading"

# Which sources each page cites ({slug: {keys}}) and all cited keys, for the site-wide check.
RECORD: dict = {"cited_on": {}, "used": set()}


def _fail(where: str, problem: str, fix: str) -> BuildProblem:
    return BuildProblem(f"{where}: {problem}\n  how to fix: {fix}")


# What kind of evidence a source is; the label is shown beside each reference.
EVIDENCE_TYPES = {
    "guideline": "Guideline",
    "systematic-review": "Systematic review",
    "cohort": "Cohort study",
    "cross-sectional": "Survey or cross-sectional study",
    "case-series": "Case series",
    "expert-review": "Expert review",
    "abstract": "Conference abstract",
    "health-page": "Health information page",
    "design-standard": "Design standard",
}

# What each evidence label means, in plain words; shown under each page's Sources list.
EVIDENCE_MEANINGS = {
    "guideline": "advice to doctors or the public from a national health body, based on the evidence.",
    "systematic-review": "a study that gathers and weighs all the earlier studies on one question.",
    "cohort": "a study that follows a group of people over time to see what happens to them.",
    "cross-sectional": "a study that looks at or asks a group of people once, at one point in time.",
    "case-series": "a report on a small number of patients, with no comparison group.",
    "expert-review": "an article in which experts sum up what is known. It is not a new study.",
    "abstract": "a short summary of a study given at a medical meeting, not yet a full paper.",
    "health-page": "a page for the public from a health service, clinic or charity.",
    "design-standard": "rules for how health services should present information.",
}
MAX_NOTE_WORDS = 45   # a short paraphrase
MAX_QUOTE_WORDS = 25  # a quote (a note that starts with a quotation mark)

def validate_entry(key: str, entry, where: str) -> list[str]:
    """Problems with one bibliography entry (empty when it is well-formed)."""
    if not isinstance(entry, dict):
        return [f"{where}: entry '{key}' must be a mapping of fields"]
    problems = []
    if not KEY.match(key):
        problems.append(f"{where}: key '{key}' must be lower-case letters, digits and hyphens")
    if not (entry.get("authors") or entry.get("publisher")):
        problems.append(f"{where}: entry '{key}' needs 'authors' or 'publisher'")
    for field in ("title", "container", "year", "type"):
        if not entry.get(field):
            problems.append(f"{where}: entry '{key}' is missing '{field}'")
    year = entry.get("year")
    if year is not None and not (year == "n.d." or (isinstance(year, int) and 1900 <= year <= 2100)):
        problems.append(f"{where}: entry '{key}' has year {year!r}; use a 4-digit year or 'n.d.'")
    dated = str(entry.get("dated") or "")
    if dated and str(year) not in dated:
        problems.append(f"{where}: entry '{key}' is dated {dated!r}, which does not give its year {year!r}; "
                        "write the source's own date in full (e.g. 'last reviewed 30 October 2023')")
    if entry.get("type") and entry["type"] not in EVIDENCE_TYPES:
        problems.append(f"{where}: entry '{key}' has unknown type '{entry['type']}' "
                        f"(one of: {', '.join(EVIDENCE_TYPES)})")
    if not (entry.get("url") or entry.get("doi") or entry.get("pmid")):
        problems.append(f"{where}: entry '{key}' needs a 'url', 'doi' or 'pmid' so readers can find it")
    if entry.get("url") and not URL.match(str(entry["url"])):
        problems.append(f"{where}: entry '{key}' url {entry['url']!r} is not a well-formed https URL")
    if entry.get("doi") and not DOI.match(str(entry["doi"])):
        problems.append(f"{where}: entry '{key}' doi {entry['doi']!r} is malformed (expected 10.NNNN/...)")
    if entry.get("pmid") and not PMID.match(str(entry["pmid"])):
        problems.append(f"{where}: entry '{key}' pmid {entry['pmid']!r} is malformed (digits only)")
    supports = entry.get("supports", {})
    if not isinstance(supports, dict):
        problems.append(f"{where}: entry '{key}' 'supports' must map a page (e.g. causes) to a note")
        supports = {}
    for page, note in supports.items():
        if not (isinstance(note, dict) and str(note.get("where") or "").strip() and str(note.get("says") or "").strip()):
            problems.append(f"{where}: entry '{key}' note for page '{page}' needs 'where' (the section of "
                            "the source) and 'says' (what it says that supports the page)")
            continue
        words = len(str(note["says"]).split())
        is_quote = str(note["says"]).lstrip().startswith(('"', "\u201c"))
        limit = MAX_QUOTE_WORDS if is_quote else MAX_NOTE_WORDS
        if words > limit:
            problems.append(f"{where}: entry '{key}' note for page '{page}' has {words} words; keep a "
                            f"{'quote' if is_quote else 'paraphrase'} to {limit} words or fewer")
    # An identifier is only printed where we recorded where it was confirmed.
    if (entry.get("doi") or entry.get("pmid")) and not entry.get("confirmed_at"):
        problems.append(f"{where}: entry '{key}' gives a DOI or PMID but no 'confirmed_at' "
                        "(where the identifier was confirmed: PubMed, PMC, publisher)")
    return problems


def load_bibliography(docs_dir: Path) -> dict:
    path = Path(docs_dir) / BIBLIOGRAPHY
    where = f"docs/{BIBLIOGRAPHY.as_posix()}"
    if not path.is_file():
        raise _fail(where, "the bibliography file is missing", "create it; see README 'Citing sources'")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise _fail(where, f"is not valid YAML: {err}", "fix the YAML syntax")
    if not isinstance(data, dict):
        raise _fail(where, "must be a mapping of key -> entry", "see the existing entries")
    problems = [p for key, entry in data.items() for p in validate_entry(str(key), entry, where)]
    if problems:
        raise BuildProblem("Bibliography problems:\n  " + "\n  ".join(problems))
    return data


def _closed(text: str, mark: str = ".") -> str:
    """A field with its closing mark, unless it already ends in one ("n.d.", "Really?")."""
    text = str(text).strip()
    return text if text.rstrip("\"'\u201d\u2019")[-1:] in ".?!" else text + mark


def format_entry(entry: dict) -> str:
    """One reference as HTML, one rule per field: Who. Title. Container, date. Links. Type"""
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    who = entry.get("authors") or entry.get("publisher")
    if isinstance(who, list):
        who = ", ".join(who[:3]) + (" et al" if len(who) > 3 else "")
    parts = [e(_closed(who)), f"<cite>{e(_closed(entry['title']))}</cite>"]
    date = "no date" if entry["year"] == "n.d." else str(entry["year"])
    if entry.get("volume"):
        date += f";{entry['volume']}"
    if entry.get("pages"):
        date += f":{entry['pages']}"
    if entry.get("dated"):  # the source's own date or review date, as it gives it
        date += f" ({entry['dated']})"
    parts.append(f"{e(entry['container'])}, {e(_closed(date))}")
    links = []
    if entry.get("url"):
        links.append(f'<a href="{e(entry["url"])}">{e(entry.get("link_text", "Read the source"))}</a>')
    if entry.get("doi"):
        links.append(f'<a href="https://doi.org/{e(entry["doi"])}">doi:{e(entry["doi"])}</a>')
    if entry.get("pmid"):
        links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{e(entry["pmid"])}/">PMID {e(entry["pmid"])}</a>')
    if links:
        parts.append(" · ".join(links) + ".")
    parts.append(f'Evidence: <span class="ttg-evidence">{e(EVIDENCE_TYPES[entry["type"]])}</span>.')
    return " ".join(parts)


def citation_url(entry: dict) -> str:
    """A source's address for the page's structured data (schema.org `citation` takes a URL as
    text). The names are in the visible Sources list; as CreativeWork objects they cost up to
    0.6 KiB gzip a page, and bytes decide whether a long page paints a round trip sooner
    (README, "Performance benchmark")."""
    if entry.get("doi"):
        url = f"https://doi.org/{entry['doi']}"
    elif entry.get("pmid"):
        url = f"https://pubmed.ncbi.nlm.nih.gov/{entry['pmid']}/"
    else:
        url = entry["url"]
    return url



def line_of(page, key: str) -> str:
    """Where a citation key appears in the page's own Markdown, as 'file:line'."""
    try:
        lines = page.abs_src_path.read_text(encoding="utf-8").split("\n")
    except (OSError, TypeError):
        return page.where
    for number, line in enumerate(lines, start=1):
        if f"@{key}" in line:
            return f"{page.where}:{number}"
    return f"{page.where} (in an included snippet or a sign from docs/_data/triage.yml)"


def evidence_meanings(types) -> str:
    rows = "\n".join(f"<dt>{EVIDENCE_TYPES[t]}</dt><dd>{html.escape(EVIDENCE_MEANINGS[t])}</dd>" for t in types)
    return f'<dl class="ttg-evidence-meanings" id="evidence-labels-list" data-search-exclude>\n{rows}\n</dl>'


def entries_for(docs_dir: Path) -> dict:
    """The checked bibliography, read again only when the file changes."""
    return datafiles.load(Path(docs_dir) / BIBLIOGRAPHY, lambda path: load_bibliography(docs_dir), "bibliography")


# --- Building the HTML (ElementTree) ---------------------------------------------------------

def _element(tag: str, attrs: dict | None = None, text: str | None = None, tail: str | None = None) -> etree.Element:
    el = etree.Element(tag, attrs or {})
    el.text, el.tail = text, tail
    return el


def _entry_item(key: str, entry: dict, prefix: str) -> etree.Element:
    # format_entry writes well-formed markup (every field escaped), so XML parses it.
    item = etree.fromstring(f'<li>{format_entry(entry)}</li>')
    item.set("id", f"{prefix}{key}")
    item.tail = "\n"
    return item


def sources_elements(keys: list[str], entries: dict, prefix: str, labels_url: str) -> list[etree.Element]:
    """The numbered list and the link to what the evidence labels mean."""
    listing = _element("ol", {"class": "ttg-references", "data-search-exclude": None}, "\n", "\n")
    listing.extend(_entry_item(k, entries[k], prefix) for k in keys)
    link = _element("p", {"class": "ttg-evidence-link", "data-search-exclude": None}, tail="\n")
    link.append(_element("a", {"href": labels_url}, "What the evidence labels (guideline, cohort study...) mean"))
    return [listing, link]


def _details(attrs: dict, summary: str, children: list[etree.Element]) -> etree.Element:
    details = _element("details", attrs, None, "\n")
    details.append(_element("summary", None, summary, "\n"))
    details.extend(children)
    return details


def _texts(el: etree.Element):
    """Every piece of text under el, in document order (not el's own tail)."""
    if el.text:
        yield el.text
    for child in el:
        yield from _texts(child)
        if child.tail:
            yield child.tail


ESCAPED = re.compile("\x02(\\d+)\x03")  # a backslash escape, as Markdown keeps it until the end


class Numbering:
    """Numbers the placeholders in one scope (the page, or one step of the check)."""

    def __init__(self, entries: dict, page, problems: list[str], prefix: str):
        self.entries, self.page, self.problems, self.prefix = entries, page, problems, prefix
        self.order: list[str] = []

    def fill(self, sup: etree.Element) -> None:
        keys = [k.strip().lstrip("@") for k in (sup.get("data-cite") or "").split(";")]
        links = []
        for key in keys:
            if key not in self.entries:
                self.problems.append(f"{line_of(self.page, key)}: unknown citation key '{key}'")
                continue
            if key not in self.order:
                self.order.append(key)
            n = self.order.index(key) + 1
            links.append(_element("a", {"href": f"#{self.prefix}{key}", "aria-label": f"Source {n}"}, str(n), ", "))
        if not links:
            return  # left as it is: the build fails on the unknown key
        del sup.attrib["data-cite"]
        sup.text = "["
        links[-1].tail = "]"
        sup.extend(links)


def _placeholders(el: etree.Element):
    return [sup for sup in el.iter("sup") if sup.get("class") == "ttg-cite" and sup.get("data-cite") is not None]


def number_citations(root: etree.Element, page, entries: dict, stash: list[str]) -> list[str]:
    """Numbers every citation, appends the Sources lists; returns the keys the page cites."""
    problems: list[str] = []
    # A link to the About page's Markdown file: the generator makes it a URL.
    labels_url = ("" if page.src_uri == LABELS_PAGE else page.source_link(LABELS_PAGE)) + "#evidence-labels"
    # A section marked data-ttg-sources (a step of the check) numbers its own citations and ends
    # with its own list: a result lists only the sources it cites.
    section_keys: list[str] = []
    for section in root.iter("section"):
        if section.get("id") is None or section.get("data-ttg-sources") is None:
            continue
        numbering = Numbering(entries, page, problems, f"{section.get('id')}-ref-")
        for sup in _placeholders(section):
            numbering.fill(sup)
        keys = numbering.order
        section_keys.extend(k for k in keys if k not in section_keys)
        if keys:
            label = section.get("data-ttg-sources") or "Sources"
            section.append(_details({"class": "ttg-sources ttg-step-sources"}, f"{label} ({len(keys)})",
                                    sources_elements(keys, entries, numbering.prefix, labels_url)))
    numbering = Numbering(entries, page, problems, "ref-")
    for sup in _placeholders(root):
        numbering.fill(sup)
    order = numbering.order
    for text in list(_texts(root)) + list(stash):
        leftover = LEFTOVER.search(ESCAPED.sub(lambda m: chr(int(m.group(1))), HTML_PLACEHOLDER_RE.sub("", text)))
        if leftover:
            problems.append(f"{page.where}: malformed citation '{leftover.group(0)[:40]}' "
                            "(write [@key] or [@key-a; @key-b])")
            break
    if problems:
        raise BuildProblem(
            "Citation problems:\n  " + "\n  ".join(problems)
            + f"\n  how to fix: add the key to docs/{BIBLIOGRAPHY.as_posix()} or correct its spelling")
    if order:
        # On screen the list is one line until opened (a citation link opens it: the browser opens a
        # <details> that holds the target, site.js does so where it does not); on paper it prints whole.
        # Not an h2 yet: the contents list would take it (see HEADING_PLACEHOLDER).
        heading = _element(HEADING_PLACEHOLDER, {"id": "sources"}, "Sources", "\n")
        if len(root):
            root[-1].tail = (root[-1].tail or "") + "\n"
        root.append(heading)
        root.append(_details({"class": "ttg-sources", "id": "sources-list"},
                             f"Show the {len(order)} sources for this page",
                             sources_elements(order, entries, "ref-", labels_url)))
    return order + [k for k in section_keys if k not in order]


def check_page(page, cited: list[str], entries: dict) -> None:
    """The claim audit and the medical-page rule; records what the page cites."""
    slug = Path(page.src_uri).with_suffix("").as_posix()
    RECORD["cited_on"][slug] = set(cited)
    # Claim audit: every (page, source) pair records what the source says in support.
    unsupported = [k for k in cited if slug not in (entries[k].get("supports") or {})]
    if unsupported:
        raise BuildProblem(
            "Citations without a claim note:\n  "
            + "\n  ".join(f"{line_of(page, k)}: cites '{k}', but docs/{BIBLIOGRAPHY.as_posix()} has no "
                           f"note for this page under {k}.supports.{slug}" for k in unsupported)
            + f"\n  how to fix: add to the entry 'supports: {{{slug}: {{where: <section of the source>, "
              "says: <what it says, at most 25 words if quoted>}}'; if the source does not support "
              "the sentence, change the sentence")
    if (page.meta or {}).get("medical") and not cited:
        raise _fail(page.where, "is a medical page (medical: true) but cites no source",
                    "cite the source of each claim as [@key]")
    RECORD["used"].update(cited)
    page.meta["sources"] = cited  # for templates and structured data
    page.meta["citations"] = [citation_url(entries[k]) for k in cited]


def reset_record() -> None:
    RECORD["cited_on"], RECORD["used"] = {}, set()


def site_problems(entries: dict, record: dict = RECORD) -> None:
    """At the end of a build: claim notes for pages that no longer cite, entries nobody cites."""
    stale = [f"{k}.supports.{slug}" for k, entry in entries.items()
             for slug in (entry.get("supports") or {})
             if k not in record["cited_on"].get(slug, set())]
    if stale:
        raise _fail(f"docs/{BIBLIOGRAPHY.as_posix()}",
                    f"claim notes for pages that do not exist or no longer cite the source: {', '.join(stale)}",
                    "remove the note, or cite the source where the page makes that claim")
    unused = sorted(set(entries) - record["used"])
    if unused:
        raise _fail(f"docs/{BIBLIOGRAPHY.as_posix()}", f"entries never cited by any page: {', '.join(unused)}",
                    "cite them where they support a claim, or remove them")


# --- The extension ---------------------------------------------------------------------------

class _CitationPattern(InlineProcessor):
    """`[@a; @b]` -> `<sup class="ttg-cite" data-cite="@a; @b"></sup>`, numbered by the tree step."""

    def handleMatch(self, m, data):
        return _element("sup", {"class": "ttg-cite", "data-cite": m.group(1)}), m.start(0), m.end(0)


class _LabelsPreprocessor(Preprocessor):
    """The About page's <!-- evidence-labels --> marker -> what each evidence label means."""

    def run(self, lines):
        page = current(self.md)
        if page.src_uri != LABELS_PAGE:
            return lines
        text = "\n".join(lines)
        if LABELS_MARKER not in text:
            raise _fail(f"docs/{LABELS_PAGE}", f"has no {LABELS_MARKER} marker",
                        "every Sources list links to the page's explanation of the evidence labels; put the marker back")
        return text.replace(LABELS_MARKER, evidence_meanings(EVIDENCE_TYPES), 1).split("\n")


class _CitationTreeprocessor(Treeprocessor):
    def run(self, root):
        page = current(self.md)
        entries = entries_for(page.docs_dir)
        raw = [block for block in self.md.htmlStash.rawHtmlBlocks if isinstance(block, str)]
        cited = number_citations(root, page, entries, raw)
        check_page(page, cited, entries)


class _SourcesHeadingTreeprocessor(Treeprocessor):
    """The Sources heading becomes an h2 with its own link, after the contents list is made."""

    def run(self, root):
        for heading in root.iter(HEADING_PLACEHOLDER):
            heading.tag = "h2"
            heading.append(_element("a", {"class": "headerlink", "href": f"#{heading.get('id')}",
                                          "title": "Link to this section"}, "#"))


class CitationExtension(Extension):
    def extendMarkdown(self, md):
        # After code spans (190), before links (160), so `[@key]` is never read as a link.
        md.inlinePatterns.register(_CitationPattern(CITATION.pattern, md), "ttg_citation", 185)
        # Before anything else reads the page's own text (snippets: 32).
        md.preprocessors.register(_LabelsPreprocessor(md), "ttg_evidence_labels", 40)
        # After Markdown's inline steps and abbreviations; see ORDER in ttg_build/steps.py.
        md.treeprocessors.register(_CitationTreeprocessor(md), "ttg_citations", ORDER["citations"])
        md.treeprocessors.register(_SourcesHeadingTreeprocessor(md), "ttg_sources_heading", ORDER["citations_heading"])


def makeExtension(**kwargs):
    return CitationExtension(**kwargs)


# --- The site-wide check over a built site (for a generator with no end-of-build hook) -------

def cited_in_site(site: Path) -> dict:
    """What each built page cites, read back from its Sources lists (ids ref-<key>, and
    <step>-ref-<key> in a step of the check): the same record a build keeps in RECORD."""
    from selectolax.lexbor import LexborHTMLParser

    record: dict = {"cited_on": {}, "used": set()}
    for page in sorted(Path(site).rglob("index.html")):
        folder = page.parent.relative_to(site).as_posix()
        slug = "index" if folder == "." else folder
        keys = set()
        for item in LexborHTMLParser(page.read_text(encoding="utf-8")).css("ol.ttg-references > li[id]"):
            ident = item.attributes.get("id") or ""
            keys.add(ident[len("ref-"):] if ident.startswith("ref-") else ident.split("-ref-", 1)[-1])
        if keys:
            record["cited_on"][slug] = keys
            record["used"] |= keys
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fail when a bibliography entry or claim note is cited by no built page.")
    parser.add_argument("site", type=Path, help="the built site")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder (docs/_data/bibliography.yml)")
    args = parser.parse_args(argv)
    try:
        site_problems(entries_for(args.docs), cited_in_site(args.site))
    except BuildProblem as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    print("citations: every bibliography entry and claim note is used by a built page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
