"""Links that leave the site carry rel="noopener" and say that they leave (for screen readers in
words, for eyes with an arrow from the stylesheet). Runs after the citation hook, so source
links are covered too."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

LINK = re.compile(r'<a\s+([^>]*?)href="(https?://[^"]+)"([^>]*)>(.*?)</a>', re.S)


def mark_external(html_text: str, own_host: str | None) -> str:
    def replace(match):
        before, url, after, text = match.groups()
        if urlsplit(url).hostname == own_host or "ttg-external" in before + after:
            return match.group(0)
        attrs = (before + after).strip()
        attrs = re.sub(r'\s*rel="[^"]*"', "", attrs)
        if 'class="' in attrs:
            attrs = attrs.replace('class="', 'class="ttg-external ', 1)
        else:
            attrs = (attrs + ' class="ttg-external"').strip()
        return (f'<a href="{url}" {attrs} rel="noopener">{text}'
                '<span class="ttg-sr-only"> (opens another website)</span></a>')

    return LINK.sub(replace, html_text)


def on_page_content(html_text, page, config, files):
    return mark_external(html_text, urlsplit(config.site_url or "").hostname)
