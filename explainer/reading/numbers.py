"""Numbers as a person reads them on a slide, and the colour limits they are drawn with.

`number` fits a value into a small box (a heatmap cell, a state-vector chip) whatever its
magnitude, in five characters: two decimals for the usual gate and state values (three
below 0.005 where they fit), fewer digits as it grows, powers of ten at the extremes, a real minus sign, never "−0.00".

    >>> [number(v) for v in (0.003, -0.7, 0.0, -0.002, 12.345, 123.4, 4012.0, -4012.0, -2.5e-5, float("nan"))]
    ['0.003', '−0.70', '0.00', '−2e−3', '12.3', '123', '4.0e3', '−4e3', '−3e−5', 'NaN']
    >>> nice_limit(0.37), nice_limit(3.2)
    (0.5, 5.0)
"""

from __future__ import annotations

import math

import numpy as np

MINUS = "\u2212"


def number(v: float, decimals: int = 2, width: int = 5) -> str:
    """`v` in at most `width` characters where it can be (a minus sign counts as one)."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ("" if v > 0 else MINUS) + "∞"
    a = abs(v)
    if a >= 999.5:
        forms = [_power(v, 1), _power(v, 0)]
    elif a >= 99.95:
        forms = [f"{v:.0f}"]
    elif a >= 9.995:
        forms = [f"{v:.1f}", f"{v:.0f}"]
    elif a == 0 or a >= 0.5 * 10 ** -decimals:
        forms = [f"{v:.{decimals}f}"]
    elif a >= 0.5 * 10 ** -(decimals + 1):  # one more decimal reads better than a power of ten
        forms = [f"{v:.{decimals + 1}f}", _power(v, 0)]
    else:
        forms = [_power(v, 0)]
    forms = [f.lstrip("-") if float(f) == 0 else f for f in forms]  # never "-0.00"
    text = next((f for f in forms if len(f) <= width), min(forms, key=len))
    return text.replace("-", MINUS)


def _power(v: float, digits: int) -> str:
    """`v` as mantissa and power of ten: 4.0e3, -3e-5."""
    mantissa, exponent = f"{v:.{digits}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def numbers(values, decimals: int = 2, sep: str = ", ") -> str:
    """Several values, joined: '0.05, 0.86, 0.40'."""
    return sep.join(number(v, decimals) for v in values)


def mse(value: float) -> str:
    """A mean squared error: four decimals, '—' when not finite."""
    return f"{value:.4f}" if np.isfinite(value) else "—"


def nice_limit(v: float) -> float:
    """Round a colour limit up to 1, 2, 2.5 or 5 times a power of ten."""
    if not v > 0 or not np.isfinite(v):
        return 1.0
    base = 10 ** np.floor(np.log10(v))
    return float(next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= v - 1e-9))


def cell_limit(c: np.ndarray) -> float:
    """Colour limit of the unbounded cell state: its 95th percentile |C| over the trace, rounded up
    (a few huge values would wash out the rest; the numbers are written anyway)."""
    finite_values = np.abs(np.asarray(c, dtype=float))
    finite_values = finite_values[np.isfinite(finite_values)]
    return nice_limit(float(np.percentile(finite_values, 95))) if finite_values.size else 1.0


def signed_limit(values: np.ndarray, floor: float = 1.0) -> float:
    """A symmetric colour limit for signed values: the largest finite |value|, at least `floor`."""
    a = np.abs(np.asarray(values, dtype=float))
    a = a[np.isfinite(a)]
    return float(max(floor, a.max())) if a.size else float(floor)
