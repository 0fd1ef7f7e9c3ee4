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

# When each tree step runs (Python-Markdown runs higher numbers first). All run after Markdown's
# own tree steps (inline 20, attr_list 8, abbr 7, toc 5, unescape 0; MkDocs's links 0 and title -1),
# so each sees the page as the old MkDocs hooks saw the rendered HTML, and in their order: numbers
# become call links before the Sources lists exist, external links are marked after them, and so on.
ORDER = {
    "triage": -10,
    "citations": -11,
    "tables": -12,
    "external_links": -13,
    "emergency_cards": -14,
    "print_links": -15,
}
