"""The site builds in strict mode, and a broken link or anchor stops the build, naming the file; the
README serves a newcomer first."""
import re

from helpers import ROOT, build, copy_project


def test_real_site_builds_strictly(site):
    assert (site / "index.html").is_file()
    assert (site / "sitemap.xml").is_file()


def _build_with_page(tmp_path, body: str):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "index.md").write_text(
        (ROOT / "docs" / "index.md").read_text() + "\n" + body + "\n"
    )
    return build(project, tmp_path / "site")


def test_broken_internal_link_fails_build_naming_file(tmp_path):
    result = _build_with_page(tmp_path, "See [nowhere](no-such-page.md).")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "index.md" in log and "no-such-page.md" in log, log


def test_unknown_anchor_fails_build_naming_file(tmp_path):
    result = _build_with_page(tmp_path, "See [a section](#no-such-section).")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "index.md" in log and "no-such-section" in log, log


def test_page_outside_nav_fails_build_naming_file(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "orphan-page.md").write_text("# Orphan\n\nNot in the nav.\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "orphan-page.md" in log and "nav" in log, log


# --- the README, for a newcomer ---------------------------------------------------------------

def readme_problems(text: str) -> list[str]:
    import collections

    from PIL import Image

    problems = []
    if "python3-venv" not in text:
        problems.append("README: does not name python3-venv, which `make` needs on Debian and Ubuntu")
    paragraphs = collections.Counter(" ".join(p.split()) for p in text.split("\n\n") if len(p.strip()) > 80)
    problems += [f"README: a paragraph is repeated: {p[:60]!r}" for p, n in paragraphs.items() if n > 1]
    newcomer, maintainers = text.find("## Two commands"), text.find("## For maintainers")
    if not 0 <= newcomer < maintainers:
        problems.append("README: the newcomer part ('Two commands') must come before 'For maintainers'")
    shots = re.findall(r'src="(tests/bench/screenshots/[^"]+\.png)"', text)
    if not any("home" in s for s in shots) or not any("check" in s for s in shots):
        problems.append(f"README: needs phone screenshots of the home page and the check (has {shots})")
    for shot in shots:
        path = ROOT / shot
        if not path.is_file():
            problems.append(f"README: screenshot {shot} does not exist")
            continue
        with Image.open(path) as image:
            if image.width != 390 or path.stat().st_size > 60_000:
                problems.append(f"README: {shot} is {image.width}px wide, {path.stat().st_size} bytes "
                                "(a phone screenshot is 390px wide and under 60 KB)")
    return problems


def test_readme_serves_a_newcomer_first():
    problems = readme_problems((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_readme_check_catches_the_old_readme():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    old = text.replace("python3-venv", "venv").replace("## For maintainers", "## Maintainers")
    old = old.replace("## Two commands", "## Two commands\n\n" + "A paragraph said twice, as the old README did. " * 3
                      + "\n\n" + "A paragraph said twice, as the old README did. " * 3)
    problems = "\n".join(readme_problems(old))
    assert "python3-venv" in problems and "repeated" in problems and "before 'For maintainers'" in problems, problems
