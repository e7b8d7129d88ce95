"""What a language checkpoint's learning history says: which distances a model learned, and when.

Training measures the pronoun accuracy in each distance bucket every few updates on a
fixed set of passages (`meta["history"]["accuracy_by_distance"]`: updates, buckets, one
row of accuracies per measurement, NaN where a bucket had no answer). A bucket counts as
*learned from update u* when its accuracy is at least `LEVEL` at u and at every later
measurement (an empty bucket neither breaks nor makes that); the `learning` figure and
its caption read these facts from here, numpy only.

    >>> h = {"updates": [0, 10, 20, 30], "buckets": ["1-10", "11-20"], "passages": 5,
    ...      "accuracy": [[0.5, 0.5], [0.97, 0.6], [0.99, 0.96], [1.0, 0.97]]}
    >>> run = Learning.of({"history": {"accuracy_by_distance": h}})
    >>> run.learned_at(), run.every_from(), run.learned()
    ([10, 20], 20, ['1-10', '11-20'])
    >>> spans(["1-10", "11-20", "41-50"])
    ['1–20', '41–50']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ExplainerError

#: The accuracy a bucket must keep to count as learned.
LEVEL = 0.95
#: Chance: she or he.
CHANCE = 0.5


@dataclass(frozen=True)
class Learning:
    updates: np.ndarray  # [measurements] int
    buckets: tuple[str, ...]  # "1-10", ..., "91-100"
    accuracy: np.ndarray  # [measurements, buckets], NaN where a bucket was empty
    passages: int

    @classmethod
    def of(cls, meta: Mapping[str, Any], label: str = "the checkpoint", by: str = "the learning history") -> Learning:
        """The history of a checkpoint's metadata; a one-line error (naming `by`, who asked) when it has none."""
        history = (meta.get("history") or {}).get("accuracy_by_distance")
        if not history:
            from .. import __version__

            model = (meta.get("model") or {}).get("kind", "rnn").split("_")[0]
            raise ExplainerError(f"{by} needs a learning history: '{label}' has none (history.accuracy_by_distance); "
                                 f"retrain it with explainer ≥ {__version__} (explainer train language --model {model})")
        acc = np.array(history["accuracy"], dtype=float).reshape(len(history["updates"]), len(history["buckets"]))
        return cls(np.asarray(history["updates"], dtype=int), tuple(history["buckets"]), acc,
                   int(history.get("passages", 0)))

    @property
    def every(self) -> int:
        """Updates between two measurements (the most common gap)."""
        gaps = np.diff(self.updates)
        if not gaps.size:
            return 0
        values, counts = np.unique(gaps, return_counts=True)
        return int(values[np.argmax(counts)])

    @property
    def final(self) -> np.ndarray:
        """The last measurement [buckets]."""
        return self.accuracy[-1]

    def learned_at(self, level: float = LEVEL) -> list[int | None]:
        """Per bucket: the first update from which its accuracy stays ≥ level to the end (None: it does not)."""
        out: list[int | None] = []
        for b in range(len(self.buckets)):
            column = self.accuracy[:, b]
            ok = np.isnan(column) | (column >= level)
            if np.isnan(column).all() or not ok[-1]:
                out.append(None)
                continue
            bad = np.flatnonzero(~ok)
            first = bad[-1] + 1 if bad.size else 0
            while np.isnan(column[first]):  # from a measurement that saw the bucket
                first += 1
            out.append(int(self.updates[first]))
        return out

    def learned(self, level: float = LEVEL) -> list[str]:
        """The buckets learned by the end."""
        return [b for b, u in zip(self.buckets, self.learned_at(level)) if u is not None]

    def every_from(self, level: float = LEVEL) -> int | None:
        """The update from which every bucket that has answers stays ≥ level (None: some never does)."""
        seen = [u for u, col in zip(self.learned_at(level), self.accuracy.T) if not np.isnan(col).all()]
        return None if not seen or any(u is None for u in seen) else max(seen)

    def first(self, level: float = LEVEL) -> tuple[list[str], int] | None:
        """The buckets learned earliest and the update they were learned from (None: none is learned)."""
        at = [(b, u) for b, u in zip(self.buckets, self.learned_at(level)) if u is not None]
        if not at:
            return None
        u0 = min(u for _, u in at)
        return [b for b, u in at if u == u0], u0

    def unlearned_range(self, level: float = LEVEL) -> tuple[float, float] | None:
        """(lowest, highest) final accuracy of the buckets not learned (None: there are none with answers)."""
        values = [v for v, u in zip(self.final, self.learned_at(level)) if u is None and np.isfinite(v)]
        return (min(values), max(values)) if values else None


def spans(buckets: Sequence[str]) -> list[str]:
    """Buckets as ranges of distance: adjacent ones joined ("1-10", "11-20" -> "1–20")."""
    out: list[list[int]] = []
    for b in buckets:
        lo, hi = (int(v) for v in b.split("-"))
        if out and lo == out[-1][1] + 1:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return [f"{lo}–{hi}" for lo, hi in out]
