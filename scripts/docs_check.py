#!/usr/bin/env python3
"""Re-derives every CPU-produced number in the README and docs/ and fails when the text disagrees.

Four kinds of marks, all invisible when the Markdown is rendered:

  <!-- check: flashscope simulate --algo flash2 -->      the fenced block that follows is exactly
  ```text                                                what the command prints (stdout, then
  ...                                                    stderr)
  ```

  <!-- check: transcript -->                             the fenced block that follows holds
  ```text                                                `$ command` lines, each followed by what
  $ flashscope simulate --heads 16 --kv-heads 5          it prints and, when it fails, `[exit N]`
  flashscope: error: ...
  [exit 2]
  ```

  <!-- check: python3 scripts/validation-report.py … -->  Markdown (a table) that is exactly what
  | kernel | records | …                                 the command prints, up to the closing
  <!-- /check -->                                         mark

  34x<!-- fact: readme_hbm_ratio -->                     the word before the mark is the fact
                                                         named in scripts/docs_facts.py

  ```python                                              a Python example: the fenced block that
  import flashscope                                      follows the mark is exactly what the
  print(flashscope.simulate(algo="flash2").bottleneck)   nearest ```python block before it prints.
  ```                                                    The file's ```python blocks up to that
  <!-- check: python -->                                 one run in order in one interpreter, as
  ```text                                                a notebook's cells do, in an empty
  sram                                                   temporary directory (matplotlib: Agg);
  ```                                                    the interpreter is --python's

`flashscope` in a command is the binary given by --flashscope; `python3 scripts/NAME.py` runs a
script of this repository with this interpreter. Commands run from the repository
root with the environment of this script. Without --python the Python examples are not run (the
pytest suite runs them: python/tests/test_docs_examples.py); --only python runs nothing else.
--update rewrites the marked text from the commands (each file written to a temporary name and
renamed); without it, every disagreement is listed and the exit code is 1.
"""
import argparse
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

# A block may be empty (a new check, its output not written yet): the match must not run on to
# the next block's end mark or closing fence.
BLOCK = re.compile(r"<!-- check: (?P<cmd>.+?) -->\n(?:(?P<fence>```[a-z]*)\n"
                   r"(?:(?P<body>(?:(?!<!-- check: ).)*?)\n)?```"
                   r"|(?P<raw>(?:(?!<!-- check: ).)*?)\n?<!-- /check -->)", re.S)
PYTHON_CODE = re.compile(r"```python\n(?P<code>.*?)\n```", re.S)
FACT = re.compile(r"(?P<value>[^\s>(]+)<!-- fact: (?P<name>[a-z0-9_]+) -->")


def run(flashscope, command):
    """Runs one documented command; returns (output, exit code)."""
    argv = shlex.split(command)
    if argv[:1] == ["flashscope"]:
        argv[0] = flashscope
    elif len(argv) >= 2 and argv[0] == "python3" and argv[1].startswith("scripts/"):
        argv[0] = sys.executable
    else:
        raise SystemExit(f"docs-check: only flashscope and python3 scripts/… commands can be checked, "
                         f"got: {command}")
    # Scripts that drive flashscope themselves find the same binary in FLASHSCOPE.
    env = dict(os.environ, FLASHSCOPE=flashscope)
    # The slowest, scripts/ablation.py, re-predicts 780 records 16 times on two threads: 3-5 min
    # on a 2-core machine while other tests run.
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    return proc.stdout + proc.stderr, proc.returncode


# Runs the cells given as a JSON list on stdin in one namespace; prints only what the last prints.
NOTEBOOK_DRIVER = """
import contextlib, io, json, sys
cells, namespace = json.load(sys.stdin), {"__name__": "__main__"}
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    for cell in cells[:-1]:
        exec(compile(cell, "<cell>", "exec"), namespace)
exec(compile(cells[-1], "<cell>", "exec"), namespace)
"""


