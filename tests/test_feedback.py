"""The reader's voice: every page ends with "Something wrong or unclear on this page?", a link that
opens a prefilled report where the site is configured to take them (a GitHub or GitLab issue form,
or an e-mail), else the About page. Optional comments (giscus) load nothing until the reader asks.
Settings live in mkdocs.yml `extra.report` / `extra.comments`, filled from environment variables."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml

from helpers import ROOT, SCHEMES, axe_violations, build, build_edited, build_or_fail, html_pages, page_url, serve, wait_for_scripts

GITHUB = {"REPORT_FORGE": "github", "REPORT_REPO": "acme/thigh-twitch", "REPORT_EMAIL": "editors@acme.org"}
GITLAB = {"REPORT_FORGE": "gitlab", "REPORT_REPO": "acme/health/thigh-twitch"}
EMAIL_ONLY = {"REPORT_EMAIL": "editors@acme.org"}
COMMENTS = {"GISCUS_REPO": "acme/thigh-twitch", "GISCUS_REPO_ID": "R_kgTEST", "GISCUS_CATEGORY": "Comments",
            "GISCUS_CATEGORY_ID": "DIC_kwTEST"}
COMMENT_HOST = "https://giscus.app"


@pytest.fixture(scope="module")
def github_site(tmp_path_factory):
    return build_or_fail(ROOT, tmp_path_factory.mktemp("github") / "site", env={**GITHUB, **COMMENTS})


def report_links(html: str) -> list[tuple[str, str]]:
    """(kind, href) of each link in the page's report box."""
    box = re.search(r'<aside class="ttg-report".*?</aside>', html, re.S)
    if not box:
        return []
    return [(kind, href.replace("&amp;", "&")) for href, kind in
            re.findall(r'<a href="([^"]+)" data-ttg-report="([a-z]+)"', box.group(0))]


def canonical(html: str) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return match.group(1) if match else ""


def page_title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return match.group(1).split(" - ")[0].replace("&amp;", "&").strip() if match else ""


def content_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if p.name == "index.html" and canonical(p.read_text(encoding="utf-8"))]


def report_problems(site: Path, expected_kinds: list[str]) -> list[str]:
    """Each page's report links: the expected channels, each prefilled with the page's title and
    canonical address (a forge's new-issue form, or a mailto: with subject and body)."""
    problems = []
    for page in content_pages(site):
        html = page.read_text(encoding="utf-8")
        where = page_url(site, page)
        url, title = canonical(html), page_title(html)
        links = report_links(html)
        if [kind for kind, _ in links] != expected_kinds:
            problems.append(f"{where}: report links {[k for k, _ in links]}, expected {expected_kinds}")
            continue
        for kind, href in links:
            parts = urlsplit(href)
            query = parse_qs(parts.query)
            if kind == "github":
                ok = (parts.scheme == "https" and parts.netloc == "github.com"
                      and parts.path == f"/{GITHUB['REPORT_REPO']}/issues/new"
                      and query.get("template") == ["report-a-problem.yml"]
                      and title in query.get("title", [""])[0] and query.get("page") == [url])
            elif kind == "gitlab":
                body = query.get("issue[description]", [""])[0]
                ok = (parts.scheme == "https" and parts.netloc == "gitlab.com"
                      and parts.path == f"/{GITLAB['REPORT_REPO']}/-/issues/new"
                      and title in query.get("issue[title]", [""])[0] and url in body and "What is wrong" in body)
            elif kind == "email":
                body = query.get("body", [""])[0]
                ok = (parts.scheme == "mailto" and unquote(parts.path) == EMAIL_ONLY["REPORT_EMAIL"]
                      and "+" not in parts.query and title in query.get("subject", [""])[0]
                      and url in body and "What is wrong" in body)
            else:
                ok = urljoin(url, href).endswith("/about/#report-a-mistake")
            if not ok:
                problems.append(f"{where}: {kind} report link does not carry the page ({url}, {title!r}): {href}")
    return problems


def test_with_nothing_configured_every_page_leads_to_the_about_page(site):
    assert not report_problems(site, ["about"])
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="report-a-mistake"' in about and "has no way to send reports yet" in about
    assert "README" not in about  # words for readers, not for the people who build the site


