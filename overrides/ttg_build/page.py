"""The page being built, for the build steps: the ONE place that knows how each generator
gives it.

Python-Markdown hands an extension only the text, so a step that needs the page (its source file,
its URL, its front matter) or the site's settings asks `current(md)`:

- MkDocs and ProperDocs: the hook overrides/hooks/page_context.py calls `set_from_mkdocs(page,
  config)` in on_page_markdown, just before the page is converted.
- Zensical: its internal `zensical.extensions.context.ContextPreprocessor.from_markdown(md).page`
  (with `.config`). RISK: this is undocumented (seen in Zensical 0.0.73 and 0.1.3); if a release
  renames or drops it, `current()` raises a BuildProblem naming this file, so the build fails
  loudly instead of publishing pages without their sources or warning signs. Zensical's stated
  plan is to replace Python-Markdown extensions altogether (README "Building with another
  generator").

`meta` is the page's own front-matter dictionary, shared with the generator: what a step writes
into it (the sources, the review dates as words, the report links) reaches the templates as
`page.meta.*` on every generator.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ttg_build.problems import BuildProblem


@dataclass
class Page:
    src_uri: str            # the page's file, relative to docs/ ("causes.md")
    url: str                # its URL relative to the site root ("causes/", "" for the home page)
    meta: dict              # its front matter (shared with the generator: writes reach templates)
    title: str              # the title the navigation gives it
    docs_dir: Path
    site_url: str
    site_name: str
    extra: dict = field(default_factory=dict)   # mkdocs.yml `extra`
    repo_url: str = ""
    use_directory_urls: bool = True

    @property
    def where(self) -> str:
        """How error messages name the page: docs/<file>."""
        return f"docs/{self.src_uri}"

    @property
    def abs_src_path(self) -> Path:
        return self.docs_dir / self.src_uri

    @property
    def canonical_url(self) -> str:
        return urljoin(self.site_url, self.url) if self.site_url else ""

    def source_link(self, target: str) -> str:
        """A link from this page to another page's Markdown file (docs/about.md -> "about.md"),
        which the generator resolves to that page's URL."""
        return posixpath.relpath(target, posixpath.dirname(self.src_uri) or ".")

    def url_of_link(self, href: str) -> str | None:
        """Where a link to a Markdown file ("warning-signs.md#emergency") leads, as a URL from
        the site root ("warning-signs/#emergency"); None for any other link. Steps run before the
        generator resolves such links."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return None
        if parts.path.startswith("/"):
            target = posixpath.normpath(parts.path.lstrip("/"))
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), parts.path))
        stem = target[: -len(".md")]
        if not self.use_directory_urls:
            url = stem + ".html"
        elif stem == "index" or stem.endswith("/index"):
            url = stem[: -len("index")]
        else:
            url = stem + "/"
        return url + (f"#{parts.fragment}" if parts.fragment else "")

    def relative_url(self, target: str) -> str:
        """A site-root URL ("about/") as a link from this page (MkDocs's get_relative_url)."""
        return relative_url(target, self.url)


def _norm_parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path.lstrip("/"))[1:]
    return path.split("/") if path else []


def relative_url(url: str, other: str) -> str:
    """`url` relative to `other` (both site-root paths), the way MkDocs 1.6 computes it."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _norm_parts(other), _norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


_mkdocs_page: Page | None = None


def set_from_mkdocs(page, config) -> None:
    """MkDocs/ProperDocs: remember the page about to be converted (hook on_page_markdown)."""
    global _mkdocs_page
    if page.meta is None:
        page.meta = {}
    _mkdocs_page = Page(
        src_uri=page.file.src_uri, url=page.url, meta=page.meta, title=str(page.title or ""),
        docs_dir=Path(config["docs_dir"]), site_url=config.get("site_url") or "",
        site_name=config["site_name"], extra=config.get("extra") or {}, repo_url=config.get("repo_url") or "",
        use_directory_urls=bool(config.get("use_directory_urls", True)))


def clear_mkdocs_page() -> None:
    global _mkdocs_page
    _mkdocs_page = None


def _from_zensical(md) -> Page | None:
    try:
        from zensical.extensions.context import ContextPreprocessor  # internal API: see above
    except ImportError:
        return None
    try:
        context = ContextPreprocessor.from_markdown(md)
        if context is None:
            return None
        page, config = context.page, context.config
        docs_dir = Path(config["docs_dir"])
        if not docs_dir.is_absolute():
            docs_dir = Path(config.get("root_dir") or ".") / docs_dir
        return Page(src_uri=str(page.path).replace("\\", "/"), url=str(page.url or ""), meta=page.meta,
                    title=str(page.title or ""), docs_dir=docs_dir, site_url=config.get("site_url") or "",
                    site_name=config.get("site_name") or "", extra=config.get("extra") or {},
                    repo_url=config.get("repo_url") or "",
                    use_directory_urls=bool(config.get("use_directory_urls", True)))
    except (AttributeError, KeyError, TypeError) as error:
        raise BuildProblem(f"overrides/ttg_build/page.py: Zensical's page context has changed ({error}); "
                           "the page adapter must be updated for this Zensical version") from None


def current(md) -> Page:
    """The page `md` is converting, on whichever generator runs."""
    page = _from_zensical(md)
    if page is not None:
        return page
    if _mkdocs_page is not None:
        return _mkdocs_page
    raise BuildProblem("overrides/ttg_build/page.py: a build step ran without knowing its page. On MkDocs or "
                       "ProperDocs, mkdocs.yml must list the hook overrides/hooks/page_context.py; on Zensical, "
                       "its internal page context (zensical.extensions.context) was not found")
