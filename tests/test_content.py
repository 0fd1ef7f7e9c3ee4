"""Content checks: front matter, sources, reading level, banned claims, spelling, structure.

Each check is a function that returns problems as 'file:line: what is wrong. how to fix'.
The real site must have none; a broken copy must produce the right message.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from xml.etree import ElementTree
from pathlib import Path

import jsonschema
import pytest
import textstat
import yaml

from helpers import BIN, DOCS, ROOT, REPORT, article_text, broken_copy, build, copy_project, html_pages, page_url

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "front-matter.schema.json").read_text())
BANNED = yaml.safe_load((ROOT / "tests" / "data" / "banned-claims.yml").read_text())
MAX_GRADE = 6.0          # whole page, Flesch-Kincaid (textstat 0.7.3)
MAX_BLOCK_GRADE = 12.0   # one paragraph, list item or table cell
MIN_BLOCK_WORDS = 12     # shorter blocks give meaningless grades
MAX_REVIEW_GAP_DAYS = 731  # 24 months


# --- front matter -----------------------------------------------------------------------------

class _NoDatesLoader(yaml.SafeLoader):
    """YAML without implicit timestamps, so a bad date is reported as ours, not as a crash."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[str | None, int]:
    """The front matter block and the line its first field is on (None if there is none)."""
    match = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", text, re.S)
    return (match.group(1) or "", 2) if match else (None, 0)


def _field_line(block: str, field: str, first: int) -> int:
    for offset, line in enumerate(block.splitlines()):
        if re.match(rf"^{re.escape(str(field))}\s*:", line):
            return first + offset
    return first - 1  # the opening '---'


def front_matter_problems(docs_dir: Path, today: dt.date) -> list[str]:
    problems = []
    for path in sorted(docs_dir.glob("*.md")):
        where = f"docs/{path.name}"
        block, first = split_front_matter(path.read_text(encoding="utf-8"))
        if block is None:
            problems.append(f"{where}:1: no front matter. Start the file with a '---' block "
                            "holding title, description, reviewed, next_review and medical")
            continue
        try:
            meta = yaml.load(block, Loader=_NoDatesLoader) or {}
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = first + mark.line if mark else first
            problems.append(f"{where}:{line}: front matter is not valid YAML ({getattr(err, 'problem', err)}). "
                            "Fix the syntax, e.g. quote values that contain ': '")
            continue
        if not isinstance(meta, dict):
            problems.append(f"{where}:{first}: front matter must be a mapping of fields")
            continue
        for error in sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(meta), key=str):
            field = error.path[0] if error.path else None
            if error.validator == "required":
                missing = re.search(r"'(\w+)' is a required", error.message)
                problems.append(f"{where}:{first - 1}: missing front matter field "
                                f"'{missing.group(1) if missing else error.message}'")
                continue
            line = _field_line(block, field, first) if field else first
            problems.append(f"{where}:{line}: front matter '{'.'.join(map(str, error.path))}': "
                            f"{error.message}")
        dates = {}
        for field in ("reviewed", "next_review"):
            value = meta.get(field)
            if isinstance(value, str):
                try:
                    dates[field] = dt.date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{where}:{_field_line(block, field, first)}: '{field}' is "
                                    f"{value!r}, not a real date. Use YYYY-MM-DD")
        reviewed, next_review = dates.get("reviewed"), dates.get("next_review")
        if reviewed and reviewed > today:
            problems.append(f"{where}:{_field_line(block, 'reviewed', first)}: 'reviewed' "
                            f"({reviewed}) is in the future")
        if reviewed and next_review:
            if next_review <= reviewed:
                problems.append(f"{where}:{_field_line(block, 'next_review', first)}: 'next_review' "
                                f"({next_review}) must be after 'reviewed' ({reviewed})")
            elif (next_review - reviewed).days > MAX_REVIEW_GAP_DAYS:
                problems.append(f"{where}:{_field_line(block, 'next_review', first)}: 'next_review' "
                                f"is more than 24 months after 'reviewed'")
        if next_review and next_review < today:
            problems.append(f"{where}:{_field_line(block, 'next_review', first)}: review overdue "
                            f"since {next_review}. Review the page against its sources, then update "
                            "'reviewed' and 'next_review'")
    return problems


