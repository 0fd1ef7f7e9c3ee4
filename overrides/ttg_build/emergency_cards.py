"""Emergency cards show their instructions whole.

A glossary tooltip opened over an emergency card covers the next line of the instructions, so
inside `!!! emergency` cards the abbreviation tooltips are taken out (the words stay, and the card
spells out what it means, for example "an emergency department (A&E)"). The home page's compact
card (`admonition emergency ttg-compact`) keeps them, as it always has: it is one line long.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ttg_build.steps import ORDER

CARD_CLASS = "admonition emergency"


def unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace child by its content (text, children, tail) in parent."""
    at = list(parent).index(child)
    text = (child.text or "")
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[at - 1].tail = (parent[at - 1].tail or "") + text
    inner = list(child)
    parent.remove(child)
    for i, grandchild in enumerate(inner):
        parent.insert(at + i, grandchild)
    tail = child.tail or ""
    if inner:
        inner[-1].tail = (inner[-1].tail or "") + tail
    elif at == 0:
        parent.text = (parent.text or "") + tail
    else:
        parent[at - 1].tail = (parent[at - 1].tail or "") + tail


def strip_tooltips(root: etree.Element) -> None:
    for card in [el for el in root.iter("div") if el.get("class") == CARD_CLASS]:
        for parent in list(card.iter()):
            for child in [c for c in parent if c.tag == "abbr"]:
                unwrap(parent, child)


class _EmergencyCardTreeprocessor(Treeprocessor):
    def run(self, root):
        strip_tooltips(root)


class EmergencyCardExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_EmergencyCardTreeprocessor(md), "ttg_emergency_cards", ORDER["emergency_cards"])


def makeExtension(**kwargs):
    return EmergencyCardExtension(**kwargs)