def test_github_and_email_links_carry_each_page(github_site):
    assert not report_problems(github_site, ["github", "email"])
    about = (github_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "github.com/acme/thigh-twitch/issues" in about and "mailto:editors@acme.org" in about


@pytest.mark.parametrize("env, kinds", [(GITLAB, ["gitlab"]), (EMAIL_ONLY, ["email"])], ids=["gitlab", "email-only"])
def test_gitlab_and_email_only_links_carry_each_page(tmp_path, env, kinds):
    site = build_or_fail(ROOT, tmp_path / "site", env=env)
    assert not report_problems(site, kinds)


def test_report_check_catches_a_link_without_the_page(github_site, tmp_path):
    from helpers import broken_copy

    # Not "&page=": the page is serialised by an HTML5 parser, which writes "&" in an attribute as "&amp;".
    broken = broken_copy(github_site, tmp_path, "causes/index.html", "page=https%3A%2F%2F", "page=x")
    assert any(p.startswith("/causes/: github report link does not carry the page")
               for p in report_problems(broken, ["github", "email"]))


def test_the_issue_form_has_the_fields_the_link_fills():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "report-a-problem.yml").read_text())
    ids = {field.get("id") for field in form["body"]}
    assert {"page", "section", "problem", "source"} <= ids


@pytest.mark.parametrize("env, expected", [
    ({"REPORT_FORGE": "github", "REPORT_REPO": "not a repo"}, "mkdocs.yml: extra.report.repo: 'not a repo' is not a GitHub repository"),
    ({"REPORT_FORGE": "bitbucket", "REPORT_REPO": "a/b"}, "mkdocs.yml: extra.report.forge: 'bitbucket' is not one of github, gitlab"),
    ({"REPORT_EMAIL": "editors at acme"}, "mkdocs.yml: extra.report.email: 'editors at acme' is not an e-mail address"),
    ({"GISCUS_REPO": "acme/x"}, "mkdocs.yml: extra.comments: comments need all of repo, repo_id, category, category_id; missing: repo_id"),
], ids=["repo", "forge", "email", "half-comments"])
def test_build_fails_on_bad_report_or_comment_settings(tmp_path, env, expected):
    result = build(ROOT, tmp_path / "site", env=env)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr, result.stdout + result.stderr


def test_build_refuses_materials_repo_url(tmp_path):
    result = build_edited(tmp_path, "mkdocs.yml", "site_name: Thigh Twitch Guide\n",
                          "site_name: Thigh Twitch Guide\nrepo_url: https://github.com/acme/x\n")
    assert result.returncode != 0
    assert "mkdocs.yml: repo_url is set" in result.stdout + result.stderr


@pytest.mark.parametrize("env, warned", [({}, True), (GITHUB, False)], ids=["no-channel", "with-channel"])
def test_a_production_build_with_no_channel_warns(tmp_path, env, warned):
    result = build(ROOT, tmp_path / "site", env={"SITE_URL": "https://thigh-twitch-guide.org/", **env})
    assert result.returncode == 0, result.stderr
    assert ("no report channel is configured" in result.stderr) == warned


def test_csp_allows_the_comment_host_only_when_configured_and_only_for_frames(site, github_site):
    for built, expected in ((site, None), (github_site, COMMENT_HOST)):
        for where in ((built / "_headers").read_text(), (built / "index.html").read_text(encoding="utf-8")):
            policy = re.search(r"default-src[^\n\"]*", where).group(0)
            frames = re.findall(r"frame-src ([^;\"]+)", policy)
            assert frames == ([expected] if expected else []), policy
            other = policy.replace(f"frame-src {expected}", "") if expected else policy
            assert "giscus" not in other, policy


def test_pages_that_turn_comments_off_have_none(github_site):
    for page in content_pages(github_site):
        source = ROOT / "docs" / (page_url(github_site, page).strip("/") or "index")
        meta = (source.with_suffix(".md") if source.with_suffix(".md").exists() else source / "index.md").read_text()
        off = re.search(r"^comments: false$", meta, re.M) is not None
        has = "data-ttg-comments" in page.read_text(encoding="utf-8")
        assert has != off, page_url(github_site, page)


# ---- in the browser ----

STUB = "<!doctype html><title>giscus stand-in</title><p>Comments would be here.</p>"


def watch_giscus(context) -> list[str]:
    """Route the comment host to a local stand-in; return the list its requests are logged in."""
    seen: list[str] = []

    def handle(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=STUB)

    context.route(f"{COMMENT_HOST}/**", handle)
    return seen


CSP_WATCH = "window.__csp = []; addEventListener('securitypolicyviolation', e => __csp.push(e.violatedDirective + ' ' + e.blockedURI));"


