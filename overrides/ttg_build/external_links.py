"""Links that leave the site carry rel="noopener" and say that they leave (for screen readers in
words, for eyes with an arrow from the stylesheet). Runs after the citations step, so source
links are covered too."""
from __future__ import annotations

import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ttg_build.steps import ORDER
from ttg_build.page import current


def mark_external(root: etree.Element, own_host: str | None) -> None:
    for link in root.iter("a"):
        url = link.get("href") or ""
        classes = (link.get("class") or "").split()
        if not url.startswith(("http://", "https://")) or "ttg-external" in classes:
            continue
        if urlsplit(url).hostname == own_host:
            continue
        link.attrib.pop("rel", None)
        link.set("class", " ".join(["ttg-external", *classes]))
        link.set("rel", "noopener")
        note = etree.SubElement(link, "span", {"class": "ttg-sr-only"})
        note.text = " (opens another website)"


class _ExternalLinkTreeprocessor(Treeprocessor):
    def run(self, root):
        mark_external(root, urlsplit(current(self.md).site_url or "").hostname)


class ExternalLinkExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_ExternalLinkTreeprocessor(md), "ttg_external_links", ORDER["external_links"])


def makeExtension(**kwargs):
    return ExternalLinkExtension(**kwargs)
