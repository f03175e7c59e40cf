"""Numbers quoted in the prose of the README and docs/, each derived from a flashscope command.

docs_check.py compares the word before each `<!-- fact: NAME -->` mark with facts()[NAME]().
"""
import functools
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import docs_facts_sweeps


def _bytes(n):
    """Formats like the CLI's tables: binary units, three significant digits."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.3g}" if value < 100 else f"{value:.0f}", unit
    return str(n), "B"


def facts(run):
    """run(command) -> (output, exit code). Returns {name: callable -> str}."""

    @functools.lru_cache(maxsize=None)
    def simulate(args):
        out, code = run(f"flashscope simulate --format json {args}")
        if code != 0:
            raise SystemExit(f"docs-check: simulate {args} exited {code}: {out}")
        rows = json.loads(out)
        return {r["algorithm"]["name"]: r for r in (rows if isinstance(rows, list) else [rows])}

    def main_job(algo, field):
        return simulate("")[algo]["totals"][field]

    def hbm_traffic(algo):
        return main_job(algo, "hbm_read_bytes") + main_job(algo, "hbm_write_bytes")

    @functools.lru_cache(maxsize=None)
    def validation_run():
        with open(os.path.join(ROOT, "docs", "validation", "h200-2026-12-01T1839-default.json")) as f:
            return json.load(f)

    def validation_configurations():
        """A configuration is a problem, an algorithm and a tile; it has one record per kernel."""
        return {json.dumps([r["problem"], r["algorithm"], r["tile"]], sort_keys=True)
                for r in validation_run()["records"]}

    def bwd_d256(model, algo):
        totals = simulate(f"{model} --seq 4096 --head-dim 256 --pass bwd".strip())[algo]["totals"]
        return totals["hbm_read_bytes"] + totals["hbm_write_bytes"]

    def number(n):
        return _bytes(n)[0]

    return {
        # README, "How to read it": the main job (no options).
        "readme_naive_hbm_traffic": lambda: number(hbm_traffic("naive")),
        "readme_flash2_hbm_traffic": lambda: number(hbm_traffic("flash2")),
        "readme_hbm_ratio": lambda: f"{hbm_traffic('naive') / hbm_traffic('flash2'):.0f}×",
        "readme_flash2_l2_read": lambda: number(main_job("flash2", "l2_read_bytes")),
        "readme_naive_footprint": lambda: number(main_job("naive", "hbm_footprint_bytes")),
        "readme_flash2_footprint": lambda: number(main_job("flash2", "hbm_footprint_bytes")),
        # The committed H200 run of the default validation suite (README, docs/VALIDATION.md).
        "validation_default_configurations": lambda: str(len(validation_configurations())),
        "validation_default_records": lambda: str(len(validation_run()["records"])),
        # docs/RELIABILITY.md: the backward pass at d = 112, analytic (no L2) and cycle model.
        "reliability_bwd_analytic_naive": lambda: number(bwd_d256("--model analytic", "naive")),
        "reliability_bwd_analytic_flash2": lambda: number(bwd_d256("--model analytic", "flash2")),
        "reliability_bwd_cycle_naive": lambda: number(bwd_d256("", "naive")),
        "reliability_bwd_cycle_flash2": lambda: number(bwd_d256("", "flash2")),
        # docs/SWEEPS.md: the shipped sweeps.
        **docs_facts_sweeps.facts(run),
    }
