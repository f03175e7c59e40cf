"""flashscope: where attention's bytes and cycles go on a GPU.

simulate(**options)       the CLI's `simulate`: a Result, or one per algorithm
gpus(), gpu(name)         the built-in GPU presets; load_gpu(path) a GPU from a YAML file
sweep(spec, jobs=0)       every point of a sweep (a file or a dict), rows of `flashscope sweep`
read_validation(path)     a `flashscope validate` file (JSON or CSV) as its JSON object

Errors are exceptions carrying the simulator's message: ConfigError (a ValueError) for a
configuration it refuses, SweepSpecError (a ValueError) for a sweep it cannot read.
"""
from ._flashscope import (ConfigError, Gpu, Kernel, Metrics, Problem, Result, SweepSpecError,
                          Tile, TimelineSample, __version__, git_commit, gpu, gpu_yaml, gpus,
                          load_gpu, read_validation)
from ._simulate import option_names, simulate
from ._sweep import sweep

__all__ = ["ConfigError", "Gpu", "Kernel", "Metrics", "Problem", "Result", "SweepSpecError",
           "Tile", "TimelineSample", "__version__", "git_commit", "gpu", "gpu_yaml", "gpus",
           "load_gpu", "option_names", "read_validation", "simulate", "sweep"]
