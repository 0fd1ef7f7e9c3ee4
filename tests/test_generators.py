"""The site under the other generators `make build GENERATOR=...` offers (README: "Building with
another generator"). ProperDocs, a maintained fork of MkDocs 1.x, must give the same site as
MkDocs and pass a browser smoke set. Zensical skips MkDocs hooks, so its output lacks the
citations, warning-sign cards, the check's numbers and the CSP: the output check must refuse it,
naming what is missing. `make test` installs both generators into their own environments."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from helpers import (ROOT, PageWatcher, copy_project, html_pages, open_page, open_search, output_check, search_results, serve,
                     wait_for_scripts)

GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')


def generator(name: str) -> Path:
    program = ROOT / f".venv-{name}" / "bin" / name
    if not program.exists():
        pytest.fail(f"{program} is missing: `make test` installs it (or `make build GENERATOR={name}`)")
    return program




@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("properdocs") / "site"
    result = subprocess.run([str(generator("properdocs")), "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_properdocs_builds_the_same_site(properdocs_site, site):
    assert output_check(properdocs_site, ROOT / "docs").returncode == 0
    differ = []
    for page in html_pages(site):
        twin = properdocs_site / page.relative_to(site)
        ours, theirs = (GENERATOR_TAG.sub("", p.read_text(encoding="utf-8")) if p.exists() else None for p in (page, twin))
        if ours != theirs:
            differ.append(page.relative_to(site).as_posix())
    assert not differ, f"pages that differ between MkDocs and ProperDocs (beyond the generator tag): {differ}"


CSP_WATCH = "window.__csp = []; addEventListener('securitypolicyviolation', e => __csp.push(e.violatedDirective));"


@pytest.mark.browser
def test_properdocs_site_smoke(browser, properdocs_site):
    """Search answers, the check reaches a result, nothing leaves the site, the CSP holds."""
    with serve(properdocs_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        watcher = PageWatcher(page, url)
        open_page(page, url + "/")
        open_search(page)
        assert search_results(page, "water pills", count=1) == ["/causes/#medicines"]
        open_page(page, url + "/check/")
        page.locator("#start a.md-button").click()
        page.locator(".ttg-current [data-answer=yes]").click()
        page.wait_for_function("() => document.querySelector('.ttg-current').id === 'result-emergency'")
        assert page.locator(".ttg-current a[href='tel:999']").first.is_visible()
        assert page.evaluate("window.__csp") == []
        context.close()
    assert not watcher.foreign_requests() and not watcher.console_errors, (watcher.foreign_requests(), watcher.console_errors)


def test_a_zensical_build_is_refused_by_the_output_check(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    # As `make build GENERATOR=zensical` does: the pages' own checks cannot run there.
    config.write_text(config.read_text().replace("strict: true", "strict: false"))
    result = subprocess.run([str(generator("zensical")), "build", "--clean"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr  # Zensical itself sees nothing wrong
    refused = output_check(project / "site", project / "docs")
    assert refused.returncode == 1
    for expected in ("check/index.html: the check's result #result-emergency is missing",
                     "causes/index.html: a raw citation", "warning-signs/index.html: the 'emergency' warning-sign card is missing",
                     "index.html: no Content-Security-Policy"):
        assert expected in refused.stderr, refused.stderr
    # The theme folder (custom_dir) holds only theme files, so Zensical, which publishes all of it,
    # no longer publishes the build code or the snippets.
    assert "a build folder was published" not in refused.stderr and "hooks" not in refused.stderr, refused.stderr
