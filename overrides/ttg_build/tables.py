"""Tables that fit a phone: each data cell carries its column's header as `data-label` (with a
colon, unless the header ends in its own mark: "Does it hurt?"), and a
table of three or more columns is marked `data-ttg-stack`, so the site's stylesheet can show each
row as a card of labelled lines on a narrow screen instead of a table that runs off the side.
The rows keep their table roles (ARIA), since a browser may drop a table's meaning once CSS stops
laying it out as a table. The symptom diary (inside `.ttg-diary`) is a form to print: it stays a
table. A table with no header row is left alone.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ttg_build.steps import ORDER

STACK_FROM = 3  # columns: a two-column table fits a phone as it is


def _text(el: etree.Element) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _first(el: etree.Element, attrs: dict) -> None:
    """Put attrs before the element's own (the order they are written in)."""
    own = dict(el.attrib)
    el.attrib.clear()
    el.attrib.update(attrs)
    el.attrib.update({k: v for k, v in own.items() if k not in attrs})


def _label(header: str) -> str:
    """A cell's label on a stacked row: "When:", but "Does it hurt?" keeps its own mark."""
    return header if not header or header[-1] in "?!:." else header + ":"


def label_table(table: etree.Element) -> None:
    thead = table.find("thead")
    if thead is None:
        return
    labels = [_label(_text(th)) for th in thead.iter("th")]
    _first(thead, {"role": "rowgroup"})
    for row in thead.iter("tr"):
        _first(row, {"role": "row"})
    for th in thead.iter("th"):
        _first(th, {"role": "columnheader"})
    for tbody in table.findall("tbody"):
        _first(tbody, {"role": "rowgroup"})
    for part in [p for p in table if p is not thead]:
        for row in part.iter("tr"):
            _first(row, {"role": "row"})
            cells = iter(labels)
            for td in row.findall("td"):
                _first(td, {"role": "cell", "data-label": next(cells, "")})
    attrs = {"role": "table"}
    if len(labels) >= STACK_FROM:
        attrs.update({"data-ttg-stack": None, "data-ttg-cols": str(len(labels))})
    _first(table, attrs)


def label_tables(root: etree.Element) -> None:
    diaries = [el for el in root.iter("div") if "ttg-diary" in (el.get("class") or "").split()]
    in_diary = {id(t) for d in diaries for t in d.iter("table")}
    for table in list(root.iter("table")):
        # As the site always had: tables Markdown writes (no attributes of their own).
        if id(table) not in in_diary and not table.attrib:
            label_table(table)


class _TableTreeprocessor(Treeprocessor):
    def run(self, root):
        label_tables(root)


class TableExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_TableTreeprocessor(md), "ttg_tables", ORDER["tables"])


def makeExtension(**kwargs):
    return TableExtension(**kwargs)
