"""A Python-Markdown extension that keeps the search step's exclusion marks through any generator.

Material's search plugin and Zensical both remove `data-search-exclude` from the pages they write,
but the pipeline's search step reads the written pages. This extension copies each mark to
`data-ttg-search-exclude` (search.keep_exclusions), which they keep. It runs last among the
postprocessors, after the raw HTML blocks are back in place. Under MkDocs the pipeline's hook does
the same for the content the hooks add; once every content step is an extension, listing this
one in `markdown_extensions` (as `ttg_build.pipeline.search_marks`) is enough for every generator.
"""
from __future__ import annotations

from markdown import Extension
from markdown.postprocessors import Postprocessor

from .search import keep_exclusions


class SearchMarks(Postprocessor):
    def run(self, text: str) -> str:
        return keep_exclusions(text)


class SearchMarksExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(SearchMarks(md), "ttg_search_marks", 0)


def makeExtension(**kwargs):
    return SearchMarksExtension(**kwargs)
