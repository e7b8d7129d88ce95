"""Verdicts: what a measured value means in words, with the thresholds in one place.

The forget gate multiplies the old cell state: near 0 it drops it, near 1 it keeps it.

    >>> forget_verdict([0.05, 0.1, 0.0]), forget_verdict([0.9, 0.8]), forget_verdict([0.5])
    ('dropped', 'kept', 'partly')
"""

from __future__ import annotations

import numpy as np

#: Below this mean the forget gate is said to drop the old state; above KEPT, to keep it.
DROPPED = 0.3
KEPT = 0.7


def forget_verdict(values) -> str:
    """'dropped', 'kept' or 'partly', from the mean of the forget gate over the given units."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    if not a.size:
        return "partly"
    mean = float(a.mean())
    return "dropped" if mean < DROPPED else "kept" if mean > KEPT else "partly"
