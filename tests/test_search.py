"""Search in the reader's words: what people type lands on the section that answers it.

The queries live in tests/data/search-queries.yml, each with the section (page + #anchor) that
answers it; the synonyms in docs/_data/synonyms.yml. Every query is typed into the real search
box; the expected section must be in the top three, and at least 85% must have it first."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import (PageWatcher, ROOT, build, build_or_fail, copy_project, first_result_card,
                     open_search, search_results, serve)

QUERIES = yaml.safe_load((ROOT / "tests" / "data" / "search-queries.yml").read_text())
SYNONYMS = ROOT / "docs" / "_data" / "synonyms.yml"
TOP_ONE_TARGET = 0.85


def test_there_are_at_least_120_queries_each_naming_a_section_or_page():
    assert len(QUERIES) >= 120, len(QUERIES)
    queries = [q["query"].lower() for q in QUERIES]
    assert len(set(queries)) == len(queries), "a query is listed twice"
    for q in QUERIES:
        assert re.fullmatch(r"/([a-z0-9-]+/)?(#[a-z0-9-]+)?", q["expect"]), q


# --- the query list itself: each expected section must exist ------------------------------------

def missing_sections(site: Path, queries: list[dict]) -> list[str]:
    """Queries whose expected page or #anchor is not in the built site."""
    problems = []
    for q in queries:
        path, _, anchor = q["expect"].partition("#")
        page = site / path.strip("/") / "index.html"
        if not page.exists():
            problems.append(f"tests/data/search-queries.yml: {q['query']!r} expects {q['expect']}, "
                            f"but there is no page {path}")
        elif anchor and f'id="{anchor}"' not in page.read_text(encoding="utf-8"):
            problems.append(f"tests/data/search-queries.yml: {q['query']!r} expects {q['expect']}, "
                            f"but {path} has no section #{anchor}")
    return problems


def test_every_expected_section_exists(site):
    assert not missing_sections(site, QUERIES)


