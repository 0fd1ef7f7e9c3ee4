"""A health service on a phone (issue 21): measured in Chromium at 390x844, in both colour schemes
where colour matters. Tables fit the column, text is big enough, every emergency number can be
tapped, primary actions are 44 px tall, sharing leaves the title alone, Sources cost one line on
screen and print whole, the home page leads with calm content, the diary prints well.
Each check is shown failing on a broken copy of the site."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import PHONE, ROOT, SCHEMES, broken_copy, broken_style, html_pages, open_page, page_url, phone_page, serve, site_paths, \
    wait_for_scripts

pytestmark = pytest.mark.browser

TRIAGE = ROOT / "docs" / "_data" / "triage.yml"


def pages_of(site: Path) -> list[str]:
    return [p for p in site_paths(site) if p.endswith("/")]


# --- tables -------------------------------------------------------------------------------------

TABLE_PROBE = """() => {
  const col = document.querySelector('.md-content__inner').getBoundingClientRect();
  return [...document.querySelectorAll('article table')].map(t => {
    const r = t.getBoundingClientRect();
    const wrap = t.closest('.md-typeset__scrollwrap');
    return {width: r.width, right: r.right, col: col.width, colRight: col.right,
            scrolls: (wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false) || t.scrollWidth > t.clientWidth + 1,
            text: Math.min(...[...t.querySelectorAll('td, th')].filter(c => c.getClientRects().length)
                                .map(c => parseFloat(getComputedStyle(c).fontSize)))};
  });
}"""


def table_problems(browser, url: str, paths: list[str]) -> list[str]:
    with phone_page(browser) as page:
        problems = []
        for path in paths:
            open_page(page, url + path)
            for n, t in enumerate(page.evaluate(TABLE_PROBE)):
                if t["width"] > t["col"] + 1 or t["right"] > t["colRight"] + 1 or t["scrolls"]:
                    problems.append(f"{path} table {n + 1}: {t['width']:.0f}px wide in a {t['col']:.0f}px column"
                                    + (" (it scrolls sideways)" if t["scrolls"] else ""))
                if t["text"] < 15:
                    problems.append(f"{path} table {n + 1}: text at {t['text']:.1f}px (under 15px)")
    return problems


def test_no_table_is_wider_than_the_text_column(browser, site, base_url):
    paths = [p for p in pages_of(site) if "<table" in (site / p.strip("/") / "index.html").read_text()]
    assert len(paths) >= 4, paths
    problems = table_problems(browser, base_url, paths)
    assert not problems, "\n".join(problems)


def test_table_check_catches_a_table_that_runs_off_the_screen(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "could-it-be-als/index.html", "<table ", "<table ")
    page = broken / "could-it-be-als" / "index.html"
    # data-ttg-stack, or data-ttg-stack="": the pages are written by an HTML5 parser.
    text, count = re.subn(r'(<table\b[^>]*?) data-ttg-stack(?:="")?', r"\1", page.read_text(), count=1)
    assert count == 1, "fixture setup: no stacked table on the page"
    page.write_text(text)
    with serve(broken) as url:
        problems = table_problems(browser, url, ["/could-it-be-als/"])
    assert any("(it scrolls sideways)" in p for p in problems), problems


LABEL_PROBE = """() => [...document.querySelectorAll('table[data-ttg-stack] td')]
    .map(td => getComputedStyle(td, '::before').content).filter(c => c !== 'none')"""


def stacked_label_problems(browser, url: str, paths: list[str]) -> list[str]:
    """Each line of a stacked row opens with its column's label, as "When: " or "Does it hurt? "."""
    problems = []
    with phone_page(browser) as page:
        for path in paths:
            open_page(page, url + path)
            labels = page.evaluate(LABEL_PROBE)
            if not labels:
                problems.append(f"{path}: no stacked row shows its labels")
            problems += [f"{path}: a stacked row reads {c}" for c in labels
                         if re.search(r"[?!:.]\s*[?!:.]", c) or not re.search(r'[?!:.] "$', c)]
    return problems


def test_a_stacked_row_labels_each_line_once(browser, base_url):
    assert not stacked_label_problems(browser, base_url, ["/twitch-or-something-else/", "/could-it-be-als/"])


def test_the_label_check_sees_a_doubled_mark(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, 'content: attr(data-label) " "', 'content: attr(data-label) ": "')
    with serve(broken) as url:
        problems = stacked_label_problems(browser, url, ["/twitch-or-something-else/"])
    assert any('"Does it hurt?: "' in p for p in problems), problems


