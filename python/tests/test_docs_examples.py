"""The Python examples in the README and docs/python.md print what the docs show, a hand-edited
output is caught, and the notebook draws its figure (scripts/docs_check.py, scripts/docs_figures.py)."""
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKER = os.path.join(REPO, "scripts", "docs_check.py")
PAGES = [os.path.join(REPO, "README.md"), os.path.join(REPO, "docs", "python.md")]


def check(cli, *pages):
    return subprocess.run([sys.executable, CHECKER, "--flashscope", cli, "--python", sys.executable,
                           "--only", "python", *pages], capture_output=True, text=True)


def test_the_python_examples_print_what_the_docs_show(cli):
    proc = check(cli, *PAGES)
    assert proc.returncode == 0, proc.stderr
    assert "all 3 checked places agree" in proc.stdout  # README: 1, docs/python.md: 2


def test_a_hand_edited_python_output_is_caught(cli, tmp_path):
    readme = open(PAGES[0], encoding="utf-8").read()
    block = re.search(r"<!-- check: python -->\n```text\n(.*?)\n```", readme, re.S)
    line = next(l for l in block.group(1).split("\n") if re.search(r"\d", l))
    edited = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), line, count=1)
    copy = tmp_path / "README.md"
    copy.write_text(readme.replace(line, edited, 1), encoding="utf-8")
    proc = check(cli, str(copy))
    assert proc.returncode == 1 and "disagrees" in proc.stderr, proc.stderr


def test_the_notebook_draws_the_block_size_figure(tmp_path):
    image = pytest.importorskip("matplotlib.image")
    subprocess.run([sys.executable, os.path.join(REPO, "scripts", "docs_figures.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    pixels = image.imread(tmp_path / "block_size.png")
    assert pixels.shape[:2] == (432, 768)  # 6.4 x 3.6 inches at 120 dpi
    rgb = (pixels[..., :3] * 255).round()
    for color in ((0x4C, 0x72, 0xB0), (0xDD, 0x84, 0x52)):  # the bars, the runtime line
        assert ((abs(rgb - color)).max(axis=-1) < 2).sum() > 500, color
