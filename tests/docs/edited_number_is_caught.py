#!/usr/bin/env python3
"""Edits one checked number and one line of checked output in a copy of the README by hand and
asserts that docs_check.py fails on each, naming the place; the untouched copy must pass."""
import os
import re
import subprocess
import sys
import tempfile

checker, flashscope, readme = sys.argv[1:4]
original = open(readme, encoding="utf-8").read()


def check(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "README.md")
        open(path, "w", encoding="utf-8").write(text)
        proc = subprocess.run([sys.executable, checker, "--flashscope", flashscope, path],
                              capture_output=True, text=True)
        return proc.returncode, proc.stderr


code, err = check(original)
assert code == 0, f"the untouched README must pass:\n{err}"

fact = re.search(r"([0-9][0-9.]*)(<!-- fact: (\w+) -->)", original)
assert fact, "the README has no checked fact"
bumped = str(float(fact.group(1)) + 1).removesuffix(".0")
code, err = check(original[:fact.start()] + bumped + original[fact.start(2):])
assert code == 1 and fact.group(3) in err, f"an edited fact must fail, naming it:\n{err}"

block = re.search(r"<!-- check: flashscope[^\n]*-->\n```text\n(.*?)\n```", original, re.S)
assert block, "the README has no checked command output"
line = next(l for l in block.group(1).split("\n") if re.search(r"\d", l))
edited = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), line, count=1)
code, err = check(original.replace(line, edited, 1))
assert code == 1 and "disagrees" in err, f"an edited output line must fail:\n{err}"
print("docs-check caught the hand-edited fact and output line")
