"""The post-build pipeline (overrides/ttg_build/pipeline) run on its own, as `make build
GENERATOR=zensical` runs it: a site whose generator ran no site-wide step gets its redirects, share
images, search records, offline page, fingerprints, inlined stylesheet, CSP and host files from
`python -m ttg_build.pipeline site`, and the same site as `mkdocs build` makes; a site it cannot
finish is refused, naming the file and the problem."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from helpers import ROOT, broken_copy, build_or_fail, copy_project, html_pages

PIPELINE_HOOK = "  - overrides/hooks/pipeline.py\n"


def pipeline(site: Path, project: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m ttg_build.pipeline site --docs docs --config mkdocs.yml` from a project folder."""
    env = {**os.environ, "PYTHONPATH": str(project / "overrides")}
    return subprocess.run([sys.executable, "-m", "ttg_build.pipeline", str(site), "--docs", str(project / "docs"),
                           "--config", str(project / "mkdocs.yml")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The project built by MkDocs with the content hooks but not the pipeline's (what a generator
    that runs our page extensions but no MkDocs hook writes), with one moved page and one moved
    section declared; and the same project built normally."""
    tmp = tmp_path_factory.mktemp("pipeline")
    project = copy_project(tmp / "project")
    redirects = project / "docs" / "_data" / "redirects.yml"
    redirects.write_text(redirects.read_text().replace(
        "{}", '{"/old-advice/": "/what-helps/", "/warning-signs/#call-now": "/warning-signs/#emergency"}'))
    full = build_or_fail(project, tmp / "full")
    config = project / "mkdocs.yml"
    assert PIPELINE_HOOK in config.read_text()
    config.write_text(config.read_text().replace(PIPELINE_HOOK, ""))
    # The output check is the pipeline's last step, so without it the generator publishes anything.
    site = build_or_fail(project, tmp / "bare")
    shutil.copytree(site, tmp / "pristine")  # as the generator left it, for the broken fixtures
    return project, site, full


def test_without_the_pipeline_the_generator_leaves_a_half_site(bare):
    project, site, _ = bare
    assert not (site / "_headers").exists() and not (site / "offline.html").exists()
    assert not (site / "old-advice" / "index.html").exists()
    assert (site / "assets" / "javascripts" / "site.js").exists()  # no fingerprint yet


def test_the_pipeline_finishes_the_site(bare):
    project, site, full = bare
    result = pipeline(site, project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fit to publish" in result.stdout
    for name in ("_headers", "_redirects", "robots.txt", "offline.html"):
        assert (site / name).is_file(), name
    assert "/old-advice/ /what-helps/ 301" in (site / "_redirects").read_text()
    stub = LexborHTMLParser((site / "old-advice" / "index.html").read_text())
    assert stub.css_first('link[rel="canonical"]').attributes["href"].endswith("/what-helps/")
    warning = LexborHTMLParser((site / "warning-signs" / "index.html").read_text())
    alias = warning.css_first("#call-now")
    assert alias is not None and alias.next.attributes.get("id") == "emergency"
    assert not (site / "assets" / "javascripts" / "site.js").exists()
    assert list((site / "assets" / "javascripts").glob("site.*.js"))
    assert "Content-Security-Policy" in (site / "_headers").read_text()
    for page in html_pages(site):
        tree = LexborHTMLParser(page.read_text())
        metas = [m.attributes.get("http-equiv") for m in tree.css("meta[http-equiv]")]
        assert "Content-Security-Policy" in metas, page
        assert tree.css_first("link[rel=stylesheet][href*='site.css']") is None, page  # inlined, hashed
    offline = LexborHTMLParser((site / "offline.html").read_text())
    assert offline.css_first("article h1").text() == "You are offline"
    assert [a.attributes["href"] for a in offline.css("a.ttg-call")] == ["tel:999", "tel:112", "tel:911"]
    worker = (site / "offline-worker.js").read_text()
    assert "__TTG_BUILD__" not in worker and re.search(r'const BUILD = "[0-9a-f]{12}"', worker)
    assert (site / "assets" / "images" / "social" / "causes.png").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert index["docs"] and all("blocks" in d for d in index["docs"])


def dom(path: Path) -> list:
    """A page as its elements (tag and attributes) and text, in order: the same DOM whatever the
    serialisation."""
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    out = []
    for node in tree.root.traverse(include_text=True):
        if node.tag == "-text":
            text = " ".join((node.text_content or "").split())
            if text:
                out.append(text)
        elif not node.is_comment_node:
            out.append((node.tag, sorted(dict(node.attributes).items())))
    return out


def test_the_pipeline_after_the_generator_gives_the_site_the_hook_gives(bare):
    """Same pages, element for element (the offline worker's build stamp differs: it hashes
    the files)."""
    project, site, full = bare
    if not (site / "_headers").exists():
        assert pipeline(site, project).returncode == 0
    differ = [p.relative_to(full).as_posix() for p in sorted(full.rglob("*.html"))
              if not (site / p.relative_to(full)).exists() or dom(p) != dom(site / p.relative_to(full))]
    assert not differ, f"pages that differ between the hook's build and the pipeline run on its own: {differ}"
    assert (site / "_redirects").read_text() == (full / "_redirects").read_text()
    ours = [line for line in (site / "_headers").read_text().splitlines() if "offline-worker" not in line]
    theirs = [line for line in (full / "_headers").read_text().splitlines() if "offline-worker" not in line]
    assert ours == theirs


def test_a_site_the_pipeline_cannot_finish_is_refused_naming_the_file(bare, tmp_path):
    project, site, _ = bare
    fresh = build_or_fail(project, tmp_path / "site")  # what the generator writes, before the pipeline
    (fresh / "404.html").unlink()
    result = pipeline(fresh, project)
    assert result.returncode == 1
    assert "404.html: missing, and the offline page is made from its shell" in result.stderr, result.stderr
    assert "404.html: missing (a static host needs it)" in result.stderr, result.stderr  # the output check, too


def test_a_folder_that_is_not_a_site_is_refused(tmp_path):
    result = pipeline(tmp_path)
    assert result.returncode == 1 and f"{tmp_path}: no index.html" in result.stderr, result.stderr


def test_the_search_marks_survive_the_generator():
    """Material and Zensical drop data-search-exclude from the pages they write; the copy the
    search step reads stays."""
    sys.path.insert(0, str(ROOT / "overrides"))
    from ttg_build.pipeline.search import keep_exclusions

    marked = LexborHTMLParser(keep_exclusions('<p>a</p><div class="x" data-search-exclude><p>b</p></div>'))
    assert marked.css_first("div.x").attributes.get("data-ttg-search-exclude") == ""
    assert keep_exclusions("<p>no marks</p>") == "<p>no marks</p>"


def test_the_search_marks_extension_keeps_the_marks_in_markdown_output():
    """For generators with no hooks: the extension does in Markdown what the hook does under MkDocs."""
    import markdown

    sys.path.insert(0, str(ROOT / "overrides"))
    html = markdown.markdown('<div class="x" markdown data-search-exclude>\n\n**b**\n\n</div>\n\n'
                             '<aside class="raw" data-search-exclude>raw HTML, put back by a later step</aside>\n',
                             extensions=["md_in_html", "ttg_build.pipeline.search_marks"])
    for kind in ("div.x", "aside.raw"):
        assert LexborHTMLParser(html).css_first(kind).attributes.get("data-ttg-search-exclude") == "", html


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


REDIRECTS = "docs/_data/redirects.yml"


@pytest.mark.parametrize("file, old, new, expected", [
    (REDIRECTS, "{}", '{"/what-helps/": "/causes/"}',
     "docs/_data/redirects.yml: /what-helps/ is redirected but a page still lives there"),
    (REDIRECTS, "{}", '{"/warning-signs/#gone": "/warning-signs/#nowhere"}',
     "docs/warning-signs.md: redirect target #nowhere does not exist (from docs/_data/redirects.yml)"),
    (REDIRECTS, "{}", '{"/causes/#a": "/what-helps/#b"}', "a section can only move within its page"),
    (REDIRECTS, "{}", '{"causes": "/what-helps/"}', "'causes' -> '/what-helps/' is not a site URL"),
    ("site/causes/index.html", "ttg-search.", "other-search.",
     "causes.md: the page does not load the site's search worker"),
    ("site/causes/index.html", "data-ttg-controls", "data-ttg-nothing",
     "causes/index.html: its header has controls to cut, but the page has no controls.js placeholder"),
    ("site/causes/index.html", '"content.tooltips"', '"content.code.copy"',
     "causes/index.html: its theme config differs from"),
    ("site/offline-worker.js", "__TTG_PRECACHE__", "[]",
     "overrides/theme/offline-worker.js: the placeholder __TTG_PRECACHE__ is missing"),
    ("site/check/index.html", None, None,
     "overrides/ttg_build/pipeline/offline.py: check/ is saved for offline reading but the build has no such page"),
])
def test_each_step_refuses_a_broken_input_naming_the_file(bare, tmp_path, file, old, new, expected):
    """A copy of the generator's output and the sources with one thing broken; the pipeline run on
    it names the file and the problem."""
    project, site, _ = bare
    copy = tmp_path / "project"
    for part in ("docs", "overrides"):
        shutil.copytree(project / part, copy / part)
    shutil.copy(project / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(site.parent / "pristine", copy / "site")
    if old is None:
        (copy / file).unlink()
    elif file == REDIRECTS:  # the fixture project's list already has entries: replace it
        (copy / file).write_text(new + "\n", encoding="utf-8")
    else:
        edit(copy / file, old, new)
    result = pipeline(copy / "site", copy)
    assert result.returncode == 1 and expected in result.stderr, result.stderr


# --- the templates' indentation (pipeline/whitespace.py) -------------------------------------------

def indentation_left(html: str) -> list[str]:
    """Runs of white space holding a line break and more, in text between tags (raw elements and
    attributes aside): what the whitespace step leaves out."""
    from ttg_build.pipeline.whitespace import _TextRuns

    return [repr(html[max(0, s - 30):e][:60]) for s, e in _TextRuns(html).runs
            if re.search(r"[ \t]\n|\n\s", html[s:e]) and html[s:e].strip(" \t") != "\n"]


def test_pages_carry_no_template_indentation(site):
    problems = [f"site/{page.relative_to(site)}: {found[0]}" for page in html_pages(site)
                if (found := indentation_left(page.read_text()))]
    assert not problems, problems


def test_the_indentation_check_sees_an_indented_page(site):
    page = (site / "index.html").read_text()
    assert indentation_left(page.replace("</h1>", "</h1>\n      <p>indented</p>\n    ", 1))


def test_white_space_that_counts_is_kept():
    from ttg_build.pipeline.whitespace import squeeze

    page = ('<body>\n    <p>One\n        two <b>three</b>\n  </p>\n  <pre>a\n    b</pre>'
            '<textarea>c\n    d</textarea><script>if (x)\n    y()</script><style>p {\n  color: red }</style>'
            '<a title="e\n    f">g</a>\n</body>')
    assert squeeze(page) == ('<body>\n<p>One\ntwo <b>three</b>\n</p>\n<pre>a\n    b</pre>'
                             '<textarea>c\n    d</textarea><script>if (x)\n    y()</script><style>p {\n  color: red }</style>'
                             '<a title="e\n    f">g</a>\n</body>')


# --- our scripts, served without their comments (pipeline/minify.py) -----------------------------

def comments_left(site: Path) -> list[str]:
    """Each of our scripts as served: no comment of its source is left, and it is smaller."""
    sys.path.insert(0, str(ROOT / "overrides"))
    from ttg_build.pipeline.minify import SCRIPTS
    problems = []
    for name in SCRIPTS:
        source = ROOT / "overrides" / "theme" / name
        if not source.is_file():
            continue  # controls.js is written by the build
        stem, suffix = Path(name).stem, Path(name).suffix
        [served] = (site / name).parent.glob(f"{stem}.*{suffix}")
        text = served.read_text(encoding="utf-8")
        comments = re.findall(r"/\*(.*?)\*/", source.read_text(encoding="utf-8"), re.S)
        left = [c.strip()[:40] for c in comments if len(c.strip()) > 20 and c.strip() in text]
        if left or len(text) >= source.stat().st_size:
            problems.append(f"site/{served.relative_to(site)}: {len(left)} comments of {name} left "
                            f"({text and len(text)} of {source.stat().st_size} bytes)")
    return problems


def test_our_scripts_are_served_without_their_comments(site):
    problems = comments_left(site)
    assert not problems, problems


def test_the_comment_check_sees_a_script_served_as_written(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    [served] = (broken / "assets" / "javascripts" / "workers").glob("ttg-search.*.js")
    served.write_text((ROOT / "overrides/theme/assets/javascripts/workers/ttg-search.js").read_text())
    assert any("ttg-search" in p and "comments of" in p for p in comments_left(broken))


# --- one scope script for every page, no generator meta (pipeline/page_head.py) ------------------

def head_problems(site: Path) -> list[str]:
    """Every page's inline scripts as the CSP sees them: Material's scope script must have the same
    text on every page (one hash in the policy), no page names its generator, and a page with no
    content tabs has no script for them."""
    scope_texts, problems = {}, []
    for page in html_pages(site):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        where = f"site/{page.relative_to(site)}"
        scopes = [s for s in tree.css("script") if "__md_scope=" in (s.text() or "")]
        if len(scopes) != 1:
            problems.append(f"{where}: expected one scope script, found {len(scopes)}")
            continue
        scope_texts.setdefault(scopes[0].text(), []).append(where)
        if tree.css_first('meta[name="generator"]') is not None:
            problems.append(f"{where}: still names its generator")
        if tree.css_first(".tabbed-set") is None and any("__tabbed_" in (s.text() or "") for s in tree.css("script")):
            problems.append(f"{where}: has no content tabs but carries the script for them")
    if len(scope_texts) > 1:
        problems.append("the scope script differs between pages, so the CSP lists it "
                        f"{len(scope_texts)} times: " + "; ".join(v[0] for v in scope_texts.values()))
    return problems


def test_every_page_shares_one_scope_script(site):
    problems = head_problems(site)
    assert not problems, problems


def test_the_scope_check_sees_a_page_with_its_own_scope_script(site, tmp_path):
    broken = broken_copy(site, tmp_path, "causes/index.html",
                         '<script data-ttg-scope="..">__md_scope=new URL(document.currentScript.dataset.ttgScope,',
                         '<script>__md_scope=new URL("..",')
    assert any("differs between pages" in p for p in head_problems(broken)), head_problems(broken)


def test_the_head_check_sees_a_tabs_script_on_a_page_without_tabs(site, tmp_path):
    script = '<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
    broken = broken_copy(site, tmp_path, "causes/index.html", "</body>", script + "</body>")
    assert head_problems(broken) == ["site/causes/index.html: has no content tabs but carries the script for them"]


def test_a_page_with_content_tabs_keeps_their_script():
    from ttg_build.pipeline.page_head import rewrite

    script = '<script>var t=1;t&&(t.checked=t.name.startsWith("__tabbed_"))</script>'
    assert script in rewrite('<div class="tabbed-set tabbed-alternate"></div>' + script)
    assert script not in rewrite('<div class="admonition"></div>' + script)


def test_the_scope_script_keeps_each_pages_root():
    from ttg_build.pipeline.page_head import rewrite

    pages = ['<meta name="generator" content="mkdocs-1.6.1">\n<script>__md_scope=new URL("..",location),__md_get=1</script>',
             '<script>__md_scope=new URL(".",location),__md_get=1</script>',
             '<script>__md_scope=new URL("/",location),__md_get=1</script>']
    out = [rewrite(p) for p in pages]
    assert [re.search(r'data-ttg-scope="([^"]*)"', o).group(1) for o in out] == ["..", ".", "/"]
    assert len({LexborHTMLParser(o).css_first("script").text() for o in out}) == 1
    assert "generator" not in out[0]


@pytest.mark.browser
def test_the_scope_is_the_site_root_on_every_depth(browser, site, base_url):
    from helpers import open_page

    context = browser.new_context()
    page = context.new_page()
    for path in ("/", "/causes/", "/404.html"):
        open_page(page, base_url + path)
        assert page.evaluate("__md_scope.href") == base_url + "/", path
    context.close()