def test_section_check_catches_a_section_that_disappears(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    page = broken / "warning-signs" / "index.html"
    page.write_text(page.read_text().replace('id="wasting"', 'id="muscle-loss"'))
    problems = missing_sections(broken, QUERIES)
    assert any("'muscle wasting'" in p and "no section #wasting" in p for p in problems), problems


# --- the synonym list: the build fails on an entry that is wrong ---------------------------------

@pytest.mark.parametrize("append, expected", [
    ("water wings: flotation device\n", r"synonyms\.yml:\d+: synonyms that point nowhere: 'water wings'"),
    ("charley horse: cramp\n", r"synonyms\.yml:\d+: 'charley horse' is listed twice"),
    ("spasm: spasm\n", r"synonyms\.yml:\d+: 'spasm' maps to itself"),
    ("wobbly: [tremor\n", r"synonyms\.yml:\d+: not valid YAML"),
])
def test_build_fails_on_a_bad_synonym(tmp_path, append, expected):
    project = copy_project(tmp_path / "project")
    synonyms = project / "docs" / "_data" / "synonyms.yml"
    synonyms.write_text(synonyms.read_text() + append)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(expected, result.stdout + result.stderr), result.stdout + result.stderr


def test_every_synonym_is_applied_by_the_worker(site):
    """The build hands the reviewed list to the search worker inside the index's config."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    listed = yaml.safe_load(SYNONYMS.read_text())
    assert index["config"]["synonyms"] == {" ".join(str(k).lower().split()): " ".join(str(v).lower().split())
                                           for k, v in listed.items()}
    assert "tags" not in index["config"]["fields"] or not any("tags" in d for d in index["docs"])


# --- the real search box ---------------------------------------------------------------------------



@pytest.fixture(scope="module")
def search_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watcher = PageWatcher(page, base_url)
    page.goto(base_url + "/", wait_until="networkidle")
    open_search(page)
    page.ttg_watcher = watcher
    yield page
    context.close()


@pytest.fixture(scope="module")
def answers(search_page):
    """Every query typed once: its top three and the first result as the reader sees it."""
    found = {}
    for q in QUERIES:
        top = search_results(search_page, q["query"])
        found[q["query"]] = {"top": top, "card": first_result_card(search_page)}
    return found


@pytest.mark.browser
@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_expected_section_is_in_the_top_three(answers, case):
    top = answers[case["query"]]["top"]
    assert case["expect"] in top, f"{case['query']!r}: expected {case['expect']} in the top 3, got {top}"


@pytest.mark.browser
def test_most_queries_have_the_answer_first(answers):
    misses = [(q["query"], q["expect"], answers[q["query"]]["top"][:1]) for q in QUERIES
              if answers[q["query"]]["top"][:1] != [q["expect"]]]
    share = 1 - len(misses) / len(QUERIES)
    assert share >= TOP_ONE_TARGET, (f"{share:.0%} have the expected section first "
                                     f"(target {TOP_ONE_TARGET:.0%}); misses: {misses}")


@pytest.mark.browser
def test_first_result_shows_the_query_words_in_its_excerpt(answers):
    """Judge by what the reader sees: the first card highlights at least one of the query's words
    (or a synonym) in its visible title or excerpt."""
    bare = [q["query"] for q in QUERIES if not (answers[q["query"]]["card"] or {}).get("marks")]
    assert not bare, f"first result shows none of the query's words: {bare}"


@pytest.mark.browser
def test_a_section_result_links_to_the_section_and_names_its_page(search_page):
    search_results(search_page, "water pills")
    first = search_page.locator(".md-search-result__item").first
    link = first.locator("a").first
    assert "#medicines" in link.get_attribute("href")
    assert first.locator(".ttg-search-page").inner_text() == "What causes thigh twitching"
    assert first.locator("a").count() == 1, "the page's own card should be folded into the section's"


@pytest.mark.browser
def test_short_words_match_whole_not_as_a_prefix(search_page):
    """'als' must not match 'also': the highlighted words are ALS itself."""
    search_results(search_page, "is it als")
    marks = search_page.locator(".md-search-result__item mark").all_inner_texts()
    assert marks and all(m.lower() == "als" for m in marks), marks


@pytest.mark.browser
def test_stemming_matches_other_forms_of_a_word(search_page):
    """'wasting' finds 'wasting'; 'twitches' finds 'twitching' (Porter stems on both sides)."""
    assert search_results(search_page, "muscle wasting")[:1] == ["/warning-signs/#wasting"]
    search_results(search_page, "cramping")
    marks = {m.lower() for m in search_page.locator(".md-search-result__item mark").all_inner_texts()}
    assert {"cramp", "cramps"} & marks, marks


@pytest.mark.browser
def test_no_match_shows_closest_words_and_helpful_links(search_page):
    results = search_results(search_page, "zzqxj")
    assert results == []
    empty = search_page.locator(".ttg-search-empty")
    empty.wait_for(state="visible")
    links = empty.locator("a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert "/symptoms/" in links and "/warning-signs/" in links
    # A misspelling the synonym list does not know: offer the site's closest word.
    search_results(search_page, "twitchinng")
    suggestion = search_page.locator(".ttg-search-suggestion", has_text="twitching")
    suggestion.wait_for(state="visible")
    suggestion.click()
    search_page.wait_for_function("() => document.querySelector('.md-search__input').value === 'twitching'")
    search_page.locator(".md-search-result__item").first.wait_for()
    assert search_page.locator(".ttg-search-empty").count() == 0


CLUTTER_PROBE = """() => [...document.querySelectorAll(
    '.md-search-result .md-tag, .md-search-result__terms')]
    .filter(el => el.offsetParent !== null)
    .map(el => el.className + ': ' + el.textContent.trim().slice(0, 40))"""


@pytest.mark.browser
def test_results_show_no_chips_or_missing_lines(search_page):
    clutter = []
    for query in ("coffee", "twitching at night", "is it als"):
        search_results(search_page, query)
        clutter += search_page.evaluate(CLUTTER_PROBE)
    assert not clutter, clutter


@pytest.mark.browser
def test_clutter_check_sees_chips_when_they_show(search_page):
    search_results(search_page, "coffee")
    search_page.evaluate("""() => { const a = document.querySelector('.md-search-result__item article');
        a.insertAdjacentHTML('beforeend', '<nav class="md-tags"><span class="md-tag">coffee</span></nav>');
        a.querySelectorAll('.md-tag, .md-tags').forEach(el => el.style.setProperty('display', 'block', 'important')); }""")
    assert any("md-tag" in c for c in search_page.evaluate(CLUTTER_PROBE))


@pytest.mark.browser
def test_searching_asks_no_other_website(search_page, answers):
    assert answers  # every query has been typed by now
    assert not search_page.ttg_watcher.foreign_requests()
    assert not search_page.ttg_watcher.console_errors


@pytest.mark.browser
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


@pytest.mark.browser
def test_search_works_under_a_sub_path_and_after_instant_navigation(tmp_path, browser):
    served_root = tmp_path / "root"
    build_or_fail(ROOT, served_root / "twitch-guide", env={"SITE_URL": "https://example.org/twitch-guide/"})
    with serve(served_root) as origin:
        context = browser.new_context(viewport={"width": 390, "height": 900})
        page = context.new_page()
        watcher = PageWatcher(page, origin)
        page.goto(origin + "/twitch-guide/", wait_until="networkidle")
        open_search(page)
        assert search_results(page, "water pills")[:1] == ["/twitch-guide/causes/#medicines"]
        page.locator(".md-search-result__link").first.click()
        page.wait_for_url("**/twitch-guide/causes/**")
        open_search(page)
        assert search_results(page, "charley horse")[:1][0].startswith("/twitch-guide/twitch-or-something-else/")
        context.close()
    assert not watcher.foreign_requests() and not watcher.console_errors, (
        watcher.foreign_requests(), watcher.console_errors)
