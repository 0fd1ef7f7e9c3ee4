"""The site-wide build steps under MkDocs and ProperDocs: after the generator has written site/,
run the post-build pipeline (overrides/ttg_build/pipeline/runner.py, the same steps `make build
GENERATOR=zensical` runs after Zensical). Last of all post-build work; `mkdocs serve` gets every
step but the CSP and the output check (the live reload is an inline script).

One page-level part: Material's search removes `data-search-exclude` from the pages it indexes,
and the pipeline's search step reads the built pages, so each excluded element also gets
`data-ttg-search-exclude`, which stays until the search step has read it (and removes it)."""
from __future__ import annotations

import sys
from pathlib import Path

try:
    import ttg_build  # noqa: F401  (installed, or on PYTHONPATH)
except ImportError:  # run from a checkout: the package lives beside this hook's folder
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.plugins import event_priority

from ttg_build.pipeline.runner import run
from ttg_build.pipeline.search import keep_exclusions
from ttg_build.pipeline.context import Build

_command = {"name": "build"}


def on_startup(command, dirty):
    _command["name"] = command


@event_priority(-1000)  # after every other hook's content change (they add exclusions too)
def on_page_content(html, page, config, files):
    return keep_exclusions(html)


@event_priority(-1000)
def on_post_build(config):
    run(Build.open(config.site_dir, config.docs_dir, config.config_file_path, serving=_command["name"] == "serve"))
