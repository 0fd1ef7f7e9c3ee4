"""The templates' indentation left out of every page: a run of white space that holds a line break,
in text between tags, becomes one line break. HTML renders any such run as one space, so the page
looks the same, and it is about 0.5 KiB smaller gzip. That matters at the edge of one round trip:
Lighthouse simulates a page of about 14 KiB gzip or less as one round trip and a larger one as two
(README, "Performance benchmark"). Attribute values, and everything inside pre, textarea, script
and style (whose white space counts, and whose hashes the CSP lists), are left as they are.

`run(build)` needs only the built site; it runs after inline_css and before deploy_files.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .context import Build, rewrite_pages

INDENTATION = re.compile(r"[ \t]*\n\s*")
RAW = {"pre", "textarea", "script", "style"}


class _TextRuns(HTMLParser):
    """Where the text between tags is, as offsets into the page (raw elements left out)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.starts = [0]
        for match in re.finditer("\n", text):
            self.starts.append(match.end())
        self.runs: list[tuple[int, int]] = []
        self.raw: list[str] = []
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in RAW and not self.get_starttag_text().endswith("/>"):
            self.raw.append(tag)

    def handle_endtag(self, tag):
        if self.raw and self.raw[-1] == tag:
            self.raw.pop()

    def handle_data(self, data):
        if not self.raw:
            start = self._offset()
            self.runs.append((start, start + len(data)))


def squeeze(text: str) -> str:
    out, last = [], 0
    for start, end in _TextRuns(text).runs:
        out.append(text[last:start])
        out.append(INDENTATION.sub("\n", text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


def run(build: Build) -> None:
    rewrite_pages(build.site, squeeze)
