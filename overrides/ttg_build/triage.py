"""Warning-sign cards from one file, docs/_data/triage.yml, as a Python-Markdown extension.

A page asks for a card with a marker line:

    <!-- triage-card: emergency -->            the full card for a tier (warning-signs page)
    <!-- triage-card: emergency compact -->    the short card (home page)

and this step writes the card's Markdown in its place before the page is converted, so citations,
glossary tooltips and the card styles work as in hand-written Markdown. The check page asks for
its questions and tier results with `<!-- triage-check -->` (inside its `.ttg-check` container):
one section per question and per tier result, each with its own #anchor, answered by plain links,
so the check works as a document without JavaScript (site.js shows one step at a time). Any page
can give a tier's numbers in words with `<!-- triage-numbers: emergency -->`. The build fails, naming
triage.yml and the line, on a tier with no action, an unknown card type, a sign with no text or no
source, or a duplicate tier; and, naming the page, on a marker for a tier that does not exist.

After conversion, a tree step makes every number in triage.yml a tap-to-call link where a page
says it in text, and gives each printed step of the check its own address.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import yaml
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ttg_build import datafiles
from ttg_build.steps import ORDER
from ttg_build.page import current
from ttg_build.problems import BuildProblem

TRIAGE = Path("_data") / "triage.yml"
CARD_TYPES = {"emergency", "urgent", "gp"}
MARKER = re.compile(r"^<!-- triage-card: ([a-z0-9-]+)( compact)? -->[ \t]*$", re.M)
CHECK_MARKER = re.compile(r"^<!-- triage-check -->[ \t]*$", re.M)
NUMBERS_MARKER = re.compile(r"<!-- triage-numbers: ([a-z0-9-]+) -->")
ID = re.compile(r"[a-z0-9-]+")

def _fail(line: int | None, problem: str) -> BuildProblem:
    return BuildProblem(f"docs/{TRIAGE.as_posix()}" + (f":{line}" if line else "") + f": {problem}")


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
            items = sign.get("items")
            if items is not None and (not isinstance(items, list) or not items
                                      or not all(isinstance(i, str) and i.strip() for i in items)):
                raise _fail(sign_line, f"sign {' '.join(str(sign['text']).split()[:6])!r}... in tier "
                                       f"{tier_id!r}: 'items' must be a list of lines of text")
        for entry in tier.get("numbers") or []:
            number = str((entry or {}).get("number") if isinstance(entry, dict) else "")
            if not re.fullmatch(r"\d{2,6}", number) or not str(entry.get("where") or "").strip():
                raise _fail(line, f"tier {tier_id!r}: each number needs 'number' (digits) and 'where'")
            said = number_label(entry)
            if entry.get("source"):
                if not isinstance(entry["source"], str):
                    raise _fail(line, f"tier {tier_id!r}: number {said}: 'source' is one bibliography key")
            elif not re.search(rf"(?<!\d){re.escape(said)}(?!\d)", _one_line(tier["action"])):
                raise _fail(line, f"tier {tier_id!r}: number {said} is not in its action text "
                                  "(a number the action does not give needs its own 'source')")
        for field in ("next", "say", "book"):
            if field in tier and not isinstance(tier[field], (str, list)):
                raise _fail(line, f"tier {tier_id!r}: '{field}' must be text or a list of lines")
        tier["line"] = line
        tiers.append(tier)
    return tiers


def load_check(path: Path, tiers: list[dict]) -> dict | None:
    """The check's questions, each with its signs, checked against the tiers."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    check_node = _field(root, "check")
    if check_node is None:
        return None
    check = _plain(check_node)
    line = check_node.start_mark.line + 1
    questions_node = _field(check_node, "questions") if isinstance(check_node, yaml.MappingNode) else None
    if not isinstance(questions_node, yaml.SequenceNode) or not questions_node.value:
        raise _fail(line, "check needs a 'questions:' list")
    if not ID.fullmatch(str(check.get("all_clear") or "")):
        raise _fail(line, "check needs 'all_clear': the #anchor of the result for 'No' to every question")
    order = [t["id"] for t in tiers]
    questions, seen, last_rank = [], set(), 0
    for node, question in zip(questions_node.value, check["questions"]):
        q_line = node.start_mark.line + 1
        q_id, tier_id = str(question.get("id") or ""), question.get("tier")
        if not ID.fullmatch(q_id) or q_id in seen or q_id in order:
            raise _fail(q_line, f"question id {q_id!r} is missing, repeated or the same as a tier id")
        seen.add(q_id)
        if tier_id not in order:
            raise _fail(q_line, f"question {q_id!r} names tier {tier_id!r}, which is not in 'tiers' ({', '.join(order)})")
        if order.index(tier_id) < last_rank:
            raise _fail(q_line, f"question {q_id!r} asks about tier {tier_id!r} after a less urgent tier; "
                                "ask the most urgent first")
        last_rank = order.index(tier_id)
        if not str(question.get("ask") or "").strip():
            raise _fail(q_line, f"question {q_id!r} has no 'ask' (the question put to the reader)")
        questions.append({**question, "line": q_line, "signs": []})
    first_of_tier = {}
    for question in questions:
        first_of_tier.setdefault(question["tier"], question)
    for tier in tiers:
        if tier["id"] not in first_of_tier:
            raise _fail(tier["line"], f"tier {tier['id']!r} is asked about in no check question")
        for sign in tier["signs"]:
            wanted = sign.get("question")
            question = next((q for q in questions if q["id"] == wanted), None) if wanted else first_of_tier[tier["id"]]
            if question is None or question["tier"] != tier["id"]:
                raise _fail(tier["line"], f"sign {' '.join(str(sign['text']).split()[:6])!r}... names question "
                                          f"{wanted!r}, which is not a check question of tier {tier['id']!r}")
            question["signs"].append(sign)
    for question in questions:
        if not question["signs"]:
            raise _fail(question["line"], f"question {question['id']!r} has no signs to ask about")
    return {"questions": questions, "all_clear": check["all_clear"]}