SORT_PROBE = """() => [...document.querySelectorAll('article th')].map(th => {
    const after = getComputedStyle(th, '::after');
    return {text: th.textContent.trim(), cursor: getComputedStyle(th).cursor,
            icon: after.content !== 'none' && after.maskImage !== 'none' && after.maskImage !== ''};
})"""


def sort_affordance_problems(browser, url: str, paths: list[str]) -> list[str]:
    """No table on the site sorts, so no header cell may look clickable when the pointer is on it
    (the theme gives role=columnheader cells a pointer and a sort icon)."""
    problems = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path in paths:
        page.goto(url + path, wait_until="load")
        wait_for_scripts(page)
        header = page.locator("article th").first
        header.scroll_into_view_if_needed()
        header.hover()
        problems += [f"{path}: the table header {h['text']!r} looks sortable (cursor {h['cursor']}"
                     f"{', a sort icon' if h['icon'] else ''})"
                     for h in page.evaluate(SORT_PROBE) if h["cursor"] == "pointer" or h["icon"]]
    context.close()
    return problems


def test_no_table_header_offers_a_sort_it_does_not_have(browser, base_url):
    assert not sort_affordance_problems(browser, base_url, ["/seeing-a-doctor/", "/could-it-be-als/"])


def test_sort_check_sees_a_header_that_looks_sortable(browser, site, tmp_path):
    # The theme's rule for sortable columns, let through (inline_css.py leaves it out).
    kept = ".md-typeset table:not([class]) { font-size: .75rem; }"
    broken = broken_style(site, tmp_path, kept, kept + " .md-typeset table th[role=columnheader] { cursor: pointer; }")
    with serve(broken) as url:
        problems = sort_affordance_problems(browser, url, ["/seeing-a-doctor/"])
    assert any("looks sortable (cursor pointer" in p for p in problems), problems


# --- text sizes -----------------------------------------------------------------------------------