def test_front_matter_is_valid():
    problems = front_matter_problems(DOCS, dt.date.today())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("replace, expected", [
    ((r"title: ", "titel: "), "missing front matter field 'title'"),
    ((r"reviewed: \S+", "reviewed: 2026-13-45"), "not a real date"),
    ((r"reviewed: \S+", "reviewed: 2999-01-01"), "is in the future"),
    ((r"next_review: \S+", "next_review: 2030-11-25"), "more than 24 months"),
    ((r"next_review: \S+", "next_review: 2026-01-01"), "must be after 'reviewed'"),
    ((r"description: ", "description: Too short. #"), "description"),
    ((r"title: ", "title: [oops: "), "not valid YAML"),
    ((r"title: ", "tags: [caffeine, coffee]\ntitle: "), "tags"),
    ((r"medical: true", "medical: yes please"), "'medical'"),
])
def test_front_matter_check_catches(tmp_path, replace, expected):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "causes.md"
    text = page.read_text()
    assert re.search(replace[0], text)
    page.write_text(re.sub(replace[0], replace[1], text, count=1))
    problems = "\n".join(front_matter_problems(docs, dt.date(2026, 11, 26)))
    assert "docs/causes.md:" in problems and expected in problems, problems


def test_overdue_review_is_reported():
    problems = "\n".join(front_matter_problems(DOCS, dt.date(2030, 1, 1)))
    assert "review overdue" in problems and "docs/causes.md:" in problems


# --- sources ------------------------------------------------------------------------------------

def medical_pages() -> list[str]:
    """Slugs ('causes', 'index') of pages whose front matter says medical: true."""
    slugs = []
    for path in sorted(DOCS.glob("*.md")):
        block, _ = split_front_matter(path.read_text())
        if block and (yaml.load(block, Loader=_NoDatesLoader) or {}).get("medical") is True:
            slugs.append(path.stem)
    return slugs


def built_page(site: Path, slug: str) -> Path:
    return site / "index.html" if slug == "index" else site / slug / "index.html"


def test_every_medical_page_cites_and_lists_its_sources(site):
    assert medical_pages(), "no page is marked medical: true"
    for slug in medical_pages():
        html = built_page(site, slug).read_text()
        # A page's list has ids ref-<key>; a check step's own list <step>-ref-<key>.
        cited = set(re.findall(r'<a (?:[^>]* )?href="#((?:[a-z0-9-]+-)?ref-[a-z0-9-]+)"', html))
        listed = set(re.findall(r'<li id="((?:[a-z0-9-]+-)?ref-[a-z0-9-]+)"', html))
        assert cited, f"docs/{slug}.md cites no source"
        assert cited == listed, f"docs/{slug}.md: cited {cited ^ listed} but not listed (or the reverse)"


def _build_with(tmp_path, edits: dict[str, tuple[str, str]]):
    project = copy_project(tmp_path / "project")
    for rel, (old, new) in edits.items():
        path = project / rel
        text = path.read_text()
        assert old in text, f"fixture setup: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))
    return build(project, tmp_path / "site")


def _log(result) -> str:
    return result.stdout + result.stderr


def test_unknown_citation_key_fails_build_with_file_and_line(tmp_path):
    result = _build_with(tmp_path, {"docs/causes.md": ("[@nhs-twitching]", "[@no-such-source]")})
    assert result.returncode != 0
    assert re.search(r"docs/causes\.md:\d+: unknown citation key 'no-such-source'", _log(result)), _log(result)


def test_unused_bibliography_entry_fails_build(tmp_path):
    entry = "\nnever-cited:\n  publisher: NHS\n  title: T\n  container: C\n  year: 2020\n  url: https://www.nhs.uk/x/\n  type: health-page\n"
    result = _build_with(tmp_path, {"docs/_data/bibliography.yml": ("\nnhs-twitching:", entry + "\nnhs-twitching:")})
    assert result.returncode != 0
    assert "bibliography.yml" in _log(result) and "never cited" in _log(result) and "never-cited" in _log(result)


@pytest.mark.parametrize("old, new, expected", [
    ("doi: 10.1159/000351153", "doi: 11.1159/x", "doi '11.1159/x' is malformed"),
    ("pmid: 23860588", "pmid: PMID-23860588", "pmid 'PMID-23860588' is malformed"),
    ("  confirmed_at: PubMed Central PMC4049265\n", "", "no 'confirmed_at'"),
    ("  container: Neuroepidemiology\n", "", "is missing 'container'"),
    ("  year: 2013\n  volume: 41(2)", "  year: 13\n  volume: 41(2)", "year 13"),
    ("url: https://www.nhs.uk/conditions/leg-cramps/", "url: http://www.nhs.uk/conditions/leg-cramps/", "not a well-formed https URL"),
    ("  dated: December 2018\n", "  dated: December 2019\n", "is dated 'December 2019', which does not give its year 2018"),
])
def test_malformed_bibliography_entry_fails_build(tmp_path, old, new, expected):
    result = _build_with(tmp_path, {"docs/_data/bibliography.yml": (old, new)})
    assert result.returncode != 0
    assert "docs/_data/bibliography.yml" in _log(result) and expected in _log(result), _log(result)


