"""Numbers docs/SWEEPS.md quotes about the shipped sweeps, each derived from running the sweep
(scripts/sweep_summaries.py holds the arithmetic). Part of docs_facts.facts()."""
import functools

import sweep_summaries


def facts(run):
    """run(command) -> (output, exit code). Returns {name: callable -> str}."""

    @functools.lru_cache(maxsize=None)
    def rows(name):
        out, code = run(f"flashscope sweep configs/sweeps/{name}.yaml --quiet")
        if code != 0:
            raise SystemExit(f"docs-check: sweep {name}.yaml exited {code}: {out}")
        return sweep_summaries.read_rows(out)

    def gpus():
        return sweep_summaries.gpus_summary(rows("gpus"))

    def speedup(algo):
        low, high = gpus()["speedup"][algo]
        return f"{low:.1f}–{high:.1f}×"

    def gain(which, field):  # field: 0 ratio, 1 gpu, 2 pass, 3 head_dim, 4 seq
        value = gpus()[which][field]
        return f"{value:.1f}×" if field == 0 else value

    def tiles():
        return sweep_summaries.tiles_summary(rows("tiles"))

    def fastest_at(head_dim, causal):
        """block_m x block_n x warps x stages of the fastest tile at (head_dim, causal)."""
        found = [tile for (d, c), (tile, _) in tiles()["best"].items()
                 if d == head_dim and str(c).lower() in (("true", "1") if causal else ("false", "0"))]
        block, warps, stages = found[0].split(", ")
        return f"{block}x{warps.split()[0]}x{stages.split()[0]}"

    def seq_fit(gpu, algo):
        seq = sweep_summaries.seq_fit_summary(rows("seq_fit"))[(gpu, algo)]
        return sweep_summaries.tokens(seq) if seq else "never"

    def flash2_fits_to():
        """The longest sequence at which flash2 fits on every GPU of the sweep."""
        fits = [int(r["seq_q"]) for r in rows("seq_fit") if r["algo"] == "flash2"]
        misfits = [int(r["seq_q"]) for r in rows("seq_fit") if r["algo"] == "flash2" and r["fits_hbm"] != "true"]
        return sweep_summaries.tokens(max(s for s in fits if not misfits or s < min(misfits)))

    return {
        "sweeps_gpus_flash2_gain_grows_fwd": lambda: str(gpus()["flash2_gain_grows"]["fwd"]),
        "sweeps_gpus_flash2_gain_grows_bwd": lambda: str(gpus()["flash2_gain_grows"]["bwd"]),
        "sweeps_gpus_cases_per_pass": lambda: str(gpus()["cases_per_pass"]["fwd"]),
        "sweeps_gpus_flash1_behind_naive": lambda: str(gpus()["flash1_behind_naive"][0]),
        "sweeps_gpus_points_per_algo": lambda: str(gpus()["flash1_behind_naive"][1]),
        "sweeps_gpus_naive_speedup": lambda: speedup("naive"),
        "sweeps_gpus_flash1_speedup": lambda: speedup("flash1"),
        "sweeps_gpus_flash2_speedup": lambda: speedup("flash2"),
        "sweeps_gpus_naive_bottlenecks": lambda: "/".join(sorted(gpus()["bottlenecks"]["naive"])),
        "sweeps_gpus_flash2_bottlenecks": lambda: "/".join(sorted(gpus()["bottlenecks"]["flash2"])),
        **{f"sweeps_gpus_{which}_{name}": functools.partial(gain, which, field)
           for which in ("least", "most")
           for field, name in enumerate(("gain", "gpu", "pass", "head_dim", "seq"))},
        "sweeps_tiles_points": lambda: str(tiles()["points"]),
        "sweeps_tiles_infeasible": lambda: str(tiles()["infeasible"]),
        "sweeps_tiles_fastest_hd128": lambda: fastest_at(128, False),
        "sweeps_tiles_fastest_hd128_causal": lambda: fastest_at(128, True),
        "sweeps_tiles_widest_spread": lambda: f"{max(s for _, s in tiles()['best'].values()):.1f}×",
        "sweeps_seq_fit_a100_naive": lambda: seq_fit("a100-sxm4-40gb", "naive"),
        "sweeps_seq_fit_h100_naive": lambda: seq_fit("h100-sxm5", "naive"),
        "sweeps_seq_fit_h200_naive": lambda: seq_fit("h200-sxm", "naive"),
        "sweeps_seq_fit_flash2_fits_to": flash2_fits_to,
    }
