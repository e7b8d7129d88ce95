"""A unit's values in 8 (or 16) bits: how the trace page carries a long trace in a small file.

Each (layer, quantity, unit) gets its own scale, so a quiet unit keeps its detail beside a
loud one. A value `v` is stored as an integer code `q`, read back as `lo + q * step` (in
double precision, the same formula in numpy and in the page's JavaScript, so both see the
same numbers bit for bit):

- signed values (h, c, C̃, n, and every difference of two traces) are symmetric around 0:
  `lo = -half * step`, so 0 is stored exactly (the code `half`) and a difference of 0 reads
  back as 0;
- a sigmoid gate (0 to 1) spans its own smallest to largest value;
- the last code (255, or 65535) marks a value that is not finite.

A value read back is within `step / 2` of the recorded one (`precision`).

    >>> import numpy as np
    >>> v = np.array([[-1.0, 0.0, 0.5, np.nan]])          # [units, time]
    >>> q = quantize(v, signed=True)
    >>> q.codes.tolist(), dequantize(q.codes, q.lo, q.step, q.bits)[0, :3].tolist()
    ([[0, 127, 190, 255]], [-1.0, 0.0, 0.49606299212598426])
    >>> bool(np.isnan(dequantize(q.codes, q.lo, q.step, q.bits)[0, 3])), float(q.step[0] / 2) < 0.004
    (True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BITS = (8, 16)


@dataclass(frozen=True)
class Quantized:
    codes: np.ndarray  # [units, time] uint8 or uint16
    lo: np.ndarray  # [units] float64: the value of code 0
    step: np.ndarray  # [units] float64: the value between two codes
    bits: int

    @property
    def precision(self) -> np.ndarray:
        """[units]: the largest difference between a value and its reading."""
        return self.step / 2


def levels(bits: int) -> int:
    """The largest code of a finite value (the next one marks a non-finite value)."""
    return (1 << bits) - 2


def quantize(values: np.ndarray, signed: bool, bits: int = 8) -> Quantized:
    """[units, time] values as codes, one scale per unit (row)."""
    if bits not in BITS:
        raise ValueError(f"bits must be one of {BITS}, got {bits}")
    v = np.asarray(values, dtype=np.float64)  # [units, time]
    top = levels(bits)
    finite = np.isfinite(v)
    safe = np.where(finite, v, 0.0)  # [units, time]
    has = finite.any(axis=1)  # [units]
    if signed:
        half = top // 2
        largest = np.where(has, np.abs(np.where(finite, v, 0.0)).max(axis=1, initial=0.0), 0.0)  # [units]
        step = np.where(largest > 0, largest / half, 1.0)  # [units]
        lo = -half * step  # [units]: code `half` is exactly 0
    else:
        low = np.where(finite, v, np.inf).min(axis=1, initial=np.inf)  # [units]
        high = np.where(finite, v, -np.inf).max(axis=1, initial=-np.inf)  # [units]
        low, high = np.where(has, low, 0.0), np.where(has, high, 0.0)
        step = np.where(high > low, (high - low) / top, 1.0)  # [units]
        lo = low
    codes = np.clip(np.rint((safe - lo[:, None]) / step[:, None]), 0, top)  # [units, time]
    codes = np.where(finite, codes, top + 1).astype(np.uint8 if bits == 8 else np.uint16)
    return Quantized(codes, lo.astype(np.float64), step.astype(np.float64), bits)


def dequantize(codes: np.ndarray, lo: np.ndarray, step: np.ndarray, bits: int) -> np.ndarray:
    """[units, time] float64: the values the page reads (NaN where the value was not finite)."""
    c = np.asarray(codes)
    v = np.asarray(lo, np.float64)[:, None] + c.astype(np.float64) * np.asarray(step, np.float64)[:, None]
    return np.where(c == levels(bits) + 1, np.nan, v)  # [units, time]