def test_medical_page_without_sources_fails_build(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "prevention.md"
    page.write_text(re.sub(r"\[@[^\]]+\]", "", page.read_text()))
    # Remove the sources that now go unused, so the failure is the page's own.
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/prevention.md: is a medical page (medical: true) but cites no source" in _log(result), _log(result)


# --- reading level ------------------------------------------------------------------------------

def reading_grade(html: str) -> float:
    return textstat.flesch_kincaid_grade(article_text(html, skip_classes={"ttg-myth"}))


def readability_problems(site: Path, record: bool = False) -> list[str]:
    problems = []
    for page in html_pages(site):
        if page.name == "404.html":
            continue
        grade = reading_grade(page.read_text())
        if record:
            REPORT.setdefault("Reading grade (Flesch-Kincaid, body text)", {})[page_url(site, page)] = grade
        if grade > MAX_GRADE:
            problems.append(f"site{page_url(site, page)}: reading grade {grade:.1f} is above {MAX_GRADE}. "
                            "Use shorter sentences and plainer words")
    return problems


def test_every_page_reads_at_grade_8_or_below(site):
    problems = readability_problems(site, record=True)
    assert not problems, "\n".join(problems)


def test_readability_check_catches_a_hard_page(site, tmp_path):
    hard = ("<p>Notwithstanding considerable interindividual heterogeneity, electrophysiological "
            "characterisation of spontaneous fasciculation potentials necessitates comprehensive "
            "neuromuscular evaluation incorporating electromyographic quantification.</p>") * 40
    copy = broken_copy(site, tmp_path, "prevention/index.html", "</article>", hard + "</article>")
    problems = "\n".join(readability_problems(copy))
    assert "site/prevention/: reading grade" in problems and f"above {MAX_GRADE}" in problems, problems


def block_grade_problems(site: Path) -> list[str]:
    """Each paragraph, list item or cell on its own: one dense block must not hide in an easy page."""
    problems = []
    for page in html_pages(site):
        if page.name == "404.html":
            continue
        for block in article_text(page.read_text(), skip_classes={"ttg-myth"}).splitlines():
            if len(block.split()) < MIN_BLOCK_WORDS:
                continue
            grade = textstat.flesch_kincaid_grade(block)
            if grade > MAX_BLOCK_GRADE:
                problems.append(f"site{page_url(site, page)}: one block reads at grade {grade:.1f} "
                                f"(above {MAX_BLOCK_GRADE}): \"{block[:90]}...\". Split the sentences "
                                "and use plainer words")
    return problems


def test_no_paragraph_is_too_hard(site):
    problems = block_grade_problems(site)
    assert not problems, "\n".join(problems)


def test_block_check_catches_one_dense_paragraph_in_an_easy_page(site, tmp_path):
    dense = ("<p>Fasciculations without concomitant weakness, atrophy or electrophysiological "
             "abnormalities are generally considered benign, notwithstanding occasional progression.</p>")
    copy = broken_copy(site, tmp_path, "prevention/index.html", "</article>", dense + "</article>")
    assert not readability_problems(copy), "the page average should still pass: this is the case to catch"
    problems = "\n".join(block_grade_problems(copy))
    assert "site/prevention/: one block reads at grade" in problems and "Fasciculations without" in problems, problems


# --- banned claims ------------------------------------------------------------------------------

def banned_claim_problems(site: Path) -> list[str]:
    problems = []
    for page in html_pages(site):
        text = article_text(page.read_text(), skip_classes={"ttg-myth"})
        for line in text.splitlines():
            for rule in BANNED:
                match = re.search(rule["pattern"], line, re.I)
                if match:
                    problems.append(f"site{page_url(site, page)}: banned claim {match.group(0)!r} in "
                                    f"\"{line[:100]}\": {rule['why']}")
    return problems


def test_no_banned_claims(site):
    problems = banned_claim_problems(site)
    assert not problems, "\n".join(problems)


def test_every_banned_claim_rule_has_several_phrasings():
    thin = [rule["why"] for rule in BANNED if len(rule.get("examples") or []) < 3]
    assert not thin, f"tests/data/banned-claims.yml: give each rule at least 3 example phrasings: {thin}"


@pytest.mark.parametrize("rule, claim", [(rule, claim) for rule in BANNED for claim in rule["examples"]],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_banned_claim_check_catches(site, tmp_path, rule, claim):
    copy = broken_copy(site, tmp_path, "what-helps/index.html", "</article>", f"<p>{claim}</p></article>")
    problems = "\n".join(banned_claim_problems(copy))
    assert "site/what-helps/: banned claim" in problems and rule["why"] in problems, problems


@pytest.mark.parametrize("sentence", [s for rule in BANNED for s in rule.get("allowed") or []])
def test_true_sentences_near_a_myth_are_allowed(site, tmp_path, sentence):
    copy = broken_copy(site, tmp_path, "what-helps/index.html", "</article>", f"<p>{sentence}</p></article>")
    assert banned_claim_problems(copy) == banned_claim_problems(site) == []


def test_quoted_myth_is_not_a_banned_claim(site, tmp_path):
    copy = broken_copy(site, tmp_path, "what-helps/index.html", "</article>",
                       '<p><q class="ttg-myth">Magnesium stops twitching.</q> Not so.</p></article>')
    assert banned_claim_problems(copy) == []


# --- spelling -------------------------------------------------------------------------------------

def run_codespell(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "codespell"), "--ignore-words", str(ROOT / "tests" / "data" / "codespell-words.txt"),
         "--skip", "*.yml", str(folder)],
        capture_output=True, text=True, timeout=120,
    )


