"""A page paints from its own HTML: the stylesheet is inlined (allowed by its hash in the CSP)
and the scripts load after the first paint. These tests hold the theme's script back, as a slow
network would, and check what a reader sees meanwhile and after it arrives. Speed itself is
measured by `make bench`, not here."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import broken_copy, broken_style, html_pages, serve, wait_for_routed, wait_for_scripts

pytestmark = pytest.mark.browser
BUNDLE = "**/assets/javascripts/bundle.*.min.js"


def test_pages_wait_for_no_stylesheet_or_script(site):
    """Nothing in the head waits for another request: one inlined <style>, no stylesheet link, no
    script file. The whole stylesheet is linked once, in the body after the article (content
    after it waits for it, so the header and the navigation are never shown unstyled)."""
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        if "<body" not in text or 'http-equiv="refresh"' in text:
            continue
        head, body = text.split("<body", 1)
        assert not re.search(r'<link rel="stylesheet"', head), page
        assert head.count("<style>") == 1, page
        # Read here by a browser without scripts; with scripts the loader asks for it after the
        # first paint, so it is the page's only link to the whole stylesheet.
        links = re.findall(r'<noscript data-ttg-theme(?:="")?><link rel="stylesheet" href="[^"]*assets/stylesheets/theme\.[0-9a-f]{8}\.css"></noscript>', body)
        assert len(links) == 1, page
        assert body.index("</article>") < body.index(links[0]) < body.index('<header class="md-header'), page
        # Only inline scripts (hashed in the CSP) before the body ends; no <script src>.
        assert not re.search(r"<script[^>]*\ssrc=", text), page


# What the reader sees of each element of the article: where it is, its size, its colours and
# its type (a missing inlined rule shows here as a flash or a jump when the stylesheet lands).
LOOK = """() => [...document.querySelectorAll('article *, .ttg-header-slot, .md-header, [data-ttg-shell], .md-main__inner > .md-sidebar')]
  .filter(e => e.getClientRects().length && !e.closest('.md-header, .md-main__inner > [data-md-component=sidebar]'))
  .map(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    const slot = e.matches('.ttg-header-slot, .md-header') ? 'header place'
               : e.matches('[data-ttg-shell], .md-main__inner > .md-sidebar') ? 'sidebar ' + e.className : null;
    return [slot || e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'),
            Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height),
            s.color, s.backgroundColor, s.fontSize, s.fontWeight, s.borderLeftColor,
            // reduced motion: no transition either way, or a colour read mid-way would differ
            s.transitionProperty]; })"""
WHOLE_SHEET = "**/assets/stylesheets/theme.*.css"


def first_paint_problems(browser, url: str, path: str, width: int, scheme: str) -> list[str]:
    """The page as painted before its whole stylesheet arrives (held back: the loader asks for
    it after the first paint) against the same page with it, before the theme's script runs: every element of the
    article, the header's place and the sidebars' places must look the same."""
    looks = []
    for hold in (True, False):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                      reduced_motion="reduce")
        held = []
        context.route("**/*.js", lambda route: route.abort())  # the theme's work is not what we compare
        if hold:
            context.route(WHOLE_SHEET, lambda route: held.append(route))
        page = context.new_page()
        if hold:
            page.goto(url + path, wait_until="commit")
            # The loader asks for it after the first paint; held, nothing it styles is placed.
            page.wait_for_function("() => document.querySelector('body > link[rel=stylesheet][href*=\"/theme.\"]')")
            wait_for_routed(page, held)
            assert held and not page.evaluate("document.documentElement.hasAttribute('data-ttg-styled')"), \
                "the whole stylesheet was not held"
        else:
            page.goto(url + path, wait_until="load")
            page.wait_for_function("() => document.documentElement.hasAttribute('data-ttg-styled')")
        looks.append({item[0]: item[1:] for item in page.evaluate(LOOK)})
        for route in held:
            route.abort()
        context.close()
    first, final = looks
    problems = [f"{path} at {width}px, {scheme}: {name} is {first.get(name)} before the stylesheet, {look} after"
                for name, look in final.items() if first.get(name) != look]
    return problems or ([] if final else [f"{path}: nothing measured"])


@pytest.mark.parametrize("path", ["/", "/warning-signs/", "/check/", "/causes/", "/symptom-diary/"])
def test_the_first_paint_is_the_finished_page(browser, base_url, path):
    problems = []
    for width, scheme in ((390, "light"), (390, "dark"), (1280, "light")):
        problems += first_paint_problems(browser, base_url, path, width, scheme)
    assert not problems, "\n".join(problems[:20])


def test_first_paint_check_catches_a_rule_left_out(browser, site, tmp_path):
    # The emergency card's colour taken out of the inlined rules (the whole sheet keeps it): the
    # card would flash in the wrong colour on a slow connection.
    broken = broken_style(site, tmp_path, ".md-typeset .admonition.emergency, .md-typeset details.emergency {",
                          ".md-typeset .admonition.ttg-none, .md-typeset details.ttg-none {", inline_only=True)
    with serve(broken) as url:
        problems = first_paint_problems(browser, url, "/warning-signs/", 390, "light")
    assert any("admonition.emergency" in p for p in problems), problems


def repeated_declarations(site: Path) -> list[str]:
    """The <style> after the first emergency card holds only what the head's lacks: no rule of
    the head's comes again with a declaration the head's copy already has (inline_css.py)."""
    import tinycss2

    def rules(css):
        out = {}
        for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
            if rule.type == "qualified-rule":
                decls = {f"{d.name}:{tinycss2.serialize(d.value).strip()}" for d in
                         tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
                         if d.type == "declaration"}
                out.setdefault(tinycss2.serialize(rule.prelude).strip(), set()).update(decls)
        return out

    problems, split = [], 0
    for page in html_pages(site):
        styles = re.findall(r"<style>(.*?)</style>", page.read_text(encoding="utf-8"), re.S)
        if len(styles) < 2:
            continue
        split += 1
        head, rest = rules(styles[0]), rules(styles[1])
        for selector, decls in rest.items():
            again = decls & head.get(selector, set())
            if again:
                problems.append(f"{page.relative_to(site)}: {selector} repeats {len(again)} declaration(s) "
                                f"after the card, e.g. {sorted(again)[0][:60]}")
    return problems if split else ["no page has a <style> after its first emergency card"]


def test_the_style_after_the_card_repeats_nothing(site):
    problems = repeated_declarations(site)
    assert not problems, "\n".join(problems)


def test_repeat_check_sees_a_repeated_block(site, tmp_path):
    page = "check/index.html"
    text = (site / page).read_text(encoding="utf-8")
    first = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    root = re.search(r":root\{[^{}]*\}", first).group(0)
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    target = broken / page
    parts = target.read_text(encoding="utf-8").split("</style>")
    parts[1] = parts[1] + root  # the head's :root block again, inside the second <style>
    target.write_text("</style>".join(parts), encoding="utf-8")
    problems = repeated_declarations(broken)
    assert any(p.startswith("check/index.html: :root repeats") for p in problems), problems


def scheme_problems(url: str, browser, path: str = "/") -> list[str]:
    """With the theme's script held back, the page must already show the reader's scheme and
    the site's colours (dark for a dark system, light for a light one, a stored choice first)."""
    problems = []
    cases = [("dark", None, "slate"), ("light", None, "default"),
             ("light", '{"index":1,"color":{"media":"(prefers-color-scheme: dark)","scheme":"slate",'
                       '"primary":"custom","accent":"custom"}}', "slate"),
             # a choice stored under the old three-way palette: "automatic" is forgotten
             ("dark", '{"index":0,"color":{"media":"(prefers-color-scheme)","scheme":"default",'
                      '"primary":"indigo","accent":"indigo"}}', "slate")]
    for system, stored, expected in cases:
        context = browser.new_context(color_scheme=system)
        if stored:
            context.add_init_script(f"localStorage.setItem(new URL('.', location).pathname + '.__palette', {stored!r})")
        context.route(BUNDLE, lambda route: None)  # never answered while we look
        page = context.new_page()
        # The scheme is set by an inline script as the body is parsed: by DOMContentLoaded it has run.
        page.goto(url + path, wait_until="domcontentloaded")
        seen = page.evaluate("[document.body.dataset.mdColorScheme, document.body.dataset.mdColorPrimary]")
        if seen != [expected, "custom"]:
            problems.append(f"{path} [system {system}, stored {'yes' if stored else 'no'}]: before the theme's "
                            f"script the page shows scheme/primary {seen}, expected [{expected!r}, 'custom']")
        context.close()
    return problems


