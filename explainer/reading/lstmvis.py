"""LSTMVis's two tools, computed once: the units on over a range of steps, and the places they match.

Strobelt, Gehrmann, Pfister and Rush (2017), "LSTMVis: A Tool for Visual Analysis of Hidden
State Dynamics in Recurrent Neural Networks". A person selects a range of steps that they
think a unit might follow (a string, a bracket's inside, a subject's stretch) and a threshold:

- `units_on`: the units whose value is above the threshold (`value > threshold`) at every
  step of the range, and at or below it at the `pad` steps just before and just after it
  (LSTMVis's selection: on inside the brush, off in the zero-padding around it; steps past
  the ends of the sequence are not asked about). LSTMVis counts `>=`; we count `>`, so a
  threshold of 0 means "positive".
- `matches`: the other places of the sequence where the same units are on together: every
  maximal run of steps at which at least `least` of the units (default: all of them) are on,
  ranked by how many of the units are on over the whole run, then by length (longer first),
  then by position; runs overlapping `exclude` (the selection itself) are left out. This is
  LSTMVis's match search in its plain form (its ranking: the largest intersection with the
  selected units, then the longest phrase).

Both take the values of one sequence (one batch row, its real steps only), `[time, units]`.
The trace page runs the same computation in the browser (`explainer/page/assets/page.js`) on
the values it holds, and a test checks that the two agree.

    >>> import numpy as np
    >>> v = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 0], [0, 0, 0], [1, 1, 1], [1, 0, 1], [0, 0, 1]], float)  # [time, units]
    >>> units_on(v, 1, 3, 0.5)                        # on at steps 1-2, off at steps 0 and 3
    [0]
    >>> units_on(v, 1, 3, 0.5, pad=0)                 # without the padding, unit 1 is on too
    [0, 1]
    >>> [m.range for m in matches(v, [0, 1], 0.5)]    # both on: steps 1-2 and step 4
    [(1, 3), (4, 5)]
    >>> [(m.range, m.on) for m in matches(v, [0, 1], 0.5, least=1, exclude=(1, 3))]
    [((4, 6), 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: The steps around a selection at which its units must be off, on each side.
PAD = 1
#: The threshold LSTMVis starts with.
THRESHOLD = 0.3
#: The most matches a search returns.
MOST = 50


@dataclass(frozen=True)
class Match:
    """One place where the selected units are on: steps `start` to `end - 1`."""

    start: int
    end: int  # exclusive
    on: int  # how many of the selected units are on at every step of it

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def range(self) -> tuple[int, int]:
        return self.start, self.end


def _checked(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)  # [time, units]
    if values.ndim != 2:
        raise ValueError(f"values must be [time, units], got shape {values.shape}")
    return values


def units_on(values: np.ndarray, start: int, end: int, threshold: float = THRESHOLD, pad: int = PAD) -> list[int]:
    """The units (columns) above `threshold` at every step of `start..end-1` and not above it at the
    `pad` steps before and after (those that exist); an empty range selects nothing."""
    values = _checked(values)  # [time, units]
    start, end = max(0, int(start)), min(len(values), int(end))
    if end <= start:
        return []
    inside = (values[start:end] > threshold).all(axis=0)  # [units]
    around = np.concatenate([values[max(0, start - pad):start], values[end:end + pad]])  # [≤ 2 pad, units]
    off = (around <= threshold).all(axis=0)  # [units]: NaN is neither on nor off
    return [int(u) for u in np.flatnonzero(inside & off)]


def matches(values: np.ndarray, units: Sequence[int], threshold: float = THRESHOLD, *, least: int | None = None,
            min_length: int = 1, exclude: tuple[int, int] | None = None, most: int = MOST) -> list[Match]:
    """The maximal runs of steps where at least `least` of `units` are above `threshold`, ranked (see the module)."""
    values = _checked(values)  # [time, units]
    units = [int(u) for u in units]
    if not units or not len(values):
        return []
    least = len(units) if least is None else max(1, min(int(least), len(units)))
    on = values[:, units] > threshold  # [time, selected]
    enough = np.concatenate([[False], on.sum(axis=1) >= least, [False]])  # [time + 2]
    edges = np.flatnonzero(np.diff(enough.astype(np.int8)))  # run starts and ends, alternating
    found = []
    for start, end in zip(edges[0::2], edges[1::2]):
        if end - start < min_length:
            continue
        if exclude is not None and start < exclude[1] and exclude[0] < end:
            continue
        found.append(Match(int(start), int(end), int(on[start:end].all(axis=0).sum())))
    found.sort(key=lambda m: (-m.on, -m.length, m.start))
    return found[:most]
