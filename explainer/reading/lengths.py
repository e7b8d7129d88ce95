"""Padded batches: how many steps of each row are real, answered once.

A trace recorded with `lengths=` (or from a `PackedSequence`) stores one length per
batch row in `meta["lengths"]`; a trace without it is full (every row as long as the
trace). Every figure, scene, statistic and correlation reads the steps of a row through
these functions and so never draws or counts a step past the row's end.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.ones((2, 4, 3), np.float32)}, {"lengths": [4, 2]})
    >>> row_lengths(t), row_length(t, 1), valid(t).sum(axis=1).tolist()
    ([4, 2], 2, [4, 2])
    >>> row_steps(t, "layers.0.h", 1).shape           # [length, size]
    (2, 3)
    >>> real_values(t, "layers.0.h").shape            # [real steps of every row, size]
    (6, 3)
"""

from __future__ import annotations

import numpy as np

from ..trace import Trace


def row_lengths(trace: Trace) -> list[int]:
    """The number of real steps of each batch row (the trace's length where it stores none)."""
    stored = trace.meta.get("lengths")
    if stored is None:
        return [trace.num_steps] * trace.batch_size
    return [int(n) for n in stored]


def row_length(trace: Trace, row: int) -> int:
    """The number of real steps of batch row `row`."""
    return row_lengths(trace)[row]


def is_padded(trace: Trace) -> bool:
    """Whether some row ends before the trace does."""
    return any(n < trace.num_steps for n in row_lengths(trace))


def valid(trace: Trace) -> np.ndarray:
    """[batch, time] bool: True where the step is real, False past the row's end."""
    lengths = np.asarray(row_lengths(trace), dtype=np.int64)  # [batch]
    return np.arange(trace.num_steps)[None, :] < lengths[:, None]  # [batch, time]


def row_steps(trace: Trace, name: str, row: int) -> np.ndarray:
    """[length, size]: the real steps of one row of one array."""
    return trace[name][row, : row_length(trace, row)]


def real_values(trace: Trace, name: str) -> np.ndarray:
    """[real steps, size]: every real step of every row of one array, rows one after another (for statistics)."""
    array = trace[name]  # [batch, time, size]
    if not is_padded(trace):
        return array.reshape(-1, array.shape[2])
    return array[valid(trace)]  # [real steps, size]


def one_row(trace: Trace, row: int | None) -> tuple[Trace, int | None]:
    """A padded trace as one row and its real steps only (and the row to draw in it: 0); others as they are.

    Figures and scenes that draw one row of a trace draw it through this, so nothing past
    the row's end is drawn, counted or scaled for.

    >>> t = Trace({"layers.0.h": np.ones((2, 4, 3), np.float32)}, {"lengths": [4, 2]})
    >>> cut, row = one_row(t, 1)
    >>> cut.num_steps, cut.batch_size, row, cut.meta["lengths"]
    (2, 1, 0, [2])
    """
    if not is_padded(trace):
        return trace, row
    from .steps import check_row

    chosen = check_row(trace, row)
    return trace.select(batch=[chosen], steps=slice(0, row_length(trace, chosen))), (0 if row is not None else None)
