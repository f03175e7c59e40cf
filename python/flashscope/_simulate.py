"""flashscope.simulate(): the CLI's `simulate` with keyword arguments."""
import json
import keyword

from . import _flashscope


def simulate(gpu=None, timeline=False, **options):
    """Simulates attention on a GPU model, as `flashscope simulate` does.

    options: simulate's options by their sweep-file names (head_dim for --head-dim; pass_ for
    --pass, `pass` being a Python keyword); flashscope.option_names() lists them. Unset options
    take the CLI's defaults. gpu: a preset name, a GPU YAML file, or a Gpu object (from gpus(),
    gpu(), load_gpu(), possibly changed). timeline: also record each resource's utilization over
    time (Result.timeline; the cycle model only).

    Returns a Result when `algo` names one algorithm, else a list of Results, one per algorithm
    (without `algo`, naive and flash2, as the CLI compares them). Raises ConfigError (a
    ValueError) naming the option, the value and the limit for a configuration that cannot run.
    """
    options = {_option_name(key): value for key, value in options.items()}
    for key, value in options.items():
        if isinstance(value, (list, tuple)) and key != "algo":
            raise _config_error(key, value, "one value (a sweep takes lists: flashscope.sweep)")
    gpu_spec = None
    if isinstance(gpu, _flashscope.Gpu):
        gpu_spec = gpu
    elif gpu is not None:
        options["gpu"] = str(gpu)
    try:
        results = _flashscope._simulate(json.dumps(options), gpu_spec, bool(timeline))
    except _flashscope.SweepSpecError as e:
        # The options were read as a sweep file's: drop its "simulate:1: " and keep the rest,
        # which names the key ("block_m: '100' must be ...") or the field ("kv_heads = 5: ...").
        message = str(e).removeprefix(f"{e.origin}:{e.line}: ")
        if message.startswith(f"{e.key}: {e.key} = "):
            message = message[len(e.key) + 2:]
        raise _config_error(e.key, None, message, message=message) from None
    return results[0] if isinstance(options.get("algo"), str) else results


def option_names():
    """The option names simulate() and sweep() accept."""
    return list(_flashscope._option_keys())


def _option_name(key):
    name = key[:-1] if key.endswith("_") and keyword.iskeyword(key[:-1]) else key
    if name not in _flashscope._option_keys():
        raise _config_error(name, None, "unknown option; known: " + ", ".join(_flashscope._option_keys()))
    return name


def _config_error(field, value, limit, message=None):
    """A ConfigError as the simulator words one: "field = value: limit"."""
    value = None if value is None else str(value)
    if message is None:
        message = f"{field}: {limit}" if value is None else f"{field} = {value}: {limit}"
    error = _flashscope.ConfigError(message)
    error.field, error.value, error.limit = field, value, limit
    return error
