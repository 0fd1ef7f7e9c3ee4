"""Search in the reader's words: the reviewed synonym list and the search worker.

docs/_data/synonyms.yml maps what readers type ("water pills", "charley horse", "twiching") to
the words the site uses ("diuretic", "cramp", "twitching"). This hook checks the list and hands it
to the search worker (overrides/assets/javascripts/workers/ttg-search.js) inside the search
index's config, so it is applied to the query and never shown to the reader.

The build fails, naming synonyms.yml and the line, for: a malformed entry, a reader's phrase
listed twice, an entry that maps a phrase to itself, and a site word that no page uses (a synonym
that points nowhere). It also fails if a page does not load the wrapping worker.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

SYNONYMS = Path("_data") / "synonyms.yml"
WORKER = re.compile(r'"search":\s*"[^"]*workers/ttg-search\.js\?engine=search\.[0-9a-f]+\.min\.js"')
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
WORD = re.compile(r"[a-z0-9][a-z0-9'&]*")

TITLE_BOOST = 10.0
PAGE_TITLE_BOOST = 2.0

_state: dict = {"synonyms": {}, "lines": {}}


def _fail(line: int | None, problem: str) -> PluginError:
    where = f"docs/{SYNONYMS.as_posix()}" + (f":{line}" if line else "")
    return PluginError(f"{where}: {problem}")


def load_synonyms(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """The synonym list as {reader's phrase: site words}, with the line of each entry."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _fail(mark.line + 1 if mark else None, f"not valid YAML ({error})") from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise _fail(node.start_mark.line + 1, "must be a mapping of 'reader's words: site words'")
    synonyms: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
            raise _fail(line, "each entry must be one line: reader's words: site words")
        phrase, target = " ".join(key.value.lower().split()), " ".join(value.value.lower().split())
        if not WORD.search(phrase) or not WORD.search(target):
            raise _fail(line, f"entry {key.value!r}: both sides need at least one word")
        if phrase in synonyms:
            raise _fail(line, f"{key.value!r} is listed twice (first on line {lines[phrase]})")
        if phrase == target:
            raise _fail(line, f"{key.value!r} maps to itself")
        synonyms[phrase], lines[phrase] = target, line
    return synonyms, lines


def on_config(config):
    path = Path(config["docs_dir"]) / SYNONYMS
    if not path.exists():
        raise _fail(None, "missing: search needs the synonym list")
    _state["synonyms"], _state["lines"] = load_synonyms(path)
    return config


def on_post_page(output, page, config):
    found = CONFIG_SCRIPT.search(output)
    if found and not WORKER.search(found.group(1)):
        raise PluginError(
            f"{page.file.src_uri}: the page does not load the site's search worker "
            "(overrides/main.html, block config, should point Material's search at "
            "workers/ttg-search.js?engine=...)"
        )
    return output


def site_words(docs: list[dict]) -> set[str]:
    """Every word in the search index, as readers see it (markup removed)."""
    text = " ".join(f"{d.get('title', '')} {d.get('text', '')}" for d in docs)
    text = re.sub(r"<[^>]+>", " ", text).lower().replace("\u2019", "'")
    return set(re.findall(r"[a-z0-9]+", text))


def unknown_site_words(synonyms: dict[str, str], known: set[str]) -> list[tuple[str, str]]:
    """(phrase, word) for each site word no page uses. A word counts if a site word starts
    with it: 'diuretic' is used when the page says 'diuretics'."""
    missing = []
    for phrase, target in synonyms.items():
        for word in re.findall(r"[a-z0-9]+", target):
            if word not in known and not any(k.startswith(word) for k in known):
                missing.append((phrase, word))
    return missing


def on_post_build(config):
    index_path = Path(config["site_dir"]) / "search" / "search_index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    synonyms = _state["synonyms"]
    missing = unknown_site_words(synonyms, site_words(index["docs"]))
    if missing:
        problems = "; ".join(
            f"{p!r} (line {_state['lines'][p]}) points to {w!r}, which no page uses" for p, w in missing
        )
        raise _fail(_state["lines"][missing[0][0]], f"synonyms that point nowhere: {problems}")
    index["config"]["synonyms"] = synonyms
    # Material weighs a title match 1,000 times a text match. Every page title here says
    # "twitching" or "thigh", so a title match on those words outranked the section that
    # answers. Measured on tests/data/search-queries.yml (make bench), a small weight ranks best.
    index["config"]["fields"]["title"]["boost"] = TITLE_BOOST
    # A section is read under its page's title ("Benign fasciculation syndrome (BFS)" above
    # "How long it lasts"), so "how long does bfs last" should find it: index the page title
    # with each section, as a field of its own that is searched but never shown.
    index["config"]["fields"]["page"] = {"boost": PAGE_TITLE_BOOST}
    pages = {}
    for doc in index["docs"]:
        path, _, anchor = doc["location"].partition("#")
        if not anchor:
            pages[path] = doc["title"]
        if path in pages:
            doc["page"] = pages[path]
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
