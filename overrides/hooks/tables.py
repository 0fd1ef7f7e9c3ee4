"""Tables that fit a phone: each data cell carries its column's header as `data-label`, and a
table of three or more columns is marked `data-ttg-stack`, so the site's stylesheet can show each
row as a card of labelled lines on a narrow screen instead of a table that runs off the side.
The rows keep their table roles (ARIA), since a browser may drop a table's meaning once CSS stops
laying it out as a table. The symptom diary (inside `.ttg-diary`) is a form to print: it stays a
table. A table with no header row is left alone.
"""
from __future__ import annotations

import html
import re

TABLE = re.compile(r"<table>(.*?)</table>", re.S)
DIARY = re.compile(r'<div class="ttg-diary">.*?</div>', re.S)
HEADER_CELL = re.compile(r"<th(?:\s[^>]*)?>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
DATA_CELL = re.compile(r"<td(\s[^>]*)?>")
STACK_FROM = 3  # columns: a two-column table fits a phone as it is


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def label_table(table_html: str) -> str:
    inner = table_html[len("<table>"):-len("</table>")]
    thead = re.search(r"<thead>(.*?)</thead>", inner, re.S)
    if not thead:
        return table_html
    labels = [_text(h) for h in HEADER_CELL.findall(thead.group(1))]

    def label_row(row):
        cells = iter(labels)

        def label_cell(cell):
            label = next(cells, "")
            return f'<td role="cell" data-label="{html.escape(label, quote=True)}"{cell.group(1) or ""}>'
        return '<tr role="row">' + DATA_CELL.sub(label_cell, row.group(1)) + "</tr>"

    head = re.sub(r"<th(\s|>)", r'<th role="columnheader"\1', thead.group(0))
    head = head.replace("<tr>", '<tr role="row">').replace("<thead>", '<thead role="rowgroup">')
    body = inner.replace(thead.group(0), "")
    body = ROW.sub(label_row, body).replace("<tbody>", '<tbody role="rowgroup">')
    stack = f' data-ttg-stack data-ttg-cols="{len(labels)}"' if len(labels) >= STACK_FROM else ""
    return f'<table role="table"{stack}>{head}{body}</table>'


def label_tables(page_html: str) -> str:
    diaries = [(m.start(), m.end()) for m in DIARY.finditer(page_html)]
    def replace(match):
        if any(a <= match.start() < b for a, b in diaries):
            return match.group(0)
        return label_table(match.group(0))
    return TABLE.sub(replace, page_html)


def on_page_content(html_text, page, config, files):
    return label_tables(html_text)