def test_spelling():
    result = run_codespell(DOCS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_spelling_check_catches_a_typo(tmp_path):
    (tmp_path / "page.md").write_text("# Title\n\nYou may recieve a letter.\n")
    result = run_codespell(tmp_path)
    assert result.returncode != 0 and "page.md:3: recieve" in result.stdout, result.stdout


# --- structure ------------------------------------------------------------------------------------

class _Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, int]] = []  # (line, level) inside the article
        self.in_article = 0
        self.classes: set[str] = set()
        self.links: list[str] = []
        self.images_without_alt: list[int] = []
        self.svgs_without_name: list[int] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if "md-content__inner" in classes:
            self.in_article = 1
        self.classes |= classes
        line = self.getpos()[0]
        if self.in_article and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((line, int(tag[1])))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        decorative = a.get("role") == "presentation" or a.get("aria-hidden") == "true"
        if tag == "img" and self.in_article and not (a.get("alt") or "").strip() and not decorative:
            self.images_without_alt.append(line)
        elif tag == "img" and a.get("alt") is None:
            self.images_without_alt.append(line)
        if tag == "svg" and a.get("role") == "img" and not (a.get("aria-label") or a.get("aria-labelledby")):
            self.svgs_without_name.append(line)


def structure_problems(site: Path, medical_slugs: list[str]) -> list[str]:
    problems = []
    for page in html_pages(site):
        url = page_url(site, page)
        where = f"site{url}"
        s = _Structure()
        s.feed(page.read_text())
        h1 = [line for line, level in s.headings if level == 1]
        if len(h1) != 1:
            problems.append(f"{where}: has {len(h1)} h1 headings; a page needs exactly one")
        previous = 0
        for line, level in s.headings:
            if previous and level > previous + 1:
                problems.append(f"{where}:{line}: heading level skips from h{previous} to h{level}")
            previous = level
        problems += [f"{where}:{line}: <img> has no alt text; describe it (![what it shows](file.png)), "
                     "or mark a purely decorative image with {: role=presentation }"
                     for line in s.images_without_alt]
        problems += [f"{where}:{line}: <svg role=img> has no accessible name; add aria-labelledby"
                     for line in s.svgs_without_name]
        slug = "index" if url == "/" else url.strip("/")
        if slug in medical_slugs:
            for cls, what in (("ttg-review", "review dates"), ("ttg-disclaimer", "the disclaimer")):
                if cls not in s.classes:
                    problems.append(f"{where}: medical page does not show {what}")
            if slug != "warning-signs" and not any(re.search(r"(^|/)warning-signs/(#.*)?$", href) for href in s.links):
                problems.append(f"{where}: medical page has no link to /warning-signs/")
    return problems


def test_page_structure(site):
    problems = structure_problems(site, medical_pages())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, expected", [
    ('<div class="ttg-disclaimer">', '<div class="x">', "does not show the disclaimer"),
    ('<aside class="ttg-review"', '<aside class="x"', "does not show review dates"),
    ("</article>", "<h1>Second</h1></article>", "has 2 h1 headings"),
    ("</article>", "<h2>A</h2><h4>B</h4></article>", "heading level skips from h2 to h4"),
    ("</article>", '<img src="x.png"></article>', "<img> has no alt text"),
    ("</article>", '<p><img alt="" src="x.png"></p></article>', "<img> has no alt text"),
    ('role="img" aria-labelledby="thigh-title thigh-desc"', 'role="img"', "no accessible name"),
])
def test_structure_check_catches(site, tmp_path, old, new, expected):
    copy = broken_copy(site, tmp_path, "what-is-it/index.html", old, new)
    problems = "\n".join(structure_problems(copy, medical_pages()))
    assert "site/what-is-it/" in problems and expected in problems, problems


SUPPORT_LINK = re.compile(r'href="(?:\.\./)*what-helps/#support"')
SUPPORT_SECTION = re.compile(r'<h2 id="support"')