TEXT_PROBE = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('.md-container'), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el.checkVisibility() || el.closest('sup, .headerlink, .md-sidebar, .md-search, .md-header')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    const body = el.closest('article') && !el.closest('.ttg-references, .ttg-disclaimer, .ttg-review, .ttg-report, '
      + 'table, .admonition, .ttg-check-progress, .ttg-evidence-link, .ttg-sources, figcaption, .ttg-ev, .md-button, .ttg-share-status');
    const min = body ? 16 : 15;
    if (px < min) out.push(`'${text.slice(0, 40)}' (${el.tagName.toLowerCase()}.${el.className}) at ${px}px, under ${min}px`);
  }
  return out;
}"""


def text_size_problems(browser, url: str, paths: list[str]) -> list[str]:
    with phone_page(browser) as page:
        problems = []
        for path in paths:
            open_page(page, url + path)
            page.evaluate("() => document.querySelectorAll('details.ttg-sources').forEach(d => d.open = true)")
            problems += [f"{path}: {p}" for p in page.evaluate(TEXT_PROBE)]
    return problems


def test_text_is_big_enough_on_a_phone(browser, site, base_url):
    """Body text 16px or more; everything else (sources, disclaimer, tables, footer) 15px or more."""
    problems = text_size_problems(browser, base_url, pages_of(site))
    assert not problems, "\n".join(problems[:30])


def test_text_size_check_catches_small_print(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".md-copyright, .md-footer__direction { font-size: .75rem; }", ".x { }")
    with serve(broken) as url:
        problems = text_size_problems(browser, url, ["/causes/"])
    assert any("md-copyright" in p and "12.8px" in p for p in problems), problems


# --- emergency numbers ------------------------------------------------------------------------------

def emergency_numbers() -> list[str]:
    tiers = yaml.safe_load(TRIAGE.read_text(encoding="utf-8"))["tiers"]
    return sorted({str(n.get("label") or n["number"]) for t in tiers for n in t.get("numbers") or []}, key=len, reverse=True)


NUMBER_PROBE = """numbers => {
  const said = new RegExp('(?<![\\\\w/.-])(' + numbers.map(n => n.replace(' ', '\\\\s')).join('|') + ')(?![\\\\w/-])', 'g');
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('.md-container'), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el.checkVisibility() || el.closest('.ttg-references, script, style, .md-search')) continue;
    for (const m of node.textContent.matchAll(said)) {
      const link = el.closest('a[href^="tel:"]');
      if (!link || link.getAttribute('href').slice(4) !== m[1].replace(/\\s/g, '')) out.push(`${m[1]} in '${node.textContent.trim().slice(0, 50)}'`);
    }
  }
  return out;
}"""


def number_problems(browser, url: str, paths: list[str]) -> list[str]:
    with phone_page(browser) as page:
        problems = []
        for path in paths:
            open_page(page, url + path)
            problems += [f"{path}: {p} is not a tap-to-call link" for p in page.evaluate(NUMBER_PROBE, emergency_numbers())]
    return problems


def check_steps() -> list[str]:
    data = yaml.safe_load(TRIAGE.read_text(encoding="utf-8"))
    return (["start"] + [q["id"] for q in data["check"]["questions"]]
            + [f"result-{t['id']}" for t in data["tiers"]] + [data["check"]["all_clear"]])


def test_every_emergency_number_on_screen_can_be_tapped(browser, site, base_url):
    paths = pages_of(site) + [f"/check/#{s}" for s in check_steps() if s.startswith("result-")]
    problems = number_problems(browser, base_url, paths)
    assert not problems, "\n".join(problems)
    # The numbers really are there to check.
    home = (site / "index.html").read_text()
    assert all(f'href="tel:{n}"' in home for n in ("999", "112", "911"))


def test_number_check_catches_a_plain_number(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "index.html", '<a class="ttg-tel" href="tel:112">112</a>', "112")
    with serve(broken) as url:
        assert "/: 112 in" in "\n".join(number_problems(browser, url, ["/"]))


# --- primary actions are 44 px tall ------------------------------------------------------------------

TARGET_PROBE = """() => [...document.querySelectorAll(
    'article .md-button, article .admonition a[href^="tel:"], article .ttg-check-step a[href^="tel:"]')]
  .filter(a => a.checkVisibility())
  .map(a => { const r = a.getBoundingClientRect(); return [a.textContent.trim().slice(0, 30), r.width, r.height]; })"""


def target_problems(browser, url: str, paths: list[str]) -> list[str]:
    # Without JavaScript each step of the check shows at its own address, so each can be measured.
    with phone_page(browser, java_script_enabled=False) as page:
        problems, measured = [], 0
        for path in paths:
            page.goto(url + path, wait_until="load")
            for text, w, h in page.evaluate(TARGET_PROBE):
                measured += 1
                if h < 44 or w < 44:
                    problems.append(f"{path}: '{text}' is {w:.0f}x{h:.0f}px; a primary action needs 44px")
    assert measured, "no primary action found"
    return problems


TARGET_PATHS = ["/", "/warning-signs/", "/symptom-diary/"] + [f"/check/#{s}" for s in check_steps()]


def test_primary_actions_are_44px_tall(browser, base_url):
    problems = target_problems(browser, base_url, TARGET_PATHS)
    assert not problems, "\n".join(problems)


def test_target_check_catches_small_buttons(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "a.ttg-tel { display: inline-block; min-width: 44px; min-height: 44px;",
                          "a.ttg-tel { display: inline;")
    with serve(broken) as url:
        problems = target_problems(browser, url, ["/", "/check/#start"])
    assert any("'999' is" in p and "needs 44px" in p for p in problems), problems


# --- sharing ------------------------------------------------------------------------------------------

SHARE_PROBE = """() => {
  const h1 = document.querySelector('article h1').getBoundingClientRect();
  const status = document.querySelector('.ttg-share-status');
  const s = status.getBoundingClientRect();
  const overlaps = r => r.width && r.height && r.left < h1.right && r.right > h1.left && r.top < h1.bottom && r.bottom > h1.top;
  const tips = [...document.querySelectorAll('.md-tooltip2, .md-tooltip, [role="tooltip"]')]
    .filter(t => t.getClientRects().length && getComputedStyle(t).visibility !== 'hidden' && parseFloat(getComputedStyle(t).opacity) > 0)
    .filter(t => overlaps(t.getBoundingClientRect()));
  return {h1: [h1.left, h1.top, h1.width, h1.height], text: status.textContent, role: status.getAttribute('role'),
          live: status.getAttribute('aria-live'), covers: overlaps(s), tips: tips.length};
}"""


def share_problems(browser, url: str, path: str = "/causes/") -> list[str]:
    problems = []
    for scheme in SCHEMES:
        with phone_page(browser, scheme) as page:
            page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
            page.add_init_script("delete Navigator.prototype.share")
            open_page(page, url + path)
            before = page.evaluate(SHARE_PROBE)
            page.locator("[data-ttg-share]").click()
            page.wait_for_function("() => document.querySelector('.ttg-share-status').textContent.length > 0")
            after = page.evaluate(SHARE_PROBE)
        if after["h1"] != before["h1"]:
            problems.append(f"{path} [{scheme}]: the title moved or changed shape when the message showed: "
                            f"{before['h1']} -> {after['h1']}")
        if after["covers"]:
            problems.append(f"{path} [{scheme}]: the share message covers the title")
        if after["tips"]:
            problems.append(f"{path} [{scheme}]: a tooltip covers the title after sharing")
        if after["role"] != "status" or after["live"] != "polite":
            problems.append(f"{path} [{scheme}]: the message is not a polite live region (role=status)")
        if "Link copied" not in after["text"]:
            problems.append(f"{path} [{scheme}]: no 'Link copied' message: {after['text']!r}")
    return problems


def test_sharing_leaves_the_title_alone_and_is_announced(browser, base_url):
    problems = share_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_share_check_catches_the_old_message_beside_the_title(browser, site, tmp_path):
    status = '<p class="ttg-share-status" role="status" aria-live="polite"></p>'
    moved = broken_copy(site, tmp_path / "a", "causes/index.html", status, "")
    page = moved / "causes" / "index.html"
    page.write_text(page.read_text().replace("<h1", status + "<h1", 1))
    broken = broken_style(moved, tmp_path / "b", ".md-typeset .ttg-share-status { position: fixed;",
                          ".md-typeset .ttg-share-status { float: right; max-width: 40%;")
    with serve(broken) as url:
        problems = share_problems(browser, url)
    assert any("the title moved" in p for p in problems), problems


# --- sources ------------------------------------------------------------------------------------------

def sources_problems(browser, site: Path, url: str) -> list[str]:
    problems = []
    with phone_page(browser) as page:
        for path in pages_of(site):
            html = (site / path.strip("/") / "index.html").read_text()
            if 'id="sources"' not in html:
                continue
            keys = set(re.findall(r'<li id="ref-([a-z0-9-]+)"', html))
            open_page(page, url + path)
            tall = page.evaluate("""() => { const h = document.getElementById('sources');
                const end = document.getElementById('sources-list') || h.nextElementSibling;
                return end.getBoundingClientRect().bottom - h.getBoundingClientRect().top; }""")
            if tall > 0.5 * PHONE["height"]:
                problems.append(f"{path}: on screen the Sources take {tall / PHONE['height']:.1f} screens")
            page.emulate_media(media="print")
            printed = set(page.evaluate("() => [...document.querySelectorAll('.ttg-references > li')]"
                                        ".filter(li => li.checkVisibility()).map(li => li.id.slice(4))"))
            page.emulate_media(media="screen")
            if printed != keys or not keys:
                problems.append(f"{path}: printed Sources {sorted(printed)} are not all {len(keys)} sources")
    return problems


def test_sources_are_one_line_on_screen_and_whole_on_paper(browser, site, base_url):
    problems = sources_problems(browser, site, base_url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fixture, expected", [
    ("open", "on screen the Sources take"),
    ("print", "printed Sources"),
])
def test_sources_check_catches(browser, site, tmp_path, fixture, expected):
    if fixture == "open":
        broken = tmp_path / "site"
        shutil.copytree(site, broken)
        for page in html_pages(broken):
            page.write_text(page.read_text().replace('<details class="ttg-sources" id="sources-list">',
                                                     '<details class="ttg-sources" id="sources-list" open>'))
    else:
        broken = broken_style(site, tmp_path, "details.ttg-sources::details-content,", "details.ttg-sources::x-content,")
    with serve(broken) as url:
        problems = sources_problems(browser, broken, url)
    assert any(expected in p for p in problems), problems


# The entry is on screen and below the sticky header (sub-pixel layout allowed).
IN_VIEW = ("id => { const li = document.getElementById(id); const r = li.getBoundingClientRect();"
           " const header = document.querySelector('.md-header').getBoundingClientRect().bottom;"
           " return li.checkVisibility() && r.top >= header - 1 && r.top < innerHeight; }")


def test_a_citation_opens_the_sources_at_its_entry(browser, base_url):
    with phone_page(browser) as page:
        open_page(page, base_url + "/causes/")
        link = page.locator("article .ttg-cite a").first
        target = "#" + link.get_attribute("href").split("#")[1]
        link.click()
        page.wait_for_function(IN_VIEW, arg=target[1:])


def source_under_header(browser, url: str) -> bool:
    """site.js brings a source into view with scrollIntoView (after an instant navigation, where
    :target and the theme's margin for it do not apply): does the entry end under the header?"""
    with phone_page(browser) as page:
        open_page(page, url + "/causes/")
        target = page.locator("article .ttg-cite a").first.get_attribute("href").split("#")[1]
        page.evaluate("id => { const li = document.getElementById(id); li.closest('details').open = true;"
                      " li.scrollIntoView(); }", target)
        return not page.evaluate(IN_VIEW, target)


def test_a_source_scrolled_into_view_clears_the_header(browser, base_url):
    assert not source_under_header(browser, base_url)


def test_the_header_check_sees_a_source_under_the_header(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "details.ttg-sources [id] { scroll-margin-top: 3.6rem; }",
                          "details.ttg-sources [id] { }")
    with serve(broken) as url:
        assert source_under_header(browser, url)


# --- the home page and What helps ----------------------------------------------------------------

HOME_PROBE = """() => {
  const card = document.querySelector('article .admonition.emergency');
  const r = card.getBoundingClientRect();
  const tonight = document.querySelector('article .ttg-tonight');
  return {top: r.top + scrollY, height: r.height, bg: getComputedStyle(card).backgroundColor,
          page: getComputedStyle(document.body).backgroundColor,
          tonight: tonight ? tonight.getBoundingClientRect().top + scrollY : null,
          warning: !!card.querySelector('a[href*="warning-signs"]')};
}"""


def home_problems(browser, url: str) -> list[str]:
    """The first two screens belong to calm content about twitching; the emergency card stays,
    as a quiet safety net (no alarm-coloured fill), below the first screen and linked to the full list."""
    problems = []
    for scheme in SCHEMES:
        with phone_page(browser, scheme) as page:
            open_page(page, url + "/")
            home = page.evaluate(HOME_PROBE)
        two = 2 * PHONE["height"]
        if home["top"] < PHONE["height"]:
            problems.append(f"[{scheme}] the emergency card starts on the first screen ({home['top']:.0f}px)")
        in_two = max(0, min(two, home["top"] + home["height"]) - home["top"])
        if in_two > 0.2 * two:
            problems.append(f"[{scheme}] the emergency card fills {in_two / two:.0%} of the first two screens")
        if home["bg"] != home["page"]:
            problems.append(f"[{scheme}] the emergency card has a loud fill ({home['bg']} on {home['page']})")
        if home["tonight"] is None or home["tonight"] > two:
            problems.append(f"[{scheme}] no 'one thing to try tonight' in the first two screens")
        if not home["warning"]:
            problems.append(f"[{scheme}] the emergency card does not link to the full list")
    return problems


def test_home_page_weighs_calm_content_over_the_emergency_card(browser, base_url):
    problems = home_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_home_check_catches_the_old_loud_card(browser, site, tmp_path):
    html = (site / "index.html").read_text()
    card = re.search(r'<div class="admonition emergency ttg-compact">.*?</div>', html, re.S).group(0)
    tonight = re.search(r'<div class="ttg-tonight"[^>]*>.*?</div>', html, re.S).group(0)
    broken = broken_copy(site, tmp_path, "index.html", card, "")
    page = broken / "index.html"
    page.write_text(page.read_text().replace(tonight, card.replace(" ttg-compact", ""), 1))
    with serve(broken) as url:
        problems = "\n".join(home_problems(browser, url))
    assert "loud fill" in problems and "tonight" in problems, problems


def what_helps_problems(browser, url: str) -> list[str]:
    with phone_page(browser) as page:
        open_page(page, url + "/what-helps/")
        top = page.evaluate("() => document.getElementById('self-care').getBoundingClientRect().top")
        key = page.evaluate("() => [...document.querySelectorAll('.ttg-evidence-key li')].filter(l => l.checkVisibility()).length")
    problems = []
    # On the first screen, in its top four fifths (the review pass's 'who this page is for' intro
    # took it from about 576 to 660 px on a 844 px screen).
    if top > 0.8 * PHONE["height"]:
        problems.append(f"'Things you can try' starts {top:.0f}px down, below four fifths of the first screen")
    if key:
        problems.append(f"the page opens with {key} evidence labels on show")
    return problems


def test_what_helps_opens_with_help(browser, base_url):
    assert not what_helps_problems(browser, base_url)


def test_what_helps_check_catches_a_screen_of_labels(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "what-helps/index.html", '<details class="ttg-evidence-help">', "<div>")
    with serve(broken) as url:
        assert what_helps_problems(browser, url)


def caffeine_problems(site: Path) -> list[str]:
    html = (site / "what-helps" / "index.html").read_text()
    section = html.split('id="caffeine"', 1)[-1].split("<h3", 1)[0]
    bibliography = yaml.safe_load((ROOT / "docs" / "_data" / "bibliography.yml").read_text())
    problems = []
    if not re.search(r"\d+ mg", section):
        problems.append("the caffeine section gives no limit in mg")
    cups = [p for p in re.findall(r"<p>(.*?)</p>", section, re.S) if re.search(r"\bcups?\b", p)]
    if not cups:
        problems.append("the caffeine section gives no limit in cups")
    keys = {k for p in cups for k in re.findall(r'href="#ref-([a-z0-9-]+)"', p)}
    if not any("cup" in str(((bibliography.get(k) or {}).get("supports") or {}).get("what-helps", {}).get("says", ""))
               for k in keys):
        problems.append(f"the cups are not cited to a source whose note gives cups (cited: {sorted(keys)})")
    return problems


def test_caffeine_limits_are_in_cups_with_a_source(site):
    assert not caffeine_problems(site)


def test_caffeine_check_catches_cups_without_a_source(site, tmp_path):
    html = (site / "what-helps" / "index.html").read_text()
    cite = re.search(r'Coffee from a cafe may be stronger <sup class="ttg-cite">.*?</sup>', html).group(0)
    broken = broken_copy(site, tmp_path, "what-helps/index.html", cite, "Coffee from a cafe may be stronger")
    assert any("not cited" in p for p in caffeine_problems(broken))


# --- the symptom diary ---------------------------------------------------------------------------

def diary_screen_problems(browser, url: str) -> list[str]:
    with phone_page(browser) as page:
        page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
        open_page(page, url + "/symptom-diary/")
        broken_words = page.evaluate("""() => [...document.querySelectorAll('.ttg-diary th')].flatMap(th => {
            const out = []; const text = th.firstChild; if (!text || text.nodeType !== 3) return out;
            for (const m of text.textContent.matchAll(/\\S+/g)) {
              const r = document.createRange(); r.setStart(text, m.index); r.setEnd(text, m.index + m[0].length);
              const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
              if (lines.size > 1) out.push(m[0]);
            } return out; })""")
        problems = [f"the diary header '{w}' breaks mid-word on a phone" for w in broken_words]
        button = page.get_by_role("button", name="Print the diary")
        if not button.is_visible():
            problems.append("no Print button")
        else:
            box = button.bounding_box()
            if box["height"] < 44:
                problems.append(f"the Print button is {box['height']:.0f}px tall")
            button.click()
            if page.evaluate("window.__printed") != 1:
                problems.append("the Print button does not print")
    return problems


def test_diary_has_a_print_button_and_whole_words_on_a_phone(browser, base_url):
    problems = diary_screen_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_diary_screen_check_catches_broken_words_and_no_button(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "overflow-wrap: normal; word-break: normal; hyphens: manual;", "word-break: break-all;")
    page = broken / "symptom-diary" / "index.html"
    # data-ttg-print hidden, or data-ttg-print="" hidden="": the pages are written by an HTML5 parser.
    text, count = re.subn(r'data-ttg-print(?:="")? hidden(?:="")?', "data-x hidden", page.read_text(), count=1)
    assert count == 1, "fixture setup: no Print button in the diary"
    page.write_text(text)
    with serve(broken) as url:
        problems = "\n".join(diary_screen_problems(browser, url))
    assert "breaks mid-word" in problems and "no Print button" in problems, problems


# The printable area of each sheet with the diary's 12 mm margins, in CSS px (96 per inch).
SHEETS = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MM = 96 / 25.4


def diary_paper_problems(browser, url: str) -> list[str]:
    problems = []
    for paper, (w, h) in SHEETS.items():
        context = browser.new_context(viewport={"width": round((w - 24) * MM), "height": round((h - 24) * MM)})
        page = context.new_page()
        open_page(page, url + "/symptom-diary/")  # the print rules are in the whole stylesheet
        # Media queries on paper see the whole sheet; the emulated screen is the printable area.
        page.emulate_media(media="print")
        css_sheet = page.evaluate(f"() => matchMedia('print and (min-height: 290mm)').matches")
        row, bottom = page.evaluate("""() => [document.querySelector('.ttg-diary tbody td').getBoundingClientRect().height,
            document.querySelector('article').getBoundingClientRect().bottom]""")
        pdf = page.pdf(format=paper)
        context.close()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if pages != 1:
            problems.append(f"{paper}: the diary prints on {pages} pages")
        if row < 10.5 * MM:
            problems.append(f"{paper}: printed rows are {row / MM:.1f} mm high (under 10.5 mm)")
        if not css_sheet and row * 14 < 0.5 * (h - 24) * MM:
            problems.append(f"{paper}: the 14 rows fill under half the page")
    return problems


def test_printed_diary_rows_are_tall_enough_to_write_in(browser, base_url):
    problems = diary_paper_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_diary_paper_check_catches_thin_rows(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".ttg-diary td { height: 1.1cm; }", ".ttg-diary td { height: .9cm; }")
    with serve(broken) as url:
        assert any("mm high" in p for p in diary_paper_problems(browser, url))


# --- smaller points -----------------------------------------------------------------------------

# Words about how the site is made, which a reader has no use for.
BUILD_TALK = ("README", "you do not need to see colour", "the build", "mkdocs", "the site's code")


def build_talk_problems(site: Path) -> list[str]:
    from helpers import article_text

    return [f"site{page_url(site, p)}: says '{phrase}'" for p in html_pages(site)
            for phrase in BUILD_TALK if phrase.lower() in article_text(p.read_text()).lower()]


def test_pages_do_not_talk_about_how_the_site_is_built(site):
    assert not build_talk_problems(site)


def test_build_talk_check_catches(site, tmp_path):
    broken = broken_copy(site, tmp_path, "about/index.html", "</article>", "<p>Please see the README.</p></article>")
    assert "site/about/: says 'README'" in build_talk_problems(broken)


def test_pages_say_who_is_responsible(site):
    for page in html_pages(site):
        html = page.read_text()
        if 'class="ttg-review"' in html:
            assert "editorial team" in html and re.search(r'href="[^"]*#who"', html), page
    assert 'id="who"' in (site / "about" / "index.html").read_text()


def line_length_problems(browser, url: str) -> list[str]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    problems = []
    for step in ("start", "result-see-a-doctor"):
        page.goto(f"{url}/check/#{step}", wait_until="load")
        chars = page.evaluate("""id => { const p = [...document.getElementById(id).querySelectorAll('p, li')]
            .filter(e => e.getClientRects().length);
            const probe = document.createElement('span'); probe.style.width = '1ch'; probe.style.display = 'inline-block';
            p[0].appendChild(probe); const ch = probe.getBoundingClientRect().width; probe.remove();
            return Math.max(...p.map(e => e.getBoundingClientRect().width / ch)); }""", step)
        if chars > 80:
            problems.append(f"/check/#{step}: lines run to {chars:.0f} characters on a desktop")
    context.close()
    return problems


def test_the_check_keeps_lines_short_on_a_desktop(browser, base_url):
    problems = line_length_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_line_length_check_catches_a_wide_check(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".md-typeset .ttg-check { max-width: 34rem; }", ".md-typeset .ttg-check { }")
    with serve(broken) as url:
        assert line_length_problems(browser, url)


def heading_print_problems(browser, url: str) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    open_page(page, url + "/warning-signs/")  # the print rules are in the whole stylesheet
    page.emulate_media(media="print")
    breaks = page.evaluate("() => [...document.querySelectorAll('article h2')].map(h => [h.textContent, getComputedStyle(h).breakAfter])")
    context.close()
    return [f"printed heading '{t.strip('#')}' may stand alone at the foot of a page (break-after: {b})"
            for t, b in breaks if b != "avoid"]


def test_printed_headings_stay_with_what_follows(browser, base_url):
    assert not heading_print_problems(browser, base_url)


def test_heading_print_check_catches(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "break-after: avoid; page-break-after: avoid;", "")
    with serve(broken) as url:
        assert heading_print_problems(browser, url)
