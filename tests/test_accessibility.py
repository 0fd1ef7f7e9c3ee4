"""WCAG 2.2 AA in a real browser: axe-core finds nothing on any page, at phone and desktop
widths, in light and dark schemes; keyboard, zoom and motion work as people need."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from helpers import SCHEMES, WIDTHS, broken_copy, open_search, serve, site_paths

pytestmark = pytest.mark.browser
AXE = Axe()


def axe_violations(page) -> list[str]:
    result = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in result.response["violations"] for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violations_on_any_page(browser, site, base_url, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    for path in site_paths(site):
        page.goto(base_url + path, wait_until="load")
        problems += [f"{path} [{width}px, {scheme}]: {v}" for v in axe_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_catches_an_unlabelled_button(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "causes/index.html", "</article>",
                         '<button type="button"><svg width="10" height="10"></svg></button></article>')
    context = browser.new_context()
    page = context.new_page()
    with serve(broken) as url:
        page.goto(url + "/causes/", wait_until="load")
        problems = "\n".join(axe_violations(page))
    context.close()
    assert "button-name" in problems, problems


def test_lang_is_set(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_skip_link_is_first_and_reaches_the_content(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/causes/", wait_until="load")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "md-skip" in focused
    assert page.locator(".md-skip").is_visible(), "the skip link must show when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#what-causes-thigh-twitching"


def test_focus_is_always_visible(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/warning-signs/", wait_until="load")
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
    page.goto(base_url + "/", wait_until="load")
    open_search(page)
    page.keyboard.type("restless legs", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/twitch-or-something-else/" in page.url


def test_palette_toggle_works_from_the_keyboard(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/", wait_until="load")
    page.locator("input[name='__palette']").first.focus()
    before = page.evaluate("document.body.getAttribute('data-md-color-media')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.body.getAttribute('data-md-color-media') !== {before!r}")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


def test_share_button_works_from_the_keyboard(browser, base_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.share")  # take the copy-the-link path
    page.goto(base_url + "/causes/", wait_until="load")
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
        page.goto(base_url + path, wait_until="load")
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"):
            overflowing.append(path)
    context.close()
    assert not overflowing, f"pages that scroll sideways at {width}px: {overflowing}"


def test_reduced_motion_is_respected(browser, base_url):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(base_url + "/", wait_until="load")
    durations = page.evaluate(
        "() => [...document.querySelectorAll('.md-header, .md-search__overlay, .md-sidebar, .md-nav__link')]"
        ".flatMap(e => getComputedStyle(e).transitionDuration.split(',')).map(parseFloat)")
    context.close()
    assert durations and max(durations) <= 0.001, durations


def test_triage_cards_are_not_told_apart_by_colour_alone(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/warning-signs/", wait_until="load")
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
      out.push({kind: 'shape', figure: n, what: (s.getAttribute('class') || s.tagName),
                value: ratio(rgb(paint), bg) * Math.min(1, parseFloat(cs.opacity))});
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
            page.goto(url + path, wait_until="load")
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
])
def test_figure_check_catches_tiny_text_and_low_contrast(browser, site, tmp_path, old, new, expected):
    page = "could-it-be-als/index.html" if "risk" in old else "what-is-it/index.html"
    broken = broken_copy(site, tmp_path, page, old, new)
    with serve(broken) as url:
        problems = "\n".join(figure_problems(browser, url, ["/" + page.replace("index.html", "")]))
    assert expected in problems, problems