def support_link_problems(site: Path, medical_slugs: list[str]) -> list[str]:
    """DISCERN item 7: every medical page points to further support (help for health worry, charities)."""
    problems = []
    for slug in medical_slugs:
        html = built_page(site, slug).read_text()
        own = slug == "what-helps" and SUPPORT_SECTION.search(html) and 'href="#support"' in html
        if not (own or SUPPORT_LINK.search(html)):
            problems.append(f"site/{'' if slug == 'index' else slug + '/'}: medical page does not link to "
                            "/what-helps/#support (where to get help and support)")
    return problems


def test_every_medical_page_points_to_further_support(site):
    problems = support_link_problems(site, medical_pages())
    assert not problems, "\n".join(problems)


def test_support_link_check_catches_a_page_without_it(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "prevention" / "index.html"
    page.write_text(SUPPORT_LINK.sub('href="#"', page.read_text()))
    problems = "\n".join(support_link_problems(copy, medical_pages()))
    assert "site/prevention/: medical page does not link to /what-helps/#support" in problems, problems


def test_structure_check_catches_missing_warning_signs_link(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "prevention" / "index.html"
    page.write_text(re.sub(r'href="[^"]*warning-signs/[^"]*"', 'href="#"', page.read_text()))
    problems = "\n".join(structure_problems(copy, medical_pages()))
    assert "site/prevention/: medical page has no link to /warning-signs/" in problems, problems


# --- glossary -------------------------------------------------------------------------------------

def test_every_tooltip_term_is_in_the_glossary():
    abbreviations = re.findall(r"^\*\[([^\]]+)\]:", (ROOT / "overrides" / "snippets" / "abbreviations.md").read_text(), re.M)
    glossary = (DOCS / "glossary.md").read_text().lower()
    missing = [a for a in abbreviations if a.lower().rstrip("s") not in glossary]
    assert not missing, f"overrides/snippets/abbreviations.md terms missing from docs/glossary.md: {missing}"


# --- clinical review: coverage matrix and claim notes --------------------------------------------

COVERAGE = DOCS / "_data" / "coverage.yml"


def _section_problem(site: Path, target: str) -> str | None:
    """Why '/page/#anchor' is not a section of the built site (None when it is)."""
    match = re.fullmatch(r"(/(?:[a-z0-9-]+/)*)(?:#([A-Za-z0-9_-]+))?", str(target))
    page = match and (site / match.group(1).lstrip("/") / "index.html")
    if not page or not page.is_file():
        return f"'{target}' is not a page of the site"
    if match.group(2) and f'id="{match.group(2)}"' not in page.read_text():
        return f"page {match.group(1)} has no #{match.group(2)} anchor"
    return None


def coverage_problems(site: Path, coverage_file: Path = COVERAGE) -> list[str]:
    """The coverage matrix: each source's points, and each reader's question, map to a page and
    #anchor that exist, or say why they are left out."""
    where = f"docs/_data/{coverage_file.name}"
    text = coverage_file.read_text()
    lines = text.splitlines()
    bibliography = yaml.safe_load((DOCS / "_data" / "bibliography.yml").read_text())

    def line_of(needle: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if needle in line), 0)

    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict) or set(data) != {"sources", "readers_questions"}:
        return [f"{where}:1: must have exactly two parts, 'sources:' and 'readers_questions:'"]
    problems = []
    for source in data["sources"] or []:
        key = source.get("source")
        if key != "unread" and key not in bibliography:
            problems.append(f"{where}:{line_of(f'source: {key}')}: source '{key}' is not in bibliography.yml")
        if key == "unread" and not source.get("unread"):
            problems.append(f"{where}:{line_of('source: unread')}: an unread source must name what was not read")
        if not source.get("points"):
            problems.append(f"{where}:{line_of(f'source: {key}')}: source '{key}' lists no points")
        for point in source.get("points") or []:
            line = line_of(str(point.get("point")))
            if bool(point.get("covered")) == bool(point.get("left_out")):
                problems.append(f"{where}:{line}: point '{point.get('point')}' needs exactly one of "
                                "'covered: /page/#anchor' or 'left_out: <why>'")
                continue
            target = point.get("covered")
            problem = target and _section_problem(site, target)
            if problem:
                problems.append(f"{where}:{line_of(str(target))}: {problem}")
    seen = set()
    for entry in data["readers_questions"] or []:
        question = str((entry or {}).get("question") or "").strip()
        line = line_of(f"question: {question}") if question else line_of("readers_questions:")
        if not question.endswith("?"):
            problems.append(f"{where}:{line}: reader's question {question!r} must be a question, in the "
                            "reader's words, ending with '?'")
        if question.lower() in seen:
            problems.append(f"{where}:{line}: reader's question {question!r} is listed twice")
        seen.add(question.lower())
        if bool(entry.get("covered")) == bool(str(entry.get("left_out") or "").strip()):
            problems.append(f"{where}:{line}: reader's question {question!r} needs exactly one of "
                            "'covered: /page/#anchor' (the section that answers it) or 'left_out: <why>'")
            continue
        problem = entry.get("covered") and _section_problem(site, entry["covered"])
        if problem:
            problems.append(f"{where}:{line + 1}: reader's question {question!r}: {problem}")
    if not data["readers_questions"]:
        problems.append(f"{where}:{line_of('readers_questions:')}: 'readers_questions' lists no questions")
    return problems


