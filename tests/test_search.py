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
