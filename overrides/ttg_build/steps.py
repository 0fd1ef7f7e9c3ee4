"""The page-content build steps, as Python-Markdown extensions that MkDocs, ProperDocs and
Zensical all load (mkdocs.yml `markdown_extensions`), one module per concern:

- citations: `[@key]` -> numbered links and each page's Sources list (docs/_data/bibliography.yml)
- triage: warning-sign cards, the check's questions and results, numbers in words and tap-to-call
  links (docs/_data/triage.yml)
- emergency_cards: no glossary tooltips over an emergency card's instructions
- tables: tables that fit a phone (labelled cells)
- external_links: links that leave the site say so
- print_links: links that print their address
- feedback: the report link and comments under every page, the About page's report channels
- review_dates: the review dates as words, for the templates

Each step's logic is plain Python over ElementTree or Markdown text, so it can move again (Zensical
plans to replace Python-Markdown). What a step needs to know about the page being built comes
from one adapter, `page.py`; errors in the data raise `BuildProblem`, which fails any generator's
build with its message. The package is importable through `overrides/` on sys.path: `make setup`
writes a .pth file into each environment, and the Makefile sets PYTHONPATH (README "Layout").

ORDER below says when each tree step runs.
"""

# When each tree step runs (Python-Markdown runs higher numbers first). After the abbreviations
# (7), in the order the old MkDocs hooks ran (numbers become call links before the Sources lists
# exist, external links are marked after them...). The citations run before the contents list and
# MkDocs's anchor index (5), so links to a source (#ref-...) are known anchors, but their "Sources"
# heading is added after (citations_heading), so it stays out of the contents list as it always
# was. All run before links to other pages are resolved (MkDocs's relpath 0; Zensical resolves them
# after Python-Markdown), so a step may link to a page's Markdown file ("about.md") and every
# generator turns that into the page's URL.
ORDER = {
    "triage": 6.5,
    "citations": 6.0,
    "citations_heading": 4.5,
    "tables": 4.0,
    "external_links": 3.5,
    "emergency_cards": 3.0,
    "print_links": 2.5,
}