def test_coverage_matrix_points_at_real_sections(site):
    problems = coverage_problems(site)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, expected", [
    ("covered: /warning-signs/#urgent", "covered: /warning-signs/#no-such-anchor", "has no #no-such-anchor anchor"),
    ("covered: /causes/#common", "covered: /no-such-page/#common", "'/no-such-page/#common' is not a page"),
    ("- source: nhs-rls", "- source: not-a-source", "source 'not-a-source' is not in bibliography.yml"),
    ("      covered: /what-helps/#water", "      covered: /what-helps/#water\n      left_out: both", "needs exactly one of"),
    # the readers' questions part
    ("    covered: /causes/#nicotine-vaping", "    covered: /causes/#no-such-section",
     "reader's question 'Can vaping or smoking cause muscle twitching?': page /causes/ has no #no-such-section anchor"),
    ("    covered: /causes/#diabetes", "    covered: /diabetes/", "'/diabetes/' is not a page of the site"),
    ("    covered: /causes/#vitamins", "    note: answered somewhere", "needs exactly one of 'covered: /page/#anchor'"),
    ("    left_out: we found no trustworthy source on cannabis and twitching",
     "    left_out: ''", "needs exactly one of 'covered: /page/#anchor'"),
    ("  - question: Can low calcium cause twitching?", "  - question: Can low magnesium cause twitching?", "is listed twice"),
    ("  - question: Can alcohol cause twitching?", "  - question: alcohol", "must be a question"),
    ("readers_questions:", "questions:", "exactly two parts"),
])
def test_coverage_check_catches(site, tmp_path, old, new, expected):
    broken = tmp_path / "coverage.yml"
    text = COVERAGE.read_text()
    assert old in text
    broken.write_text(text.replace(old, new, 1))
    problems = "\n".join(coverage_problems(site, broken))
    assert "docs/_data/coverage.yml:" in problems and expected in problems, problems


def test_readers_questions_are_listed_and_each_is_answered_or_explained():
    """The part exists and is not a token list: a reader's question is answered or left out on purpose."""
    questions = yaml.safe_load(COVERAGE.read_text())["readers_questions"]
    assert len(questions) >= 20, "docs/_data/coverage.yml: list the questions readers ask (at least 20)"
    assert any(q.get("left_out") for q in questions), "say which questions are left out, and why"


def _note_block(key: str, page: str) -> str:
    """The exact `page:` note lines of one bibliography entry, for removing in a fixture."""
    text = (DOCS / "_data" / "bibliography.yml").read_text()
    entry = text[text.index(f"\n{key}:\n"):]
    match = re.search(rf"\n    {page}:\n      where: .*\n      says: .*", entry)
    assert match, f"fixture setup: no note {key}.supports.{page}"
    return match.group(0)


def test_citation_without_a_claim_note_fails_build_with_file_and_line(tmp_path):
    result = _build_with(tmp_path, {"docs/_data/bibliography.yml": (_note_block("nhs-statins", "causes"), "")})
    assert result.returncode != 0
    assert re.search(r"docs/causes\.md:\d+: cites 'nhs-statins', but .* no note for this page under "
                     r"nhs-statins\.supports\.causes", _log(result)), _log(result)


def test_claim_note_for_a_page_that_no_longer_cites_fails_build(tmp_path):
    result = _build_with(tmp_path, {"docs/causes.md": ("[@nhs-statins]", "")})
    assert result.returncode != 0
    assert "no longer cite the source: nhs-statins.supports.causes" in _log(result), _log(result)


@pytest.mark.parametrize("says, expected", [
    ('"' + "word " * 26 + '"', "keep a quote to 25 words"),
    ("word " * 46, "keep a paraphrase to 45 words"),
    ("", "needs 'where'"),
])
def test_malformed_claim_note_fails_build(tmp_path, says, expected):
    block = _note_block("valtin-2002", "what-helps")
    broken = re.sub(r"says: .*", lambda _: f"says: {says!r}" if says else "says: ''", block)
    result = _build_with(tmp_path, {"docs/_data/bibliography.yml": (block, broken)})
    assert result.returncode != 0
    assert "valtin-2002" in _log(result) and expected in _log(result), _log(result)


def test_a_sources_own_date_is_shown_in_its_reference(site):
    html = built_page(site, "what-is-it").read_text()
    item = re.search(r'<li id="ref-nhs-twitching">(.*?)</li>', html, re.S)
    assert item and "2023 (last reviewed 30 October 2023" in item.group(1), item and item.group(1)


