"""A locked-down page: a Content-Security-Policy without 'unsafe-inline' that the browser
enforces with everything still working, security headers for hosts, external links that
say they leave, schema.org structured data on every health page, and cache rules that let a
repeat visit fetch only the page (names with a content hash are kept a year)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import (ROOT, broken_copy, build, cache_rules, copy_project, html_pages, open_search, page_url, search_results,
                     serve, site_paths, wait_for_scripts)
from test_content import built_page, medical_pages

VOCABULARY = json.loads((ROOT / "tests" / "data" / "schema-org-vocabulary.json").read_text())
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def script_hashes(html: str) -> set[str]:
    """The hashes of a page's inline scripts that run (no src, no data type)."""
    return {csp_hash(m.group(1)) for m in re.finditer(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", html, re.S)}


def style_hashes(html: str) -> set[str]:
    return {csp_hash(m.group(1)) for m in re.finditer(r"<style[^>]*>(.*?)</style>", html, re.S)}


def test_every_page_carries_a_strict_csp(site):
    assert_strict_csp(site)


def test_the_csp_check_sees_the_error_pages_script_allowed_everywhere(site, tmp_path):
    # As before 2026-12-07: every page's policy listed the 404 page's own script too.
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    own = script_hashes((site / "404.html").read_text())
    for page in html_pages(broken):
        text = page.read_text()
        listed = set(re.search(r"script-src ([^;]+)", CSP_META.search(text).group(1)).group(1).split())
        page.write_text(text.replace("script-src 'self' ", "script-src 'self' " + " ".join(sorted(own - listed)) + " ", 1))
    with pytest.raises(AssertionError, match=r"1 more \(the error page's\?\)"):
        assert_strict_csp(broken)


def assert_strict_csp(site: Path) -> None:
    """One policy for every page's scripts (an instant navigation runs the next page's under the
    first page's policy); each page's style-src allows its own inlined <style> and no other. The
    error page adds its own scripts: no instant navigation reaches it (it is not in the sitemap,
    and a failed fetch loads afresh), so no other page needs them."""
    policies, error_page, reachable = set(), None, set()
    for page in html_pages(site):
        html = page.read_text()
        match = CSP_META.search(html)
        assert match, f"site{page_url(site, page)}: no CSP <meta>"
        assert html.index(match.group(0)) < html.index("<script"), "the CSP must come before any script"
        style_src = re.search(r"style-src ([^;]+)", match.group(1)).group(1).split()
        assert style_src[0] == "'self'" and set(style_src[1:]) == style_hashes(html), (
            f"site{page_url(site, page)}: style-src {style_src} is not this page's own <style>")
        policy = re.sub(r"style-src [^;]+", "style-src", match.group(1))
        if page == site / "404.html":
            error_page = policy
        else:
            policies.add(policy)
            reachable |= script_hashes(html)
    (policy,) = policies
    assert error_page is not None, "site/404.html: not built"
    shared = set(re.search(r"script-src ([^;]+)", policy).group(1).split())
    extra, missing = shared - {"'self'"} - reachable, reachable - shared
    assert not extra and not missing, (
        "every page's script-src must list the scripts of the pages an instant navigation can reach, "
        f"and only those: {len(extra)} more (the error page's?), {len(missing)} missing")
    own = set(re.search(r"script-src ([^;]+)", error_page).group(1).split())
    assert own >= shared and re.sub(r"script-src [^;]+", "", error_page) == re.sub(r"script-src [^;]+", "", policy), \
        "site/404.html: its policy must be every page's, plus its own scripts"
    text = (site / "404.html").read_text()
    assert own - shared == script_hashes(text) - shared, "site/404.html: allows scripts it does not have"
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'sha256-" in script_src
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_headers_file_for_static_hosts(site):
    headers = (site / "_headers").read_text()
    assert headers.startswith("/*\n")
    for name in ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
                 "Permissions-Policy"):
        assert f"  {name}: " in headers, name
    assert "frame-ancestors 'none'" in headers


def cache_problems(site: Path) -> list[str]:
    """Every file has one cache rule: a year and immutable only for names with a content hash that
    matches the content, a revalidation for pages, a short time for the rest."""
    rules = cache_rules((site / "_headers").read_text())
    problems = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("_") or rel == "404.html":
            continue
        url = "/" + (rel[: -len("index.html")] if path.name == "index.html" else rel)
        rule = rules.get(url)
        hashed = re.search(r"\.([0-9a-f]{8})(\.min)?\.(css|js)$", path.name)
        if rule is None:
            problems.append(f"_headers: no Cache-Control for {url}")
        elif "immutable" in rule:
            if not hashed:
                problems.append(f"_headers: {url} is immutable but its name carries no content hash")
            elif path.name.startswith(("site.", "ttg-search.")) and \
                    hashlib.sha256(path.read_bytes()).hexdigest()[:8] != hashed.group(1):
                problems.append(f"{url}: the hash in the name is not the content's")
        elif hashed:
            problems.append(f"_headers: {url} carries a content hash but is not cached as immutable")
        elif url.endswith("/") and "must-revalidate" not in rule:
            problems.append(f"_headers: page {url} is not revalidated ({rule})")
    return problems


def test_repeat_visits_can_use_the_cache(site):
    assert not cache_problems(site)
    # Our own files carry a content hash, and no page asks for the unhashed names.
    for name in ("stylesheets/site.css", "javascripts/site.js", "javascripts/workers/ttg-search.js"):
        assert not (site / "assets" / name).exists(), name
    for page in html_pages(site):
        assert not re.search(r"/(site\.css|site\.js|ttg-search\.js)[\"'?]", page.read_text(encoding="utf-8")), page


def test_cache_check_catches_an_immutable_file_without_a_hash(site, tmp_path):
    broken = broken_copy(site, tmp_path, "_headers", "/assets/images/favicon.svg\n  Cache-Control: public, max-age=600",
                         "/assets/images/favicon.svg\n  Cache-Control: public, max-age=31536000, immutable")
    assert "_headers: /assets/images/favicon.svg is immutable but its name carries no content hash" in cache_problems(broken)


def test_build_fails_when_a_fingerprinted_asset_is_missing(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "theme" / "assets" / "javascripts" / "site.js").unlink()
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "overrides/theme/assets/javascripts/site.js: missing" in result.stdout + result.stderr


VIOLATIONS_SCRIPT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + location.pathname));
"""


def csp_violations_while_browsing(browser, url: str, paths: list[str]) -> list[str]:
    context = browser.new_context()
    context.add_init_script(VIOLATIONS_SCRIPT)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    for path in paths:
        page.goto(url + path, wait_until="load")
        wait_for_scripts(page)  # they load after the first paint, and must obey the policy too
        violations += page.evaluate("window.__csp")
    # Everything still works under the policy: instant navigation, search, palette.
    page.goto(url + "/", wait_until="networkidle")
    wait_for_scripts(page)
    page.evaluate("window.__ttgSamePage = true")
    page.locator("article a", has_text="warning signs").first.click()
    page.wait_for_url("**/warning-signs/**")
    page.locator("article h1", has_text="Warning signs").wait_for()
    assert page.evaluate("window.__ttgSamePage === true"), "the link was not followed by instant navigation"
    open_search(page)
    assert search_results(page, "cramp"), "search returned nothing under the CSP"
    page.keyboard.press("Escape")
    page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
    violations += page.evaluate("window.__csp")
    context.close()
    return violations


@pytest.mark.browser
def test_browsing_searching_and_navigating_raise_no_csp_violation(browser, site):
    with serve(site, instant=True) as url:
        violations = csp_violations_while_browsing(browser, url, site_paths(site))
    assert not violations, "\n".join(violations)


@pytest.mark.browser
def test_the_csp_check_fails_when_an_instant_navigation_copies_the_next_pages_style(browser, site, tmp_path):
    """Each page's policy allows only its own <style>; site.js leaves the next page's out when the
    theme copies its head. Without that, the first instant navigation is refused a style."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (script,) = (copy / "assets" / "javascripts").glob("site.*.js")
    text = script.read_text()
    guard = 'if(typeof DOMParser!=="undefined"&&!DOMParser.prototype.__ttgParse)'  # as served, minified
    assert guard in text
    script.write_text(text.replace(guard, "if(false)", 1))
    with serve(copy, instant=True) as url:
        violations = csp_violations_while_browsing(browser, url, [])
    assert any("style-src" in v for v in violations), violations


