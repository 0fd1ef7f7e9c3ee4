"""The build's last step refuses a site that is not fit to publish, whatever generator made it
(overrides/hooks/output_check.py). Each kind of half-built page is shown failing on a fixture:
a copy of the real built site with one thing broken, or a build whose hooks never ran."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from helpers import BIN, ROOT, broken_copy, build, copy_project, output_check





def test_the_real_site_is_fit_to_publish(site):
    result = output_check(site)
    assert result.returncode == 0, result.stderr
    assert "fit to publish" in result.stdout


@pytest.mark.parametrize("page, old, new, expected", [
    ("causes/index.html", '<sup class="ttg-cite">', '[@nhs-twitching] <sup class="ttg-cite">',
     "causes/index.html: a raw citation [@nhs-twitching]"),
    ("warning-signs/index.html", "</article>", "<!-- triage-card: urgent --></article>",
     "warning-signs/index.html: the build marker '<!-- triage-card: urgent -->'"),
    ("what-helps/index.html", 'http-equiv="Content-Security-Policy"', 'http-equiv="X-Nothing"',
     "what-helps/index.html: no Content-Security-Policy"),
    ("prevention/index.html", 'class="ttg-references', 'class="ttg-nothing',
     "prevention/index.html: a medical page with no Sources list"),
    ("check/index.html", 'id="q-see-a-doctor"', 'id="q-gone"',
     "check/index.html: the check's question #q-see-a-doctor is missing"),
    ("warning-signs/index.html", 'class="admonition urgent"', 'class="admonition"',
     "warning-signs/index.html: the 'urgent' warning-sign card is missing"),
    ("offline.html", 'http-equiv="Content-Security-Policy"', 'http-equiv="X-Nothing"',
     "offline.html: no Content-Security-Policy"),
    ("about/index.html", '<meta property="og:image" content="', '<meta property="og:image" content="https://elsewhere.example/',
     "about/index.html: share image https://elsewhere.example/"),
])
def test_a_half_built_page_is_refused_naming_page_and_problem(site, tmp_path, page, old, new, expected):
    broken = broken_copy(site, tmp_path, page, old, new)
    result = output_check(broken)
    assert result.returncode == 1 and expected in result.stderr, result.stderr


def without_number(site, number: str) -> None:
    """The check's emergency result with one number gone from all its text (what a lost step leaves)."""
    page = site / "check" / "index.html"
    text = page.read_text(encoding="utf-8")
    start = text.index('id="result-emergency"')
    end = text.index("</section>", start)
    page.write_text(text[:start] + text[start:end].replace(number, "") + text[end:], encoding="utf-8")


@pytest.mark.parametrize("change, expected", [
    (lambda s: without_number(s, "999"),
     "check/index.html: the check's result #result-emergency does not show the number 999"),
    (lambda s: (s / "_headers").unlink(), "_headers: missing"),
    (lambda s: (s / "robots.txt").unlink(), "robots.txt: missing"),
    (lambda s: (s / "assets" / "images" / "social" / "causes.png").unlink(), "share image"),
    (lambda s: shutil.copytree(ROOT / "overrides" / "hooks", s / "hooks"), "hooks/: a build folder was published"),
    (lambda s: shutil.copy(ROOT / "overrides" / "snippets" / "disclaimer.md", s / "disclaimer.md"),
     "disclaimer.md: a build source file was published"),
    (lambda s: shutil.copytree(ROOT / "overrides" / "ttg_build", s / "ttg_build"),
     "ttg_build/: a build folder was published"),
    # The pipeline's own steps: the offline page and the worker's stamp, the search records.
    (lambda s: (s / "offline.html").unlink(), "offline.html: missing (the offline step did not run)"),
    (lambda s: (s / "offline-worker.js").write_text(
        re.sub(r'const BUILD = "[0-9a-f]+"', 'const BUILD = "__TTG_BUILD__"', (s / "offline-worker.js").read_text())),
     "offline-worker.js: no build stamp (the offline step did not run)"),
    (lambda s: (s / "search" / "search_index.json").unlink(), "search/search_index.json: missing (the search step did not run)"),
    # What Material or Zensical write when the search step did not replace the text with records.
    (lambda s: (s / "search" / "search_index.json").write_text('{"config": {}, "docs": [{"location": "", "text": "x"}]}'),
     "search/search_index.json: no search records (the search step did not run)"),
])
def test_missing_host_files_and_published_sources_are_refused(site, tmp_path, change, expected):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    change(copy)
    result = output_check(copy)
    assert result.returncode == 1 and expected in result.stderr, result.stderr


def test_a_generator_that_skips_the_hooks_cannot_publish(tmp_path):
    """What a generator that runs none of our build code gives (Zensical ignores MkDocs hooks, and
    one that skipped Markdown extensions too would lose the page-content steps). Built that way
    (no hooks, no ttg_build extensions), the site has raw citations, no Sources, no cards, no CSP
    and a check with no numbers, and the output check refuses it, naming each."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    # No hooks, no build package, and strict off (the lost anchors would stop MkDocs itself).
    text = re.sub(r"\nhooks:\n(?:  .*\n|  #.*\n)+", "\n", config.read_text())
    text = re.sub(r"\n  (?:- ttg_build\.[a-z_.]+|# The site's own page-content steps.*)(?=\n)", "", text)
    config.write_text(text.replace("strict: true", "strict: false"))
    assert "output_check" not in config.read_text() and "ttg_build" not in config.read_text()
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(tmp_path / "site")], cwd=project,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr  # the generator itself sees nothing wrong
    refused = output_check(tmp_path / "site", project / "docs")
    assert refused.returncode == 1
    for expected in ("check/index.html: the check's result #result-emergency is missing",
                     "causes/index.html: a raw citation", "a medical page with no Sources list",
                     "no Content-Security-Policy", "_headers: missing"):
        assert expected in refused.stderr, refused.stderr


def test_the_mkdocs_build_runs_the_check_itself(tmp_path):
    """`mkdocs build` itself fails when a step's output is lost: here a mistyped card marker,
    which no hook recognises, would otherwise publish the page with no card and no error."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "prevention.md"
    page.write_text(page.read_text() + "\n<!-- triage-cards: emergency -->\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "prevention/index.html: the build marker '<!-- triage-cards: emergency -->'" in result.stdout + result.stderr