def evidence_label_problems(site: Path) -> list[str]:
    """The evidence labels are explained once, on the About page, and every Sources list links there."""
    about = (site / "about" / "index.html").read_text()
    explained = set(re.findall(r"<dt>([^<]+)</dt>", about.split('class="ttg-evidence-meanings"', 1)[-1]))
    problems = []
    for page in html_pages(site):
        html = page.read_text()
        where = f"site{page_url(site, page)}"
        if page.parent.name != "about" and 'class="ttg-evidence-meanings"' in html:
            problems.append(f"{where}: repeats the evidence-label glossary (it lives on the About page)")
        labels = set(re.findall(r'<span class="ttg-evidence">([^<]+)</span>', html))
        if labels - explained:
            problems.append(f"{where}: labels {labels - explained} are not explained on the About page")
        lists = html.count('<ol class="ttg-references"')
        links = len(re.findall(r'<p class="ttg-evidence-link"[^>]*><a href="(?:(?:\.\./)*about/)?#evidence-labels"', html))
        if lists != links:
            problems.append(f"{where}: {lists} Sources lists but {links} links to the labels' meanings")
    return problems


def test_evidence_labels_are_explained_once_and_linked_from_every_list(site):
    assert 'id="evidence-labels"' in (site / "about" / "index.html").read_text()
    assert not evidence_label_problems(site)


def test_evidence_label_check_catches_a_repeated_glossary(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    page = broken / "causes" / "index.html"
    page.write_text(page.read_text().replace("</article>", '<dl class="ttg-evidence-meanings"><dt>Guideline</dt></dl></article>', 1))
    assert any("site/causes/: repeats the evidence-label glossary" in p for p in evidence_label_problems(broken))


def test_build_fails_without_the_labels_marker(tmp_path):
    result = _build_with(tmp_path, {"docs/about.md": ("<!-- evidence-labels -->", "")})
    assert result.returncode != 0 and "docs/about.md: has no <!-- evidence-labels --> marker" in _log(result), _log(result)


# --- reference style ------------------------------------------------------------------------------

def reference_style_problems(site: Path) -> list[str]:
    """Each Sources entry reads as a reference: one closing mark per field, ending in a full stop."""
    problems = []
    for page in html_pages(site):
        html = page.read_text()
        for key, body in re.findall(r'<li id="ref-([a-z0-9-]+)">(.*?)</li>', html, re.S):
            text = " ".join(re.sub(r"<[^>]+>", "", body).split())
            text = text.replace("&quot;", '"').replace("&amp;", "&").replace(" (opens another website)", "")
            for bad in ("..", "?.", "!.", ",.", ".,", "n.d."):
                if bad in text:
                    problems.append(f"site{page_url(site, page)}: source '{key}' has '{bad}': \"{text[:120]}\"")
            if not text.endswith("."):
                problems.append(f"site{page_url(site, page)}: source '{key}' does not end with a full stop")
    return problems


def test_sources_are_punctuated_like_references(site):
    problems = reference_style_problems(site)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, expected", [
    ("Evidence: <span", "n.d.. Evidence: <span", "has 'n.d.'"),
    ('<span class="ttg-evidence">Health information page</span>.', '<span class="ttg-evidence">Health information page</span>', "does not end with a full stop"),
])
def test_reference_style_check_catches(site, tmp_path, old, new, expected):
    copy = broken_copy(site, tmp_path, "causes/index.html", old, new)
    problems = "\n".join(reference_style_problems(copy))
    assert "site/causes/: source" in problems and expected in problems, problems


# --- emergency cards ------------------------------------------------------------------------------

def emergency_tooltip_problems(site: Path) -> list[str]:
    """A tooltip opened over an emergency card would hide the next line of the instructions."""
    problems = []
    for page in html_pages(site):
        for card in re.findall(r'<div class="admonition emergency(?: [^"]*)?">.*?</div>', page.read_text(), re.S):
            for term in re.findall(r"<abbr\b[^>]*>(.*?)</abbr>", card):
                problems.append(f"site{page_url(site, page)}: emergency card has a tooltip on '{term}'")
    return problems


def test_emergency_cards_have_no_tooltips(site):
    assert any('class="admonition emergency"' in p.read_text() for p in html_pages(site))
    problems = emergency_tooltip_problems(site)
    assert not problems, "\n".join(problems)


def test_emergency_tooltip_check_catches(site, tmp_path):
    copy = broken_copy(site, tmp_path, "warning-signs/index.html", "Do not wait to see if it passes.",
                       'Do not wait for the <abbr title="Emergency room">ER</abbr>.')
    assert "emergency card has a tooltip on 'ER'" in "\n".join(emergency_tooltip_problems(copy))


