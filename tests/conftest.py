"""Session fixtures: the real site, built once in strict mode, served once, one browser."""
from __future__ import annotations

import pytest

from helpers import ROOT, build_or_fail, launch_chromium, serve


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site, built with `mkdocs build --strict` into a temp folder."""
    return build_or_fail(ROOT, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def base_url(site):
    # As on the real host: links are followed by the theme's instant navigation.
    with serve(site, instant=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def pytest_addoption(parser):
    parser.addoption("--repeat", type=int, default=1, metavar="N",
                     help="run every selected test N times (hunting a flaky test: make test-repeat)")


def pytest_generate_tests(metafunc):
    """--repeat N: each test N times, as runs 1..N of its own (ids end in -run1, -run2...)."""
    count = metafunc.config.getoption("repeat")
    if count > 1:
        metafunc.fixturenames.append("ttg_repeat_run")
        metafunc.parametrize("ttg_repeat_run", range(1, count + 1), indirect=True, ids=lambda n: f"run{n}")


@pytest.fixture
def ttg_repeat_run(request):
    return request.param


# Figures tests report (helpers.REPORT: reading grades) are printed after the suite. A test may
# run in an xdist worker: its figures travel with its report to the process that prints them.
SUMMARY: dict[str, dict[str, float]] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    from helpers import REPORT

    report = yield
    if REPORT:
        report.user_properties.append(("ttg_report", {title: dict(rows) for title, rows in REPORT.items()}))
        REPORT.clear()
    return report


def pytest_runtest_logreport(report):
    for key, value in report.user_properties:
        if key == "ttg_report":
            for title, rows in value.items():
                SUMMARY.setdefault(title, {}).update(rows)


def pytest_terminal_summary(terminalreporter):
    for title, rows in SUMMARY.items():
        terminalreporter.section(title)
        for name, value in sorted(rows.items()):
            terminalreporter.write_line(f"  {value:6.1f}  {name}")
