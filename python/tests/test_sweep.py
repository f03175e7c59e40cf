"""flashscope.sweep(): the rows of `flashscope sweep --format csv`, typed, from a file or a dict."""
import csv
import io
import os
import subprocess
import sys
import threading
import time

import pytest

import flashscope

# Half of the points are infeasible: 256 x 256 tiles exceed registers (naive) and SRAM (flash2).
SPEC = {"algo": ["naive", "flash2"], "seq": [512, 1024], "block_m": 256, "block_n": [64, 256],
        "warps": 8, "stages": 2, "model": "analytic"}


@pytest.fixture
def no_pandas(monkeypatch):
    """flashscope.sweep() returns a list of dicts: import pandas raises ImportError."""
    monkeypatch.setitem(sys.modules, "pandas", None)


def write_spec(tmp_path, spec):
    path = tmp_path / "spec.yaml"
    path.write_text("".join(f"{key}: {value!r}\n".replace("'", "") for key, value in spec.items()))
    return path


def test_rows_equal_the_cli_csv(cli, tmp_path, no_pandas):
    path = write_spec(tmp_path, SPEC)
    printed = subprocess.run([cli, "sweep", str(path), "--quiet", "-j", "1"], capture_output=True, text=True,
                             check=True).stdout
    expected = list(csv.DictReader(io.StringIO(printed)))
    rows = flashscope.sweep(path, jobs=2)
    assert len(rows) == len(expected) == 8
    for got, want in zip(rows, expected):
        assert list(got) == list(want)  # the same columns in the same order
        for column, text in want.items():
            value = got[column]
            if text == "":
                assert value is None, column
            elif text in ("true", "false"):
                assert value == (text == "true"), column
            elif isinstance(value, str):
                assert value == text, column
            else:
                assert value == pytest.approx(float(text), rel=1e-9), column


def test_a_dict_gives_the_same_rows_as_the_file(tmp_path, no_pandas):
    from_dict = flashscope.sweep(SPEC, jobs=1)
    from_file = flashscope.sweep(str(write_spec(tmp_path, SPEC)), jobs=1)
    assert [r["id"] for r in from_dict] == [r["id"] for r in from_file]
    assert [r["hbm_read_bytes"] for r in from_dict] == [r["hbm_read_bytes"] for r in from_file]


def test_rows_are_typed_and_infeasible_points_say_why(no_pandas):
    rows = flashscope.sweep(SPEC, jobs=1)
    ok = [r for r in rows if r["status"] == "ok"]
    bad = [r for r in rows if r["status"] != "ok"]
    assert len(ok) == len(bad) == 4
    assert all(r["block_n"] == 256 and "allows" in r["reason"] for r in bad)
    assert all(isinstance(r["hbm_read_bytes"], int) and r["hbm_read_bytes"] > 0 for r in ok)
    assert all(isinstance(r["time_s"], float) for r in ok)
    assert all(r["causal"] is False for r in rows)
    assert all(isinstance(r["id"], str) and len(r["id"]) == 16 for r in rows)


def test_with_pandas_rows_are_a_data_frame_of_the_same_values(monkeypatch):
    pandas = pytest.importorskip("pandas")
    frame = flashscope.sweep(SPEC, jobs=1)
    assert isinstance(frame, pandas.DataFrame)
    assert str(frame["hbm_read_bytes"].dtype) == "Int64"  # integers, though infeasible rows have none
    assert str(frame["time_s"].dtype) == "float64"
    assert str(frame["causal"].dtype) == "boolean"
    monkeypatch.setitem(sys.modules, "pandas", None)
    rows = flashscope.sweep(SPEC, jobs=1)
    assert list(frame.columns) == list(rows[0])
    for i, row in enumerate(rows):
        for column, value in row.items():
            cell = frame[column].iloc[i]
            assert (value is None and pandas.isna(cell)) or cell == value, (i, column)


def test_a_bad_sweep_is_a_value_error_naming_the_key():
    with pytest.raises(ValueError, match="algo") as caught:
        flashscope.sweep({"algo": ["flash2", "flash9"]})
    assert isinstance(caught.value, flashscope.SweepSpecError)
    assert caught.value.key == "algo" and caught.value.origin == "<dict>"


def test_a_negative_job_count_is_a_config_error():
    with pytest.raises(flashscope.ConfigError, match="jobs"):
        flashscope.sweep({"algo": "flash2"}, jobs=-1)


def test_the_sweep_runs_without_the_gil():
    ticks = []
    done = threading.Event()

    def heartbeat():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    # The engine alone (flashscope.sweep's Python part, parsing rows, may switch threads anyway).
    from flashscope import _flashscope
    spec = "{algo: [naive, flash2], seq: [4096, 8192], head_dim: [64, 128]}"
    beat = threading.Thread(target=heartbeat)
    beat.start()
    try:
        before = len(ticks)
        start = time.perf_counter()
        _flashscope._sweep_csv_text(spec, "<gil test>", 1)
        elapsed, during = time.perf_counter() - start, len(ticks) - before
    finally:
        done.set()
        beat.join()
    assert elapsed > 0.05, "the sweep is too short to tell"
    # Holding the GIL, the heartbeat could not tick at all while the C++ engine ran.
    assert during >= 5, f"{during} ticks in {elapsed:.3f} s"