def number_label(entry: dict) -> str:
    """How a number is written ('116 117'); its digits are what the phone dials."""
    return str(entry.get("label") or entry["number"])


def _cite(keys: list[str]) -> str:
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.split("\n"))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def sign_markdown(sign: dict) -> str:
    """A sign as a list item; its optional `items` become a nested list under it, one per line,
    so a long sign (the cauda equina card) can be scanned on a phone."""
    lines = [f"- {_one_line(sign['text'])} {_cite(sign['sources'])}"]
    lines += [f"    - {_one_line(item)}" for item in sign.get("items") or []]
    return "\n".join(lines)


def full_card(tier: dict) -> str:
    body = []
    if tier.get("intro"):
        body += [_one_line(tier["intro"]), ""]
    body += [sign_markdown(s) for s in tier["signs"]]
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
    return f'!!! {tier["card"]} ttg-compact "{title}"\n\n' + _indent(body) + "\n"


def _check_link(label: str, anchor: str, classes: str = "", answer: str = "") -> str:
    attrs = " ".join(filter(None, [classes, "target=_self", f"data-answer={answer}" if answer else ""]))
    return f"[{label}](#{anchor}){{ {attrs} }}"


def _step(step_id: str, kind: str, tier: str, heading: str, body: list[str]) -> str:
    """One step of the check: a section with its own #anchor and a heading that takes focus."""
    return "\n".join([
        f'<section class="ttg-check-step ttg-check-{kind}" id="{step_id}" data-tier="{tier}" '
        f'aria-labelledby="{step_id}-title" data-search-exclude '
        f'data-ttg-sources="{"Sources for this result" if kind == "result" else "Sources for these signs"}" markdown>',
        "",
        f'<h2 id="{step_id}-title" class="ttg-check-heading" tabindex="-1" data-search-exclude>{heading}</h2>',
        "", *body, "", "</section>", "",
    ])


def check_steps(tiers: list[dict], check: dict) -> str:
    """The check's questions, then one result per tier, as Markdown sections."""
    questions = check["questions"]
    total = len(questions)
    out = []
    for n, question in enumerate(questions, 1):
        result = f"result-{question['tier']}"
        following = questions[n]["id"] if n < total else check["all_clear"]
        body = [sign_markdown(s) for s in question["signs"]]
        body += ["", '<div class="ttg-check-answers" markdown>', "",
                 _check_link("Yes", result, ".md-button", "yes") + " "
                 + _check_link("No", following, ".md-button", "no") + " "
                 + _check_link("Not sure", result, ".md-button", "not-sure"),
                 "", "</div>", "",
                 '"Not sure" counts as "Yes", to be safe.', "{ .ttg-check-note }"]
        if n > 1:
            body += ["", _check_link("Previous question", questions[n - 2]["id"], ".ttg-check-back")]
        heading = (f'<span class="ttg-check-progress">Question {n} of {total}</span> '
                   f"{_one_line(question['ask'])}")
        out.append(_step(question["id"], "question", question["tier"], heading, body))
    for tier in tiers:
        out.append(_step(f"result-{tier['id']}", "result", tier["id"],
                         f"Your result: {_one_line(tier.get('title') or tier['id'])}",
                         result_body(tier, [q for q in questions if q["tier"] == tier["id"]])))
    return "\n".join(out)


