"""The built site makes no request to any other origin and sets no cookie."""
import pytest

from helpers import PageWatcher

pytestmark = pytest.mark.browser


def test_home_page_loads_cleanly_and_stays_on_origin(context, base_url):
    page = context.new_page()
    watcher = PageWatcher(page, base_url)
    page.goto(base_url + "/", wait_until="networkidle")
    assert page.locator("h1").count() == 1
    assert watcher.console_errors == [], watcher.console_errors
    assert watcher.foreign_requests() == [], watcher.foreign_requests()
    assert context.cookies() == []
