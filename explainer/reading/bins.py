"""Long time axes drawn binned: how many steps go into one column, and what a column shows.

A heatmap of 100,000 steps cannot give every step a column (a slide is about 1,200 pixels
wide, and matplotlib slows to a crawl long before); a figure then draws at most `columns`
columns, each the mean of `per` consecutive steps (of the finite values; NaN where a bin
has none), labels each column with its first step, and says on the figure that it is binned.

    >>> import numpy as np
    >>> steps_per_column(100_000, 2000), steps_per_column(16, 2000)
    (50, 1)
    >>> bin_mean(np.array([[0.0], [1.0], [2.0], [np.nan], [4.0]]), 2)[:, 0]
    array([0.5, 2. , 4. ])
    >>> first_steps(5, 2)
    [0, 2, 4]
"""

from __future__ import annotations

import numpy as np

#: The most columns a time axis is drawn with before it is binned.
MAX_COLUMNS = 2000


def steps_per_column(steps: int, columns: int = MAX_COLUMNS) -> int:
    """Steps per column so that `steps` fit in at most `columns` columns (1: not binned)."""
    return max(1, -(-int(steps) // max(1, int(columns))))


def bin_mean(values: np.ndarray, per: int) -> np.ndarray:
    """`values` [time, ...] as [ceil(time / per), ...]: the mean of the finite values of each bin (NaN: none)."""
    a = np.asarray(values, dtype=np.float64)
    if per <= 1:
        return a
    time = a.shape[0]
    bins = -(-time // per)
    padded = np.full((bins * per,) + a.shape[1:], np.nan)
    padded[:time] = a
    padded = padded.reshape((bins, per) + a.shape[1:])
    finite = np.isfinite(padded)
    count = finite.sum(axis=1)
    total = np.where(finite, padded, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def first_steps(steps: int, per: int) -> list[int]:
    """The first step of every column."""
    return list(range(0, int(steps), max(1, int(per))))
