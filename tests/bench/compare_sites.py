"""Compare two built sites page by page, as the reader gets them: each HTML page as its elements
(tag, attributes), text and script/style bodies, read with the selectolax HTML5 parser, so a
difference in serialisation alone (quotes, <!DOCTYPE>, entities) does not count; JSON files by
value; other files by bytes. For a change to the build that must not change what readers get:

    python tests/bench/compare_sites.py OLD_SITE NEW_SITE [--ignore-attr NAME ...] [--lines N]

Prints every file that differs and how; exits 1 if any does.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser


def dom(path: Path, ignore: set[str]) -> list[tuple]:
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    out: list[tuple] = []

    def walk(node, depth):
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                text = " ".join((child.text_content or "").split())
                if text:
                    out.append(("text", depth, text))
            elif child.is_comment_node:
                out.append(("comment", depth, child.html))
            else:
                attrs = tuple(sorted((k, v or "") for k, v in child.attributes.items() if k not in ignore))
                if child.tag in ("script", "style"):
                    out.append((child.tag, depth, attrs, child.text()))
                else:
                    out.append((child.tag, depth, attrs))
                    walk(child, depth + 1)

    walk(tree.root, 0)
    return out


def compare(old: Path, new: Path, ignore: set[str], lines: int) -> list[str]:
    report = []
    files_old = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
    files_new = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    report += [f"{rel}: only in {old}" for rel in sorted(files_old - files_new)]
    report += [f"{rel}: only in {new}" for rel in sorted(files_new - files_old)]
    for rel in sorted(files_old & files_new):
        a, b = old / rel, new / rel
        if a.read_bytes() == b.read_bytes():
            continue
        if rel.endswith(".html"):
            da, db = dom(a, ignore), dom(b, ignore)
            if da != db:
                diff = [d for d in difflib.unified_diff([repr(x)[:300] for x in da], [repr(x)[:300] for x in db],
                                                        lineterm="", n=0) if not d.startswith(("---", "+++", "@@"))]
                report.append(f"{rel}: the page differs ({len(diff)} lines)\n    " + "\n    ".join(diff[:lines]))
        elif rel.endswith(".json"):
            if json.loads(a.read_text(encoding="utf-8")) != json.loads(b.read_text(encoding="utf-8")):
                report.append(f"{rel}: the data differ")
        else:
            report.append(f"{rel}: the bytes differ")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--ignore-attr", action="append", default=[], help="an attribute to leave out")
    parser.add_argument("--lines", type=int, default=8, help="diff lines shown per page")
    args = parser.parse_args()
    report = compare(args.old, args.new, set(args.ignore_attr), args.lines)
    print("\n".join(report) if report else "same site")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
