"""flashscope.simulate(): the CLI's simulate with keyword arguments, typed results, Python errors."""
import json
import subprocess
import threading
import time

import pytest

import flashscope
from flashscope import _flashscope


def cli_json(cli, *args):
    out = subprocess.run([cli, "simulate", "--format", "json", *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_to_dict_is_the_cli_json(cli):
    result = flashscope.simulate(algo="flash1", seq=1024, head_dim=64, model="analytic", causal=True)
    assert [result.to_dict()] == cli_json(cli, "--algo", "flash1", "--seq", "1024", "--head-dim", "64",
                                          "--model", "analytic", "--causal")


def test_every_option_of_the_table_is_a_keyword_and_reaches_the_result(cli):
    # naive eager mode with dropout and a softmax scale: options that simulate's table added
    options = dict(algo="naive", naive_eager=True, dropout=0.1, softmax_scale=0.125, seq_q=512, seq_k=1024,
                   kv_heads=4, tile="64x64x4x2", dtype="fp16", model="analytic")
    result = flashscope.simulate(**options)
    flags = [f"--{key.replace('_', '-')}" + ("" if value is True else f"={value}")
             for key, value in options.items()]
    assert [result.to_dict()] == cli_json(cli, *flags)
    assert result.naive_eager and result.problem.dropout == 0.1 and result.problem.softmax_scale == 0.125


def test_without_algo_naive_and_flash2_as_the_cli(cli):
    results = flashscope.simulate(seq=2048, pass_="bwd")
    assert [r.algorithm for r in results] == ["naive", "flash2"]
    assert [r.to_dict() for r in results] == cli_json(cli, "--seq", "2048", "--pass", "bwd")


def test_typed_fields_agree_with_the_dict():
    result = flashscope.simulate(algo="naive", seq=2048, kv_heads=4, dtype="fp16")
    d = result.to_dict()
    assert result.algorithm == d["algorithm"]["name"] == "naive"
    assert result.problem.kv_heads == d["problem"]["kv_heads"] == 4
    assert result.problem.dtype == "fp16" and result.problem.pass_ == "fwd"
    assert result.tile.block_m == d["algorithm"]["block_m"] > 0
    for name, value in d["totals"].items():
        if name in ("l2_dirty_at_end_bytes", "bottleneck", "fits_hbm"):
            assert getattr(result, name) == value, name
        else:
            assert getattr(result.totals, name) == pytest.approx(value, rel=1e-12), name
    assert [k.name for k in result.kernels] == [k["name"] for k in d["kernels"]]
    assert result.kernels[0].metrics.hbm_read_bytes == d["kernels"][0]["hbm_read_bytes"]
    assert result.gpu.name == d["gpu"]["name"] == "h100-sxm5"


def test_flash2_moves_less_hbm_traffic_than_naive():
    naive, flash2 = flashscope.simulate(seq=4096)
    traffic = [r.totals.hbm_read_bytes + r.totals.hbm_write_bytes for r in (naive, flash2)]
    # Naive writes S (batch 4 x 16 heads x 4096^2 bf16) to HBM and reads it back at least.
    s_bytes = 4 * 16 * 4096 * 4096 * 2
    assert traffic[0] >= 2 * s_bytes
    assert traffic[0] > 10 * traffic[1]  # the L2 serves flash2's re-reads of K and V


def test_a_changed_gpu_object_is_simulated():
    h100 = flashscope.gpu("h100-sxm5")
    fast = flashscope.gpu("h100-sxm5")
    fast.hbm_bytes_per_s *= 2
    base, faster = (flashscope.simulate(algo="naive", gpu=g, model="analytic") for g in (h100, fast))
    assert faster.totals.hbm_read_bytes == base.totals.hbm_read_bytes
    assert faster.totals.time_s < base.totals.time_s  # naive is HBM-bound here
    assert faster.gpu.hbm_bytes_per_s == 2 * h100.hbm_bytes_per_s


def test_a_gpu_by_name_or_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(flashscope.gpu_yaml("a100-sxm4-80gb"))
    by_file = flashscope.simulate(algo="flash2", gpu=str(path))
    by_name = flashscope.simulate(algo="flash2", gpu="a100-sxm4-80gb")
    assert by_file.totals.time_s == by_name.totals.time_s
    assert by_name.gpu.sm_count == 108


def test_timeline_samples_cover_the_run():
    result = flashscope.simulate(algo="flash2", seq=2048, timeline=True)
    assert result.timeline, "no samples"
    assert result.timeline[-1].t_end_s == pytest.approx(result.totals.time_s, rel=1e-6)
    assert all(0.0 <= u <= 1.0 for s in result.timeline for u in s.utilization.values())
    assert not flashscope.simulate(algo="flash2", seq=2048).timeline


@pytest.mark.parametrize("options, field, message", [
    ({"algo": "flash9"}, "algo", "algo = flash9: must be one of"),
    ({"heads": 16, "kv_heads": 5}, "kv_heads", "kv_heads = 5: must divide heads (16)"),
    ({"algo": "flash2", "block_m": 100}, "block_m", "block_m = 100: must be a multiple of 16"),
    ({"seq": [1024, 2048]}, "seq", "seq = [1024, 2048]: takes one value"),
    ({"dropout": 0.1, "algo": "flash2"}, "dropout", "dropout = 0.1: "),
    ({"batch": 2.5}, "batch", "batch = 2.5: "),
])
def test_a_bad_option_is_a_config_error_with_the_simulators_message(options, field, message):
    with pytest.raises(ValueError) as caught:
        flashscope.simulate(**options)
    assert isinstance(caught.value, flashscope.ConfigError)
    assert str(caught.value).startswith(message)
    assert caught.value.field == field


def test_an_unknown_keyword_is_a_type_error_listing_the_options():
    with pytest.raises(TypeError, match="unexpected keyword argument 'sequence'; its options: gpu, model,"):
        flashscope.simulate(sequence=4096)
    with pytest.raises(TypeError, match="'pass'"):
        flashscope.simulate(**{"pass": "bwd"})


def test_the_docstring_lists_every_option():
    for name in flashscope.option_names():
        assert f"        {name}{'_' if name == 'pass' else ''}" in flashscope.simulate.__doc__, name


def test_the_simulation_runs_without_the_gil():
    ticks = []
    done = threading.Event()

    def heartbeat():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    options = [("algo", ["naive", "flash1", "flash2"]), ("seq", ["8192"])]
    beat = threading.Thread(target=heartbeat)
    beat.start()
    try:
        before = len(ticks)
        start = time.perf_counter()
        _flashscope._simulate(options, None, True)  # the C++ call alone
        elapsed, during = time.perf_counter() - start, len(ticks) - before
    finally:
        done.set()
        beat.join()
    assert elapsed > 0.05, "the simulation is too short to tell"
    # Holding the GIL, the heartbeat could not tick at all while the simulator ran.
    assert during >= 5, f"{during} ticks in {elapsed:.3f} s"


def test_threads_get_the_same_results_as_one_after_another():
    seqs = [1024, 2048, 4096, 8192]
    alone = [flashscope.simulate(algo="flash2", seq=s).totals.time_s for s in seqs]
    together = [None] * len(seqs)

    def run(i):
        together[i] = flashscope.simulate(algo="flash2", seq=seqs[i]).totals.time_s

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(seqs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert together == alone


def test_option_names_are_the_keys_a_sweep_knows():
    # One table: the keys a sweep file accepts (listed in its error message) are simulate's options.
    with pytest.raises(flashscope.SweepSpecError) as caught:
        flashscope.sweep({"bogus": 1})
    known = str(caught.value).split("known: ", 1)[1].rstrip(")").split(", ")
    assert known == flashscope.option_names() + ["name", "description"]
    assert {"gpu", "algo", "seq", "head_dim", "tile", "pass", "naive_eager", "dropout"} <= set(known)
