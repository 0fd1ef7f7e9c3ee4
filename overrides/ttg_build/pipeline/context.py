"""What every step reads: the built site, the Markdown sources, mkdocs.yml, and each page's HTML
parsed with an HTML5 parser (selectolax, lexbor). Nothing here asks the generator: a site made by
MkDocs, ProperDocs or Zensical is read the same way."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: `!ENV [NAME, default]` is resolved as MkDocs resolves it; other
    tags (`!!python/name:...` for an extension's option) are kept as their text."""


def _env(loader, node):
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        *names, default = loader.construct_sequence(node)
    for name in names:
        if name in os.environ:
            return os.environ[name]
    return default


def _other_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _other_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _other_tag)


def load_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def front_matter(source: Path) -> dict:
    match = FRONT_MATTER.match(source.read_text(encoding="utf-8"))
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


@dataclass
class Build:
    site: Path
    docs: Path
    config: dict = field(default_factory=dict)
    config_file: Path | None = None
    serving: bool = False   # `mkdocs serve`: no CSP (it would block the live reload), no output check

    @classmethod
    def open(cls, site, docs="docs", config_file="mkdocs.yml", serving=False) -> "Build":
        config_file = Path(config_file) if config_file else None
        config = load_config(config_file) if config_file and config_file.is_file() else {}
        return cls(Path(site), Path(docs), config, config_file, serving)

    @property
    def site_url(self) -> str:
        return self.config.get("site_url") or ""

    @property
    def site_name(self) -> str:
        return self.config.get("site_name") or ""

    @property
    def base_path(self) -> str:
        """The site's path on its host ('/' or '/sub/'), which absolute links start with."""
        path = urlsplit(self.site_url or "/").path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def extra(self) -> dict:
        return self.config.get("extra") or {}

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))

    def sources(self) -> list[Path]:
        """The Markdown pages (docs/_data and other _folders are not pages), MkDocs' order: in each
        folder index.md first, then by name."""
        found = [p for p in self.docs.rglob("*.md") if not p.relative_to(self.docs).parts[0].startswith("_")]
        return sorted(found, key=lambda p: (p.relative_to(self.docs).parent.parts, p.stem != "index", p.name))

    def built_page(self, source: Path) -> Path:
        """Where a Markdown page lands with directory URLs: docs/causes.md -> site/causes/index.html."""
        rel = source.relative_to(self.docs).with_suffix("")
        if rel.name == "index":
            return self.site / rel.parent / "index.html"
        return self.site / rel / "index.html"

    def url_of(self, source: Path) -> str:
        """The page's site-relative URL as search records write it: '' or 'causes/'."""
        rel = self.built_page(source).relative_to(self.site).as_posix()
        return rel[: -len("index.html")]

    def source_of(self, url: str) -> Path | None:
        """docs/causes.md (or docs/causes/index.md) for '/causes/'."""
        path = url.strip("/")
        for candidate in ([self.docs / "index.md"] if not path else
                          [self.docs / f"{path}.md", self.docs / path / "index.md"]):
            if candidate.is_file():
                return candidate
        return None


# --- HTML -------------------------------------------------------------------------------------------

def read_html(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def rewrite_pages(site: Path, rewrite) -> None:
    """Every built page's text through rewrite(text), written back only where it changed (steps
    that edit text, not the parsed tree, so the rest of the page keeps its bytes)."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def write_html(path: Path, tree: LexborHTMLParser) -> None:
    path.write_text(tree.html, encoding="utf-8")


def element(markup: str) -> LexborNode:
    """One element from its markup, ready to insert into a page."""
    tree = LexborHTMLParser(markup)
    node = (tree.head.child if tree.head and tree.head.child else None) or tree.body.child
    if node is None:
        raise ValueError(f"no element in {markup!r}")
    return node


def set_text(node: LexborNode, text: str) -> None:
    """Replace an element's text (a <script> or <style> body, a <title>), kept verbatim."""
    node.inner_html = text if node.tag in ("script", "style") else _escape(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_redirect_stub(tree: LexborHTMLParser) -> bool:
    return any((m.attributes.get("http-equiv") or "").lower() == "refresh" for m in tree.css("meta[http-equiv]"))
