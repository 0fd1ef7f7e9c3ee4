"""The check (/check/): a few questions, most urgent first, that route a worried reader to the
tier the warning-signs page gives, or to self-care. The questions and results are rendered from
docs/_data/triage.yml, so the expected route of every answer sequence is worked out from that file
and followed twice: as plain links in the HTML (no JavaScript) and by clicking in Chromium."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from helpers import (ROOT, SCHEMES, WIDTHS, PageWatcher, axe_violations, broken_copy, build_edited, fragment_text,
                     open_page, plain_markdown, reader_context, settle, wait_for_scripts)

TRIAGE = ROOT / "docs" / "_data" / "triage.yml"
ANSWERS_FOR_HELP = ("yes", "not-sure")  # "Not sure" counts as "Yes", for safety


def triage() -> dict:
    return yaml.safe_load(TRIAGE.read_text(encoding="utf-8"))


def questions() -> list[dict]:
    return triage()["check"]["questions"]


def answer_sequences() -> list[tuple[list[str], str]]:
    """Every sequence of answers that ends the check, with the step it must end on: the result of
    the first question answered "yes" or "not sure", or the all-clear result after all "no"."""
    asked = questions()
    sequences = []
    for n, question in enumerate(asked):
        for answer in ANSWERS_FOR_HELP:
            sequences.append((["no"] * n + [answer], f"result-{question['tier']}"))
    sequences.append((["no"] * len(asked), triage()["check"]["all_clear"]))
    return sequences


def steps(html: str) -> dict[str, str]:
    """The check's steps in the built page: section id -> its HTML."""
    return dict(re.findall(r'<section [^>]*?id="([a-z0-9-]+)"[^>]*>(.*?)</section>', html, re.S))


def answer_link(step_html: str, answer: str) -> str | None:
    match = re.search(rf'<a [^>]*data-answer="{answer}"[^>]*href="#([^"]+)"', step_html) or \
        re.search(rf'<a [^>]*href="#([^"]+)"[^>]*data-answer="{answer}"', step_html)
    return match.group(1) if match else None


def check_html(site: Path) -> str:
    return (site / "check" / "index.html").read_text(encoding="utf-8")


def route_problems(site: Path) -> list[str]:
    """Follow every answer sequence through the page's links, as a reader without JavaScript does."""
    html = check_html(site)
    sections = steps(html)
    start = re.search(r'id="start".*?<a [^>]*href="#([^"]+)"[^>]*>Start the check', html, re.S)
    if not start:
        return ["/check/: the first screen has no 'Start the check' link"]
    problems = []
    for answers, expected in answer_sequences():
        where = start.group(1)
        for answer in answers:
            if where not in sections:
                break
            where = answer_link(sections[where], answer) or f"(no {answer!r} answer on #{where})"
        if where != expected:
            problems.append(f"/check/: answers {' > '.join(answers)} end at #{where}, expected #{expected}")
    return problems


def sign_placement_problems(site: Path) -> list[str]:
    """Every sign in the data shows in exactly one question, and that question asks about its tier."""
    sections = steps(check_html(site))
    asked = {q["id"]: q["tier"] for q in questions()}
    problems = []
    for tier in triage()["tiers"]:
        for sign in tier["signs"]:
            text = plain_markdown(sign["text"])
            found = [q for q in asked if q in sections and text in fragment_text(sections[q])]
            if len(found) != 1:
                problems.append(f"/check/: sign {text[:50]!r} is in {len(found)} questions ({', '.join(found) or 'none'})")
            elif asked[found[0]] != tier["id"]:
                problems.append(f"/check/: sign {text[:50]!r} is asked in #{found[0]}, not a {tier['id']} question")
    return problems


def result_problems(site: Path) -> list[str]:
    """Each tier's result gives its action, its numbers as tap-to-call links and a link to why."""
    sections = steps(check_html(site))
    problems = []
    for tier in triage()["tiers"]:
        result = sections.get(f"result-{tier['id']}")
        if result is None:
            problems.append(f"/check/: no result section #result-{tier['id']}")
            continue
        if plain_markdown(tier["action"]) not in fragment_text(result):
            problems.append(f"/check/#result-{tier['id']}: does not say its action")
        for number in tier.get("numbers") or []:
            if f'href="tel:{number["number"]}"' not in result:
                problems.append(f"/check/#result-{tier['id']}: no tap-to-call link for {number['number']}")
        if f'href="../warning-signs/#{tier["id"]}"' not in result:
            problems.append(f"/check/#result-{tier['id']}: no link to warning-signs/#{tier['id']}")
    return problems