@pytest.mark.browser
def test_inline_script_without_a_hash_is_blocked_and_reported(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "about/index.html", "</article>", "<script>window.sneaky = 1</script></article>")
    with serve(broken, instant=True) as url:
        violations = csp_violations_while_browsing(browser, url, ["/about/"])
    assert any("script-src" in v and "/about/" in v for v in violations), violations


def test_external_links_say_they_leave_and_use_noopener(site):
    problems = []
    for page in html_pages(site):
        for match in re.finditer(r'<a ([^>]*href="https?://(?!thigh-twitch\.example\.org)[^"]+"[^>]*)>(.*?)</a>',
                                 page.read_text(), re.S):
            attrs, text = match.groups()
            if 'rel="noopener"' not in attrs or "ttg-external" not in attrs or "opens another website" not in text:
                problems.append(f"site{page_url(site, page)}: {attrs[:80]}")
    assert not problems, "\n".join(problems)


# --- structured data ---------------------------------------------------------------------------

def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def structured_data_problems(site: Path, slugs: list[str]) -> list[str]:
    problems = []

    def check(node, where):
        if isinstance(node, list):
            for item in node:
                check(item, where)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("@type")
        if kind not in VOCABULARY["types"]:
            problems.append(f"{where}: schema.org type {kind!r} is not in tests/data/schema-org-vocabulary.json")
            return
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            if prop not in VOCABULARY["types"][kind]:
                problems.append(f"{where}: {kind} has no property {prop!r} on schema.org")
            check(value, where)
        for prop in VOCABULARY["required"].get(kind, []):
            if not node.get(prop):
                problems.append(f"{where}: {kind} is missing {prop!r}")

    for slug in slugs:
        where = f"docs/{slug}.md"
        blocks = [b for b in json_ld(built_page(site, slug).read_text()) if b.get("@type") == "MedicalWebPage"]
        if len(blocks) != 1:
            problems.append(f"{where}: expected one MedicalWebPage JSON-LD block, found {len(blocks)}")
            continue
        data = blocks[0]
        if data.get("@context") != "https://schema.org":
            problems.append(f"{where}: JSON-LD @context must be https://schema.org")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data.get("lastReviewed", ""))):
            problems.append(f"{where}: lastReviewed must be an ISO date")
        check(data, where)
    return problems


def test_every_medical_page_has_valid_structured_data(site):
    problems = structured_data_problems(site, medical_pages())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edit, expected", [
    (lambda h: re.sub(r'<script type="application/ld\+json">.*?</script>', "", h, flags=re.S),
     "expected one MedicalWebPage JSON-LD block, found 0"),
    (lambda h: h.replace('"lastReviewed"', '"lastReviewd"'), "has no property 'lastReviewd'"),
    (lambda h: h.replace('"MedicalSignOrSymptom"', '"MedicalSymptomThing"'), "'MedicalSymptomThing' is not in"),
])
def test_structured_data_check_catches(site, tmp_path, edit, expected):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    page = broken / "causes" / "index.html"
    page.write_text(edit(page.read_text()))
    problems = "\n".join(structured_data_problems(broken, ["causes"]))
    assert "docs/causes.md" in problems and expected in problems, problems