def test_the_colour_scheme_is_right_before_the_theme_script_arrives(browser, base_url):
    assert not scheme_problems(base_url, browser)


def test_scheme_check_catches_a_page_that_would_flash(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "index.html", '<script>(function(){var o=', '<script>(function(){return;var o=')
    # The edited script no longer matches its CSP hash, so the browser blocks it: the same flash.
    with serve(broken) as url:
        problems = scheme_problems(url, browser)
    assert any("system dark, stored no" in p and "'default'" in p for p in problems), problems


def test_search_works_once_its_script_arrives_and_keeps_what_was_typed(browser, base_url):
    context = browser.new_context()
    held = []
    context.route(BUNDLE, lambda route: held.append(route))
    page = context.new_page()
    # A held script holds back the load event too: wait until the page has asked for it.
    page.goto(base_url + "/", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('script[src*=\"/bundle.\"]')")
    wait_for_routed(page, held)
    # Until the theme's script runs there is no search box to type into (nothing to lose), and
    # the page is fully readable.
    assert held and not page.locator(".md-search__input").is_visible()
    assert page.locator("article h1").is_visible()
    for route in held:
        route.continue_()
    wait_for_scripts(page)
    page.locator("body").press("/")
    page.locator(".md-search__input").type("cramp", delay=20)  # typing as the search starts up
    page.locator(".md-search-result__list[data-ttg-query]").wait_for()
    assert page.input_value(".md-search__input") == "cramp"
    page.wait_for_function("() => document.querySelector('.md-search-result__list').dataset.ttgQuery === 'cramp'")
    assert page.locator(".md-search-result__item").count() > 0
    context.close()


def test_everything_runs_after_the_first_paint(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/causes/", wait_until="load")
    wait_for_scripts(page)
    state = page.evaluate("""() => [document.documentElement.classList.contains('js'),
        typeof document$ !== 'undefined', !document.querySelector('[data-ttg-share]').hidden]""")
    assert state == [True, True, True], state
    # Instant navigation still works after the late start.
    page.click('.md-nav a[href$="what-helps/"]')
    page.wait_for_url("**/what-helps/")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    context.close()


def test_the_search_index_is_fetched_only_when_search_opens(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    asked = []
    page.on("request", lambda request: "search_index.json" in request.url and asked.append(request.url))
    page.goto(base_url + "/causes/", wait_until="networkidle")
    wait_for_scripts(page)
    # The theme asks for the index as it starts (site.js holds that request back): by now it has.
    page.wait_for_function("() => window.__ttgIndexHeld === true")
    assert asked == [], "the search index was fetched before search was opened"
    page.locator("body").press("/")
    page.locator(".md-search__input").type("caffeine")
    page.wait_for_function("() => (document.querySelector('.md-search-result__list') || {}).dataset?.ttgQuery === 'caffeine'")
    assert len(asked) == 1 and page.locator(".md-search-result__item").count() > 0
    context.close()


def typed_before_the_index_is_answered(browser, url: str) -> bool:
    """A reader opens search and types while the index is still on its way (a slow network):
    once it arrives, the list must answer what is in the box."""
    context = browser.new_context()
    held = []
    context.route("**/search/search_index.json*", lambda route: held.append(route))
    page = context.new_page()
    page.goto(url + "/", wait_until="load")
    wait_for_scripts(page)
    with page.expect_request("**/search/search_index.json*"):
        page.locator("body").press("/")
        page.locator(".md-search__input").type("cramp", delay=20)
    page.evaluate("() => 1")  # one round trip: the route handler has had its turn
    assert held, "the index request was not held"
    for route in held:
        route.continue_()
    try:
        page.wait_for_function(
            "() => (document.querySelector('.md-search-result__list') || {}).dataset?.ttgQuery === 'cramp'", timeout=10000)
        return page.locator(".md-search-result__item").count() > 0
    except Exception:
        return False
    finally:
        context.close()


def test_a_query_typed_before_the_index_arrives_is_answered(browser, base_url):
    assert typed_before_the_index_is_answered(browser, base_url)


# Where the header, the sidebars and the whole stylesheet are once the page has loaded: the
# theme's own order (keyboard and screen readers follow the HTML, not the picture).
ORDER = """() => {
  const container = document.querySelector('.md-container'), inner = document.querySelector('.md-main__inner');
  const kids = [...inner.children].filter(e => e.matches('.md-sidebar, .md-content')).map(e =>
    e.classList.contains('md-content') ? 'content' : e.dataset.mdType);
  return {header_before_container: !!container.previousElementSibling?.matches('.md-header'),
          main_order: kids.join(' '), placeholders: document.querySelectorAll('.ttg-header-slot, [data-ttg-shell]').length,
          // outside the container and the head, which an instant navigation replaces
          body_sheet: document.querySelectorAll('body > link[rel=stylesheet][href*="/theme."]').length}; }"""
THEME_ORDER = {"header_before_container": True, "main_order": "navigation toc content", "placeholders": 0,
               "body_sheet": 1}


def order_problems(browser, url: str) -> list[str]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.goto(url + "/causes/", wait_until="load")
    wait_for_scripts(page)
    seen = page.evaluate(ORDER)
    if seen != THEME_ORDER:
        problems.append(f"/causes/ once loaded: {seen}")
    # The first Tab is the skip link, the next one is in the header (the logo), as in the theme.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    if not page.evaluate("() => !!document.activeElement.closest('.md-header')"):
        problems.append("/causes/: the second Tab is not in the header")
    # An instant navigation brings a new container: the sidebars go back into their places again.
    page.click('.md-nav--primary a[href$="what-helps/"]')
    page.wait_for_url("**/what-helps/")
    page.wait_for_function("() => document.querySelector('article h1')?.textContent.includes('help')")
    page.wait_for_function("() => !document.querySelector('[data-ttg-shell]')")
    seen = page.evaluate(ORDER)
    if seen != THEME_ORDER:
        problems.append(f"/what-helps/ after an instant navigation: {seen}")
    if page.evaluate("Math.round(document.querySelector('.md-header').getBoundingClientRect().height)") != 48:
        problems.append("/what-helps/ after an instant navigation: the header is not styled")
    context.close()
    return problems


def test_header_and_navigation_are_in_the_theme_order_once_loaded(browser, base_url):
    assert not order_problems(browser, base_url)


def test_order_check_catches_a_header_left_at_the_end(browser, site, tmp_path):
    # No place held for the header: the loader has nowhere to put it, so it stays at the end.
    broken = broken_copy(site, tmp_path, "causes/index.html", '<div class="ttg-header-slot"></div>', "")
    with serve(broken) as url:
        problems = order_problems(browser, url)
    assert any("/causes/ once loaded" in p and "'header_before_container': False" in p for p in problems), problems


def unstyled_without_scripts(browser, url: str) -> list[str]:
    """With JavaScript off nothing asks for the whole stylesheet but its <noscript> link: the
    header, the navigation and the footer must still be styled (the header 48px tall, the
    footer in the theme's colours)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/causes/", wait_until="load")
    seen = page.evaluate("""() => ({header: Math.round(document.querySelector('.md-header').getBoundingClientRect().height),
        footer: getComputedStyle(document.querySelector('.md-footer')).backgroundColor,
        nav: getComputedStyle(document.querySelector('.md-nav__list')).listStyleType})""")
    context.close()
    problems = []
    if seen["header"] != 48:
        problems.append(f"/causes/ without scripts: the header is {seen['header']}px tall")
    if seen["footer"] in ("rgba(0, 0, 0, 0)", "transparent"):
        problems.append("/causes/ without scripts: the footer has no background")
    if seen["nav"] != "none":
        problems.append(f"/causes/ without scripts: the navigation is a bulleted list ({seen['nav']})")
    return problems


def test_without_scripts_the_whole_stylesheet_still_applies(browser, base_url):
    assert not unstyled_without_scripts(browser, base_url)


def test_no_script_check_catches_a_missing_link(browser, site, tmp_path):
    # The <noscript> link points at no file: without scripts nothing else brings the sheet.
    broken = broken_copy(site, tmp_path, "causes/index.html", '<link rel="stylesheet" href="../assets/stylesheets/theme.',
                         '<link rel="stylesheet" href="../assets/stylesheets/gone.')
    with serve(broken) as url:
        problems = unstyled_without_scripts(browser, url)
    assert any("header" in p for p in problems), problems


# The header's colour and search controls work only with scripts: the build cuts them from the
# HTML (overrides/ttg_build/pipeline/header_controls.py) and controls.js puts them back.
HEADER_CONTROLS = """() => { const h = document.querySelector('.md-header');
    return {palette: h.querySelectorAll('form[data-md-component=palette] input[name=__palette]').length,
            button: h.querySelectorAll('label.md-header__button[for=__search]').length,
            search: h.querySelectorAll('[data-md-component=search] input[data-md-component=search-query]').length,
            markers: h.querySelectorAll('[data-ttg-control]').length}; }"""


def header_control_problems(browser, url: str) -> list[str]:
    problems = []
    for scripts in (True, False):
        context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=scripts)
        page = context.new_page()
        page.goto(url + "/what-helps/", wait_until="load")
        if scripts:
            wait_for_scripts(page)
        seen = page.evaluate(HEADER_CONTROLS)
        context.close()
        expected = {"palette": 2, "button": 1, "search": 1, "markers": 0} if scripts else \
            {"palette": 0, "button": 0, "search": 0, "markers": 4}
        if seen != expected:
            problems.append(f"/what-helps/ {'with' if scripts else 'without'} scripts: the header has {seen}, "
                            f"expected {expected}")
    return problems


def test_the_header_controls_come_back_with_the_scripts_and_only_then(browser, base_url):
    assert not header_control_problems(browser, base_url)


def test_header_control_check_catches_controls_that_never_come_back(browser, site, tmp_path):
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    [script] = (broken / "assets" / "javascripts").glob("controls.*.js")
    script.write_text("// nothing put back\n")
    with serve(broken) as url:
        problems = header_control_problems(browser, url)
    assert any("with scripts" in p and "'palette': 0" in p for p in problems), problems


# Anything the theme fades or slides while a page loads, with no reader's action: an element shown
# unstyled before the whole stylesheet and restyled when it lands starts a transition (the theme's
# toast box faded out at the foot of every page).
TRANSITIONS = "window.__ttgTransitions = []; addEventListener('transitionrun', e => __ttgTransitions.push(" \
              "(e.target.className || e.target.tagName) + ' ' + e.propertyName), true);"


def load_transitions(browser, url: str) -> list[str]:
    problems = []
    for path in ("/", "/check/"):
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 844})
            context.add_init_script(TRANSITIONS)
            page = context.new_page()
            page.goto(url + path, wait_until="load")
            wait_for_scripts(page)
            problems += [f"{path} at {width}px: {t} moves as the page loads" for t in page.evaluate("__ttgTransitions")]
            context.close()
    return problems


def test_nothing_moves_as_the_page_loads(browser, base_url):
    assert not load_transitions(browser, base_url)


def test_load_motion_check_catches_an_element_shown_unstyled(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "[data-ttg-later] { display: none !important; }", "[data-ttg-later] { }")
    with serve(broken) as url:
        assert any("md-dialog" in p for p in load_transitions(browser, url))


LOADER = "<script>(function(){var d=document,done=false"
SIDEBAR_PLACER = "<script>(function(){var d=document;function place(later)"
MID_PARSE = """() => {
  const shown = e => e && getComputedStyle(e).display !== 'none';
  return {slot: shown(document.querySelector('.ttg-header-slot')),
          shells: [...document.querySelectorAll('[data-ttg-shell]')].map(shown),
          early: [...document.querySelectorAll('.md-main__inner > .md-content ~ [data-md-component=sidebar]')].filter(shown).length};
}"""


def mid_parse_problems(browser, site: Path, tmp_path: Path, path: str) -> list[str]:
    """The page as a slow phone paints it while still reading the HTML: the sidebars (or the
    header) are in the page, after the article, but the script that marks them has not run yet.
    Their places must hold: if the header's slot or a sidebar's place gave way for that frame,
    the page would jump and back (a layout shift; measured once at 0.06). Cut at the sidebars'
    script, then at the loader."""
    problems = []
    for n, cut in enumerate((SIDEBAR_PLACER, LOADER)):
        problems += _cut_problems(browser, site, tmp_path / f"mid-parse-{n}", path, cut)
    return problems


def _cut_problems(browser, site: Path, copy: Path, path: str, cut: str) -> list[str]:
    shutil.copytree(site, copy)
    page_file = copy / path.strip("/") / "index.html"
    text = page_file.read_text(encoding="utf-8")
    assert cut in text, f"{path}: {cut!r} was not found"
    page_file.write_text(text[: text.index(cut)], encoding="utf-8")  # the parser stops here
    problems = []
    with serve(copy) as url:
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.route("**/*.js", lambda route: route.abort())
            page = context.new_page()
            page.goto(url + path, wait_until="load")
            state = page.evaluate(MID_PARSE)
            if not state["slot"]:
                problems.append(f"{path} at {width}px, cut before {cut[:45]!r}: the header's place gave way")
            if width == 1280 and (not all(state["shells"]) or state["early"]):
                problems.append(f"{path} at {width}px, cut before {cut[:45]!r}: a sidebar left its place: {state}")
            context.close()
    return problems


@pytest.mark.parametrize("path", ["/could-it-be-als/", "/warning-signs/"])
def test_places_hold_while_the_page_is_still_being_read(browser, site, tmp_path, path):
    assert not mid_parse_problems(browser, site, tmp_path, path)


def test_mid_parse_check_catches_a_place_that_gives_way(browser, site, tmp_path):
    # The no-script rule as it was: it swapped the slot for the header as soon as the parser put
    # the header in the page, before the loader had marked it.
    broken = broken_style(site, tmp_path, "body:has(> [data-ttg-parsed]):has(> .md-header", "body:has(> .md-header",
                          inline_only=True)
    problems = mid_parse_problems(browser, broken, tmp_path, "/could-it-be-als/")
    assert any("header's place gave way" in p for p in problems), problems


def test_mid_parse_check_catches_a_sidebar_shown_before_its_script(browser, site, tmp_path):
    # Without the rule that keeps a sidebar the parser has put after the article hidden until the
    # page is read, the article narrows for a frame beside the sidebars' empty places.
    broken = broken_style(site, tmp_path, ":is(.md-content ~ [data-md-component=sidebar]) { display: none; }", ":is(.ttg-none) { display: none; }",
                          inline_only=True)
    problems = mid_parse_problems(browser, broken, tmp_path, "/could-it-be-als/")
    assert any("sidebar left its place" in p for p in problems), problems


# The diary's Print button needs site.js (it calls window.print), which arrives after the first
# paint: its place is kept until then, so the text below it does not jump down.
SITE_SCRIPT = "**/assets/javascripts/site.*.js"
# Marks <html> two frames after the loader's DOMContentLoaded, which starts the theme's components.
THEME_STARTED = """document.addEventListener("DOMContentLoaded", function (event) {
  if (event.isTrusted) return;
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    document.documentElement.setAttribute("data-test-theme-started", "");
  }); });
});"""
BELOW_BUTTON = "() => document.querySelector('[data-ttg-print]').parentElement.nextElementSibling.getBoundingClientRect().top"


def print_button_shift(browser, url: str) -> list[str]:
    problems = []
    for width in (390, 1280):
        tops = []
        for hold in (True, False):
            context = browser.new_context(viewport={"width": width, "height": 844})
            page = context.new_page()
            if hold:
                page.route(SITE_SCRIPT, lambda route: route.abort())
                page.add_init_script(THEME_STARTED)
            page.goto(url + "/symptom-diary/", wait_until="load")
            if hold:
                # Everything but site.js has run: the loader's own DOMContentLoaded (untrusted)
                # has started the theme's components, and a frame has been laid out since.
                page.wait_for_selector("html[data-test-theme-started]", state="attached")
            else:
                wait_for_scripts(page)
                page.wait_for_selector("[data-ttg-print]:not([hidden])", state="visible")
            tops.append(page.evaluate(BELOW_BUTTON))
            context.close()
        if abs(tops[0] - tops[1]) > 0.5:
            problems.append(f"/symptom-diary/ at {width}px: the text below the Print button moves "
                            f"from {tops[0]:.0f} to {tops[1]:.0f} px when site.js shows it")
    return problems


def test_the_print_button_keeps_its_place_until_it_shows(browser, base_url):
    assert not print_button_shift(browser, base_url)


def test_print_button_check_catches_a_place_not_kept(browser, site, tmp_path):
    broken = broken_style(site, tmp_path, "[data-ttg-print][hidden] {", "[data-ttg-print][hidden][data-none] {")
    with serve(broken) as url:
        assert print_button_shift(browser, url)

# A declaration that stops motion (`transition:none`) is not one of them: it is kept (below).
INTERACTION_ONLY = re.compile(r"(?:^|[{;])((?:transition(?:-[a-z-]+)?|cursor|-webkit-tap-highlight-color):(?!none(?:!important)?[;}])[^;}]*)")
# The theme's rule for a reader who asks for reduced motion: left out, the site's own rule would
# give every element a 0.01 ms transition of everything until the whole sheet lands.
STILL_RULE = "{*,:after,:before{transition:none!important}"


def interaction_rules_inlined(site: Path) -> list[str]:
    """A page's inlined rules leave the theme's transitions, cursors and tap highlight to the whole
    stylesheet (nothing a still page shows depends on them, and they cost every page about 0.13 KiB
    gzip), and the whole stylesheet still has them; the rule that stops motion is inlined. The
    site's own rules are inlined as written."""
    from ttg_build.pipeline.inline_css import squeeze

    own = squeeze((Path(__file__).parent.parent / "overrides/theme/assets/stylesheets/site.css").read_text())
    problems = []
    for page in html_pages(site):
        styles = re.findall(r"<style>(.*?)</style>", page.read_text(encoding="utf-8"), re.S)
        if styles and STILL_RULE not in styles[0]:
            problems.append(f"site/{page.relative_to(site)}: the reduced-motion rule {STILL_RULE[1:]} is not inlined")
        for css in styles:
            for rule in re.findall(r"[^{}]+\{[^{}]*\}", css):
                found = INTERACTION_ONLY.search(rule)
                if found and rule not in own:
                    problems.append(f"site/{page.relative_to(site)}: inlines {found.group(1)[:50]} ({rule[:60]})")
    [whole] = (site / "assets" / "stylesheets").glob("theme.*.css")
    if "{transition:color 125ms}" not in whole.read_text():
        problems.append(f"site/{whole.relative_to(site)}: the theme's link transition is gone from the whole stylesheet")
    return problems


