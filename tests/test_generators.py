"""The site under the other generators `make build GENERATOR=...` offers (README: "Building with
another generator"). ProperDocs, a maintained fork of MkDocs 1.x, must give the same site as
MkDocs and pass a browser smoke set. Zensical skips MkDocs hooks but loads the page-content steps
(overrides/ttg_build, Python-Markdown extensions), so its pages must carry what MkDocs's carry:
citations and Sources lists, warning-sign cards, the check's questions and numbers, table labels,
external-link marks, print addresses, report links. A broken data file must fail its build, naming
file and problem, as it fails MkDocs's. Finished by the post-build pipeline (as `make build
GENERATOR=zensical` does), the Zensical site passes the output check and a browser smoke set (its
own search answers, the check reaches a result, no foreign request, the CSP holds). `make test`
installs both generators into their own environments."""
from __future__ import annotations

import posixpath
import re
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from helpers import (ROOT, PageWatcher, build_env, copy_project, html_pages, open_page, open_search, output_check,
                     search_results, serve)

GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')
# What the output check says when a page lost what the page-content steps give it.
PAGE_CONTENT_PROBLEMS = ("a raw citation", "the build marker", "a medical page with no Sources list",
                         "warning-sign card is missing", "the check's question", "the check's result")


def generator(name: str) -> Path:
    program = ROOT / f".venv-{name}" / "bin" / name
    if not program.exists():
        pytest.fail(f"{program} is missing: `make test` installs it (or `make build GENERATOR={name}`)")
    return program


def zensical_build(project: Path) -> subprocess.CompletedProcess:
    """`zensical build --clean` in a project folder, with the folder's own build package (as `make
    build GENERATOR=zensical` runs it)."""
    return subprocess.run([str(generator("zensical")), "build", "--clean"], cwd=project, env=build_env(project),
                          capture_output=True, text=True, timeout=300)


def page_content_problems(site: Path, docs: Path) -> list[str]:
    checked = output_check(site, docs)
    return [line.strip() for line in checked.stderr.splitlines() if any(p in line for p in PAGE_CONTENT_PROBLEMS)]


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("properdocs") / "site"
    result = subprocess.run([str(generator("properdocs")), "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, env=build_env(ROOT))
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


# --- Zensical -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zensical_project(tmp_path_factory) -> Path:
    """A copy of the project built by Zensical alone (no post-build pipeline): what its own
    rendering gives the pages."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    result = zensical_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_zensical_pages_carry_their_content(zensical_project):
    """No raw citation, no medical page without Sources, every warning-sign card, every question
    and result of the check with its numbers: the output check finds no page-content problem. It
    did read the pages: the site-wide steps, which only the pipeline adds, are reported missing."""
    site, docs = zensical_project / "site", zensical_project / "docs"
    assert not page_content_problems(site, docs)
    assert "index.html: no Content-Security-Policy" in output_check(site, docs).stderr


def test_the_page_content_check_fails_a_zensical_build_without_the_build_package(tmp_path):
    """The check above on a broken fixture: the same build with the ttg_build extensions taken out
    of mkdocs.yml loses citations, Sources, cards and the check's numbers, and the check says so."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = re.sub(r"\n  (?:- ttg_build\.[a-z_.]+|# The site's own page-content steps.*)(?=\n)", "", config.read_text())
    assert "- ttg_build." not in text
    config.write_text(text.replace("strict: true", "strict: false"))  # the lost anchors would stop it
    result = zensical_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    lost = "\n".join(page_content_problems(project / "site", project / "docs"))
    for expected in ("causes/index.html: a raw citation", "a medical page with no Sources list",
                     "warning-signs/index.html: the 'emergency' warning-sign card is missing",
                     "check/index.html: the check's result #result-emergency is missing"):
        assert expected in lost, lost


def _normalised(page_html: str, url: str) -> list[tuple]:
    """A page's article as (depth, tag, attributes) and text items. Links become site-root paths
    (Zensical writes "../warning-signs/" where MkDocs writes "./" for the same page), valueless
    attributes compare equal to empty ones, and the marks Material's search removes and the inlined
    rules are ignored."""
    article = LexborHTMLParser(page_html).css_first("article")
    assert article is not None, url
    out: list[tuple] = []

    def walk(node, depth):
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                text = " ".join((child.text_content or "").split())
                if text:
                    out.append((depth, "#text", text))
            elif child.tag == "style":
                continue  # the rules inlined after the first emergency card: a pipeline step (inline_css.py)
            elif child.tag != "_comment" and not (child.tag == "a" and child.attributes.get("id") == "__skip"):
                attrs = {}
                for name, value in child.attributes.items():
                    if name in ("data-search-exclude", "data-ttg-search-exclude"):
                        continue
                    value = value or ""
                    if name == "href" and not re.match(r"[a-z]+:|#", value):
                        path, _, fragment = value.partition("#")
                        path = posixpath.normpath(posixpath.join("/" + url, path)) + ("/" if path.endswith("/") or not path else "")
                        value = path.replace("//", "/") + (f"#{fragment}" if fragment else "")
                    attrs[name] = value
                out.append((depth, child.tag, tuple(sorted(attrs.items()))))
                walk(child, depth + 1)

    walk(article, 0)
    return out


def test_zensical_pages_say_what_mkdocs_pages_say(zensical_project, site):
    """Page by page, the article Zensical writes is the article MkDocs writes: the same text,
    citations, Sources, cards, tables, links and marks (the site-wide steps aside: the pipeline
    adds those after either generator)."""
    differ = []
    for page in html_pages(site):
        rel = page.relative_to(site)
        if rel.name != "index.html":
            continue
        twin = zensical_project / "site" / rel
        url = "" if rel.parent == Path(".") else rel.parent.as_posix() + "/"
        ours = _normalised(page.read_text(encoding="utf-8"), url)
        theirs = _normalised(twin.read_text(encoding="utf-8"), url) if twin.exists() else []
        if ours != theirs:
            first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
            differ.append(f"/{url}: MkDocs {ours[first:first + 1]} / Zensical {theirs[first:first + 1]}")
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize("file, old, new, expected", [
    ("docs/_data/triage.yml", "\n    card: emergency\n", "\n    card: red\n",
     "docs/_data/triage.yml:16: tier 'emergency': card must be one of ['emergency', 'gp', 'urgent'], not 'red'"),
    ("docs/causes.md", "[@nhs-twitching]", "[@nhs-twitchin]", "unknown citation key 'nhs-twitchin'"),
    ("docs/_data/bibliography.yml", "type: health-page", "type: leaflet", "has unknown type 'leaflet'"),
    ("docs/check.md", "<!-- triage-numbers: emergency -->", "<!-- triage-numbers: emergencies -->",
     "docs/check.md: <!-- triage-numbers: emergencies --> names no tier with numbers"),
], ids=["triage-card", "citation-key", "bibliography-type", "numbers-marker"])
def test_a_broken_data_file_fails_the_zensical_build(tmp_path, file, old, new, expected):
    """Zensical stops on bad input as MkDocs does, with the same message naming file and problem."""
    project = copy_project(tmp_path / "project")
    target = project / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"fixture setup: {old!r} not in {file}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = zensical_build(project)
    assert result.returncode != 0, "Zensical published a site built from a broken data file"
    assert expected in result.stdout + result.stderr, result.stdout + result.stderr


def test_the_site_wide_citation_check_runs_after_zensical(zensical_project, tmp_path):
    """An entry no page cites fails MkDocs's build at its end (a hook); after Zensical, which runs
    no hook, `python -m ttg_build.citations` reads the built Sources lists instead: it passes the
    real site and refuses a bibliography with an uncited entry."""
    import shutil
    import sys

    def check(docs: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ttg_build.citations", str(zensical_project / "site"),
                               "--docs", str(docs)], env=build_env(zensical_project), capture_output=True,
                              text=True, timeout=120)

    passed = check(zensical_project / "docs")
    assert passed.returncode == 0, passed.stderr
    docs = tmp_path / "docs"
    shutil.copytree(zensical_project / "docs", docs)
    with (docs / "_data" / "bibliography.yml").open("a", encoding="utf-8") as bib:
        bib.write("\nnever-cited:\n  publisher: NHS\n  title: A page\n  container: NHS website\n  year: 2024\n"
                  "  type: health-page\n  url: https://www.nhs.uk/never-cited/\n")
    refused = check(docs)
    assert refused.returncode == 1
    assert "docs/_data/bibliography.yml: entries never cited by any page: never-cited" in refused.stderr, refused.stderr


