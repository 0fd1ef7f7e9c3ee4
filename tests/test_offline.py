"""Readable with no connection: after one visit the site's service worker (offline-worker.js,
registered by offline.js) has saved the warning signs, the check, the offline page and the page
read; with the browser offline they open, a saved copy says so with its date, and a page never
read shows the offline page with the emergency numbers. A new deploy's text wins when online,
and replaces the saved copy. Works under a sub-path and under the CSP, and nothing is stored
but the one cache the worker names.

Service workers need a real origin: each check serves the built site on 127.0.0.1 and sets the
browser context offline (Playwright). Every wait is for a state (the worker ready and in control,
<html data-ttg-offline-saved>, the saved-pages list filled), never for a time."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import (DOCS, ROOT, SCHEMES, axe_violations, broken_copy, build_edited, build_or_fail, cache_rules, copy_project, serve,
                     wait_for_scripts)

pytestmark = pytest.mark.browser

READ = "/causes/"           # the page the reader opens on the first visit
UNREAD = "/what-helps/"     # a page never opened
KEPT = ("/warning-signs/", "/check/")  # saved on the first visit without being opened
WAIT_MS = 15000
SUB_PATH = "twitch-guide"

VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + location.pathname));
"""

STORED = """async () => {
  const caches_ = {};
  for (const name of await caches.keys())
    caches_[name] = (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname);
  const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  return {caches: caches_, local: Object.keys(localStorage), databases};
}"""


def emergency_numbers() -> list[str]:
    tiers = yaml.safe_load((DOCS / "_data" / "triage.yml").read_text())["tiers"]
    return [n["number"] for n in tiers[0]["numbers"]]  # the most urgent tier comes first


def built_h1(site: Path, path: str) -> str:
    """The page's title as built (the h1 text without its permalink)."""
    text = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return html.unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", match.group(1))).strip()


def worker_cache(site: Path, prefix: str = "") -> str:
    """The one cache the built worker names: 'ttg-offline <scope path> <build hash>'."""
    build = re.search(r'const BUILD = "([0-9a-f]+)"', (site / "offline-worker.js").read_text()).group(1)
    return f"ttg-offline {prefix}/ {build}"


def wait_until_saved(page, path: str) -> str | None:
    """Wait until the worker is ready, controls the page and has saved `path`; a problem if not."""
    try:
        page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=WAIT_MS)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WAIT_MS)
        page.wait_for_function("p => document.documentElement.getAttribute('data-ttg-offline-saved') === p",
                               arg=path, timeout=WAIT_MS)
    except Exception as error:  # a broken worker never gets there
        return f"{path}: never saved for offline reading after one visit ({type(error).__name__})"
    return None


def goto(page, url: str) -> str | None:
    try:
        page.goto(url, wait_until="load")
    except Exception as error:
        return f"{url}: did not open ({str(error).splitlines()[0]})"
    return None


def saved_copy_problems(page, where: str) -> list[str]:
    """The page says it is a saved copy, with a date that is today's."""
    note = page.locator("[data-ttg-saved-copy]")
    if note.count() != 1 or not note.is_visible():
        return [f"{where}: served from the saved copy without saying so"]
    text = note.inner_text()
    stamp = note.locator("time").get_attribute("datetime") or ""
    try:
        day = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
    except ValueError:
        return [f"{where}: the saved-copy note has no machine-readable date ({stamp!r})"]
    problems = []
    if abs((day - dt.datetime.now(dt.timezone.utc).date()).days) > 1:
        problems.append(f"{where}: the saved-copy note gives {day}, not the day it was saved")
    if "saved" not in text or str(day.year) not in text:
        problems.append(f"{where}: the saved-copy note does not say when it was saved: {text!r}")
    return problems


