"""The review dates in words ("26 November 2026"), for the templates: `page.meta.reviewed_text`
and `page.meta.next_review_text`. Formatted here, in Python, because the templates must work in
both Jinja2 (MkDocs) and MiniJinja (Zensical), and MiniJinja has no strftime (Zensical also hands
front-matter dates over as ISO strings). A value that is not a date is shown as written."""
from __future__ import annotations

import datetime as dt

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ttg_build.page import current

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIELDS = ("reviewed", "next_review")


def in_words(value) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return "" if value is None else str(value)


def add_review_text(meta: dict) -> None:
    for field in FIELDS:
        if field in meta:
            meta[f"{field}_text"] = in_words(meta[field])


class _ReviewDatePreprocessor(Preprocessor):
    def run(self, lines):
        add_review_text(current(self.md).meta)
        return lines


class ReviewDateExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_ReviewDatePreprocessor(md), "ttg_review_dates", 40)


def makeExtension(**kwargs):
    return ReviewDateExtension(**kwargs)
