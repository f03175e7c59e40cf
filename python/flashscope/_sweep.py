"""flashscope.sweep(): the rows of `flashscope sweep --format csv` as Python values."""
import csv
import io
import json
import os

from . import _flashscope


def sweep(spec, jobs=0):
    """Simulates every point of a sweep and returns one row per point, in the sweep's order.

    spec: a sweep file's path, or a dict with the same keys (any simulate option, each a value
    or a list of values; see docs/SWEEPS.md). jobs: threads, 0 for every usable core.

    Each row has the columns of `flashscope sweep --format csv` (docs/SWEEPS.md): id, index,
    points, sweep_id, status (ok, infeasible or error), reason, the configuration and the totals,
    point. Numbers are int or float, true/false are bool, the empty results of a row that did not
    simulate are None.
    Returns a pandas DataFrame when pandas is installed (nullable dtypes: Int64, boolean, string,
    float64; missing values are <NA>), else a list of dicts.
    """
    if isinstance(spec, dict):
        # JSON is YAML: the dict goes through the same reader as a sweep file.
        text = _flashscope._sweep_csv_text(json.dumps(spec), "<dict>", int(jobs))
    else:
        text = _flashscope._sweep_csv_file(os.fspath(spec), int(jobs))
    lines = list(csv.reader(io.StringIO(text)))
    columns, cells = lines[0], lines[1:]
    typed = [_typed_column(name, [row[i] for row in cells]) for i, name in enumerate(columns)]
    try:
        import pandas
    except ImportError:
        return [dict(zip(columns, values)) for values in zip(*typed)] if cells else []
    # Nullable dtypes keep integer columns integers where infeasible rows have no value.
    return pandas.DataFrame({name: pandas.Series(values, dtype=_pandas_dtype(values))
                             for name, values in zip(columns, typed)}, columns=columns)


def _pandas_dtype(values):
    kinds = {type(v) for v in values if v is not None}
    for kind, dtype in ((bool, "boolean"), (int, "Int64"), (float, "float64"), (str, "string")):
        if kinds == {kind}:
            return dtype
    return None


def _typed_column(name, cells):
    """A column's cells as bool, int, float or str, whichever all of its non-empty cells are
    (ids, hex digits, always str); an empty cell is None."""
    present = [c for c in cells if c != ""]
    if not (name == "id" or name.endswith("_id")) and present:
        if all(c in ("true", "false") for c in present):
            return [None if c == "" else c == "true" for c in cells]
        for kind in (int, float):
            try:
                return [None if c == "" else kind(c) for c in cells]
            except ValueError:
                pass
    return [None if c == "" else c for c in cells]
