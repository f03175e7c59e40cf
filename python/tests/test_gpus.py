"""GPU presets and files as the CLI's `flashscope gpus` and `--gpu FILE.yaml` see them."""
import os
import subprocess

import pytest

import flashscope

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_gpus_are_the_presets_in_configs_gpus():
    files = sorted(f[:-5] for f in os.listdir(os.path.join(REPO, "configs", "gpus")) if f.endswith(".yaml"))
    assert [g.name for g in flashscope.gpus()] == files


def test_a_preset_file_loads_to_the_built_in_preset():
    path = os.path.join(REPO, "configs", "gpus", "h100-sxm5.yaml")
    loaded, built_in = flashscope.load_gpu(path), flashscope.gpu("h100-sxm5")
    assert loaded.to_dict() == built_in.to_dict()
    assert loaded.sm_count == 132
    assert loaded.hbm_bytes_per_s == built_in.hbm_bytes_per_s > 1e12


def test_load_gpu_accepts_a_path_object(tmp_path):
    import pathlib
    target = tmp_path / "mine.yaml"
    target.write_text(flashscope.gpu_yaml("a100-sxm4-80gb"))
    assert flashscope.load_gpu(pathlib.Path(target)).sm_count == flashscope.gpu("a100-sxm4-80gb").sm_count


def test_an_unknown_key_is_a_config_error_naming_it(tmp_path):
    target = tmp_path / "bad.yaml"
    target.write_text(flashscope.gpu_yaml("h100-sxm5") + "\nwarp_drive: 9\n")
    with pytest.raises(ValueError, match="warp_drive") as caught:
        flashscope.load_gpu(str(target))
    assert isinstance(caught.value, flashscope.ConfigError)


def test_an_unknown_preset_names_the_known_ones():
    with pytest.raises(flashscope.ConfigError) as caught:
        flashscope.gpu("h900")
    assert caught.value.field == "gpu"
    assert caught.value.value == "h900"
    assert "h100-sxm5" in caught.value.limit
    assert str(caught.value) == f"gpu = h900: {caught.value.limit}"


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(Exception, match="nowhere.yaml"):
        flashscope.load_gpu(str(tmp_path / "nowhere.yaml"))


def test_gpu_yaml_is_what_the_cli_prints(cli):
    printed = subprocess.run([cli, "gpus", "h200-sxm"], capture_output=True, text=True, check=True).stdout
    assert flashscope.gpu_yaml("h200-sxm") == printed


def test_a_changed_gpu_is_validated():
    g = flashscope.gpu("h100-sxm5")
    g.sm_count = 0
    with pytest.raises(flashscope.ConfigError, match="sm_count"):
        g.validate()


def test_every_preset_key_of_the_l2_port_and_the_block_scheduler_is_settable():
    g = flashscope.gpu("h200-sxm")
    assert g.cta_launch_s == pytest.approx(78.7e-9)
    assert g.l2_warp_load_cycles > 0 and g.l2_sm_read_bytes_per_clk > 0
    g.cta_launch_s = -1.0
    with pytest.raises(flashscope.ConfigError, match="cta_launch_ns"):
        g.validate()
