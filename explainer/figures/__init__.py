"""Static figures from traces and checkpoints (matplotlib, Agg, never torch).

    >>> from explainer import figures
    >>> figures.names()[:3]
    ['data', 'unrolled', 'loss']
    >>> fig = figures.make("lstm-cell", "assets/traces/language-lstm.safetensors", lang="zh", focus="forget")  # doctest: +SKIP
    >>> figures.save(fig, "cell.svg")                                                                          # doctest: +SKIP

Each figure lives in its own module and declares itself with `@figure` (see registry.py).
"""

from .api import FORMATS, describe, make, names, save

__all__ = ["make", "save", "names", "describe", "FORMATS"]
