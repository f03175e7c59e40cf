"""flashscope.simulate(): the CLI's `simulate` with keyword arguments.

The keyword arguments are the rows of the simulator's one options table, the same that makes
`flashscope simulate`'s flags and a sweep file's keys; the docstring's list is made from it.
"""
import keyword

from . import _flashscope

_OPTIONS = _flashscope._option_table()


def simulate(gpu=None, timeline=False, **options):
    """Simulates attention on a GPU model, as `flashscope simulate` does.

    gpu: a preset name, a GPU YAML file, or a Gpu object (from gpus(), gpu() or load_gpu(),
    possibly changed). timeline: also record each resource's utilization over time
    (Result.timeline; the cycle model only). The other options are simulate's flags by their
    sweep-file names (listed below); unset, they take the CLI's defaults.

    Returns a Result when every option has one value, else a list of Results, one per
    configuration: `algo` takes a list, and without `algo` naive and flash2 run, as in the CLI.
    Raises ConfigError (a ValueError) naming the option, the value and the limit.

    Options (`pass` is spelled `pass_`, a Python keyword):
    """
    given, listed = [], False
    if gpu is not None and not isinstance(gpu, _flashscope.Gpu):
        options["gpu"] = gpu
    for key, value in options.items():
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        listed = listed or isinstance(value, (list, tuple))
        given.append((_option_key(key), [_text(v) for v in values]))
    gpu_spec = gpu if isinstance(gpu, _flashscope.Gpu) else None
    results = _flashscope._simulate(given, gpu_spec, bool(timeline))
    return results[0] if len(results) == 1 and not listed else results


def option_names():
    """The option names simulate() and sweep() take (`pass` is simulate's `pass_`)."""
    return [row["key"] for row in _OPTIONS]


def _option_key(name):
    """simulate's keyword for an option is its key, with "_" appended to a Python keyword."""
    key = name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name
    if key not in option_names() or keyword.iskeyword(name):
        raise TypeError(f"simulate() got an unexpected keyword argument '{name}'; "
                        f"its options: {', '.join(_keyword(k) for k in option_names())}")
    return key


def _keyword(key):
    return key + "_" if keyword.iskeyword(key) else key


def _text(value):
    """A value as the command line would spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _option_lines():
    for row in _OPTIONS:
        name = _keyword(row["key"])
        value = "" if row["boolean"] else f"={row['value_name']}"
        several = " (a list: one result each)" if row["several"] else ""
        yield f"        {name}{value}: {row['help']}{several}"


simulate.__doc__ += "\n".join(_option_lines()) + "\n"
