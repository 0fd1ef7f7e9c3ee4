"""Lay-language search: what people type finds the right page, in the real search box.

The queries live in tests/data/search-queries.yml; add a line to grow the list."""
import pytest
import yaml

from helpers import ROOT, open_search, search_results

pytestmark = pytest.mark.browser
QUERIES = yaml.safe_load((ROOT / "tests" / "data" / "search-queries.yml").read_text())


def test_there_are_at_least_20_queries():
    assert len(QUERIES) >= 20


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/", wait_until="networkidle")
    open_search(page)
    yield page
    context.close()


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_lay_query_finds_expected_page_in_top_three(search_page, case):
    top = search_results(search_page, case["query"])
    assert case["expect"] in top, f"{case['query']!r}: expected {case['expect']} in the top 3, got {top}"


def test_no_match_shows_a_helpful_empty_state(search_page, base_url):
    results = search_results(search_page, "zzqxj")
    assert results == []
    empty = search_page.locator(".ttg-search-empty")
    empty.wait_for(state="visible")
    links = empty.locator("a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert "/symptoms/" in links and "/warning-signs/" in links
    # And it goes away again when a query matches.
    search_results(search_page, "cramp")
    assert search_page.locator(".ttg-search-empty").count() == 0


CLUTTER_PROBE = """() => [...document.querySelectorAll(
    '.md-search-result .md-tag, .md-search-result__terms')]
    .filter(el => el.offsetParent !== null)
    .map(el => el.className + ': ' + el.textContent.trim().slice(0, 40))"""


def result_clutter(page, query: str) -> list[str]:
    """Things on result cards that mislead a lay reader: chips that do nothing, 'Missing:' lines."""
    search_results(page, query)
    return page.evaluate(CLUTTER_PROBE)


def test_results_show_no_dead_chips_or_missing_lines(search_page):
    clutter = [c for q in ("coffee", "twitching at night", "is it als") for c in result_clutter(search_page, q)]
    assert not clutter, clutter


def test_clutter_check_sees_chips_when_they_show(search_page):
    search_results(search_page, "coffee")
    search_page.evaluate("document.querySelectorAll('.md-search-result .md-tags, .md-search-result .md-tag')"
                         ".forEach(el => el.style.setProperty('display', 'block', 'important'))")
    assert any("md-tag" in c for c in search_page.evaluate(CLUTTER_PROBE))


def test_following_a_result_does_not_paint_the_feared_word(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/", wait_until="networkidle")
    open_search(page)
    search_results(page, "is it als")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url("**/could-it-be-als/**")
    page.locator("article h1").wait_for()
    marks, url = page.locator("article mark").count(), page.url
    context.close()
    assert marks == 0 and "?h=" not in url, f"{marks} highlighted words after following a result ({url})"
