"""Our own scripts without their comments and indentation (rjsmin: it reads strings and regular
expressions as the browser does, and renames nothing), so the comments that explain them in
overrides/theme/assets/javascripts/ cost a reader nothing. The search worker is half comment: the
first search (the index and the worker) is about 7 KiB gzip lighter. Runs before fingerprint.py,
so each hashed name is the hash of the file that is served.
"""
from __future__ import annotations

import rjsmin

from .context import Build
from .fingerprint import ASSETS

SCRIPTS = tuple(a for a in ASSETS if a.endswith(".js"))


def run(build: Build) -> None:
    for name in SCRIPTS:
        path = build.site / name
        if not path.is_file():
            continue  # fingerprint.py names a missing asset, with the page that loads it
        path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")) + "\n", encoding="utf-8")