def _lines(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_one_line(v) for v in items if str(v or "").strip()]


def call_buttons(tier: dict) -> list[str]:
    """The tier's numbers as large tap-to-call buttons, each saying where it works."""
    buttons = []
    for n in tier.get("numbers") or []:
        cite = f" {_cite([n['source']])}" if n.get("source") else ""
        buttons.append(f"[Call {number_label(n)} <span class=\"ttg-call-where\">{n['where']}</span>](tel:{n['number']})"
                       f"{{ .md-button .ttg-call-button }}{cite}")
    return ["", " ".join(buttons), "{ .ttg-call-row }"] if buttons else []


def result_body(tier: dict, asked: list[dict]) -> list[str]:
    """A result: the tier's card (what to do, the numbers to call), which signs led here, then
    what to do next, what to say and how to book, the pages that help, and its own sources."""
    card = []
    if tier.get("after"):
        card += [_one_line(tier["after"])]
    card += call_buttons(tier)
    body = [f'!!! {tier["card"]} "{_one_line(tier["action"])}"', "", _indent("\n".join(card)), ""]
    for question in asked:
        # With JavaScript, site.js leaves only the question the reader answered.
        body += [f'<div class="ttg-check-why" data-question="{question["id"]}" markdown>', "",
                 f'**Why this result:** you answered "Yes" or "Not sure" to "{_one_line(question["ask"])}"',
                 "", *[sign_markdown(s) for s in question["signs"]],
                 "", "</div>", ""]
    for field, heading in (("next", "What to do next"), ("say", "What to say"), ("book", "How to get help")):
        lines = _lines(tier.get(field))
        if lines:
            body += [f'<h3 class="ttg-check-subhead">{heading}</h3>', "",
                     *(["- " + line for line in lines] if len(lines) > 1 else lines), ""]
    links = [f"[Why these signs matter](warning-signs.md#{tier['id']})"]
    links += [f"[{link['text']}]({link['page']})" for link in tier.get("links") or []]
    body += ['<div class="ttg-check-links" markdown>', "", *[f"- {link}" for link in links], "", "</div>", "",
             CHECK_FOOTER]
    return body


# What every result ends with (the date, on screen and paper, and a way to start again): one
# snippet, which the check page's self-care result includes too.
CHECK_FOOTER = '--8<-- "check-result-footer.md"'


def numbers_text(tier: dict) -> str:
    """A tier's numbers in words: '999 (UK), 112 (EU) or 911 (US)'."""
    said = [f"{number_label(n)} ({n['where']})" for n in tier.get("numbers") or [] if not n.get("source")]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


def render_markers(markdown: str, tiers: list[dict], where: str, check: dict | None = None) -> str:
    by_id = {t["id"]: t for t in tiers}

    def replace(match):
        tier = by_id.get(match.group(1))
        if tier is None:
            raise BuildProblem(f"{where}: <!-- triage-card: {match.group(1)} --> names no tier in "
                              f"docs/{TRIAGE.as_posix()} (tiers: {', '.join(by_id)})")
        return compact_card(tier) if match.group(2) else full_card(tier)

    def numbers(match):
        tier = by_id.get(match.group(1))
        if tier is None or not tier.get("numbers"):
            raise BuildProblem(f"{where}: <!-- triage-numbers: {match.group(1)} --> names no tier with numbers "
                              f"in docs/{TRIAGE.as_posix()}")
        return numbers_text(tier)

    markdown = MARKER.sub(replace, markdown)
    markdown = NUMBERS_MARKER.sub(numbers, markdown)
    if CHECK_MARKER.search(markdown):
        if not check:
            raise BuildProblem(f"{where}: <!-- triage-check --> but docs/{TRIAGE.as_posix()} has no 'check:'")
        if f'id="{check["all_clear"]}"' not in markdown:
            raise BuildProblem(f"{where}: the check needs a section with id=\"{check['all_clear']}\" "
                              f"(its 'all_clear' result in docs/{TRIAGE.as_posix()})")
        markdown = CHECK_MARKER.sub(lambda m: check_steps(tiers, check), markdown)
    return markdown


