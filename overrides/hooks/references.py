"""Citations from one site-wide bibliography.

Write `[@key]` or `[@key-a; @key-b]` in a page (or a snippet it includes). Each citation
becomes a numbered link to the page's own "Sources" list, which this hook appends. Entries live once, in
docs/_data/bibliography.yml. The build fails, naming the file, on: a malformed entry, an
unknown key, a medical page that cites nothing, or an entry no page cites.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import yaml
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

BIBLIOGRAPHY = Path("_data") / "bibliography.yml"
PLACEHOLDER = re.compile(r'<sup class="ttg-cite" data-cite="([^"]*)"></sup>')
CITATION = re.compile(r"\[(@[^\]\s;]+(?:\s*;\s*@[^\]\s;]+)*)\]")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
URL = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$")

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

_state: dict = {"entries": {}, "used": set(), "cited_on": {}}


class _CitationPattern(InlineProcessor):
    """`[@a; @b]` -> `<sup class="ttg-cite" data-cite="a;b"></sup>`, filled in after rendering.

    The keys live in an attribute so later Markdown steps (abbreviations, smart quotes) cannot
    alter them; the placeholder is numbered in on_page_content.
    """

    def handleMatch(self, m, data):
        el = etree.Element("sup", {"class": "ttg-cite", "data-cite": m.group(1)})
        return el, m.start(0), m.end(0)


class CitationExtension(Extension):
    def extendMarkdown(self, md):
        # After code spans (190), before links (160), so `[@key]` is never read as a link.
        md.inlinePatterns.register(_CitationPattern(CITATION.pattern, md), "ttg_citation", 185)


def _fail(where: str, problem: str, fix: str) -> PluginError:
    return PluginError(f"{where}: {problem}\n  how to fix: {fix}")


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
        raise PluginError("Bibliography problems:\n  " + "\n  ".join(problems))
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


def citation_link(entry: dict) -> dict:
    """A source as schema.org CreativeWork fields, for the page's structured data."""
    if entry.get("doi"):
        url = f"https://doi.org/{entry['doi']}"
    elif entry.get("pmid"):
        url = f"https://pubmed.ncbi.nlm.nih.gov/{entry['pmid']}/"
    else:
        url = entry["url"]
    return {"@type": "CreativeWork", "name": str(entry["title"]), "url": url}


def _line_of(page, key: str) -> str:
    """Where a citation key appears in the page's own Markdown, as 'file:line'."""
    src = f"docs/{page.file.src_uri}"
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8").split("\n")
    except (OSError, TypeError):
        return src
    for number, line in enumerate(lines, start=1):
        if f"@{key}" in line:
            return f"{src}:{number}"
    return f"{src} (in an included snippet or a sign from docs/_data/triage.yml)"


# A section with its own list, whatever the order of its attributes: its id and the list's title.
SECTION = re.compile(r'<section\b(?=[^>]*\bid="([^"]+)")(?=[^>]*\bdata-ttg-sources="([^"]*)")[^>]*>.*?</section>', re.S)
LABELS_MARKER = "<!-- evidence-labels -->"
LABELS_PAGE = "about.md"  # the one page that explains the evidence labels (#evidence-labels)


def evidence_meanings(types) -> str:
    rows = "\n".join(f"<dt>{EVIDENCE_TYPES[t]}</dt><dd>{html.escape(EVIDENCE_MEANINGS[t])}</dd>" for t in types)
    return f'<dl class="ttg-evidence-meanings" id="evidence-labels-list" data-search-exclude>\n{rows}\n</dl>'


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == LABELS_PAGE:
        if LABELS_MARKER not in markdown:
            raise _fail(f"docs/{LABELS_PAGE}", f"has no {LABELS_MARKER} marker",
                        "every Sources list links to the page's explanation of the evidence labels; put the marker back")
        markdown = markdown.replace(LABELS_MARKER, evidence_meanings(EVIDENCE_TYPES), 1)
    return markdown


def sources_list(keys: list[str], entries: dict, prefix: str, labels_url: str) -> str:
    items = "\n".join(f'<li id="{prefix}{k}">{format_entry(entries[k])}</li>' for k in keys)
    return (f'<ol class="ttg-references" data-search-exclude>\n{items}\n</ol>\n'
            f'<p class="ttg-evidence-link" data-search-exclude><a href="{labels_url}">What the evidence '
            'labels (guideline, cohort study...) mean</a></p>')


def on_config(config):
    _state["entries"] = load_bibliography(config.docs_dir)
    _state["used"] = set()
    _state["cited_on"] = {}
    config.markdown_extensions.append(CitationExtension())
    return config


