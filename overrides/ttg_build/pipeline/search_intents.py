"""Question types for search: what kind of question each section answers, from its headings.

docs/_data/search-intents.yml is one small lexicon of question types ("cause", "help",
"duration", ...), each with the phrases that ask it ("why", "what causes", "how long") and the
words that mark a sentence answering it. The same phrases are read on both sides: here, on each
section's headings (its own title, the titles it sits under, its page's title), to give the
section's record the types it answers; in the search worker, on the reader's query, to give the
query its types. A query then favours sections of its type, and its excerpt prefers a sentence
that answers that type. Nothing here reads a query: the types come from the pages' headings.

The build fails, naming the file and the line, on a malformed entry, a phrase listed twice (as
stems: "cause" and "causes" are one phrase), a one-word phrase whose stem collides with a common
word's ("evening" is "even"), and
a type no heading asks (it would favour nothing).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import BuildError

INTENTS = Path("_data") / "search-intents.yml"
TYPE_NAME = re.compile(r"[a-z][a-z-]*")
FIELDS = {"asks", "answers", "default"}
# Where a heading sits, as the record carries it: 0 the section's own title (or the page's, for
# the page's own record), 1 a heading it sits under, 2 its page's title.
OWN, PARENT, PAGE = 0, 1, 2


def _fail(line: int | None, problem: str, source: Path = INTENTS) -> BuildError:
    return BuildError(f"docs/{source.as_posix()}" + (f":{line}" if line else "") + f": {problem}")


def phrase_stems(text: str, words, stem) -> list[str]:
    return [stem(w) for w in words(text)]


def load(path: Path, words, stem, collision, source: Path = INTENTS) -> tuple[dict, dict]:
    """The lexicon as {type: {"asks": [phrase], "answers": [phrase]}}, and each type's line.
    `words` and `stem` are the worker's tokeniser and stemmer (ports in search.py);
    `collision(word)` names a common English word that shares the word's stem, or is None."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _fail(mark.line + 1 if mark else None, f"not valid YAML ({error})", source) from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise _fail(node.start_mark.line + 1, "must be a mapping of question types", source)
    lexicon: dict[str, dict[str, list[str]]] = {}
    lines: dict[str, int] = {}
    seen: dict[tuple[str, ...], tuple[str, int]] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        if not TYPE_NAME.fullmatch(name):
            raise _fail(line, f"{name!r}: a question type is a lowercase name (letters and -)", source)
        if name in lexicon:
            raise _fail(line, f"type {name!r} is listed twice (first on line {lines[name]})", source)
        if not isinstance(value, yaml.MappingNode):
            raise _fail(line, f"type {name!r}: give 'asks:' (and optionally 'answers:'), each a list of phrases", source)
        entry: dict = {"asks": [], "answers": []}
        for field, text in value.value:
            field_line = field.start_mark.line + 1
            if not isinstance(field, yaml.ScalarNode) or field.value not in FIELDS:
                raise _fail(field_line, f"type {name!r}: unknown field {getattr(field, 'value', field)!r} "
                            "(only 'asks', 'answers' and 'default')", source)
            if field.value == "default":
                if not (isinstance(text, yaml.ScalarNode) and text.value in ("true", "yes")):
                    raise _fail(field_line, f"type {name!r}: 'default' can only be true", source)
                other = next((n for n, e in lexicon.items() if e.get("default")), None)
                if other:
                    raise _fail(field_line, f"type {name!r}: only one type is the default ({other!r} is "
                                f"already, line {lines[other]})", source)
                entry["default"] = True
                continue
            if not isinstance(text, yaml.ScalarNode) or not str(text.value).strip():
                raise _fail(field_line, f"type {name!r}: '{field.value}' must be phrases separated by commas", source)
            for raw in str(text.value).split(","):
                phrase = " ".join(raw.lower().split())
                if not words(phrase):
                    raise _fail(field_line, f"type {name!r}: an empty phrase in '{field.value}'", source)
                if field.value == "asks":
                    stems = tuple(phrase_stems(phrase, words, stem))
                    if stems in seen:
                        other, other_line = seen[stems]
                        raise _fail(field_line, f"type {name!r}: {phrase!r} is listed twice, as stems (first for "
                                    f"{other!r} on line {other_line}): a phrase asks one type only", source)
                    seen[stems] = (name, field_line)
                entry[field.value].append(phrase)
            lines[f"{name}.{field.value}"] = field_line
        if not entry["asks"]:
            raise _fail(line, f"type {name!r}: no 'asks' phrases", source)
        lexicon[name], lines[name] = entry, line
    for name, e in lexicon.items():
        for field in ("asks", "answers"):
            if f"{name}.{field}" not in lines:
                continue
            # A phrase of several words matches only as a whole ("feel like" is not "feel
            # likely"): the stems of one-word phrases are the ones that can collide.
            for phrase in (p for p in e[field] if len(words(p)) == 1):
                for word in words(phrase):
                    other = collision(word)
                    if other:
                        raise _fail(lines[f"{name}.{field}"], f"type {name!r}: {phrase!r}: the word {word!r} stems to "
                                    f"{stem(word)!r}, as the common word {other!r} does, so {other!r} would "
                                    f"{'ask' if field == 'asks' else 'answer'} {name!r} too. Use another word", source)
    return lexicon, lines


def matcher(lexicon: dict, words, stem):
    """A function text -> the set of types whose 'asks' phrases it says, reading left to right
    and taking the longest phrase at each word (as the worker does on a query)."""
    phrases = sorted(((phrase_stems(p, words, stem), name) for name, e in lexicon.items() for p in e["asks"]),
                     key=lambda item: -len(item[0]))

    def asks(text: str) -> set[str]:
        stems = phrase_stems(text, words, stem)
        found, i = set(), 0
        while i < len(stems):
            hit = next(((p, name) for p, name in phrases if stems[i:i + len(p)] == p), None)
            if hit:
                found.add(hit[1])
                i += len(hit[0])
            else:
                i += 1
        return found
    return asks


def record_types(asks, title: str, parents: list[str], page: str, is_page: bool) -> dict[str, int]:
    """{type: where its heading sits (OWN, PARENT or PAGE)}, the nearest heading winning."""
    types: dict[str, int] = {}
    for where, texts in ((OWN, [title]), (PARENT, parents), (PAGE, [] if is_page else [page])):
        for text in texts:
            for name in asks(text):
                types.setdefault(name, where)
    return types


def unused_types(lexicon: dict, lines: dict, records: list[dict]) -> list[tuple[str, int]]:
    """Types that no record's headings ask: they would favour nothing."""
    used = {name for r in records for name in r.get("asks", {})}
    return [(name, lines[name]) for name in lexicon if name not in used]


def worker_config(lexicon: dict) -> dict:
    """What the worker needs: each type's asks and answers phrases."""
    return {name: {"asks": e["asks"], "answers": e["answers"], **({"default": True} if e.get("default") else {})}
            for name, e in lexicon.items()}