# ---- the page, read as HTML (no JavaScript) ----

def test_every_answer_sequence_ends_at_the_right_tier_without_javascript(site):
    assert len(answer_sequences()) == 2 * len(questions()) + 1
    assert not route_problems(site)


def test_route_check_catches_a_wrong_link(site, tmp_path):
    broken = broken_copy(site, tmp_path, "check/index.html",
                         'data-answer="not-sure" href="#result-urgent"', 'data-answer="not-sure" href="#q-see-a-doctor"')
    problems = route_problems(broken)
    assert any("answers no > not-sure end at #q-see-a-doctor, expected #result-urgent" in p for p in problems), problems


def test_every_sign_is_in_exactly_one_question_of_its_tier(site):
    assert not sign_placement_problems(site)


def test_sign_check_catches_a_missing_sign(site, tmp_path):
    broken = broken_copy(site, tmp_path, "check/index.html", "<li>a cramp that lasts more than 10 minutes",
                         "<li>a cramp")
    assert any("'a cramp that lasts more than 10 minutes" in p and "in 0 questions" in p
               for p in sign_placement_problems(broken))


def test_every_result_gives_its_action_numbers_and_why(site):
    assert not result_problems(site)


def test_result_check_catches_a_missing_number(site, tmp_path):
    broken = broken_copy(site, tmp_path, "check/index.html", 'href="tel:112"', 'href="#"')
    page = broken / "check" / "index.html"
    page.write_text(page.read_text().replace('href="tel:112"', 'href="#"'))
    assert "/check/#result-emergency: no tap-to-call link for 112" in result_problems(broken)


def test_first_screen_says_it_is_not_a_diagnosis_and_gives_the_emergency_number(site):
    start = fragment_text(steps(check_html(site))["start"])
    assert "not a diagnosis" in start
    emergency = next(t for t in triage()["tiers"] if t["id"] == "emergency")
    for number in emergency["numbers"]:
        assert number["number"] in start, number


def test_questions_ask_in_tier_order_and_say_not_sure_counts_as_yes(site):
    sections = steps(check_html(site))
    order = [t["id"] for t in triage()["tiers"]]
    ranks = [order.index(q["tier"]) for q in questions()]
    assert ranks == sorted(ranks)
    for n, question in enumerate(questions(), 1):
        text = fragment_text(sections[question["id"]])
        assert f"Question {n} of {len(questions())}" in text
        assert '"Not sure" counts as "Yes"' in text


def test_home_and_warning_signs_pages_link_to_the_check(site):
    for page in ("index.html", "warning-signs/index.html"):
        assert re.search(r'href="(\.\./)?check/"', (site / page).read_text(encoding="utf-8")), page


# ---- the data: the build refuses a check that could route wrongly ----

@pytest.mark.parametrize("edit, expected", [
    # a sign moved to a question of another tier
    (("        question: q-twitch\n", "        question: q-urgent\n"),
     r"triage\.yml:\d+: sign 'a twitch that lasts more.*names question 'q-urgent', which is not a check question of tier 'see-a-doctor'"),
    # a question about a tier that does not exist
    (("      tier: urgent\n", "      tier: amber\n"), r"triage\.yml:\d+: question 'q-urgent' names tier 'amber'"),
    # the questions out of order: same-day asked before emergency
    (("    - id: q-emergency\n      tier: emergency\n", "    - id: q-emergency\n      tier: see-a-doctor\n"),
     r"triage\.yml:\d+: question 'q-urgent' asks about tier 'urgent' after a less urgent tier"),
    # a number in the list that the action does not give
    (('      - {number: "112", where: EU}\n', '      - {number: "113", where: EU}\n'),
     r"triage\.yml:\d+: tier 'emergency': number 113 is not in its action text"),
])
def test_build_fails_on_a_bad_check(tmp_path, edit, expected):
    result = build_edited(tmp_path, "docs/_data/triage.yml", *edit)
    assert result.returncode != 0
    assert re.search(expected, result.stdout + result.stderr), result.stdout + result.stderr