@pytest.mark.browser
def test_comments_load_only_when_asked(browser, github_site):
    with serve(github_site) as url:
        context = browser.new_context()
        context.add_init_script(CSP_WATCH)
        seen = watch_giscus(context)
        page = context.new_page()
        page.goto(url + "/causes/", wait_until="networkidle")
        wait_for_scripts(page)  # scripts ran and the network is quiet: anything requested is in `seen`
        assert seen == [] and page.locator("iframe").count() == 0
        assert page.locator("[data-ttg-comments]").is_visible()
        page.click("[data-ttg-comments-load]")
        frame = page.locator(".ttg-comments-frame iframe")
        frame.wait_for()
        src = urlsplit(frame.get_attribute("src"))
        query = parse_qs(src.query)
        assert f"{src.scheme}://{src.netloc}" == COMMENT_HOST and src.path == "/en/widget"
        assert query["repo"] == [COMMENTS["GISCUS_REPO"]] and query["term"] == ["/causes/"]
        assert query["theme"] == ["light"] and query["categoryId"] == [COMMENTS["GISCUS_CATEGORY_ID"]]
        page.frame_locator(".ttg-comments-frame iframe").locator("p").wait_for()  # the stand-in answered
        assert len(seen) == 1 and seen[0].startswith(COMMENT_HOST + "/en/widget?")
        assert page.evaluate("window.__csp") == []
        assert page.evaluate("localStorage.getItem('ttg-comments-always')") is None
        # Instant navigation: the next page starts with its own button and no frame.
        page.click('.md-nav a[href$="what-helps/"]')
        page.wait_for_url("**/what-helps/")
        page.locator("[data-ttg-comments-load]").wait_for()
        assert page.locator("iframe").count() == 0 and len(seen) == 1
        # A page with comments turned off has none.
        page.goto(url + "/check/", wait_until="load")
        assert page.locator("[data-ttg-comments]").count() == 0
        context.close()


@pytest.mark.browser
def test_always_load_is_remembered_only_when_ticked(browser, github_site):
    with serve(github_site) as url:
        context = browser.new_context(color_scheme="dark")
        seen = watch_giscus(context)
        page = context.new_page()
        page.goto(url + "/causes/", wait_until="load")
        wait_for_scripts(page)
        page.check("[data-ttg-comments-always]")
        page.locator(".ttg-comments-frame iframe").wait_for()
        assert "theme=dark" in page.locator(".ttg-comments-frame iframe").get_attribute("src")
        assert page.evaluate("localStorage.getItem('ttg-comments-always')") == "1"
        page.goto(url + "/what-helps/", wait_until="load")
        wait_for_scripts(page)
        page.locator(".ttg-comments-frame iframe").wait_for()
        assert "term=%2Fwhat-helps%2F" in page.locator(".ttg-comments-frame iframe").get_attribute("src")
        page.uncheck("[data-ttg-comments-always]")
        assert page.evaluate("localStorage.getItem('ttg-comments-always')") is None
        page.goto(url + "/prevention/", wait_until="networkidle")
        wait_for_scripts(page)
        assert page.locator("iframe").count() == 0
        assert len(seen) == 2
        context.close()


@pytest.mark.browser
def test_report_link_names_the_section_being_read_and_sends_nothing_before(browser, github_site):
    with serve(github_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 800})
        opened: list[str] = []
        context.route("https://github.com/**", lambda route: (opened.append(route.request.url),
                                                             route.fulfill(status=200, body="form")))
        page = context.new_page()
        page.goto(url + "/causes/", wait_until="load")
        wait_for_scripts(page)
        # Read the caffeine section for a while, then go straight to the link at the bottom.
        page.evaluate("document.getElementById('caffeine').scrollIntoView()")
        page.mouse.wheel(0, 120)
        # Once scrolling has rested, the report link names the heading above the top third of the
        # screen: wait for that state (whatever the wheel's final position), not for a time.
        heading = page.wait_for_function("""() => {
            const h = [...document.querySelectorAll('article h2[id], article h3[id]')]
                .filter(h => h.getBoundingClientRect().top < innerHeight / 3).pop();
            const link = document.querySelector('[data-ttg-report="github"]');
            return h && decodeURIComponent(link.href).includes('#' + h.id + ')') && h.id; }""").json_value()
        assert heading and heading not in ("sources", "report-a-problem"), heading
        assert opened == []
        page.click('[data-ttg-report="github"]')
        page.wait_for_url("https://github.com/**")
        assert len(opened) == 1
        query = parse_qs(urlsplit(opened[0]).query)
        assert query["section"][0].endswith(f"/causes/#{heading})"), query["section"]
        assert query["page"] == ["https://thigh-twitch.example.org/causes/"]
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_in_the_report_box_and_comment_notice(browser, github_site, scheme):
    with serve(github_site) as url:
        context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900})
        page = context.new_page()
        page.goto(url + "/causes/", wait_until="load")
        wait_for_scripts(page)
        page.locator("[data-ttg-comments]").scroll_into_view_if_needed()
        assert not axe_violations(page)  # it waits for the page to be still first
        context.close()
