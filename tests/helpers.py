"""Shared helpers for the test suite: building the site, serving it, driving Chromium.

Every test file imports from here, so each file reads on its own without repeating plumbing.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent

# What a copy of the project needs in order to build on its own.
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides")

# Figures the tests measure (reading grades...), printed at the end of the run by conftest.
REPORT: dict[str, dict[str, float]] = {}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """CHROME_PATH if set, else Debian's Chromium."""
    return os.environ.get("CHROME_PATH") or "/usr/bin/chromium"


def copy_project(dest: Path) -> Path:
    """Copy the buildable parts of the project to dest, for mutating without touching docs/."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


def build_env(project: Path, env: dict | None = None) -> dict:
    """The environment a build of `project` runs in: its own build package (overrides/ttg_build)
    comes first on the import path, so a copy of the project builds with the copy's code."""
    path = os.pathsep.join(filter(None, [str(project / "overrides"), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path, **(env or {})}


def build(project: Path, site_dir: Path, *, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` on a project folder; never raises, returns the result."""
    full_env = build_env(project, env)
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def build_or_fail(project: Path, site_dir: Path, **kwargs) -> Path:
    result = build(project, site_dir, **kwargs)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


def html_pages(site: Path) -> list[Path]:
    """Every page of the built site (index.html files and 404.html)."""
    return sorted(p for p in site.rglob("*.html") if p.name in ("index.html", "404.html"))


def page_url(site: Path, page: Path) -> str:
    """The site-relative URL of a built page: '/' or '/causes/'."""
    rel = page.relative_to(site).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    instant = False

    def log_message(self, *args):  # keep test output readable
        pass

    def do_GET(self):
        # The theme follows a link with instant navigation only to an address in sitemap.xml,
        # taking the scheme and host from the page but keeping the sitemap's port: on a test
        # server's port it never would. Served as if the site lived at this server's address.
        if self.instant and self.path.split("?")[0].endswith("/sitemap.xml"):
            file = Path(self.translate_path(self.path))
            if file.is_file():
                origin = f"http://{self.headers.get('Host')}"
                body = re.sub(r"<loc>https?://[^/<]+", f"<loc>{origin}", file.read_text()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-reply (a page left, a request cancelled) is no
        # error of the site's; anything else is printed as before.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, instant: bool = False):
    """Serve a folder over HTTP on 127.0.0.1 (a free port); yields the base URL. With instant,
    the sitemap names this address, so the theme's instant navigation runs as on the real host."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"instant": instant}), directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def launch_chromium(playwright):
    path = chromium_path()
    if not Path(path).exists():
        raise RuntimeError(
            f"Chromium not found at {path}. Run `make test` (it installs Debian's chromium) "
            "or set CHROME_PATH."
        )
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


class PageWatcher:
    """Records console errors, page errors and every request a Playwright page makes."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def foreign_requests(self) -> list[str]:
        """Requests to any origin other than the site's own (data: and blob: are local)."""
        return [
            u for u in self.requests
            if not u.startswith(self.origin + "/") and u != self.origin
            and not u.startswith(("data:", "blob:"))
        ]


# --- Reading the rendered text -------------------------------------------------------------

import html.parser as _html_parser

# Elements whose text is not body prose: code, figures' drawing text, the source list,
# review dates, permalinks, and myths quoted in order to refute them.
SKIP_TAGS = {"script", "style", "pre", "code", "svg", "template", "noscript"}
SKIP_CLASSES = {"ttg-references", "ttg-review", "headerlink", "ttg-cite"}
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd",
              "figcaption", "summary", "div", "tr", "blockquote", "br"}
VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base"}


class _TextExtractor(_html_parser.HTMLParser):
    """Collects the text of one element (by class or tag) as sentences, one block per line."""

    def __init__(self, root_class: str, skip_classes: set[str]):
        super().__init__(convert_charrefs=True)
        self.root_class = root_class
        self.skip_classes = skip_classes
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside root, skipping)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            # A list item or heading is a unit of its own even without a full stop.
            if text[-1] not in ".!?:;":
                text += "."
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            if tag == "br":
                self._flush()
            return
        classes = set((dict(attrs).get("class") or "").split())
        inside = self.stack[-1][1] if self.stack else False
        skipping = self.stack[-1][2] if self.stack else False
        if self.root_class in classes:
            inside = True
        if tag in SKIP_TAGS or classes & self.skip_classes or "data-search-exclude" in dict(attrs):
            skipping = True
        if inside and not skipping and tag in BLOCK_TAGS:
            self._flush()
        self.stack.append((tag, inside, skipping))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        while self.stack:
            open_tag, inside, skipping = self.stack.pop()
            if inside and not skipping and open_tag in BLOCK_TAGS:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.current.append(data)


def article_text(html_text: str, skip_classes: set[str] | None = None) -> str:
    """The readable body text of a built page's article, one block per line."""
    extractor = _TextExtractor("md-content__inner", SKIP_CLASSES | (skip_classes or set()))
    extractor.feed(html_text)
    extractor._flush()
    return "\n".join(extractor.blocks)


def site_url_of(site: Path) -> str:
    """The site_url a built site was made with (the first <loc> of its sitemap)."""
    import re

    match = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    assert match, f"{site}/sitemap.xml has no <loc>"
    return match.group(1)


# --- Browser helpers -----------------------------------------------------------------------

WIDTHS = {"phone": 390, "desktop": 1280}
SCHEMES = ("light", "dark")


def site_paths(site: Path) -> list[str]:
    """'/', '/causes/', ... for every page of a built site (404 included as '/404.html')."""
    return [page_url(site, p) for p in html_pages(site)]


def open_search(page):
    """Open Material's search from the keyboard, as a reader would ('/' is its shortcut)."""
    wait_for_scripts(page)  # the shortcut is the theme's, and its script loads after the first paint
    # The theme closes search (and the drawer) 125 ms after any change of address or fragment,
    # and a page reached by instant navigation may still have one of those coming (a popstate
    # for its #anchor): search opened in that moment closes again, with the box still focused,
    # and text typed then lands at the start ("echarley hors"). So open it until it stays open
    # (the sub-path test, which searches again after following a result: 4 of 8 runs failed
    # so, 0 of 12 after).
    for _ in range(3):
        # With the box focused, '/' is a letter typed into it, not the shortcut. The theme turns
        # its toggle with a click (a change event): that is how an opening that closed again
        # within a frame is still seen.
        page.evaluate("""() => {
            document.activeElement && document.activeElement.blur();
            window.__ttgSearchOpened = false;
            const toggle = document.querySelector('[data-md-toggle=search]');
            if (!toggle.ttgWatched) {
                toggle.ttgWatched = true;
                toggle.addEventListener('change', () => { if (toggle.checked) window.__ttgSearchOpened = true; });
            }
        }""")
        page.locator("body").press("/")
        # Open means the theme's toggle is on and the dialog has stopped moving. Typed sooner (the
        # toggle follows focus a few milliseconds later, and the phone dialog slides in after it),
        # the caret could end at the start of the box: "wmy thigh ... no" (1 run in 60 under load).
        page.wait_for_function("() => window.__ttgSearchOpened || document.querySelector('[data-md-toggle=search]').checked")
        settle(page)
        if page.evaluate("() => document.querySelector('[data-md-toggle=search]').checked"):
            return
    raise AssertionError("search would not stay open")


def search_results(page, query: str, count: int = 3) -> list[str]:
    """Type a query into the real search box; the first `count` results, each as the path and
    #anchor of its first link (the section that answers, or the page)."""
    box = page.locator(".md-search__input")
    # All but the last letter at once, then the last one as a key press: the box ends as a
    # typing reader leaves it (the worker answers the last keystroke), without a round trip per
    # letter. That saved about 90 s of the suite for the 278 queries of the tuning set.
    box.fill(query[:-1])
    box.press_sequentially(query[-1:])
    typed = box.input_value()
    assert typed == query, f"the search box holds {typed!r}, not the typed {query!r}"
    # The worker answers every keystroke; site.js marks the list with the query it answers.
    page.wait_for_function(
        "q => { const l = document.querySelector('.md-search-result__list');"
        " return l && l.getAttribute('data-ttg-query') === q; }", arg=query
    )
    return page.locator(".md-search-result__item").evaluate_all(
        f"""els => els.slice(0, {count}).map(li => {{
            const u = new URL(li.querySelector('a').href); return u.pathname + u.hash; }})"""
    )


FIRST_RESULT_PROBE = """() => {
    const a = document.querySelector('.md-search-result__item a');
    if (!a) return null;
    const visible = el => el && el.offsetParent !== null && el.getClientRects().length > 0;
    return {text: a.innerText, marks: [...a.querySelectorAll('mark')].filter(visible).map(m => m.textContent)};
}"""


def first_result_card(page) -> dict | None:
    """The first result as a reader sees it: its visible text and highlighted words."""
    return page.evaluate(FIRST_RESULT_PROBE)


def built_file(site: Path, pattern: str) -> Path:
    """A file of the built site by path or glob ('assets/stylesheets/site.*.css': the name carries
    a content hash); exactly one must match."""
    matches = sorted(site.glob(pattern))
    assert len(matches) == 1, f"{pattern}: {len(matches)} files match in {site}"
    return matches[0]


def broken_copy(site: Path, tmp_path: Path, page: str, old: str, new: str) -> Path:
    """A copy of a built site with one text replacement in one page: a fixture for proving
    that a check fails. The real site is never touched."""
    copy = tmp_path / "broken-site"
    shutil.copytree(site, copy)
    target = built_file(copy, page)
    text = target.read_text()
    assert old in text, f"fixture setup: {old!r} not found in {page}"
    target.write_text(text.replace(old, new, 1))
    return copy


def axe_violations(page) -> list[str]:
    """What axe-core finds wrong on the page as it stands, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    settle(page)  # axe reads colours as they are this instant: a fading header is not a defect
    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in result.response["violations"] for node in v["nodes"]
    ]


def wait_for_scripts(page) -> None:
    """Wait until the site's and the theme's scripts have run: they load after the first paint,
    so 'load' can come first (site.js marks <html data-ttg-ready> when it has set up the page).
    No short timeout: on a loaded machine the scripts can take seconds, and a pass costs no wait."""
    page.wait_for_function("() => document.documentElement.hasAttribute('data-ttg-ready')")


def wait_for_routed(page, routed: list, timeout_s: float = 30) -> None:
    """Wait until a route handler has been handed the request the page has made (the browser
    asks before Playwright calls the handler; each round trip to the page lets it through)."""
    deadline = time.monotonic() + timeout_s
    while not routed and time.monotonic() < deadline:
        page.evaluate("0")
    assert routed, "the page asked, but the request never reached the route"


def open_page(page, url: str, *, scripts: bool = True):
    """Go to a page as a reader would and wait until it is ready to use: loaded, and (unless the
    context has JavaScript off, or the test holds the scripts back) its late scripts have run.
    Anything a test clicks, types or measures after this is in its final state."""
    page.goto(url, wait_until="load")
    if scripts:
        wait_for_scripts(page)
    return page


# A page is still when no CSS transition or animation is running at two looks in a row: a scroll
# or a class change can start one just after the test's last action (the header swaps its title
# as the page scrolls), so one look is not enough. Tests that compare resting styles also use
# reader_context() (reduced motion: transitions end at once). Polled on a timer, not on animation
# frames: a page with JavaScript off runs no frame callbacks.
IDLE = "() => document.getAnimations().every(a => a.playState !== 'running')"


def settle(page) -> None:
    """Wait until nothing on the page moves (no transition or animation running, twice in a row)."""
    for _look in range(2):
        page.wait_for_function(IDLE, polling=50)


PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def phone_page(browser, scheme: str = "light", *, height: int = PHONE["height"], **options):
    """A page in a phone-sized context (390 px wide) of its own, closed when the block ends, even
    when the test fails inside it."""
    context = browser.new_context(viewport={"width": PHONE["width"], "height": height}, color_scheme=scheme, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def reader_context(browser, **options):
    """A browser context for looking at the finished page (axe, screenshots): motion reduced, as
    many readers set it, so a transition caught halfway is never mistaken for the page. Tests of
    motion itself make their own contexts."""
    return browser.new_context(reduced_motion="reduce", **options)


def broken_style(site: Path, tmp_path: Path, old: str, new: str, *, inline_only: bool = False) -> Path:
    """A copy of a built site with one change to its stylesheet: in the rules inlined in every
    page (in whichever of its <style> elements holds them, with the page's CSP hash updated, so the browser still applies them) and, unless
    inline_only, in the whole stylesheet linked after the article. A fixture for CSS checks."""
    import base64
    import hashlib
    import re

    from ttg_build.pipeline.inline_css import squeeze

    old, new = squeeze(old), squeeze(new)  # as the build writes site.css into the pages
    copy = tmp_path / "broken-site"
    shutil.copytree(site, copy)
    changed = 0
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # The head's <style>, or the one after the first emergency card (inline_css.py).
        match = next((m for m in re.finditer(r"<style>(.*?)</style>", text, re.S) if old in m.group(1)), None)
        if not match:
            continue
        digest = lambda css: "sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        css = match.group(1).replace(old, new, 1)
        text = text[: match.start(1)] + css + text[match.end(1):]
        page.write_text(text.replace(digest(match.group(1)), digest(css)), encoding="utf-8")
        changed += 1
    for sheet in ([] if inline_only else copy.glob("assets/stylesheets/theme.*.css")):
        css = sheet.read_text(encoding="utf-8")
        if old in css:
            sheet.write_text(css.replace(old, new, 1), encoding="utf-8")
            changed += 1
    assert changed, f"fixture setup: {old!r} not found in any page's inlined stylesheet"
    return copy


def plain_markdown(markdown: str) -> str:
    """Markdown as a reader sees its words: no emphasis marks, single spaces."""
    return " ".join(re.sub(r"\*\*|__", "", markdown).split())


def fragment_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: its words, single spaces, citation numbers left out.
    Tags become spaces, so the space that leaves before punctuation after an inline tag (a
    tap-to-call number in brackets, "NHS <a>111</a>).") is taken out again."""
    import html as html_lib

    text = re.sub(r'<sup class="ttg-cite">.*?</sup>', "", fragment, flags=re.S)
    words = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    # A tag's edge is not a space a reader sees: "NHS <a>111</a>)" reads "NHS 111)".
    return re.sub(r"\( ", "(", re.sub(r" ([,.;:!?)])", r"\1", words))


def cache_rules(headers: str) -> dict[str, str]:
    """Path -> Cache-Control from the text of a `_headers` file (as Netlify or Cloudflare Pages read it)."""
    rules, path = {}, None
    for line in headers.splitlines():
        if line and not line.startswith(" "):
            path = line.strip()
        elif line.strip().startswith("Cache-Control:"):
            rules[path] = line.split(":", 1)[1].strip()
    return rules


def build_edited(tmp_path: Path, file: str, old: str, new: str, *, regex: bool = False) -> subprocess.CompletedProcess:
    """Build a copy of the project with one replacement in one of its files (a broken fixture for
    a build check); the replaced text must be there. Returns the build's result."""
    project = copy_project(tmp_path / "project")
    target = project / file
    text = target.read_text(encoding="utf-8")
    assert (re.search(old, text) if regex else old in text), f"fixture setup: {old!r} not found in {file}"
    target.write_text(re.sub(old, new, text, count=1) if regex else text.replace(old, new, 1), encoding="utf-8")
    return build(project, tmp_path / "site")


def output_check(site: Path, docs: Path = DOCS) -> subprocess.CompletedProcess:
    """Run the build's last step (overrides/ttg_build/pipeline/output_check.py) on a built site, as
    `make build` does after any generator; never raises, returns the result."""
    return subprocess.run([sys.executable, str(ROOT / "overrides" / "ttg_build" / "pipeline" / "output_check.py"), str(site),
                           "--docs", str(docs)], capture_output=True, text=True, timeout=120)
