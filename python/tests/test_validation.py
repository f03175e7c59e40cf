"""flashscope.read_validation(): a `flashscope validate` file through validate's record reader."""
import json
import os

import pytest

import flashscope

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(REPO, "docs", "validation", "h200-2026-11-26-quick.json")  # a committed H200 run


def test_a_committed_run_reads_back_as_its_json():
    on_disk = json.load(open(RUN, encoding="utf-8"))
    run = flashscope.read_validation(RUN)
    assert run["schema"] == "flashscope.validation/1"
    for key in ("device", "chip", "gpu_preset", "model", "suite", "date", "passes"):
        assert run[key] == on_disk[key], key
    assert len(run["records"]) == len(on_disk["records"]) == 118
    for got, want in zip(run["records"], on_disk["records"]):
        assert (got["kernel"], got["algorithm"], got["tile"]) == (want["kernel"], want["algorithm"], want["tile"])
        assert got["predicted"]["hbm_read_bytes"] == want["predicted"]["hbm_read_bytes"]
        assert got["measured"].keys() == want["measured"].keys()  # only what was measured
        for field, value in want["measured"].items():
            assert got["measured"][field] == pytest.approx(value, rel=1e-12), field


def test_a_path_object_and_a_str_give_the_same_run():
    import pathlib
    assert flashscope.read_validation(pathlib.Path(RUN)) == flashscope.read_validation(RUN)


def test_a_file_of_another_schema_is_an_error_naming_it(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"schema": "flashscope.result/1", "records": []}))
    with pytest.raises(Exception, match="schema"):
        flashscope.read_validation(str(path))
