"""Sharing: every page previews well in chat apps and social sites, every heading has a stable
permalink, the Share button works, and pages print cleanly."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from helpers import broken_copy, html_pages, open_page, page_url, serve, site_url_of

REQUIRED_PROPERTIES = ("og:type", "og:site_name", "og:title", "og:description", "og:url", "og:image",
                       "og:image:width", "og:image:height", "og:image:alt")
REQUIRED_NAMES = ("description", "twitter:card", "twitter:image:alt")
# X falls back on og:title, og:description and og:image (developer.x.com/cards/markup): a page
# that says them twice spends bytes before its first paint.
DUPLICATED_BY_OPEN_GRAPH = ("twitter:title", "twitter:description", "twitter:image")


class _PreviewParser(HTMLParser):
    """Reads a page the way a link-preview service does: the <head> tags only."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("content") is not None:
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a["content"]
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def preview_problems(site: Path) -> list[str]:
    root = site_url_of(site)
    problems = []
    for page in html_pages(site):
        if page.name == "404.html":
            continue
        url = page_url(site, page)
        where = f"site{url}"
        parser = _PreviewParser()
        parser.feed(page.read_text())
        meta = parser.meta
        expected_url = root.rstrip("/") + url
        if parser.canonical != expected_url:
            problems.append(f"{where}: canonical is {parser.canonical!r}, expected {expected_url!r}")
        for key in REQUIRED_PROPERTIES + REQUIRED_NAMES:
            if not meta.get(key, "").strip():
                problems.append(f"{where}: missing <meta> {key}")
        for key in DUPLICATED_BY_OPEN_GRAPH:
            if key in meta and meta[key] != meta.get("og:" + key.split(":", 1)[1]):
                problems.append(f"{where}: {key} differs from its Open Graph twin, which X would otherwise use")
        if meta.get("og:url") and meta["og:url"] != expected_url:
            problems.append(f"{where}: og:url {meta['og:url']} does not match the canonical URL")
        if not 50 <= len(meta.get("description", "")) <= 160:
            problems.append(f"{where}: meta description should be 50-160 characters")
        for key in ("og:image", "twitter:image"):  # twitter:image only where a page still has it
            image_url = meta.get(key)
            if not image_url:
                continue
            if not image_url.startswith(root):
                problems.append(f"{where}: {key} {image_url} is not an absolute URL on this site")
                continue
            image_file = site / urlsplit(image_url).path[len(urlsplit(root).path):]
            if not image_file.is_file():
                problems.append(f"{where}: {key} file {image_file.relative_to(site)} does not exist")
                continue
            with Image.open(image_file) as img:
                if img.size != (1200, 630) or img.format != "PNG":
                    problems.append(f"{where}: {key} is {img.format} {img.size}, expected PNG 1200x630")
    return problems


def test_every_page_has_complete_link_preview_tags(site):
    problems = preview_problems(site)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pattern, expected", [
    (r'<meta property="og:image" content="[^"]*">', "missing <meta> og:image"),
    (r'<link rel="canonical" href="[^"]*">', "canonical is None"),
    (r'<meta name="twitter:card" content="[^"]*">', "missing <meta> twitter:card"),
])
def test_preview_check_catches_missing_tags(site, tmp_path, pattern, expected):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    page = broken / "causes" / "index.html"
    text, count = re.subn(pattern, "", page.read_text(), count=1)
    assert count == 1, f"fixture setup: {pattern} not found"
    page.write_text(text)
    problems = "\n".join(preview_problems(broken))
    assert "site/causes/:" in problems and expected in problems, problems