@pytest.fixture(scope="module")
def zensical_site(zensical_project, tmp_path_factory) -> Path:
    """The Zensical build finished as `make build GENERATOR=zensical` finishes it: the post-build
    pipeline run as its own command over the built site."""
    import shutil
    import sys

    site = tmp_path_factory.mktemp("zensical-finished") / "site"
    shutil.copytree(zensical_project / "site", site)
    result = subprocess.run([sys.executable, "-m", "ttg_build.pipeline", str(site), "--docs",
                             str(zensical_project / "docs"), "--config", str(zensical_project / "mkdocs.yml")],
                            env=build_env(zensical_project), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_pipeline_finishes_a_zensical_site(zensical_site):
    """After the pipeline, the output check passes the Zensical site as it passes MkDocs's: CSP,
    host files, share images, offline page, search records (it refused the same pages before)."""
    checked = output_check(zensical_site, ROOT / "docs")
    assert checked.returncode == 0, checked.stderr


# Zensical's search dialog puts a <style> into its shadow root, which the CSP (hashes only) blocks:
# its results show unstyled (README, "Building with another generator"). Nothing else may be blocked.
ZENSICAL_SEARCH_STYLE = "style-src-elem inline"


@pytest.mark.browser
def test_zensical_site_smoke(browser, zensical_site):
    """Zensical's own search answers a query, the check reaches a result with its numbers, nothing
    leaves the site, and the CSP blocks nothing but Zensical's search-dialog style."""
    with serve(zensical_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script("window.__csp = []; addEventListener('securitypolicyviolation', "
                                "e => __csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        watcher = PageWatcher(page, url)
        open_page(page, url + "/")
        page.locator("label.md-header__button[for=__search]").click()  # the phone header's search icon
        page.keyboard.type("caffeine")
        # The dialog's results are in an open shadow root on a <div> of the body.
        first = page.wait_for_function("""() => { for (const host of document.body.children) {
            const link = host.shadowRoot && host.shadowRoot.querySelector('ol a[href]');
            if (link) return link.getAttribute('href'); } return null; }""").json_value()
        assert first.endswith("/causes/#caffeine"), first
        open_page(page, url + "/check/")
        page.locator("#start a.md-button").click()
        page.locator(".ttg-current [data-answer=yes]").click()
        page.wait_for_function("() => document.querySelector('.ttg-current').id === 'result-emergency'")
        assert page.locator(".ttg-current a[href='tel:999']").first.is_visible()
        blocked = [v for v in page.evaluate("window.__csp") if v != ZENSICAL_SEARCH_STYLE]
        context.close()
    assert not blocked, blocked
    errors = [e for e in watcher.console_errors if "Content Security Policy directive 'style-src" not in e]
    assert not watcher.foreign_requests() and not errors, (watcher.foreign_requests(), errors)
