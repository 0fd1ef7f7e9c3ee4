"""WCAG 2.2 AA in a real browser: axe-core finds nothing on any page, at phone and desktop
widths, in light and dark schemes; keyboard, zoom and motion work as people need."""
from __future__ import annotations

import re

import pytest
from helpers import (SCHEMES, WIDTHS, axe_violations, broken_copy, broken_style, open_page, open_search,
                     phone_page, reader_context, search_results, serve, site_paths)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violations_on_any_page(browser, site, base_url, width, scheme):
    context = reader_context(browser, viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    for path in site_paths(site):
        open_page(page, base_url + path)
        problems += [f"{path} [{width}px, {scheme}]: {v}" for v in axe_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_catches_an_unlabelled_button(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "causes/index.html", "</article>",
                         '<button type="button"><svg width="10" height="10"></svg></button></article>')
    context = reader_context(browser)
    page = context.new_page()
    with serve(broken) as url:
        open_page(page, url + "/causes/")
        problems = "\n".join(axe_violations(page))
    context.close()
    assert "button-name" in problems, problems


def test_lang_is_set(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_skip_link_is_first_and_reaches_the_content(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/causes/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "md-skip" in focused
    assert page.locator(".md-skip").is_visible(), "the skip link must show when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#what-causes-thigh-twitching"


def test_focus_is_always_visible(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/warning-signs/")  # the share button joins the Tab order with its script
    invisible = []
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.tagName + '.' + e.className, s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
        name, outline, width, shadow = style
        if (outline == "none" or width == "0px") and shadow == "none":
            invisible.append(name)
    assert not invisible, f"elements with no visible focus: {invisible}"


def test_search_works_from_the_keyboard_alone(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/")
    open_search(page)
    # The worker answers each keystroke and the list is redrawn each time, so wait until the
    # list answers the whole query (its mark) before moving focus into it; a redraw for a shorter
    # query after the arrow key would take the focus away again.
    top = search_results(page, "restless legs", count=1)
    assert top and "twitch-or-something-else/" in top[0], top
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "document.activeElement && document.activeElement.closest('.md-search-result__item')"
    )
    page.keyboard.press("Enter")
    # Instant navigation swaps the page in place, so wait for the address, not a load event.
    page.wait_for_url("**/twitch-or-something-else/**")
    page.locator("h1", has_text="twitch or something else").wait_for()


def palette_first_tap_problems(browser, url: str) -> list[str]:
    """On a light or a dark phone, the colour toggle's first tap changes the colours, and its
    name says what the tap does."""
    problems = []
    for system, after in (("light", "slate"), ("dark", "default")):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=system)
        page = context.new_page()
        open_page(page, url + "/")  # the toggle is the theme's; its script loads after the first paint
        before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        toggle = page.locator("form[data-md-component='palette'] label:not([hidden])").first
        name = toggle.get_attribute("title") or ""
        toggle.click()
        try:
            # Predicates as functions: the CSP forbids evaluating strings.
            page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s", arg=after, timeout=10000)
        except Exception:
            now = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            problems.append(f"[{system} phone] the first tap leaves the scheme at {now} (was {before})")
        if not re.search(r"\b(dark|light)\b", name, re.I) or "automatic" in name.lower():
            problems.append(f"[{system} phone] the toggle's name {name!r} does not say what a tap gives")
        context.close()
    return problems


def test_palette_toggle_changes_the_colours_on_the_first_tap(browser, base_url):
    problems = palette_first_tap_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_palette_check_catches_the_old_three_way_toggle(browser, tmp_path):
    from helpers import build_edited

    old = ('  palette:\n    - media: "(prefers-color-scheme: light)"\n')
    new = ('  palette:\n    - media: "(prefers-color-scheme)"\n      toggle: {icon: material/theme-light-dark, '
           'name: "Colour scheme: automatic. Switch to light"}\n    - media: "(prefers-color-scheme: light)"\n')
    result = build_edited(tmp_path, "mkdocs.yml", old, new)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(tmp_path / "site") as url:
        problems = palette_first_tap_problems(browser, url)
    assert any("[light phone] the first tap leaves the scheme at default" in p for p in problems), problems


def test_palette_toggle_works_from_the_keyboard(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/")  # the toggle is the theme's; its script loads after the first paint
    page.locator("input[name='__palette']").first.focus()
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => document.body.getAttribute('data-md-color-scheme') !== b", arg=before)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => document.body.getAttribute('data-md-color-scheme') === b", arg=before)


def test_share_button_works_from_the_keyboard(browser, base_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.share")  # take the copy-the-link path
    open_page(page, base_url + "/causes/")  # the button is hidden until its script runs
    page.locator("[data-ttg-share]").focus()
    page.keyboard.press("Enter")
    status = page.locator(".ttg-share-status")
    status.wait_for(state="visible")
    assert "Link copied" in status.text_content()
    context.close()


@pytest.mark.parametrize("width", [640, 320], ids=["200%", "400%"])
def test_text_reflows_when_zoomed(browser, base_url, site, width):
    """A 1280px window at 200% zoom lays out like a 640px one, at 400% like 320px (WCAG 1.4.10)."""
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    overflowing = []
    for path in site_paths(site):
        open_page(page, base_url + path)
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"):
            overflowing.append(path)
    context.close()
    assert not overflowing, f"pages that scroll sideways at {width}px: {overflowing}"


def test_reduced_motion_is_respected(browser, base_url):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    open_page(page, base_url + "/")
    durations = page.evaluate(
        "() => [...document.querySelectorAll('.md-header, .md-search__overlay, .md-sidebar, .md-nav__link')]"
        ".flatMap(e => getComputedStyle(e).transitionDuration.split(',')).map(parseFloat)")
    context.close()
    assert durations and max(durations) <= 0.001, durations


def test_triage_cards_are_not_told_apart_by_colour_alone(context, base_url):
    page = context.new_page()
    open_page(page, base_url + "/warning-signs/")
    for kind, label in (("emergency", "Emergency"), ("urgent", "Urgent"), ("gp", "See a doctor")):
        title = page.locator(f".admonition.{kind} > .admonition-title")
        assert title.text_content().strip().startswith(label), kind
        icon = title.evaluate("e => getComputedStyle(e, '::before').maskImage || getComputedStyle(e, '::before').webkitMaskImage")
        assert icon and icon != "none", f"{kind} card has no icon"
    icons = {page.locator(f".admonition.{k} > .admonition-title").evaluate(
        "e => getComputedStyle(e, '::before').webkitMaskImage") for k in ("emergency", "urgent", "gp")}
    assert len(icons) == 3, "each tier needs its own icon"


# axe does not look inside SVG figures: measure their words and colours ourselves.
FIGURE_PROBE = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const out = [];
  document.querySelectorAll('article figure svg[role="img"]').forEach((svg, n) => {
    svg.querySelectorAll('text').forEach(t => {
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      out.push({kind: 'text', figure: n, what: t.textContent.trim(), value: px});
    });
    svg.querySelectorAll('path, rect, circle, polygon').forEach(s => {
      const cs = getComputedStyle(s);
      const paint = cs.fill !== 'none' ? cs.fill : cs.stroke;
      if (!paint || paint === 'none' || parseFloat(cs.opacity) === 0) return;
      // A shape filled with one of its figure's patterns shows that pattern's own shapes, which
      // are measured themselves; a url() to anything else is a paint it cannot read, and fails.
      const target = paint.startsWith('url(') && (paint.match(/#([\\w-]+)/) || [])[1];
      if (target && svg.querySelector('pattern[id="' + target + '"] *')) return;
      const value = ratio(rgb(paint), bg) * Math.min(1, parseFloat(cs.opacity));
      out.push({kind: 'shape', figure: n, what: (s.getAttribute('class') || s.tagName),
                value: Number.isFinite(value) ? value : 0});  // a paint it cannot read fails
    });
  });
  return out;
}"""
MIN_FIGURE_TEXT_PX = 12
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast


def figure_problems(browser, url: str, paths: list[str]) -> list[str]:
    problems = []
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for path in paths:
            open_page(page, url + path)
            for item in page.evaluate(FIGURE_PROBE):
                if item["kind"] == "text" and item["value"] < MIN_FIGURE_TEXT_PX:
                    problems.append(f"{path} [390px, {scheme}]: figure text '{item['what']}' renders at "
                                    f"{item['value']:.1f}px (below {MIN_FIGURE_TEXT_PX}px); put words "
                                    "in HTML or enlarge them")
                if item["kind"] == "shape" and item["value"] < MIN_GRAPHIC_CONTRAST:
                    problems.append(f"{path} [390px, {scheme}]: figure shape '{item['what']}' has contrast "
                                    f"{item['value']:.2f}:1 with the page (below {MIN_GRAPHIC_CONTRAST}:1)")
        context.close()
    return problems


def test_figures_read_on_a_phone_in_both_schemes(browser, site, base_url):
    paths = [p for p in site_paths(site) if p.endswith("/")
             and "<figure" in (site / p.strip("/") / "index.html").read_text()]
    assert paths, "no page has a figure to check"
    problems = figure_problems(browser, base_url, paths)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, expected", [
    ('class="ttg-risk-twitch"', 'fill="#0b5d6b" style="fill:#0b5d6b"', "contrast"),
    ('font-size="30"', 'font-size="10"', "renders at"),
    ('fill="url(#risk-dot)"', 'fill="url(#risk-missing)"', "contrast 0.00:1"),
])
def test_figure_check_catches_tiny_text_and_low_contrast(browser, site, tmp_path, old, new, expected):
    page = "could-it-be-als/index.html" if "risk" in old else "what-is-it/index.html"
    broken = broken_copy(site, tmp_path, page, old, new)
    with serve(broken) as url:
        problems = "\n".join(figure_problems(browser, url, ["/" + page.replace("index.html", "")]))
    assert expected in problems, problems


# --- small things a reader on a phone trips over ---------------------------------------------



def myth_quote_problems(browser, url: str) -> list[str]:
    with phone_page(browser, height=900) as page:
        open_page(page, url + "/could-it-be-als/")
        marks = page.eval_on_selector_all("article q.ttg-myth", """els => els.map(q => [
            getComputedStyle(q, '::before').content, getComputedStyle(q, '::after').content])""")
    assert marks, "no quoted myth to check"
    return [f"myth quote {n}: opens with {before}, closes with {after}; both marks must show"
            for n, (before, after) in enumerate(marks)
            if "open-quote" not in before or "close-quote" not in after]


def test_myth_quotes_open_and_close(browser, base_url):
    problems = myth_quote_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_myth_quote_check_catches_an_unclosed_quote(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, 'content: "Myth: " open-quote;', 'content: "Myth: \\201C";')
    with serve(broken) as url:
        assert myth_quote_problems(browser, url)


def citation_target_problems(browser, url: str) -> list[str]:
    with phone_page(browser, height=900) as page:
        open_page(page, url + "/causes/")
        boxes = page.eval_on_selector_all("article .ttg-cite a", """els => els.map(a => {
            const r = a.getBoundingClientRect(); return [a.textContent, r.width, r.height]; })""")
    assert boxes, "no citation links to measure"
    return [f"/causes/ citation [{text}] is {w:.0f}x{h:.0f}px; make it at least 24x24px"
            for text, w, h in boxes if w < 24 or h < 24]


def test_citation_links_are_easy_to_tap(browser, base_url):
    problems = citation_target_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_tap_target_check_catches_small_citations(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".ttg-cite a { padding: 6px 9px;", ".ttg-cite a { padding: 0;")
    with serve(broken) as url:
        assert citation_target_problems(browser, url)


def heading_jump_problems(browser, url: str, path: str = "/warning-signs/") -> list[str]:
    with phone_page(browser, height=900) as page:
        open_page(page, url + path)
        heights = page.evaluate("""() => {
            const hs = [...document.querySelectorAll('article h2, article h3')];
            const before = hs.map(h => h.getBoundingClientRect().height);
            document.querySelectorAll('article .headerlink').forEach(a => a.style.display = 'none');
            return hs.map((h, i) => [h.textContent.replace('#', '').trim(), before[i], h.getBoundingClientRect().height]);
        }""")
    return [f"{path} heading '{text}' is {with_link:.0f}px tall with its permalink, {without:.0f}px without"
            for text, with_link, without in heights if abs(with_link - without) > 1]


def test_headings_keep_their_height_with_the_permalink(browser, base_url, site):
    problems = [p for path in site_paths(site) if path.endswith("/")
                for p in heading_jump_problems(browser, base_url, path)]
    assert not problems, "\n".join(problems)


def test_heading_check_catches_a_wrapping_permalink(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".headerlink { position: absolute;", ".headerlink { position: static;")
    with serve(broken) as url:
        assert heading_jump_problems(browser, url), "the 'Weakness: what doctors mean' heading should wrap"


def double_underline_problems(browser, url: str) -> list[str]:
    with phone_page(browser, height=900) as page:
        open_page(page, url + "/causes/")
        styles = page.eval_on_selector_all("article a abbr", """els => els.map(el => {
            const s = getComputedStyle(el);
            return [el.textContent, s.textDecorationLine, s.borderBottomStyle]; })""")
    assert styles, "no glossary term inside a link on /causes/"
    return [f"'{text}' inside a link has its own underline ({line}, border {border})"
            for text, line, border in styles if line != "none" or border not in ("none", "")]


def test_glossary_terms_in_links_have_one_underline(browser, base_url):
    problems = double_underline_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_double_underline_check_catches(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, ".md-typeset a abbr {", ".md-typeset a nothing {")
    with serve(broken) as url:
        assert double_underline_problems(browser, url)


def first_screen_problems(browser, url: str) -> list[str]:
    """On a phone the home page leads with the answer and 'see a doctor if', then a compact
    emergency card that stays one tap from the full list (NHS order: what it is, what to do, when
    to get help, call 999)."""
    with phone_page(browser, height=900) as page:
        open_page(page, url + "/")
        box = lambda sel: page.locator(sel).first.bounding_box()  # noqa: E731
        lead, doctor, card = box(".ttg-lead"), box("#when-to-see-a-doctor"), box("article .admonition.emergency")
        link = page.locator("article .admonition.emergency a[href*='warning-signs']").count()
    problems = []
    if not (lead["y"] < doctor["y"] < card["y"]):
        problems.append("the short answer and 'when to see a doctor' must come before the emergency card")
    if doctor["y"] > 900:
        problems.append(f"'when to see a doctor' starts at {doctor['y']:.0f}px, below the first screen")
    # A third of the screen at most: the card now carries the clinical review's wording (a stroke
    # even if it passes; any one cauda equina sign, pain or weakness in both legs).
    if card["height"] > 0.33 * 900:
        problems.append(f"the emergency card is {card['height']:.0f}px tall, over a third of a phone screen")
    if not link:
        problems.append("the emergency card does not link to the full emergency list")
    return problems


def test_home_page_leads_with_the_answer_on_a_phone(browser, base_url):
    problems = first_screen_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_first_screen_check_catches_the_old_order(browser, site, tmp_path):
    html = (site / "index.html").read_text()
    card = re.search(r'<div class="admonition emergency[^"]*">.*?</div>', html, re.S).group(0)
    broken = broken_copy(site, tmp_path, "index.html", card, "")
    page = broken / "index.html"
    page.write_text(page.read_text().replace('<p class="ttg-lead">', card + '<p class="ttg-lead">', 1))
    with serve(broken) as url:
        assert first_screen_problems(browser, url)
