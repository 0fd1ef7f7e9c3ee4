"""The post-build pipeline: the site-wide steps, run in this order over a built site, whatever
generator made it (MkDocs and ProperDocs run it from overrides/hooks/pipeline.py; `make build
GENERATOR=zensical` runs it after Zensical):

 1. redirects     moved sections' old anchors in their pages, moved pages' redirect pages, _redirects
 2. social_cards  a share image per page, and the page's og:image/twitter:image pointing at it
 3. search        the search records from each page's article, search/search_index.json, the
                  search worker and the result words in each page's theme config
 3b. header_controls  the header's colour and search controls cut from every page into
                  assets/javascripts/controls.js, which the loader brings back with the stylesheet
 4. offline       offline.html (the 404 page's shell, the offline content) and the service worker's
                  build stamp (the hash of everything built so far)
 4b. minify      our scripts without their comments and indentation (rjsmin)
 5. fingerprint   content hashes in our CSS and JS names, and in every page's references
 6. inline_css    the stylesheets inlined into every page (needs the hashed names)
 6b. whitespace   the templates' indentation between tags left out (about 0.5 KiB gzip a page)
 6c. page_head    Material's scope script the same text on every page (one CSP hash, not three),
                  and no generator meta
 7. deploy_files  the CSP on every page and in _headers (hashes of the final inline scripts and
                  style), cache rules, robots.txt: last writer, so it sees every file
 8. output_check  refuse a site that is not fit to publish, naming page and problem

Each step reads what it needs from the built site, docs/ (front matter, docs/_data) and mkdocs.yml
(site_url, site_name, the search and palette settings), never from the generator's objects.
Pages are read and written with the selectolax HTML5 parser.

    PYTHONPATH=overrides python -m ttg_build.pipeline site --docs docs --config mkdocs.yml
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from . import (deploy_files, fingerprint, header_controls, minify, offline, output_check, page_head, redirects, search,
               social_cards, whitespace)
from .errors import BuildError
from .context import Build


def _inline_css(build: Build) -> None:
    from . import inline_css  # imported late: tinycss2 is needed only here
    inline_css.run(build.site)


def _output_check(build: Build) -> None:
    if build.serving:  # the live preview leaves out the CSP on purpose
        return
    problems = output_check.check_site(build.site, build.docs)
    if problems:
        raise BuildError(output_check.report(problems))


def _step_errors() -> tuple[type[BaseException], ...]:
    try:  # inline_css.py raises MkDocs' own error
        from mkdocs.exceptions import PluginError
    except ImportError:  # pragma: no cover
        return (BuildError,)
    return (BuildError, PluginError)


STEPS = (
    ("redirects", redirects.run),
    ("social_cards", social_cards.run),
    ("search", search.run),
    ("header_controls", header_controls.run),
    ("offline", offline.run),
    ("minify", minify.run),
    ("fingerprint", fingerprint.run),
    ("inline_css", _inline_css),
    ("whitespace", whitespace.run),
    ("page_head", page_head.run),
    ("deploy_files", deploy_files.run),
    ("output_check", _output_check),
)


def run(build: Build, *, verbose: bool = False) -> None:
    """Every step in order. A step that refuses the site does not stop the others: the build
    fails at the end with every step's message and the output check's list, so one run names
    everything that is wrong."""
    if not (build.site / "index.html").is_file():
        raise BuildError(f"{build.site}: no index.html (is this a built site?)")
    failures = []
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            step(build)
        except _step_errors() as error:
            failures.append(str(error))
        if verbose:
            print(f"  {name}: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    if len(failures) == 1:
        raise BuildError(failures[0])
    if failures:
        raise BuildError(f"{len(failures)} build steps refused the site:\n" + "\n".join(failures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ttg_build.pipeline",
        description="Finish a built site (redirects, share images, search, offline page, fingerprints, "
                    "inlined CSS, CSP and host files), then refuse it if it is not fit to publish.")
    parser.add_argument("site", type=Path, help="the built site folder, straight from the generator")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the Markdown sources (default: docs)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site's config (default: mkdocs.yml)")
    parser.add_argument("--verbose", action="store_true", help="print each step's time")
    args = parser.parse_args(argv)
    if not args.config.is_file():
        print(f"{args.config}: missing (the pipeline reads site_url, site_name and the search settings there)",
              file=sys.stderr)
        return 2
    try:
        run(Build.open(args.site, args.docs, args.config), verbose=args.verbose)
    except BuildError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"pipeline: {args.site} finished; output check: fit to publish")
    return 0