def test_colour_scheme_switch_uses_sun_and_moon_icons():
    """A bare 'A' (brightness-auto) did not say what the switch does; a sun and a moon do."""
    config = (ROOT / "mkdocs.yml").read_text()
    icons = re.findall(r"toggle: \{icon: (material/[\w-]+)", config)
    # Each option's icon shows what a tap gives: a moon in the light scheme, a sun in the dark one.
    assert icons == ["material/weather-night", "material/weather-sunny"], icons


# --- the ALS risk picture draws what its description says ------------------------------------

def risk_picture_problems(markdown: str) -> list[str]:
    """The dot grid on the ALS page: rectangles filled with a pattern of one dot per tile (a
    filled dot, or an empty ring), and the one ALS square. Its description is what a screen reader
    hears; the dots drawn must add up to the same numbers, each tile once."""
    where = "docs/could-it-be-als.md"
    svg = re.search(r'<svg role="img" aria-labelledby="risk-title risk-desc".*?</svg>', markdown, re.S)
    if not svg:
        return [f"{where}: the risk picture is missing"]
    root = ElementTree.fromstring(svg.group(0))
    tag = lambda e: e.tag.rsplit("}", 1)[-1]
    number = lambda e, name: float(e.get(name, 0))
    desc = next(e.text for e in root.iter() if tag(e) == "desc")
    total = int(re.search(r"grid of (\d+) dots", desc).group(1))
    filled = int(re.search(r"(\d+) dots are filled", desc).group(1))
    kinds = {}  # pattern id -> (kind of dot, tile width, tile height)
    for pattern in (e for e in root.iter() if tag(e) == "pattern"):
        dots = [c.get("class", "") for c in pattern.iter() if tag(c) == "circle"]
        kinds[pattern.get("id")] = (dots[0].removeprefix("ttg-risk-") if len(dots) == 1 else "?",
                                    number(pattern, "width"), number(pattern, "height"))
    problems, tiles, drawn = [], {}, {"twitch": 0, "none": 0, "als": 0}
    for rect in (e for e in root.iter() if tag(e) == "rect"):
        x, y, w, h = (number(rect, k) for k in ("x", "y", "width", "height"))
        if rect.get("class") == "ttg-risk-als":
            cells = [(x // 20, y // 20)]
            drawn["als"] += 1
        else:
            pattern = re.fullmatch(r"url\(#([\w-]+)\)", rect.get("fill", ""))
            kind, tw, th = kinds.get(pattern.group(1) if pattern else None, ("?", 0, 0))
            if kind not in drawn or not tw or x % tw or y % th or w % tw or h % th:
                problems.append(f"{where}: a rectangle at ({x:g}, {y:g}) does not hold whole dots of one kind")
                continue
            cells = [(x / tw + i, y / th + j) for i in range(int(w / tw)) for j in range(int(h / th))]
            drawn[kind] += len(cells)
        for cell in cells:
            if cell in tiles:
                problems.append(f"{where}: the dot at column {cell[0]:g}, row {cell[1]:g} is drawn twice")
            tiles[cell] = True
    if drawn["twitch"] != filled:
        problems.append(f"{where}: the picture fills {drawn['twitch']} dots, its description says {filled}")
    if sum(drawn.values()) != total:
        problems.append(f"{where}: the picture draws {sum(drawn.values())} dots, its description says {total}")
    return problems


def test_the_risk_picture_draws_what_it_describes():
    problems = risk_picture_problems((DOCS / "could-it-be-als.md").read_text(encoding="utf-8"))
    assert not problems, problems


def test_the_risk_picture_check_sees_a_missing_dot():
    markdown = (DOCS / "could-it-be-als.md").read_text(encoding="utf-8")
    one_row_less = markdown.replace('<rect fill="url(#risk-dot)" width="400" height="200"/>',
                                    '<rect fill="url(#risk-dot)" width="400" height="180"/>', 1)
    assert one_row_less != markdown
    assert any("fills 190 dots" in p for p in risk_picture_problems(one_row_less)), risk_picture_problems(one_row_less)
    one_ring_less = markdown.replace('y="280" width="380"', 'y="280" width="360"', 1)
    assert one_ring_less != markdown
    assert any("draws 299 dots" in p for p in risk_picture_problems(one_ring_less)), risk_picture_problems(one_ring_less)


def test_the_risk_picture_check_sees_a_dot_drawn_twice_or_cut():
    markdown = (DOCS / "could-it-be-als.md").read_text(encoding="utf-8")
    overlap = markdown.replace('y="220" width="400" height="60"', 'y="200" width="400" height="80"', 1)
    assert any("drawn twice" in p for p in risk_picture_problems(overlap)), risk_picture_problems(overlap)
    half = markdown.replace('y="280" width="380"', 'y="280" width="370"', 1)
    assert any("does not hold whole dots" in p for p in risk_picture_problems(half)), risk_picture_problems(half)