def test_interaction_only_rules_wait_for_the_whole_stylesheet(site):
    problems = interaction_rules_inlined(site)
    assert not problems, "\n".join(problems[:10])


def test_interaction_check_sees_an_inlined_transition(site, tmp_path):
    broken = broken_copy(site, tmp_path, "causes/index.html", "<style>", "<style>.md-typeset a{transition:color 125ms}")
    problems = interaction_rules_inlined(broken)
    assert any("causes/index.html: inlines transition:color 125ms" in p for p in problems), problems


def test_interaction_check_sees_the_reduced_motion_rule_left_out(site, tmp_path):
    broken = broken_copy(site, tmp_path, "causes/index.html", STILL_RULE, "{*,:after,:before{}")
    problems = interaction_rules_inlined(broken)
    assert problems == ["site/causes/index.html: the reduced-motion rule *,:after,:before{transition:none!important} "
                        "is not inlined"], problems


# --- what the inlined rules leave to the whole stylesheet: unit checks of the pruner -----------

def _selector(text: str):
    import tinycss2
    from ttg_build.pipeline.inline_css import split_selectors
    return split_selectors(tinycss2.parse_component_value_list(text))[0]


def test_a_has_rule_is_inlined_only_where_the_page_holds_what_it_asks_for():
    from ttg_build.pipeline.inline_css import FirstPart, Needs
    rule = _selector(".md-content__inner:has(.ttg-check > .ttg-check-step:not(.x)) > h1")
    assert not Needs({"md-content__inner"}).allows(rule), "a check-page rule on a page with no check"
    assert Needs({"md-content__inner", "ttg-check", "ttg-check-step"}).allows(rule)
    # What a :has() asks for may come after the first part: the parser shows it for a frame.
    first = '<html><body><div class="ttg-header-slot"></div>'
    header = _selector("body:has(> .md-header) > .ttg-header-slot")
    assert FirstPart(first, {}, ({"ttg-header-slot", "md-header"}, {"html", "body", "div"})).allows(header)
    assert not FirstPart(first, {}, ({"ttg-header-slot"}, {"html", "body", "div"})).allows(header)


def test_the_theme_sort_rules_are_left_out():
    from ttg_build.pipeline.inline_css import Needs
    assert not Needs({"md-typeset"}).allows(_selector(".md-typeset table th[role=columnheader]:after"))
    assert Needs({"md-typeset"}).allows(_selector(".md-typeset table th"))
