"""Links that never break: the URL ledger, stable anchors, the 404 page, sitemap and robots.txt,
and a build served from a sub-path (as on a project's GitHub Pages)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from helpers import BIN, DOCS, ROOT, broken_copy, build_or_fail, copy_project, html_pages, page_url, serve, wait_for_routed, wait_for_scripts
from ledger import current_urls, read_ledger


def ledger_problems(site: Path, ledger: list[str]) -> list[str]:
    problems = []
    for entry in ledger:
        path, _, anchor = entry.partition("#")
        page = site / path.strip("/") / "index.html" if path != "/" else site / "index.html"
        if not page.is_file():
            problems.append(
                f"tests/data/url-ledger.txt: published page {path} no longer exists. Add a redirect "
                f"to docs/_data/redirects.yml, e.g. \"{path}\": \"/new-page/\"")
            continue
        html = page.read_text()
        moved = 'http-equiv="refresh"' in html  # a redirected page takes its sections along
        if anchor and f'id="{anchor}"' not in html and not moved:
            problems.append(
                f"tests/data/url-ledger.txt: published anchor {entry} no longer exists. Restore the "
                f"heading's {{#{anchor}}} or add \"{entry}\": \"{path}#new-anchor\" to docs/_data/redirects.yml")
    return problems


def test_every_published_url_still_resolves(site):
    ledger = read_ledger()
    assert len(ledger) > 20, "the URL ledger is empty; run `make ledger`"
    problems = ledger_problems(site, ledger)
    assert not problems, "\n".join(problems)


def test_every_page_and_anchor_is_in_the_ledger():
    missing = sorted(set(current_urls()) - set(read_ledger()))
    assert not missing, f"not in tests/data/url-ledger.txt (run `make ledger`): {missing}"


def test_every_section_heading_has_an_explicit_id():
    missing = []
    for md in sorted(DOCS.glob("*.md")):
        for number, line in enumerate(md.read_text().splitlines(), 1):
            if re.match(r"^#{2,3} ", line) and "{#" not in line:
                missing.append(f"docs/{md.name}:{number}: {line.strip()} (add {{#an-id}} so edits keep its link)")
    assert not missing, "\n".join(missing)


def test_removed_page_without_redirect_fails_and_says_what_to_add(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "prevention.md").unlink()
    config = (project / "mkdocs.yml").read_text()  # out of the nav and the search's remedy pages
    assert "pages: [what-helps.md, prevention.md]" in config
    (project / "mkdocs.yml").write_text(config.replace("  - Prevention: prevention.md\n", "")
                                        .replace("pages: [what-helps.md, prevention.md]", "pages: [what-helps.md]"))
    for md in (project / "docs").glob("*.md"):  # links to the page go too
        md.write_text(re.sub(r"\[([^\]]+)\]\(prevention\.md(#[\w-]+)?\)", r"\1", md.read_text()))
    bibliography = project / "docs" / "_data" / "bibliography.yml"  # and its claim notes
    bibliography.write_text(re.sub(r"\n    prevention:\n      where: .*\n      says: .*", "", bibliography.read_text()))
    synonyms = project / "docs" / "_data" / "synonyms.yml"  # and synonyms for words only it used
    synonyms.write_text(re.sub(r"(?m)^.*: electrolyte\n", "", synonyms.read_text()))
    site = build_or_fail(project, tmp_path / "site")
    problems = "\n".join(ledger_problems(site, read_ledger()))
    assert "published page /prevention/ no longer exists" in problems
    assert 'docs/_data/redirects.yml, e.g. "/prevention/"' in problems

    # With the redirect declared, the old URL works again (a meta refresh and a _redirects line).
    redirects = project / "docs" / "_data" / "redirects.yml"
    redirects.write_text(redirects.read_text().replace("{}", '"/prevention/": "/what-helps/"'))
    site = build_or_fail(project, tmp_path / "site2")
    assert not [p for p in ledger_problems(site, read_ledger()) if "/prevention/" in p]
    moved = (site / "prevention" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=https://thigh-twitch.example.org/what-helps/"' in moved
    assert "/prevention/ /what-helps/ 301" in (site / "_redirects").read_text()


def test_renamed_anchor_keeps_working_through_a_redirect(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "warning-signs.md"
    page.write_text(page.read_text().replace("{#emergency}", "{#call-now}"))
    for md in (project / "docs").glob("*.md"):
        md.write_text(md.read_text().replace("warning-signs.md#emergency", "warning-signs.md#call-now"))
    for snippet in (project / "overrides" / "snippets").glob("*.md"):
        snippet.write_text(snippet.read_text().replace("warning-signs.md#emergency", "warning-signs.md#call-now"))
    # The tier's id is its anchor (the home page's card links to it): rename it and its markers.
    triage = project / "docs" / "_data" / "triage.yml"
    triage.write_text(triage.read_text().replace("  - id: emergency\n", "  - id: call-now\n")
                      .replace("      tier: emergency\n", "      tier: call-now\n"))
    for md in (project / "docs").glob("*.md"):
        md.write_text(md.read_text().replace("<!-- triage-card: emergency", "<!-- triage-card: call-now")
                      .replace("<!-- triage-numbers: emergency", "<!-- triage-numbers: call-now"))
    site = build_or_fail(project, tmp_path / "site")
    assert "published anchor /warning-signs/#emergency no longer exists" in "\n".join(ledger_problems(site, read_ledger()))
    redirects = project / "docs" / "_data" / "redirects.yml"
    assert "published anchor /check/#result-emergency no longer exists" in "\n".join(ledger_problems(site, read_ledger()))
    redirects.write_text(redirects.read_text().replace("{}", '{"/warning-signs/#emergency": "/warning-signs/#call-now", '
                                                             '"/check/#result-emergency": "/check/#result-call-now"}'))
    site = build_or_fail(project, tmp_path / "site2")
    assert not ledger_problems(site, read_ledger())


def test_custom_404_page(site):
    html = (site / "404.html").read_text()
    assert "Sorry, we cannot find that page" in html
    assert "data-ttg-open-search" in html, "the 404 page offers search"
    assert 'href="/symptoms/"' in html and 'href="/warning-signs/"' in html


def search_opens_from_the_404_button(browser, url: str, *, before_scripts: bool) -> bool:
    """Press Enter on the 404 page's "Search this site"; with before_scripts, the site's and the
    theme's scripts are held back until after the press (a slow phone). True when the search box ends up open
    and focused."""
    context = browser.new_context()
    held, holding = [], [True]
    if before_scripts:
        # Held until the press; the loader asks for the header's controls first and the other
        # scripts once they are here, so a request that comes after the press goes straight on.
        context.route("**/assets/javascripts/*.js",
                      lambda route: held.append(route) if holding[0] else route.continue_())
    page = context.new_page()
    if before_scripts:
        # Held scripts hold back the load event too: wait until the page has asked for them.
        page.goto(url + "/404.html", wait_until="domcontentloaded")
        page.wait_for_function("() => document.querySelector('script[src*=\"/assets/javascripts/\"]')")
        wait_for_routed(page, held)
        assert not page.evaluate("() => document.documentElement.hasAttribute('data-ttg-ready')")
    else:
        page.goto(url + "/404.html", wait_until="load")
        wait_for_scripts(page)
    page.locator("[data-ttg-open-search]").focus()
    page.keyboard.press("Enter")
    holding[0] = False
    for route in held:
        route.continue_()
    wait_for_scripts(page)
    try:
        page.wait_for_function("""() => document.getElementById('__search').checked
            && document.activeElement === document.querySelector('.md-search__input')""", timeout=15000)
        return page.locator(".md-search__input").is_visible()
    except PlaywrightTimeout:
        return False
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("before_scripts", [False, True], ids=["scripts-ready", "pressed-before-scripts"])
def test_404_search_opens_from_the_keyboard(browser, base_url, before_scripts):
    assert search_opens_from_the_404_button(browser, base_url, before_scripts=before_scripts)


@pytest.mark.browser
def test_404_check_catches_a_press_lost_before_the_scripts(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "404.html", 'setAttribute("data-ttg-open-search","")', 'hasAttribute("x")')
    with serve(broken) as url:
        assert not search_opens_from_the_404_button(browser, url, before_scripts=True)


def test_sitemap_lists_every_page_and_robots_points_to_it(site):
    sitemap = (site / "sitemap.xml").read_text()
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in html_pages(site):
        if page.name == "index.html":
            assert "https://thigh-twitch.example.org" + page_url(site, page) in locs, page
    assert "Sitemap: https://thigh-twitch.example.org/sitemap.xml" in (site / "robots.txt").read_text()


def test_site_works_from_a_sub_path(tmp_path):
    """Built for https://example.org/twitch-guide/, every link and asset resolves under it."""
    served_root = tmp_path / "root"
    site = build_or_fail(ROOT, served_root / "twitch-guide", env={"SITE_URL": "https://example.org/twitch-guide/"})
    result = subprocess.run(
        [str(shutil.which("lychee", path=str(BIN)) or "lychee"), "--offline", "--include-fragments",
         "--index-files", "index.html", "--root-dir", str(served_root), "--no-progress",
         "--format", "detailed", str(site)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for page in html_pages(site):
        html = page.read_text()
        for url in re.findall(r'(?:href|src)="(/[^"]*)"', html):
            assert url.startswith("/twitch-guide/"), f"{page}: root-relative {url} escapes the sub-path"
        for tag in ("canonical", "og:image"):
            for url in re.findall(rf'(?:rel="{tag}" href|property="{tag}" content)="([^"]+)"', html):
                assert url.startswith("https://example.org/twitch-guide/"), f"{page}: {tag} {url}"
    assert "Sitemap: https://example.org/twitch-guide/sitemap.xml" in (site / "robots.txt").read_text()