def test_preview_check_catches_a_wrong_image_size(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    Image.new("RGB", (400, 400)).save(broken / "assets" / "images" / "social" / "causes.png")
    problems = "\n".join(preview_problems(broken))
    assert "site/causes/: og:image is PNG (400, 400), expected PNG 1200x630" in problems, problems


def test_every_heading_has_a_permalink(site):
    missing = []
    for page in html_pages(site):
        html = page.read_text()
        for match in re.finditer(r'<h([2-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', html, re.S):
            if f'class="headerlink" href="#{match.group(2)}"' not in match.group(3):
                missing.append(f"site{page_url(site, page)}#{match.group(2)}")
    assert not missing, f"headings without a permalink: {missing}"


# --- in the browser ---------------------------------------------------------------------------

@pytest.mark.browser
def test_share_button_uses_web_share_api_when_present(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(
        "window.__shared = []; Navigator.prototype.share = function (d) { window.__shared.push(d); return Promise.resolve(); };")
    open_page(page, base_url + "/causes/")
    page.locator("[data-ttg-share]").click()
    page.wait_for_function("() => window.__shared.length === 1")
    shared = page.evaluate("window.__shared[0]")
    context.close()
    assert shared["url"].endswith("/causes/") and "causes" in shared["title"].lower()


@pytest.mark.browser
def test_share_button_copies_the_link_and_says_so(browser, base_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.share")
    open_page(page, base_url + "/warning-signs/")
    page.locator("[data-ttg-share]").click()
    status = page.locator(".ttg-share-status")
    status.wait_for(state="visible")
    copied = page.evaluate("navigator.clipboard.readText()")
    message = status.text_content()
    context.close()
    assert copied.endswith("/warning-signs/")
    assert "Link copied" in message and copied in message


@pytest.mark.browser
def test_print_hides_navigation_chrome(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/causes/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", "[data-ttg-share]"):
        assert not page.locator(selector).first.is_visible(), f"{selector} shows in print"
    assert page.locator("article h1").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_symptom_diary_prints_on_one_page(context, base_url, tmp_path, paper):
    page = context.new_page()
    open_page(page, base_url + "/symptom-diary/")
    pdf = page.pdf(format=paper)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the diary prints on {pages} {paper} pages"


DIARY_ROWS = 14  # "two weeks (14 days)"


def diary_print_problems(page, origin: str) -> list[str]:
    """What a printed diary must carry: where it came from, no on-screen instructions, the
    warning-signs address spelled out, 14 rows and the fields a doctor asks for."""
    open_page(page, origin + "/symptom-diary/")
    page.emulate_media(media="print")
    text = page.locator("article").inner_text()
    rows = page.evaluate("[...document.querySelectorAll('.ttg-diary tbody tr')]"
                         ".filter(r => r.getClientRects().length).length")
    headers = page.locator(".ttg-diary th").all_inner_texts()
    problems = []
    if not re.search(r"Thigh Twitch Guide: https?://\S+/symptom-diary/", text):
        problems.append("the printout does not say the site's name and the page's address")
    if "Print" in text and "command" in text:
        problems.append("the printout still tells the reader to use the Print command")
    if not re.search(r"warning sign \(https?://\S+/warning-signs/\)", text):
        problems.append("the printout does not spell out the warning signs' address")
    if rows != DIARY_ROWS:
        problems.append(f"the diary has {rows} rows, not {DIARY_ROWS}")
    for field in ("Name", "Start date", "Medicines"):
        if field not in text:
            problems.append(f"the printout has no '{field}' field")
    if "Caffeine" not in headers:
        problems.append(f"no caffeine column in {headers}")
    return problems


@pytest.mark.browser
def test_printed_diary_carries_what_paper_needs(context, base_url):
    assert diary_print_problems(context.new_page(), base_url) == []


@pytest.mark.browser
@pytest.mark.parametrize("old, new, expected", [
    ('<p class="ttg-screen-only">', "<p>", "Print command"),
    ('<span class="ttg-print-only"> (', '<span hidden> (', "warning signs' address"),
    ('<p class="ttg-print-only ttg-print-source">', '<p hidden>', "site's name"),
    ("<tr>\n<td>&nbsp;</td>", "<tr hidden>\n<td>&nbsp;</td>", "rows, not 14"),
])
def test_diary_print_check_catches(site, tmp_path, context, old, new, expected):
    broken = broken_copy(site, tmp_path, "symptom-diary/index.html", old, new)
    with serve(broken) as origin:
        problems = diary_print_problems(context.new_page(), origin)
    assert any(expected in p for p in problems), problems
