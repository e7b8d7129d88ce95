"""Static figures from traces and checkpoints (matplotlib, Agg, never torch).

    >>> from explainer import figures
    >>> figures.names()[:3]
    ['data', 'unrolled', 'loss']
    >>> fig = figures.make("lstm-cell", "assets/traces/language-lstm.safetensors", lang="zh", focus="forget")  # doctest: +SKIP
    >>> figures.save(fig, "cell.svg")                                                                          # doctest: +SKIP
    >>> fig = figures.make("gates", "deep.safetensors", layer=0, units=[3, 7], row=1)                           # doctest: +SKIP

Each figure lives in its own module and declares itself with `@figure` (see registry.py),
with the options it takes (`step`, `focus`, `layer`, `units`, `row`). What it draws of a
trace (layer, units and their numbers, steps, events, verdicts, numbers) comes from
`explainer.reading`; every figure of one layer and row says which, under its title.
"""

from .api import FORMATS, describe, make, names, save

__all__ = ["make", "save", "names", "describe", "FORMATS"]
