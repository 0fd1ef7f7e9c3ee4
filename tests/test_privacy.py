"""Nothing tracks the reader: loading and navigating every page, searching and switching the
colour scheme make no request to any other origin and set no cookie. The privacy statement
says exactly this, and these tests keep it true."""
import pytest

from helpers import DOCS, PageWatcher, broken_copy, open_search, search_results, serve, site_paths

pytestmark = pytest.mark.browser


def browse_everything(context, base_url, paths) -> PageWatcher:
    """Load every page, follow a link with instant navigation, search, toggle the palette."""
    page = context.new_page()
    watcher = PageWatcher(page, base_url)
    for path in paths:
        page.goto(base_url + path, wait_until="networkidle")
    page.goto(base_url + "/", wait_until="networkidle")
    page.locator(".md-nav__link", has_text="Warning signs").first.click()
    page.wait_for_url("**/warning-signs/")
    open_search(page)
    search_results(page, "twitch after coffee")
    page.keyboard.press("Escape")
    page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
    page.wait_for_load_state("networkidle")
    return watcher


def test_no_request_to_other_origins_and_no_cookies(context, site, base_url):
    watcher = browse_everything(context, base_url, site_paths(site))
    assert watcher.requests, "the watcher saw no requests at all"
    assert watcher.foreign_requests() == [], watcher.foreign_requests()
    assert watcher.console_errors == [], watcher.console_errors
    assert context.cookies() == []


def test_third_party_script_is_caught(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "about/index.html", "</head>",
                         '<script async src="https://tracker.example.com/t.js"></script></head>')
    context = browser.new_context()
    # Tests never touch the internet: the request is recorded, then refused locally.
    context.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    with serve(broken) as url:
        watcher = browse_everything(context, url, ["/about/"])
    context.close()
    assert "https://tracker.example.com/t.js" in watcher.foreign_requests()


def test_privacy_statement_matches_what_the_tests_enforce():
    about = (DOCS / "about.md").read_text()
    for promise in ("sets no cookies", "no analytics", "makes no request to any other website"):
        assert promise in about, f"docs/about.md no longer says '{promise}'"
