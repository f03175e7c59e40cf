#!/usr/bin/env python3
"""Runs the Python cells of docs/python.md in order, as a notebook does, in docs/images/ (or
--out DIR), so that the figures they save land there. Needs the flashscope package, pandas and
matplotlib in the interpreter that runs this script (./build/venv/bin/python after test.sh)."""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON_CODE = re.compile(r"```python\n(?P<code>.*?)\n```", re.S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "images"), help="where figures go")
    parser.add_argument("--page", default=os.path.join(ROOT, "docs", "python.md"), help="the Markdown page")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    cells = [m["code"] for m in PYTHON_CODE.finditer(open(args.page, encoding="utf-8").read())]
    os.makedirs(args.out, exist_ok=True)
    before = set(os.listdir(args.out))
    os.chdir(args.out)
    namespace = {"__name__": "__main__"}
    for cell in cells:
        exec(compile(cell, args.page, "exec"), namespace)
    written = sorted(set(os.listdir(".")) - before) or "no new file (figures rewritten in place)"
    page = os.path.relpath(args.page, ROOT)
    print(f"docs-figures: ran {len(cells)} cells of {page} in {args.out}: {written}", file=sys.stderr)


if __name__ == "__main__":
    main()
