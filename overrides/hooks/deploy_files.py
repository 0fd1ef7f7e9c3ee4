"""What a static host needs beside the pages, written after the build:

- a Content-Security-Policy with no 'unsafe-inline': the SHA-256 of every inline script
  Material writes (they differ by directory depth) and of the inlined stylesheet
  (inline_css.py) is computed from the built pages and put in a <meta http-equiv> on every
  page and in `_headers` (Netlify, Cloudflare Pages);
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

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S)
# Data blocks (JSON config, JSON-LD) are not executed, so CSP does not apply to them.
DATA_TYPES = re.compile(r'type="application/(?:json|ld\+json)"')
CHARSET = '<meta charset="utf-8">'
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*')

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


def inline_script_hashes(html: str) -> set[str]:
    hashes = set()
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if "src=" in attrs or DATA_TYPES.search(attrs):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return hashes


INLINE_STYLE = re.compile(r"<style>(?P<body>.*?)</style>", re.S)


def inline_style_hashes(html: str) -> set[str]:
    return {"'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode() + "'"
            for m in INLINE_STYLE.finditer(html)}


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


_command = {"name": "build"}


def on_startup(command, dirty):
    _command["name"] = command


def on_post_build(config):
    site = Path(config.site_dir)
    # `mkdocs serve` injects an inline live-reload script; a CSP would block it while editing.
    serving = _command["name"] == "serve"
    pages = sorted(site.rglob("*.html"))
    texts = {page: CSP_META.sub("", page.read_text(encoding="utf-8")) for page in pages}
    hashes = set().union(*(inline_script_hashes(t) for t in texts.values())) if texts else set()
    frame_origin = config.extra.get("comment_frame_origin")
    style_hashes = set().union(*(inline_style_hashes(t) for t in texts.values())) if texts else set()
    meta = ('<meta http-equiv="Content-Security-Policy" content="'
            + content_security_policy(hashes, for_header=False, frame_origin=frame_origin,
                                      style_hashes=style_hashes) + '">')
    for page, text in texts.items():
        if CHARSET in text and not serving:
            # Right after the charset, so the policy covers every script that follows.
            page.write_text(text.replace(CHARSET, CHARSET + "\n    " + meta, 1), encoding="utf-8")

    site_url = (config.site_url or "").rstrip("/") + "/"
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

