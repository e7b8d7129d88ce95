"""What only the figures read of a checkpoint: its whole noisy series, and how an optimizer is named.

Every fact about a trace (layers, units, steps, events, verdicts, numbers) comes from
`explainer.reading`; what is left here is figure-only: the sine figures redraw the series
a checkpoint was trained and evaluated on, and name its optimizer as people write it.
"""

from __future__ import annotations

from ..tasks.sine import make_data

#: How an optimizer's name is written on a figure.
OPTIMIZERS = {"sgd": "SGD", "adam": "Adam"}


def series(meta: dict):
    """The checkpoint's whole noisy series (the same seed, window and features it was trained on)."""
    train, ev = meta["train"], meta["eval"]
    return make_data(int(ev.get("data_seed", train["seed"])), int(ev.get("seq_len", train["seq_len"])),
                     tuple(ev.get("features", train.get("features", ()))))