def _load(path: Path) -> tuple[list[dict], dict | None]:
    tiers = load_triage(path)
    return tiers, load_check(path, tiers)


def triage_for(docs_dir: Path) -> tuple[list[dict], dict | None]:
    """The checked tiers and check, read again only when triage.yml changes."""
    path = Path(docs_dir) / TRIAGE
    if not path.exists():
        raise _fail(None, "missing: the warning signs need it")
    return datafiles.load(path, _load, "triage")


# Every number in triage.yml, wherever a page says it in text, becomes a tap-to-call link (not
# inside another link or code). Longest first, so "116 117" is one link.
NO_LINKS_IN = {"a", "code", "pre", "script", "style", "textarea", "button", "title"}
# Markdown's placeholders in text until its last steps: raw HTML (\x02wzxhzdk:N\x03) and a
# backslash-escaped character (\x02N\x03). Their digits are never a phone number.
PLACEHOLDERS = re.compile(HTML_PLACEHOLDER_RE.pattern + "|\x02\\d+\x03")


def phone_numbers(tiers: list[dict]) -> dict[str, str]:
    """How each number is written -> what the phone dials."""
    return {number_label(entry): str(entry["number"]) for tier in tiers for entry in tier.get("numbers") or []}


def _said(numbers: dict[str, str]) -> re.Pattern:
    return re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
                      + r")(?![\w/-]|\.\d)")


def _linked(text: str, numbers: dict[str, str], said: re.Pattern) -> tuple[str, list[etree.Element]]:
    """Text -> (the text before the first number, [call links, each with the text after it]).
    Markdown's placeholders (PLACEHOLDERS) are never read as numbers."""
    head, links = "", []

    def add(piece: str) -> None:
        nonlocal head
        if links:
            links[-1].tail = (links[-1].tail or "") + piece
        else:
            head += piece

    pos = 0
    for placeholder in list(PLACEHOLDERS.finditer(text)) + [None]:
        segment = text[pos:placeholder.start()] if placeholder else text[pos:]
        last = 0
        for match in said.finditer(segment):
            add(segment[last:match.start()])
            link = etree.Element("a", {"class": "ttg-tel", "href": f"tel:{numbers[match.group(1)]}"})
            link.text = match.group(1)
            links.append(link)
            last = match.end()
        add(segment[last:])
        if placeholder:
            add(placeholder.group(0))
            pos = placeholder.end()
    return head, links


def call_links(root: etree.Element, tiers: list[dict]) -> None:
    numbers = phone_numbers(tiers)
    if not numbers:
        return
    said = _said(numbers)

    def walk(el: etree.Element) -> None:
        if el.tag in NO_LINKS_IN:
            return
        if el.text:
            el.text, links = _linked(el.text, numbers, said)
            for i, link in enumerate(links):
                el.insert(i, link)
        for child in list(el):
            walk(child)
            if child.tail:
                child.tail, links = _linked(child.tail, numbers, said)
                at = list(el).index(child) + 1
                for i, link in enumerate(links):
                    el.insert(at + i, link)

    walk(root)


def step_addresses(root: etree.Element, site_name: str, canonical_url: str) -> None:
    """A printed step of the check says where it came from: the site, the step's own address."""
    for section in root.iter("section"):
        step_id = section.get("id") or ""
        if not (section.get("class") or "").startswith("ttg-check-step") or not ID.fullmatch(step_id):
            continue
        note = etree.Element("p", {"class": "ttg-print-only ttg-print-source"})
        note.text = f"{site_name}: {canonical_url}#{step_id}"
        note.tail = section.text
        section.text = "\n"
        section.insert(0, note)


class _TriagePreprocessor(Preprocessor):
    def run(self, lines):
        page = current(self.md)
        tiers, check = triage_for(page.docs_dir)
        return render_markers("\n".join(lines), tiers, page.where, check).split("\n")


class _TriageTreeprocessor(Treeprocessor):
    def run(self, root):
        page = current(self.md)
        tiers, _ = triage_for(page.docs_dir)
        call_links(root, tiers)
        if page.canonical_url:
            step_addresses(root, page.site_name, page.canonical_url)


class TriageExtension(Extension):
    def extendMarkdown(self, md):
        # The page's own text, before snippets (32) expand the check's footer and other includes.
        md.preprocessors.register(_TriagePreprocessor(md), "ttg_triage", 40)
        md.treeprocessors.register(_TriageTreeprocessor(md), "ttg_triage", ORDER["triage"])


def makeExtension(**kwargs):
    return TriageExtension(**kwargs)
