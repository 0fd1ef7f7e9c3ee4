"""On paper a link goes nowhere. A link marked `{.ttg-print-link}` in Markdown gets its full
address printed after it (the text is shown only in print), so a printed page still says where
to look."""
from __future__ import annotations

import xml.etree.ElementTree as etree
from urllib.parse import urljoin

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ttg_build.steps import ORDER
from ttg_build.page import current


def add_print_addresses(root: etree.Element, page) -> None:
    page_url = page.canonical_url or page.site_url or ""
    for parent in list(root.iter()):
        for link in [c for c in parent if c.tag == "a" and "ttg-print-link" in (c.get("class") or "").split()]:
            href = link.get("href") or ""
            # A link to a page's Markdown file is not resolved yet: print the URL it becomes.
            target = page.url_of_link(href)
            address = etree.Element("span", {"class": "ttg-print-only"})
            address.text = f" ({urljoin(page.site_url, target) if target is not None else urljoin(page_url, href)})"
            address.tail, link.tail = link.tail, None
            parent.insert(list(parent).index(link) + 1, address)


class _PrintLinkTreeprocessor(Treeprocessor):
    def run(self, root):
        add_print_addresses(root, current(self.md))


class PrintLinkExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_PrintLinkTreeprocessor(md), "ttg_print_links", ORDER["print_links"])


def makeExtension(**kwargs):
    return PrintLinkExtension(**kwargs)
