"""Verdicts: what a measured value means in words, with the thresholds in one place.

The forget gate multiplies the old cell state: near 0 it drops it, near 1 it keeps it.
Where the cell state changes, the reset −(1−f)⊙C_{t−1} and the write i⊙C̃ share the change
(`explainer.probes.forget.reset_share`): a network that mostly forgets, mostly overwrites, or both.

    >>> forget_verdict([0.05, 0.1, 0.0]), forget_verdict([0.9, 0.8]), forget_verdict([0.5])
    ('dropped', 'kept', 'partly')
    >>> change_verdict(0.8), change_verdict(0.47), change_verdict(-0.08), change_verdict(None)
    ('forgets', 'both', 'overwrites', 'unknown')
"""

from __future__ import annotations

import numpy as np

#: Below this mean the forget gate is said to drop the old state; above KEPT, to keep it.
DROPPED = 0.3
KEPT = 0.7
#: A reset share of the change of C at least FORGETS: the gate forgets; at most OVERWRITES: the input overwrites.
FORGETS = 0.6
OVERWRITES = 0.4


def forget_verdict(values) -> str:
    """'dropped', 'kept' or 'partly', from the mean of the forget gate over the given units."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    if not a.size:
        return "partly"
    mean = float(a.mean())
    return "dropped" if mean < DROPPED else "kept" if mean > KEPT else "partly"


def change_verdict(reset_share: float | None) -> str:
    """'forgets', 'overwrites', 'both' (the reset does between 40 % and 60 % of the change) or 'unknown'."""
    if reset_share is None or not np.isfinite(reset_share):
        return "unknown"
    return "forgets" if reset_share >= FORGETS else "overwrites" if reset_share <= OVERWRITES else "both"
