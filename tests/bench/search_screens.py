"""Screenshots of search results at 390 px in both colour schemes (run on demand; not a test).

    .venv/bin/python tests/bench/search_screens.py [query ...]

Builds the site, types each query into the real search box on a 390 x 844 phone screen, and
saves tests/bench/results/search-<scheme>-<n>.png (small PNGs: look at them before calling a
change to the result list done)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from helpers import build_or_fail, launch_chromium, open_search, search_results, serve, settle  # noqa: E402

QUERIES = ["does an emg hurt", "SSRI muscle twitching", "twiching at night in bed long query typed"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    queries = sys.argv[1:] or QUERIES
    with tempfile.TemporaryDirectory() as tmp:
        site = build_or_fail(ROOT, Path(tmp) / "site")
        with serve(site) as origin, sync_playwright() as p:
            browser = launch_chromium(p)
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme,
                                              device_scale_factor=1)
                page = context.new_page()
                page.goto(origin + "/", wait_until="networkidle")
                open_search(page)
                for n, query in enumerate(queries, 1):
                    search_results(page, query)
                    settle(page)  # the search layer's opening transition has finished
                    out = HERE / "results" / f"search-{scheme}-{n}.png"
                    page.screenshot(path=str(out))
                    print(out.relative_to(ROOT), query)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
