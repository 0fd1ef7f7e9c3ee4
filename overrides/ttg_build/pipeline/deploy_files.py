"""What a static host needs beside the pages, written after the build:

- a Content-Security-Policy with no 'unsafe-inline': the SHA-256 of every inline script
  the theme writes (they differ by directory depth) and of the page's own inlined stylesheet
  (inline_css.py) is computed from the built pages (read with the HTML parser) and put in a
  <meta http-equiv> on every page; `_headers` (Netlify, Cloudflare Pages), one policy for
  every page, lists every page's stylesheet;
- cache rules in `_headers`: a year, immutable, for files whose names carry a content hash
  (Material's and ours, see fingerprint.py); a revalidation on every view for the pages; ten
  minutes for the rest (images, the search index, the sitemap), so a second page view fetches
  only its HTML;
- robots.txt pointing at the sitemap.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from .context import Build, element, read_html, write_html

# Scripts the browser runs: no type, or a JavaScript one. Data blocks (JSON config, JSON-LD) and
# the late-loaded placeholders (type="text/plain") are not executed, so CSP does not apply to them.
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
CSP = "content-security-policy"

OTHER_HEADERS = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}(\.min)?\.(css|js)$")
CACHE = {
    "fingerprinted": "public, max-age=31536000, immutable",
    "page": "public, max-age=0, must-revalidate",
    "other": "public, max-age=600",
    # The service worker (offline.py): the browser checks it for a new deploy on every visit.
    "worker": "no-cache",
}
SERVICE_WORKER = "offline-worker.js"


def cache_rules(site: Path) -> dict[str, str]:
    """URL path -> Cache-Control, one exact path per file (hosts merge overlapping rules)."""
    rules = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("_") or rel == "404.html":
            continue
        if path.name == "index.html":
            rules["/" + rel[: -len("index.html")]] = CACHE["page"]
        elif rel == SERVICE_WORKER:
            rules["/" + rel] = CACHE["worker"]
        elif path.suffix == ".html":
            rules["/" + rel] = CACHE["page"]  # a moved page's redirect stub lives at its old path
        elif FINGERPRINTED.search(path.name):
            rules["/" + rel] = CACHE["fingerprinted"]
        else:
            rules["/" + rel] = CACHE["other"]
    return rules


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


ERROR_PAGE = "404.html"  # every generator writes it; the host sends it with status 404


def _error_page(site: Path, page: Path) -> bool:
    return page.relative_to(site).as_posix() == ERROR_PAGE


def inline_script_hashes(tree) -> set[str]:
    return {_sha256(script.text() or "") for script in tree.css("script")
            if "src" not in script.attributes
            and (script.attributes.get("type") or "").strip().lower() in SCRIPT_TYPES}


def inline_style_hashes(tree) -> set[str]:
    return {_sha256(style.text() or "") for style in tree.css("style")}


def content_security_policy(hashes: set[str], *, for_header: bool, frame_origin: str | None = None,
                            style_hashes: set[str] = frozenset()) -> str:
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes)),
        " ".join(["style-src 'self'", *sorted(style_hashes)]),  # the inlined stylesheet (inline_css.py)
        "img-src 'self' data:",          # Material's icons are data: URIs in its CSS
        "font-src 'self'",
        "connect-src 'self'",            # search index, instant navigation
        "worker-src 'self'",             # the search worker and the offline service worker
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if frame_origin:  # comments (hooks/feedback.py): that host, in a frame, and nothing else
        directives.append(f"frame-src {frame_origin}")
    if for_header:
        directives.append("frame-ancestors 'none'")  # ignored in a <meta>, so header only
    return "; ".join(directives)


def run(build: Build) -> None:
    site = build.site
    trees = {page: read_html(page) for page in build.html_files()}
    for tree in trees.values():
        for meta in tree.css("meta[http-equiv]"):
            if (meta.attributes.get("http-equiv") or "").lower() == CSP:
                meta.decompose()
    hashes = set().union(*(inline_script_hashes(t) for t in trees.values())) if trees else set()
    # An instant navigation only follows links to addresses in sitemap.xml, and a failed fetch
    # loads the page afresh (Material's instant/index.ts), so the error page's own scripts never
    # run under another page's policy: the others leave their hashes out (about 46 B gzip a page).
    shared = set().union(*(inline_script_hashes(t) for p, t in trees.items() if not _error_page(site, p)))
    style_hashes = set().union(*(inline_style_hashes(t) for t in trees.values())) if trees else set()
    # The comments' host (hooks/feedback.py writes it on the comment box), which may be framed.
    hosts = {box.attributes.get("data-host") for tree in trees.values() for box in tree.css("[data-ttg-comments]")}
    frame_origin = " ".join(sorted(h for h in hosts if h)) or None
    # `mkdocs serve` injects an inline live-reload script; a CSP would block it while editing.
    if not build.serving:
        for page, tree in trees.items():
            charset = tree.css_first("meta[charset]")
            if charset is None:
                continue
            # Every reachable page's scripts (an instant navigation runs the next page's under this
            # page's policy) and this page's own, but only this page's own <style>: site.js leaves
            # the next page's out when the theme copies its head (the whole stylesheet is here by then).
            policy = content_security_policy(shared | inline_script_hashes(tree), for_header=False,
                                             frame_origin=frame_origin, style_hashes=inline_style_hashes(tree))
            # Right after the charset, so the policy covers every script that follows.
            meta = element('<meta http-equiv="Content-Security-Policy" content="">')
            meta.attrs["content"] = policy
            charset.insert_after(meta)
            write_html(page, tree)

    site_url = (build.site_url or "").rstrip("/") + "/"
    (site / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n", encoding="utf-8")
    # Last, so that the cache rules cover every file written before.
    headers = {"Content-Security-Policy": content_security_policy(hashes, for_header=True, frame_origin=frame_origin,
                                                                  style_hashes=style_hashes),
               **OTHER_HEADERS}
    (site / "_headers").write_text(
        "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
        + "".join(f"{path}\n  Cache-Control: {value}\n" for path, value in cache_rules(site).items()),
        encoding="utf-8")