def run_python(python, cells):
    """Runs documented Python cells as a notebook would; returns what the last one prints."""
    env = dict(os.environ, MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.run([python, "-c", NOTEBOOK_DRIVER], input=json.dumps(cells), cwd=work,
                              capture_output=True, text=True, timeout=600, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"docs-check: a Python example exited {proc.returncode}:\n{cells[-1]}\n{proc.stderr}")
    return (proc.stdout + proc.stderr).rstrip("\n")


def python_cells_before(text, position):
    """The ```python blocks that end before `position`, in order."""
    cells = [m["code"] for m in PYTHON_CODE.finditer(text, 0, position)]
    if not cells:
        raise SystemExit("docs-check: a `check: python` mark with no ```python block before it")
    return cells


def is_python(mark):
    return mark["cmd"] == "python"


def derive_block(flashscope, command, body):
    if command != "transcript":
        out, code = run(flashscope, command)
        if code != 0:
            raise SystemExit(f"docs-check: `{command}` exited {code}:\n{out}")
        return out.rstrip("\n")
    lines = []
    for line in body.split("\n"):
        if not line.startswith("$ "):
            continue
        out, code = run(flashscope, line[2:])
        lines.append(line)
        lines.extend(out.rstrip("\n").split("\n") if out.strip() else [])
        if code != 0:
            lines.append(f"[exit {code}]")
    return "\n".join(lines)


def check_file(path, flashscope, facts, update, python=None, only_python=False):
    """python: the interpreter for Python examples, None to leave them alone."""
    text = open(path, encoding="utf-8").read()
    problems = []

    def block(m):
        body = (m["body"] or "") if m["fence"] else m["raw"]
        if is_python(m):
            if not python:
                return m.group(0)
            expected = run_python(python, python_cells_before(text, m.start()))
        elif only_python:
            return m.group(0)
        else:
            expected = derive_block(flashscope, m["cmd"], body)
        if expected != body:
            where = f"{os.path.relpath(path, ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
            diff = "\n".join(difflib.unified_diff(body.split("\n"), expected.split("\n"),
                                                  "documented", "derived", lineterm="", n=1))
            problems.append(f"{where}: `{m['cmd']}` disagrees with the text\n{diff}")
        if not m["fence"]:  # Markdown rendered as such (a table): closed by <!-- /check -->
            return f"<!-- check: {m['cmd']} -->\n{expected}\n<!-- /check -->"
        return f"<!-- check: {m['cmd']} -->\n{m['fence']}\n{expected}\n```"

    def fact(m):
        if m["name"] not in facts:
            raise SystemExit(f"docs-check: unknown fact '{m['name']}' in {path}")
        expected = facts[m["name"]]()
        if expected != m["value"]:
            where = f"{os.path.relpath(path, ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
            problems.append(f"{where}: fact {m['name']} is {expected}, the text says {m['value']}")
        return f"{expected}<!-- fact: {m['name']} -->"

    new_text = BLOCK.sub(block, text)
    if not only_python:
        new_text = FACT.sub(fact, new_text)
    if update and new_text != text:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".docs-check-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new_text)
        os.replace(tmp, path)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flashscope", required=True, help="path of the flashscope binary")
    parser.add_argument("--python", help="interpreter with the flashscope package, to run the Python examples")
    parser.add_argument("--only", choices=["python"], help="check the Python examples alone")
    parser.add_argument("--update", action="store_true", help="rewrite the docs from the commands")
    parser.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/*.md)")
    args = parser.parse_args()
    files = args.files or [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    if args.python and os.sep in args.python:
        args.python = os.path.abspath(args.python)  # the examples run in a temporary directory
    only_python = args.only == "python"
    if only_python and not args.python:
        parser.error("--only python needs --python")
    import docs_facts
    facts = docs_facts.facts(lambda cmd: run(os.path.abspath(args.flashscope), cmd))
    problems, marks, not_run = [], 0, 0
    for path in files:
        text = open(path, encoding="utf-8").read()
        python_marks = sum(1 for m in BLOCK.finditer(text) if is_python(m))
        if only_python:
            marks += python_marks
        else:
            marks += len(BLOCK.findall(text)) - python_marks + len(FACT.findall(text))
            marks += python_marks if args.python else 0
            not_run += 0 if args.python else python_marks
        problems += check_file(path, os.path.abspath(args.flashscope), facts, args.update, args.python, only_python)
    if not_run:
        print(f"docs-check: {not_run} Python examples not run here (no --python; the pytest suite runs them)")
    if problems and not args.update:
        print("\n\n".join(problems), file=sys.stderr)
        print(f"docs-check: {len(problems)} of {marks} checked places disagree with the commands; "
              f"run scripts/docs_check.py --update --flashscope BIN to rewrite them", file=sys.stderr)
        return 1
    if args.update:
        print(f"docs-check: {len(problems)} of {marks} checked places rewritten in {len(files)} files")
    else:
        print(f"docs-check: all {marks} checked places agree in {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
