"""MkDocs/ProperDocs adapter for the page-content build steps (overrides/ttg_build, loaded as
Markdown extensions from mkdocs.yml `markdown_extensions`, on every generator).

Python-Markdown gives an extension no page, so this hook tells ttg_build which page is about to be
converted (on_page_markdown). It also checks the data files and settings once at the start, so a
broken file stops the build before any page is built, and runs the site-wide citation check at the
end (an entry no page cites, a claim note for a page that no longer cites it). Zensical skips
hooks: there ttg_build reads the page from Zensical itself (ttg_build/page.py).
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from ttg_build import citations, feedback, triage
from ttg_build.page import clear_mkdocs_page, set_from_mkdocs


def on_config(config):
    docs = Path(config["docs_dir"])
    triage.triage_for(docs)
    citations.entries_for(docs)
    citations.reset_record()
    clear_mkdocs_page()
    report, comments = feedback.settings(config.extra, config.get("repo_url") or "")
    # deploy_files.py reads this to allow the comment host in the CSP (frames only).
    config.extra["comment_frame_origin"] = comments["host"] if comments else None
    host = urlsplit(config.site_url or "").hostname or ""
    if not report and host and not feedback.NOT_PRODUCTION.search(host):
        # Not a logged warning: `strict` would turn it into a failed deploy.
        print(f"WARNING -  {host}: no report channel is configured, so readers cannot report a "
              "mistake except through the About page. Set REPORT_FORGE and REPORT_REPO, or "
              "REPORT_EMAIL (README 'Reader reports and comments').", file=sys.stderr)
    return config


def on_page_markdown(markdown, page, config, files):
    set_from_mkdocs(page, config)
    return markdown


def on_post_build(config):
    clear_mkdocs_page()
    citations.site_problems(citations.entries_for(Path(config["docs_dir"])))
