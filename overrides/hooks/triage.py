"""Warning-sign cards from one file, docs/_data/triage.yml.

A page asks for a card with a marker line:

    <!-- triage-card: emergency -->            the full card for a tier (warning-signs page)
    <!-- triage-card: emergency compact -->    the short card (home page)

and this hook writes the card's Markdown in its place before the page is converted, so citations,
glossary tooltips and the card styles work as in hand-written Markdown. The build fails, naming
triage.yml and the line, on a tier with no action, an unknown card type, a sign with no text or no
source, or a duplicate tier; and, naming the page, on a marker for a tier that does not exist.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

TRIAGE = Path("_data") / "triage.yml"
CARD_TYPES = {"emergency", "urgent", "gp"}
MARKER = re.compile(r"^<!-- triage-card: ([a-z0-9-]+)( compact)? -->[ \t]*$", re.M)

_state: dict = {"tiers": []}


def _fail(line: int | None, problem: str) -> PluginError:
    return PluginError(f"docs/{TRIAGE.as_posix()}" + (f":{line}" if line else "") + f": {problem}")


def _plain(node):
    """A YAML node as plain Python data."""
    return yaml.safe_load(yaml.serialize(node))


def _field(mapping: yaml.MappingNode, name: str):
    for key, value in mapping.value:
        if key.value == name:
            return value
    return None


def load_triage(path: Path) -> list[dict]:
    """The tiers, checked, each with the line it starts on."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _fail(mark.line + 1 if mark else None, f"not valid YAML ({error})") from None
    tiers_node = _field(root, "tiers") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(tiers_node, yaml.SequenceNode) or not tiers_node.value:
        raise _fail(1, "needs a 'tiers:' list")
    tiers, seen = [], set()
    for node in tiers_node.value:
        line = node.start_mark.line + 1
        tier = _plain(node)
        if not isinstance(tier, dict):
            raise _fail(line, "each tier must be a mapping")
        tier_id = tier.get("id")
        if not tier_id or not re.fullmatch(r"[a-z0-9-]+", str(tier_id)):
            raise _fail(line, "a tier needs an id (its #anchor on the warning-signs page)")
        if tier_id in seen:
            raise _fail(line, f"tier {tier_id!r} is listed twice")
        seen.add(tier_id)
        if not str(tier.get("action") or "").strip():
            raise _fail(line, f"tier {tier_id!r} has no action (what to do, with the numbers to call)")
        if tier.get("card") not in CARD_TYPES:
            raise _fail(line, f"tier {tier_id!r}: card must be one of {sorted(CARD_TYPES)}, not {tier.get('card')!r}")
        signs_node = _field(node, "signs")
        if not isinstance(signs_node, yaml.SequenceNode) or not signs_node.value:
            raise _fail(line, f"tier {tier_id!r} has no signs")
        for sign_node, sign in zip(signs_node.value, tier["signs"]):
            sign_line = sign_node.start_mark.line + 1
            if not isinstance(sign, dict) or not str(sign.get("text") or "").strip():
                raise _fail(sign_line, f"a sign in tier {tier_id!r} has no text")
            sources = sign.get("sources")
            if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
                raise _fail(sign_line, f"sign {' '.join(str(sign['text']).split()[:6])!r}... in tier "
                                       f"{tier_id!r} has no sources (keys in bibliography.yml)")
        tier["line"] = line
        tiers.append(tier)
    return tiers


def _cite(keys: list[str]) -> str:
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.split("\n"))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def full_card(tier: dict) -> str:
    body = []
    if tier.get("intro"):
        body += [_one_line(tier["intro"]), ""]
    body += [f"- {_one_line(s['text'])} {_cite(s['sources'])}" for s in tier["signs"]]
    if tier.get("after"):
        body += ["", _one_line(tier["after"])]
    return f'!!! {tier["card"]} "{_one_line(tier["action"])}"\n\n' + _indent("\n".join(body)) + "\n"


def compact_card(tier: dict) -> str:
    parts = [f"{_one_line(s['short'])} {_cite(s.get('short_sources') or s['sources'])}"
             for s in tier["signs"] if s.get("short")]
    if not parts:
        raise _fail(tier["line"], f"tier {tier['id']!r} has no sign with a 'short' form for the compact card")
    said = parts[0] if len(parts) == 1 else ", for ".join(parts[:-1]) + ", or for " + parts[-1]
    title = _one_line(tier.get("compact_action") or tier["action"])
    body = f"Call now for {said}.\n[All {tier['id']} signs](warning-signs.md#{tier['id']})"
    return f'!!! {tier["card"]} "{title}"\n\n' + _indent(body) + "\n"


def render_markers(markdown: str, tiers: list[dict], where: str) -> str:
    by_id = {t["id"]: t for t in tiers}

    def replace(match):
        tier = by_id.get(match.group(1))
        if tier is None:
            raise PluginError(f"{where}: <!-- triage-card: {match.group(1)} --> names no tier in "
                              f"docs/{TRIAGE.as_posix()} (tiers: {', '.join(by_id)})")
        return compact_card(tier) if match.group(2) else full_card(tier)

    return MARKER.sub(replace, markdown)


def on_config(config):
    path = Path(config["docs_dir"]) / TRIAGE
    if not path.exists():
        raise _fail(None, "missing: the warning signs need it")
    _state["tiers"] = load_triage(path)
    return config


def on_page_markdown(markdown, page, config, files):
    return render_markers(markdown, _state["tiers"], f"docs/{page.file.src_uri}")
