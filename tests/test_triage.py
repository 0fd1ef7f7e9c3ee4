"""Warning signs come from one file, docs/_data/triage.yml: the cards on the warning-signs page and
the compact emergency card on the home page are rendered from it, so they cannot drift apart."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, broken_copy, build_edited, fragment_text, plain_markdown

TRIAGE = ROOT / "docs" / "_data" / "triage.yml"


def tiers() -> list[dict]:
    return yaml.safe_load(TRIAGE.read_text())["tiers"]


def card_text(html: str, anchor: str) -> str:
    """The text of the card that follows the heading with this id, up to the next heading."""
    match = re.search(rf'<h2 id="{anchor}".*?</h2>(.*?)(?=<h2 |\Z)', html, re.S)
    if not match or 'class="admonition' not in match.group(1):
        return ""
    return fragment_text(match.group(1))


def missing_signs(site: Path, data: list[dict]) -> list[str]:
    """Signs in the data that the warning-signs page does not show in their tier's card."""
    html = (site / "warning-signs" / "index.html").read_text(encoding="utf-8")
    problems = []
    for tier in data:
        text = card_text(html, tier["id"])
        if plain_markdown(tier["action"]) not in text:
            problems.append(f"/warning-signs/#{tier['id']}: the card does not say its action")
        for sign in tier["signs"]:
            if plain_markdown(sign["text"]) not in text:
                problems.append(f"/warning-signs/#{tier['id']}: sign missing: {plain_markdown(sign['text'])[:60]}")
            for item in sign.get("items") or []:
                if plain_markdown(item) not in text:
                    problems.append(f"/warning-signs/#{tier['id']}: sign item missing: {plain_markdown(item)[:60]}")
    return problems


def test_every_sign_is_on_the_warning_signs_page_in_its_tier(site):
    assert not missing_signs(site, tiers())


def test_sign_check_catches_a_sign_missing_from_the_page(site, tmp_path):
    broken = broken_copy(site, tmp_path, "warning-signs/index.html",
                         "<li>a cramp that lasts more than 10 minutes", "<li>a cramp that lasts")
    problems = missing_signs(broken, tiers())
    assert any("#urgent: sign missing: a cramp that lasts more than 10 minutes" in p for p in problems), problems


def test_sign_check_catches_a_missing_item_of_a_nested_sign(site, tmp_path):
    broken = broken_copy(site, tmp_path, "warning-signs/index.html", "<li>leaking pee or poo</li>", "")
    problems = missing_signs(broken, tiers())
    assert any("#emergency: sign item missing: leaking pee or poo" in p for p in problems), problems


def test_nested_sign_items_are_a_list_on_the_card(site):
    html = (site / "warning-signs" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<h2 id="emergency".*?</h2>(.*?)(?=<h2 )', html, re.S).group(1)
    for item in ("leaking pee or poo", "new pain down both legs (sciatica on both sides)"):
        assert re.search(r"<ul>\s*(<li>.*?</li>\s*)*<li>" + re.escape(item) + "</li>", card, re.S), item


def test_home_page_compact_card_gives_every_short_sign_and_links_to_all(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<div class="admonition emergency ttg-compact">(.*?)</div>', html, re.S)
    assert card, "no emergency card on the home page"
    text = fragment_text(card.group(1))
    emergency = next(t for t in tiers() if t["id"] == "emergency")
    for sign in emergency["signs"]:
        if sign.get("short"):
            assert plain_markdown(sign["short"]) in text, sign["short"]
    assert 'href="warning-signs/#emergency"' in card.group(1)


def test_every_tier_has_an_action_and_sourced_signs():
    for tier in tiers():
        assert tier["action"].strip() and tier["signs"], tier["id"]
        for sign in tier["signs"]:
            assert sign["text"].strip() and sign["sources"], sign


@pytest.mark.parametrize("edit, expected", [
    # a tier with no action
    ((r"    action: \"See a doctor: book an appointment in the next few days\"\n", ""),
     r"triage\.yml:\d+: tier 'see-a-doctor' has no action"),
    # a sign with no source
    ((r"        sources: \[nhs-highland-rls\]\n", ""),
     r"triage\.yml:\d+: sign 'an urge to move your legs'.*has no sources"),
    # nested items that are not a list of lines
    ((r"        items:\n", "        items: yes\n"),
     r"triage\.yml:\d+: sign 'back pain or leg pain.*'items' must be a list of lines"),
    # a card type the theme does not have
    ((r"    card: urgent\n", "    card: amber\n"), r"triage\.yml:\d+: tier 'urgent': card must be one of"),
])
def test_build_fails_on_bad_triage_data(tmp_path, edit, expected):
    result = build_edited(tmp_path, "docs/_data/triage.yml", *edit, regex=True)
    assert result.returncode != 0
    assert re.search(expected, result.stdout + result.stderr), result.stdout + result.stderr


def test_build_fails_on_a_card_marker_for_no_tier(tmp_path):
    result = build_edited(tmp_path, "docs/warning-signs.md", "<!-- triage-card: urgent -->", "<!-- triage-card: amber -->")
    assert result.returncode != 0
    assert "docs/warning-signs.md: <!-- triage-card: amber --> names no tier" in result.stdout + result.stderr
