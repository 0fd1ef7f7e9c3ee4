"""On paper a link goes nowhere. A link marked `{.ttg-print-link}` in Markdown gets its full
address printed after it (the text is shown only in print), so a printed page still says where
to look."""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin

LINK = re.compile(r'<a\s+([^>]*?)href="([^"]+)"([^>]*)>(.*?)</a>', re.S)


def add_print_addresses(html_text: str, page_url: str) -> str:
    def replace(match):
        before, href, after, _ = match.groups()
        if "ttg-print-link" not in before + after:
            return match.group(0)
        address = urljoin(page_url, html.unescape(href))
        return f'{match.group(0)}<span class="ttg-print-only"> ({html.escape(address)})</span>'

    return LINK.sub(replace, html_text)


def on_page_content(html_text, page, config, files):
    return add_print_addresses(html_text, page.canonical_url or config.site_url or "")
