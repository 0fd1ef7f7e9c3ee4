"""The site builds in strict mode, and a broken link or anchor stops the build, naming the file."""
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
