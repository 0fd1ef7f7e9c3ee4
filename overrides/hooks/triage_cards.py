"""Emergency cards show their instructions whole.

A glossary tooltip opened over an emergency card covers the next line of the instructions, so
inside `!!! emergency` cards the abbreviation tooltips are taken out (the words stay, and the card
spells out what it means, for example "an emergency department (A&E)").
"""
from __future__ import annotations

import re

EMERGENCY_CARD = re.compile(r'<div class="admonition emergency">.*?</div>', re.S)
ABBR = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.S)


def on_page_content(html, page, config, files):
    return EMERGENCY_CARD.sub(lambda card: ABBR.sub(r"\1", card.group(0)), html)