def offline_problems(browser, site: Path, url: str, prefix: str = "") -> list[str]:
    """One visit to READ, then offline: KEPT and READ open as saved copies (the check with its
    scripts), UNREAD shows the offline page with the numbers and links to what is saved; no CSP
    violation; nothing stored but the worker's cache."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    problems = [p for p in [goto(page, url + prefix + READ)] if p]
    problems += [p for p in [wait_until_saved(page, prefix + READ)] if p]
    if problems:
        context.close()
        return problems
    violations += page.evaluate("window.__csp")
    context.set_offline(True)
    for path in (*KEPT, READ):
        where = f"offline {prefix}{path}"
        problem = goto(page, url + prefix + path)
        if problem:
            problems.append(problem)
            continue
        h1 = page.locator("article h1").first.inner_text().rstrip("#").strip()
        if h1 != built_h1(site, path):
            problems.append(f"{where}: shows {h1!r}, not the saved page {built_h1(site, path)!r}")
            continue
        problems += saved_copy_problems(page, where)
        violations += page.evaluate("window.__csp")
    # The check works offline with its script (saved with the page): one answer, one result.
    goto(page, url + prefix + "/check/")
    try:
        wait_for_scripts(page)
        page.locator("[data-ttg-check][data-ttg-js] .ttg-current a", has_text="Start the check").click(timeout=WAIT_MS)
        page.locator("[data-ttg-check][data-ttg-js] .ttg-current a", has_text="Yes").first.click(timeout=WAIT_MS)
        page.locator("[data-ttg-check] .ttg-check-result.ttg-current").wait_for(state="visible", timeout=WAIT_MS)
    except Exception as error:
        problems.append(f"offline {prefix}/check/: the check does not work offline ({type(error).__name__})")
    problem = goto(page, url + prefix + UNREAD)
    if problem:
        problems.append(problem)
    else:
        where = f"offline {prefix}{UNREAD} (never read)"
        if page.locator("article h1").first.inner_text().strip() != "You are offline":
            problems.append(f"{where}: does not show the offline page")
        calls = page.locator('article a[href^="tel:"]').evaluate_all("els => els.map(a => a.getAttribute('href'))")
        if calls != [f"tel:{n}" for n in emergency_numbers()]:
            problems.append(f"{where}: the emergency numbers are not call links: {calls}")
        try:
            page.wait_for_function("() => document.querySelector('[data-ttg-offline-listed]')", timeout=WAIT_MS)
            listed = page.locator("[data-ttg-offline-list] a").evaluate_all(
                "els => els.map(a => new URL(a.href).pathname)")
        except Exception:
            listed = []
        for path in (*KEPT, READ):
            if prefix + path not in listed:
                problems.append(f"{where}: the list of saved pages does not link {prefix}{path} (lists {listed})")
        violations += page.evaluate("window.__csp")
    stored = page.evaluate(STORED)
    expected_cache = worker_cache(site, prefix)
    if list(stored["caches"]) != [expected_cache]:
        problems.append(f"caches {list(stored['caches'])}, expected only {expected_cache!r}")
    else:
        extra = [p for p in stored["caches"][expected_cache]
                 if not p.startswith(prefix + "/assets/") and p not in {prefix + q for q in (*KEPT, READ, "/offline.html")}]
        if extra:
            problems.append(f"the cache holds more than the saved pages and their files: {extra}")
    # Beside the cache, only the theme's colour scheme (the privacy statement names it).
    local = [key for key in stored["local"] if key != f"{prefix}/.__palette"]
    if local or stored["databases"] or context.cookies():
        problems.append(f"something else is stored: localStorage {local}, IndexedDB "
                        f"{stored['databases']}, cookies {context.cookies()}")
    context.close()
    return problems + [f"CSP: {v}" for v in violations]


# --- the real site --------------------------------------------------------------------------

def test_after_one_visit_the_site_reads_offline(browser, site, base_url):
    problems = offline_problems(browser, site, base_url)
    assert not problems, "\n".join(problems)


def test_the_offline_page_and_a_saved_copy_pass_axe_in_both_schemes(browser, base_url):
    problems = []
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": 390, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + READ)
        assert wait_until_saved(page, READ) is None
        context.set_offline(True)
        for path, ready in ((UNREAD, "[data-ttg-offline-listed]"), (READ, "[data-ttg-saved-copy]")):
            page.goto(base_url + path, wait_until="load")
            wait_for_scripts(page)
            page.locator(ready).wait_for()
            problems += [f"{scheme} {path}: {v}" for v in axe_violations(page)]
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("file, old, new, expected", [
    # The check is not saved on the first visit.
    ("offline-worker.js", '["warning-signs/", "check/", "offline.html"]', '["warning-signs/", "offline.html"]',
     "offline /check/: shows 'You are offline'"),
    # The page being read is never saved (offline.js does not tell the worker).
    # (our scripts are served minified: pipeline/minify.py)
    ("assets/javascripts/offline.*.js", 'registration.active.postMessage({type:"save",url:location.href});', "",
     "/causes/: never saved for offline reading"),
    # A saved copy that does not say so.
    ("offline-worker.js", "ARTICLE + note", "ARTICLE", "offline /warning-signs/: served from the saved copy without saying so"),
    # The offline page's numbers are not call links.
    ("offline.html", 'href="tel:999"', 'href="#"', "the emergency numbers are not call links"),
    # The worker keeps a second cache of its own.
    ("offline-worker.js", "await self.skipWaiting();", 'await caches.open("ttg-extra"); await self.skipWaiting();',
     "caches ["),
    # The worker keeps the search index too.
    ("offline-worker.js", "const required = PRECACHE.map(", 'await cache.add(new URL("search/search_index.json", SCOPE));\n    const required = PRECACHE.map(',
     "the cache holds more than the saved pages and their files: ['/search/search_index.json']"),
])
def test_offline_check_catches(browser, site, tmp_path, file, old, new, expected):
    broken = broken_copy(site, tmp_path, file, old, new)
    with serve(broken) as url:
        problems = offline_problems(browser, broken, url)
    assert any(expected in p for p in problems), problems


def test_offline_check_catches_a_csp_that_blocks_the_worker(browser, site, tmp_path):
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    for page in broken.rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("worker-src 'self'", "worker-src 'none'"), encoding="utf-8")
    with serve(broken) as url:
        problems = offline_problems(browser, broken, url)
    assert any("never saved" in p for p in problems), problems


def saved_page_problems(browser, url: str) -> list[str]:
    """A page the worker has saved stays whole when the reader goes on reading it: a citation
    (an instant navigation to the same page) opens its source, with the title and article still
    there. (The offline page's list once shared <html>'s saved mark, and filling the list emptied
    the whole page.)"""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = []
    page.goto(url + READ, wait_until="load")
    wait_for_scripts(page)
    saved = wait_until_saved(page, READ)
    if saved:
        problems.append(saved)
    else:
        # offline.js marks each page view it has handled (<html data-ttg-offline-handled="N">).
        page.wait_for_function("() => document.documentElement.hasAttribute('data-ttg-offline-handled')")
        views = int(page.evaluate("() => document.documentElement.getAttribute('data-ttg-offline-handled')"))
        link = page.locator("article .ttg-cite a").first
        target = link.get_attribute("href").split("#")[1]
        link.click()
        page.wait_for_function("n => Number(document.documentElement.getAttribute('data-ttg-offline-handled')) > n", arg=views)
        state = page.evaluate("""id => ({title: document.title, article: !!document.querySelector('article h1'),
                                          source: !!document.getElementById(id)})""", target)
        if not (state["title"] and state["article"] and state["source"]):
            problems.append(f"{READ}: after a citation on the saved page, title {state['title']!r}, "
                            f"article {state['article']}, source {state['source']}: the page was emptied")
    context.close()
    return problems


def test_a_saved_page_stays_whole_when_read_on(browser, base_url):
    problems = saved_page_problems(browser, base_url)
    assert not problems, "\n".join(problems)


def test_saved_page_check_catches_the_list_that_emptied_the_page(browser, site, tmp_path):
    broken = broken_copy(site, tmp_path, "assets/javascripts/offline.*.js", 'document.querySelector("ul[data-ttg-offline-list]")',
                         'document.querySelector("[data-ttg-offline-saved]")')
    with serve(broken) as url:
        problems = saved_page_problems(browser, url)
    assert any("the page was emptied" in p for p in problems), problems


# --- under a sub-path -----------------------------------------------------------------------

def sub_path_build(tmp_path: Path, project: Path = ROOT) -> Path:
    served_root = tmp_path / "root"
    build_or_fail(project, served_root / SUB_PATH, env={"SITE_URL": f"https://example.org/{SUB_PATH}/"})
    return served_root


def test_offline_reading_works_under_a_sub_path(browser, tmp_path):
    served_root = sub_path_build(tmp_path)
    with serve(served_root) as url:
        problems = offline_problems(browser, served_root / SUB_PATH, url, prefix="/" + SUB_PATH)
    assert not problems, "\n".join(problems)


def test_sub_path_check_catches_a_worker_registered_for_the_whole_host(browser, tmp_path):
    served_root = sub_path_build(tmp_path)
    script = next((served_root / SUB_PATH / "assets" / "javascripts").glob("offline.*.js"))
    text = script.read_text()
    assert "scope:scope.pathname" in text  # served minified (pipeline/minify.py)
    script.write_text(text.replace("scope:scope.pathname", 'scope:"/"'))
    with serve(served_root) as url:
        problems = offline_problems(browser, served_root / SUB_PATH, url, prefix="/" + SUB_PATH)
    assert any("never saved" in p for p in problems), problems


# --- a new deploy ---------------------------------------------------------------------------

NEW_SENTENCE = "This sentence is new in the second deploy."


def two_deploys(tmp_path: Path, edit_worker=None) -> tuple[Path, Path]:
    """The site built twice, the second time with one sentence added to the READ page."""
    project = copy_project(tmp_path / "project")
    first = build_or_fail(project, tmp_path / "first")
    markdown = project / "docs" / (READ.strip("/") + ".md")
    text = markdown.read_text(encoding="utf-8")
    heading = re.search(r"^# .*\n\n(.+)$", text, re.M)  # the first paragraph's first line
    markdown.write_text(text[: heading.end(1)] + " " + NEW_SENTENCE + text[heading.end(1):], encoding="utf-8")
    second = build_or_fail(project, tmp_path / "second")
    for site in (first, second):
        if edit_worker:
            worker = site / "offline-worker.js"
            worker.write_text(edit_worker(worker.read_text()))
    return first, second


def redeploy_problems(browser, first: Path, second: Path, tmp_path: Path) -> list[str]:
    """Read a page on the first deploy; the host switches to the second (same origin); online,
    the page shows the new text at once, and the worker then replaces the old cache; offline,
    the saved copy has the new text."""
    live = tmp_path / "live"
    served = live / "site"
    live.mkdir()
    served.symlink_to(first, target_is_directory=True)
    problems = []
    with serve(served) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + READ)
        problem = wait_until_saved(page, READ)
        if problem:
            context.close()
            return [problem]
        served.unlink()
        served.symlink_to(second, target_is_directory=True)  # the new deploy
        page.reload(wait_until="load")
        if NEW_SENTENCE not in page.locator("article").inner_text():
            problems.append(f"online after a new deploy, {READ} still shows the old text")
        expected = worker_cache(second)
        try:
            page.wait_for_function("async c => JSON.stringify(await caches.keys()) === JSON.stringify([c])",
                                   arg=expected, timeout=WAIT_MS)
        except Exception:
            problems.append(f"after the new deploy the caches are {page.evaluate('caches.keys()')}, not [{expected!r}]")
        context.set_offline(True)
        page.goto(url + READ, wait_until="load")
        if NEW_SENTENCE not in page.locator("article").inner_text():
            problems.append(f"offline after a new deploy, the saved {READ} has the old text")
        context.close()
    return problems


def test_a_new_deploy_wins_online_and_replaces_the_saved_copy(browser, tmp_path):
    first, second = two_deploys(tmp_path)
    problems = redeploy_problems(browser, first, second, tmp_path)
    assert not problems, "\n".join(problems)


def test_redeploy_check_catches_a_worker_that_serves_pages_from_the_cache_first(browser, tmp_path):
    # Cache first: the saved copy is served whenever there is one (a zero timeout would only race
    # the network, and a fast local server can win that race).
    race = "const first = await Promise.race([fromNetwork.catch(() => null), late]);"

    def cache_first(js: str) -> str:
        assert race in js, "fixture setup: the worker's network race is not where it was"
        return js.replace(race, "const first = null;")
    first, second = two_deploys(tmp_path, edit_worker=cache_first)
    problems = redeploy_problems(browser, first, second, tmp_path)
    assert any("online after a new deploy" in p for p in problems), problems


# --- what the build writes ------------------------------------------------------------------

def test_the_worker_is_not_fingerprinted_and_is_never_kept_stale(site):
    assert (site / "offline-worker.js").is_file()
    assert cache_rules((site / "_headers").read_text())["/offline-worker.js"] == "no-cache"
    worker = (site / "offline-worker.js").read_text()
    assert "__TTG_BUILD__" not in worker and "__TTG_PRECACHE__" not in worker


def test_the_build_fails_when_the_worker_loses_its_build_stamp(tmp_path):
    result = build_edited(tmp_path, "overrides/theme/offline-worker.js", 'const BUILD = "__TTG_BUILD__";', 'const BUILD = "dev";')
    assert result.returncode != 0
    assert 'overrides/theme/offline-worker.js: the placeholder "__TTG_BUILD__" is missing' in result.stdout + result.stderr