def test_build_fails_on_numbers_for_no_tier(tmp_path):
    result = build_edited(tmp_path, "docs/check.md", "<!-- triage-numbers: emergency -->",
                          "<!-- triage-numbers: amber -->")
    assert result.returncode != 0
    assert "docs/check.md: <!-- triage-numbers: amber --> names no tier with numbers" in result.stdout + result.stderr


def test_build_fails_when_the_page_has_no_all_clear_result(tmp_path):
    result = build_edited(tmp_path, "docs/check.md", 'id="result-self-care"', 'id="result-fine"')
    assert result.returncode != 0
    assert 'docs/check.md: the check needs a section with id="result-self-care"' in result.stdout + result.stderr


# ---- in the browser ----

def visible_steps(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.ttg-check > .ttg-check-step')]
        .filter(s => s.getClientRects().length > 0).map(s => s.id)""")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def focus_reaches(page, element_id: str) -> bool:
    """Whether focus lands on the element (steps change on 'hashchange', which the browser fires
    after the click or key press has been handled). The wait is long because a loaded machine
    can take seconds; a pass returns at once, so only a real failure pays for it."""
    try:
        page.wait_for_function("id => document.activeElement && document.activeElement.id === id",
                               arg=element_id, timeout=15000)
        return True
    except Exception:
        return False


def follow(page, selector: str) -> None:
    """Click a link to a step of the check and wait until that step alone shows."""
    link = page.locator(selector)
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_function("""id => {
        const shown = [...document.querySelectorAll('.ttg-check > .ttg-check-step')].filter(s => s.getClientRects().length);
        return shown.length === 1 && shown[0].id === id; }""", arg=target)


def walk(page, base_url: str, answers: list[str], javascript: bool) -> list[str]:
    """Answer the check by clicking; after each click exactly one step shows (with JavaScript,
    its heading has focus). Returns problems."""
    problems = []
    page.goto(base_url + "/check/")
    if javascript:
        wait_for_scripts(page)
    follow(page, "#start a.md-button")
    for answer in answers:
        current = visible_steps(page)
        if len(current) != 1:
            return [f"{answers}: {len(current)} steps visible: {current}"]
        follow(page, f"#{current[0]} [data-answer={answer}]")
        shown = visible_steps(page)
        if len(shown) != 1:
            return [f"{answers}: after {answer!r}, {len(shown)} steps visible: {shown}"]
        if javascript and not focus_reaches(page, f"{shown[0]}-title"):
            problems.append(f"{answers}: after {answer!r} focus is on {focused_id(page)!r}, not #{shown[0]}-title")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_every_answer_sequence_in_the_browser(browser, base_url, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = context.new_page()
    watcher = PageWatcher(page, base_url)
    problems = []
    for answers, expected in answer_sequences():
        problems += walk(page, base_url, answers, javascript)
        if visible_steps(page) != [expected]:
            problems.append(f"{answers}: shows {visible_steps(page)}, expected #{expected}")
        if not page.url.endswith(f"/check/#{expected}"):
            problems.append(f"{answers}: the address is {page.url}, expected /check/#{expected}")
    context.close()
    assert not problems, "\n".join(problems)
    assert not watcher.foreign_requests() and not watcher.console_errors


@pytest.mark.browser
def test_back_button_goes_back_a_question_and_start_again_resets(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    first, second, third = (q["id"] for q in questions()[:3])
    assert not walk(page, base_url, ["no", "no"], True)
    assert visible_steps(page) == [third]
    page.go_back()
    assert focus_reaches(page, f"{second}-title") and visible_steps(page) == [second]
    page.go_back()
    assert focus_reaches(page, f"{first}-title") and visible_steps(page) == [first]
    page.go_forward()
    assert visible_steps(page) == [second]
    follow(page, f"#{second} [data-answer=yes]")
    follow(page, ".ttg-current .ttg-check-restart")
    assert visible_steps(page) == ["start"] and focus_reaches(page, "start-title")
    context.close()


@pytest.mark.browser
def test_a_reload_starts_again_but_a_result_keeps_its_address(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    second = questions()[1]["id"]
    page.goto(f"{base_url}/check/#{second}")
    wait_for_scripts(page)
    assert visible_steps(page) == ["start"] and page.url.endswith("/check/")
    page.goto(f"{base_url}/check/#result-urgent")
    page.reload()
    wait_for_scripts(page)
    assert visible_steps(page) == ["result-urgent"]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", page.inner_text("#result-urgent .ttg-check-today"))
    context.close()


@pytest.mark.browser
def test_the_check_stores_nothing(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/check/")
    wait_for_scripts(page)  # the theme stores the colour scheme once it runs; the check adds nothing
    storage = "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    before = page.evaluate(storage)
    assert not walk(page, base_url, ["no", "not-sure"], True)
    assert page.evaluate(storage) == before
    assert context.cookies() == []
    context.close()


@pytest.mark.browser
def test_the_check_works_from_the_keyboard_alone(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/check/")
    wait_for_scripts(page)
    for _ in range(60):  # Tab until "Start the check"
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start the check":
            break
    page.keyboard.press("Enter")
    first = questions()[0]["id"]
    assert focus_reaches(page, f"{first}-title"), focused_id(page)
    # From the question's heading, the next Tab stops are the signs' sources, then the answers.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.answer || ''") == "no":
            break
    page.keyboard.press("Enter")
    assert focus_reaches(page, f"{questions()[1]['id']}-title"), focused_id(page)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_nothing_on_any_step(browser, base_url, width, scheme):
    context = reader_context(browser, viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    open_page(page, base_url + "/check/")
    ids = ["start"] + [q["id"] for q in questions()] + sorted({f"result-{t['id']}" for t in triage()["tiers"]}) \
        + [triage()["check"]["all_clear"]]
    problems = []
    for step in ids:
        page.evaluate(f"location.hash = '#{step}'")
        page.wait_for_function("id => document.getElementById(id).classList.contains('ttg-current')", arg=step)
        problems += [f"#{step} [{width}px, {scheme}]: {v}" for v in axe_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def printed_text(page) -> str:
    page.emulate_media(media="print")
    text = page.evaluate("document.body.innerText")
    page.emulate_media(media="screen")
    return " ".join(text.split())


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_printed_result_shows_the_result_and_the_date_only(browser, base_url, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base_url + "/check/#result-urgent")
    if javascript:
        wait_for_scripts(page)
    urgent = next(t for t in triage()["tiers"] if t["id"] == "urgent")
    text = printed_text(page)
    context.close()
    assert plain_markdown(urgent["action"]) in text
    assert not printed_result_problems(text, "result-urgent", javascript)
    for elsewhere in ("What should I do now?", "Question 1 of", "Start again", "Last reviewed",
                      "Your result: Emergency", "Show the", "What the evidence labels"):
        assert elsewhere not in text, f"printed result shows {elsewhere!r}: {text[:300]}"


def printed_result_problems(text: str, step: str, javascript: bool) -> list[str]:
    """A printed result names the site, its own address and the date of the check."""
    problems = []
    if not re.search(rf"Thigh Twitch Guide: https?://\S+/check/#{step}\b", text):
        problems.append(f"the printed #{step} does not give the site's name and the result's address")
    date = re.search(r"Date of this check: (\S.*?\d{4}|_+)", text)
    if not date or (javascript and not re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", date.group(1))):
        problems.append(f"the printed #{step} has no date of the check ({date and date.group(1)!r})")
    if "Sources for this result" not in text and "Read the source" not in text:
        problems.append(f"the printed #{step} does not list its sources")
    return problems


@pytest.mark.browser
def test_printed_result_check_catches_a_result_without_the_site_name(browser, site, tmp_path):
    from helpers import serve

    broken = broken_copy(site, tmp_path, "check/index.html", '<p class="ttg-print-only ttg-print-source">Thigh Twitch Guide: ',
                         '<p class="ttg-print-only ttg-print-source">')
    html = (broken / "check" / "index.html").read_text()
    (broken / "check" / "index.html").write_text(re.sub(r'(<p class="ttg-print-only ttg-print-source">)Thigh Twitch Guide: ', r"\1", html))
    with serve(broken) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/check/#result-urgent")
        wait_for_scripts(page)
        problems = printed_result_problems(printed_text(page), "result-urgent", True)
        context.close()
    assert any("site's name" in p for p in problems), problems


@pytest.mark.browser
def test_print_check_catches_a_page_that_prints_everything(browser, site, tmp_path):
    from helpers import serve

    broken = broken_copy(site, tmp_path, "check/index.html", 'class="ttg-check"', 'class="ttg-check-off"')
    with serve(broken) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/check/#result-urgent")
        assert "Question 1 of" in printed_text(page)
        context.close()


def test_sequences_cover_every_combination_that_ends_the_check():
    """Cross-check the sequence list against brute force over all answer strings."""
    n = len(questions())
    ending = set()
    for length in range(1, n + 1):
        for answers in itertools.product(("yes", "no", "not-sure"), repeat=length):
            stops = [i for i, a in enumerate(answers) if a != "no"]
            if (stops and stops[0] == length - 1) or (not stops and length == n):
                ending.add(answers)
    assert ending == {tuple(a) for a, _ in answer_sequences()}


# ---- on a phone: answers on the first screen, equal answers, a full result ----

def answers_problems(browser, url: str, javascript: bool) -> list[str]:
    """At 390x844 every question shows Yes, No and Not sure on the first screen, styled alike, and
    the repeated page title is no bigger than body text."""
    # Reduced motion: the buttons are compared at rest, not halfway through a hover fading out.
    context = reader_context(browser, viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    page = context.new_page()
    problems = []
    for question in questions():
        if javascript:  # a fresh load starts again: step there through the check, as a reader would
            page.goto(f"{url}/check/")
            page.reload()
            wait_for_scripts(page)
            follow(page, "#start a.md-button")
            while visible_steps(page) != [question["id"]]:
                follow(page, f"#{visible_steps(page)[0]} [data-answer=no]")
        else:
            page.goto(f"{url}/check/#{question['id']}")
        page.mouse.move(0, 0)  # a pointer left over an answer would show its hover look
        settle(page)
        seen = page.evaluate("""id => {
            const step = document.getElementById(id);
            const buttons = [...step.querySelectorAll('[data-answer]')].map(a => {
              const r = a.getBoundingClientRect(); const s = getComputedStyle(a);
              return {answer: a.dataset.answer, top: r.top, bottom: r.bottom, height: r.height,
                      look: [s.backgroundColor, s.color, s.borderTopColor, s.borderTopWidth, s.fontWeight, Math.round(r.height)].join(' ')};
            });
            return {buttons, title: parseFloat(getComputedStyle(document.querySelector('article h1')).fontSize),
                    body: parseFloat(getComputedStyle(step.querySelector('li')).fontSize)};
        }""", question["id"])
        for b in seen["buttons"]:
            if b["top"] < 0 or b["bottom"] > 844:
                problems.append(f"#{question['id']}: '{b['answer']}' is off the first screen ({b['top']:.0f}-{b['bottom']:.0f}px)")
            if b["height"] < 44:
                problems.append(f"#{question['id']}: '{b['answer']}' is {b['height']:.0f}px tall")
        if len({b["look"] for b in seen["buttons"]}) != 1:
            problems.append(f"#{question['id']}: the answers do not look alike: {[b['look'] for b in seen['buttons']]}")
        if seen["title"] > seen["body"] + 0.5:
            problems.append(f"#{question['id']}: the repeated page title is {seen['title']}px, bigger than the text")
    context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_every_question_shows_its_answers_on_the_first_screen(browser, base_url, javascript):
    problems = answers_problems(browser, base_url, javascript)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_answers_check_catches_the_old_layout(browser, site, tmp_path):
    from helpers import broken_style, serve

    unstuck = broken_style(site, tmp_path / "a", ".md-typeset .ttg-check-answers { position: sticky;",
                           ".md-typeset .ttg-check-answers { position: static;")
    broken = broken_style(unstuck, tmp_path / "b", "> h1 { margin: 0 0 .2em; font-size: .85rem; font-weight: 400;", "> h1 {")
    page = broken / "check" / "index.html"
    page.write_text(page.read_text().replace('class="md-button" data-answer="yes"', 'class="md-button md-button--primary" data-answer="yes"'))
    with serve(broken) as url:
        problems = "\n".join(answers_problems(browser, url, True))
    assert "off the first screen" in problems and "do not look alike" in problems, problems


def full_result_problems(site: Path) -> list[str]:
    """Each result says which signs led there, what to do next, what to say and how to get help,
    gives numbers for the UK, the EU and the US, links the diary and 'Seeing a doctor' where it
    sends the reader to a doctor, and lists exactly the sources it cites (no page-wide list)."""
    html = check_html(site)
    sections = steps(html)
    problems = []
    if 'id="sources"' in html:
        problems.append("/check/: a page-wide Sources list shows under every step")
    for tier in triage()["tiers"]:
        step = f"result-{tier['id']}"
        result = sections.get(step, "")
        text = fragment_text(result)
        for question in (q for q in questions() if q["tier"] == tier["id"]):
            why = re.search(rf'<div class="ttg-check-why" data-question="{question["id"]}">(.*?)</div>', result, re.S)
            if not why:
                problems.append(f"/check/#{step}: does not say that question {question['id']!r} led here")
                continue
            for sign in tier["signs"]:
                if (sign.get("question") or next(q["id"] for q in questions() if q["tier"] == tier["id"])) == question["id"] \
                        and plain_markdown(sign["text"]) not in fragment_text(why.group(1)):
                    problems.append(f"/check/#{step}: the sign {plain_markdown(sign['text'])[:40]!r} is not in its 'why'")
        for heading in ("What to do next", "What to say"):
            if heading not in text:
                problems.append(f"/check/#{step}: no '{heading}'")
        if tier["id"] != "emergency" and "How to get help" not in text:
            problems.append(f"/check/#{step}: no 'How to get help' (how to book)")
        for place in ("UK", "EU", "US"):
            if not re.search(rf"\b{place}\b", text):
                problems.append(f"/check/#{step}: says nothing for the {place}")
        for number in tier.get("numbers") or []:
            if not re.search(rf'class="md-button ttg-call-button" href="tel:{number["number"]}"|href="tel:{number["number"]}"[^>]*ttg-call-button', result):
                problems.append(f"/check/#{step}: no call button for {number['number']}")
        if tier["id"] != "emergency" and "../seeing-a-doctor/" not in result:
            problems.append(f"/check/#{step}: does not link 'Seeing a doctor'")
        if tier["card"] == "gp" and "../symptom-diary/" not in result:
            problems.append(f"/check/#{step}: does not link the symptom diary")
        cited = set(re.findall(r'<a (?=[^>]*aria-label="Source)(?:[^>]* )?href="#([a-z0-9-]+)"', result))
        listed = set(re.findall(r'<li id="([a-z0-9-]+-ref-[a-z0-9-]+)"', result))
        if not cited or cited != listed or any(not c.startswith(step + "-ref-") for c in cited):
            problems.append(f"/check/#{step}: cites {sorted(cited)} but lists {sorted(listed)}")
    return problems


def test_every_result_is_complete_and_lists_only_its_own_sources(site):
    problems = full_result_problems(site)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, expected", [
    ('href="#result-see-a-doctor-ref-', 'href="#ref-', "cites"),
    ('>What to say<a class="headerlink" href="#what-to-say_2"', '>Later<a class="headerlink" href="#what-to-say_2"',
     "no 'What to say'"),
    ('<a href="../symptom-diary/">Keep a symptom diary</a>', '<a href="../causes/">Causes</a>', "does not link the symptom diary"),
])
def test_full_result_check_catches(site, tmp_path, old, new, expected):
    broken = broken_copy(site, tmp_path, "check/index.html", old, new)
    problems = full_result_problems(broken)
    assert any(expected in p for p in problems), problems


@pytest.mark.browser
def test_a_result_names_the_question_that_led_there(browser, base_url):
    """With JavaScript, only the answered question's signs show under 'Why this result'."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    asked = [q["id"] for q in questions()]
    last = asked[-1]
    assert not walk(page, base_url, ["no"] * (len(asked) - 1) + ["yes"], True)
    shown = page.evaluate("""() => [...document.querySelectorAll('.ttg-current .ttg-check-why')]
        .filter(w => w.checkVisibility()).map(w => w.dataset.question)""")
    context.close()
    assert shown == [last], shown