# Citations are resolved in the rendered HTML, so that those inside included snippets
# (pymdownx.snippets expands them during Markdown conversion) are numbered too.
def on_page_content(html_text, page, config, files):
    entries = _state["entries"]
    order: list[str] = []
    problems = []
    labels_url = ("" if page.file.src_uri == LABELS_PAGE
                  else get_relative_url(LABELS_PAGE.replace(".md", "/"), page.url)) + "#evidence-labels"

    def numberer(order: list[str], prefix: str):
        def replace(match):
            keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
            links = []
            for key in keys:
                if key not in entries:
                    problems.append(f"{_line_of(page, key)}: unknown citation key '{key}'")
                    continue
                if key not in order:
                    order.append(key)
                n = order.index(key) + 1
                links.append(f'<a href="#{prefix}{key}" aria-label="Source {n}">{n}</a>')
            return f'<sup class="ttg-cite">[{", ".join(links)}]</sup>' if links else match.group(0)
        return replace

    # A section marked data-ttg-sources (a step of the check) numbers its own citations and ends
    # with its own list: a result lists only the sources it cites.
    section_keys: list[str] = []

    def own_sources(match):
        keys: list[str] = []
        prefix = f"{match.group(1)}-ref-"
        body = PLACEHOLDER.sub(numberer(keys, prefix), match.group(0))
        section_keys.extend(k for k in keys if k not in section_keys)
        if not keys:
            return body
        label = html.escape(match.group(2) or "Sources")
        listing = (f'<details class="ttg-sources ttg-step-sources"><summary>{label} ({len(keys)})</summary>\n'
                   + sources_list(keys, entries, prefix, labels_url) + "\n</details>\n")
        return body[: -len("</section>")] + listing + "</section>"

    html_text = SECTION.sub(own_sources, html_text)
    html_text = PLACEHOLDER.sub(numberer(order, "ref-"), html_text)
    leftover = re.search(r"\[@[^\]]*\]?", html_text)
    if leftover:
        problems.append(f"docs/{page.file.src_uri}: malformed citation '{leftover.group(0)[:40]}' "
                        "(write [@key] or [@key-a; @key-b])")
    if problems:
        raise PluginError(
            "Citation problems:\n  " + "\n  ".join(problems)
            + f"\n  how to fix: add the key to docs/{BIBLIOGRAPHY.as_posix()} or correct its spelling"
        )
    src = f"docs/{page.file.src_uri}"
    slug = Path(page.file.src_uri).with_suffix("").as_posix()
    cited = order + [k for k in section_keys if k not in order]
    _state["cited_on"][slug] = set(cited)
    # Claim audit: every (page, source) pair records what the source says in support.
    unsupported = [k for k in cited if slug not in (entries[k].get("supports") or {})]
    if unsupported:
        raise PluginError(
            "Citations without a claim note:\n  "
            + "\n  ".join(f"{_line_of(page, k)}: cites '{k}', but docs/{BIBLIOGRAPHY.as_posix()} has no "
                           f"note for this page under {k}.supports.{slug}" for k in unsupported)
            + f"\n  how to fix: add to the entry 'supports: {{{slug}: {{where: <section of the source>, "
              "says: <what it says, at most 25 words if quoted>}}'; if the source does not support "
              "the sentence, change the sentence"
        )
    if (page.meta or {}).get("medical") and not cited:
        raise _fail(src, "is a medical page (medical: true) but cites no source",
                    "cite the source of each claim as [@key]")
    _state["used"].update(cited)
    page.meta["sources"] = cited  # for templates and structured data
    page.meta["citations"] = [citation_link(entries[k]) for k in cited]
    if not order:
        return html_text
    page.toc.items.append(AnchorLink("Sources", "sources", 2))
    # On screen the list is one line until opened (a citation link opens it: the browser opens a
    # <details> that holds the target, site.js does so where it does not); on paper it prints whole.
    return (
        html_text
        + '\n<h2 id="sources">Sources<a class="headerlink" href="#sources" '
        'title="Link to this section">#</a></h2>\n'
        + f'<details class="ttg-sources" id="sources-list"><summary>Show the {len(order)} sources for this page</summary>\n'
        + sources_list(order, entries, "ref-", labels_url) + "\n</details>\n"
    )


def on_post_build(config):
    stale = [f"{k}.supports.{slug}" for k, entry in _state["entries"].items()
             for slug in (entry.get("supports") or {})
             if k not in _state["cited_on"].get(slug, set())]
    if stale:
        raise _fail(f"docs/{BIBLIOGRAPHY.as_posix()}",
                    f"claim notes for pages that do not exist or no longer cite the source: {', '.join(stale)}",
                    "remove the note, or cite the source where the page makes that claim")
    unused = sorted(set(_state["entries"]) - _state["used"])
    if unused:
        raise _fail(
            f"docs/{BIBLIOGRAPHY.as_posix()}",
            f"entries never cited by any page: {', '.join(unused)}",
            "cite them where they support a claim, or remove them",
        )
