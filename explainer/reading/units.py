"""Units: their original numbers, the ones discovery found, and `--units` checked.

A trace cut down with `trace.select(units=[...])` keeps the original unit numbers in
`meta["units"]`; every picture labels its rows and columns with those numbers, never
with array positions. Discovered units (`meta["units_found"][feature]`, e.g. the units whose
state follows the subject's gender) are stored by original number; `found_units` finds
the columns where they now are, with the sign of each one's correlation, so a picture can
say what a positive value means unit by unit.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.zeros((1, 2, 6), np.float32)},
    ...           {"units_found": {"gender": {"layer": 0, "state": "h", "units": [5, 1], "correlation": [0.8, -0.7]}}})
    >>> cut = t.select(units=[1, 2, 5])
    >>> unit_numbers(cut), found_units(cut).columns, found_units(cut).numbers, found_units(cut).signs
    ([1, 2, 5], [2, 0], [5, 1], [1, -1])
    >>> columns_of(cut, [5, 2])
    [2, 1]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..errors import ExplainerError
from ..names import is_layer_name, split, state
from ..trace import Trace


def width(trace: Trace) -> int:
    """How many unit columns the layer arrays have (the widest, for a projected LSTM's c)."""
    return max((trace[n].shape[2] for n in trace.names if is_layer_name(n)), default=0)


def unit_numbers(trace: Trace, size: int | None = None) -> list[int]:
    """The original number of every unit column (they differ after `select(units=...)`)."""
    size = width(trace) if size is None else size
    original = trace.meta.get("units")
    if isinstance(original, list) and len(original) >= size:
        return [int(u) for u in original[:size]]
    return list(range(size))


def columns_of(trace: Trace, numbers: Iterable[int], size: int | None = None) -> list[int]:
    """The columns of the given original unit numbers (those the trace holds), in the given order."""
    where = {u: k for k, u in enumerate(unit_numbers(trace, size))}
    return [where[int(u)] for u in numbers if int(u) in where]


def check_units(trace: Trace, units: Iterable[int] | None, size: int | None = None) -> list[int] | None:
    """`--units` (original unit numbers) as columns, in the given order; None when not given."""
    if units is None:
        return None
    asked = list(units)
    if not asked:
        raise ExplainerError("--units is empty; give one or more unit numbers, e.g. --units 0,3,7")
    numbers = unit_numbers(trace, size)
    bad = [u for u in asked if isinstance(u, bool) or not isinstance(u, (int, np.integer)) or int(u) not in numbers]
    if bad:
        have = f"0 to {numbers[-1]}" if numbers == list(range(len(numbers))) and numbers else ", ".join(map(str, numbers))
        raise ExplainerError(f"--units {bad[0]!r} is not a unit of this trace; it holds units {have or 'none'}")
    return columns_of(trace, asked, size)


@dataclass(frozen=True)
class FoundUnits:
    """Units that discovery found for one feature, as this trace holds them."""

    feature: str  # e.g. "gender"
    layer: int
    state: str  # "c" or "h": the state whose values follow the feature
    numbers: list[int]  # original unit numbers present in the trace, in discovery order
    columns: list[int]  # their columns in this trace's arrays
    correlation: list[float]  # each one's correlation with the feature (+1 female for gender)
    measured: dict = field(default_factory=dict)  # the whole stored entry (measured numbers)

    @property
    def name(self) -> str:
        """The trace name of the state they live in: `layers.0.c`."""
        return state(self.layer, self.state)

    @property
    def signs(self) -> list[int]:
        """+1 where a larger value means the feature is present (female), -1 where it means the opposite."""
        return [1 if c >= 0 else -1 for c in self.correlation]

    def __len__(self) -> int:
        return len(self.columns)


def found_units(trace: Trace, feature: str = "gender", layer: int | None = None) -> FoundUnits | None:
    """The discovered units of `feature` present in this trace (None when there are none).

    With `layer`, only when they were found in that layer.
    """
    entry = (trace.meta.get("units_found") or {}).get(feature)
    if not isinstance(entry, dict) or not entry.get("units"):
        return None
    try:
        at = int(entry.get("layer", 0))
        numbers = [int(u) for u in entry["units"]]
        corr = [float(c) for c in entry.get("correlation") or [0.0] * len(numbers)]
    except (TypeError, ValueError):
        raise ExplainerError(f"this trace's discovered {feature} units (meta units_found) are damaged; record it again") from None
    if layer is not None and at != layer:
        return None
    which = str(entry.get("state", "h"))
    name = state(at, which) if which in ("h", "c") and at >= 0 else None
    sized = _numbered_like(trace, name, at, which) if name is not None else None
    if sized is None:  # no array of this trace numbers its units as that state does: they are not here
        return None
    size = trace[sized].shape[2]
    by_number = dict(zip(numbers, corr))
    present = [u for u in numbers if u in set(unit_numbers(trace, size))]
    if not present:
        return None
    return FoundUnits(feature, at, which, present, columns_of(trace, present, size),
                      [by_number.get(u, 0.0) for u in present], dict(entry))


def _numbered_like(trace: Trace, name: str, layer: int, which: str) -> str | None:
    """An array of the trace whose columns are numbered as `name`'s: itself, else another array of its layer
    (the gates and C share their unit numbers, and h too unless the LSTM projects h to proj_size units)."""
    if name in trace.names:
        return name
    projected = bool(trace.meta.get("proj_size"))
    for other in trace.names:
        parts = split(other)
        if parts is None or parts[0] != layer or parts[1]:
            continue
        if parts[2] == "h" and which == "c" and projected:
            continue
        if which == "h" and projected and parts[2] != "h":
            continue
        return other
    return None


def require_found(trace: Trace, by: str, feature: str = "gender", layer: int | None = None,
                  remedy: str = "give --units") -> FoundUnits:
    """The discovered units of `feature` (in `layer`, when given), or one line that says why there are none here.

    For pictures that follow them when no `--units` is given (`by`: e.g. "figure forget-reset";
    `remedy`: what the user can do instead).
    """
    found = found_units(trace, feature, layer)
    if found is not None:
        return found
    entry = (trace.meta.get("units_found") or {}).get(feature)
    if not isinstance(entry, dict) or not entry.get("units"):
        raise ExplainerError(f"{by} follows the discovered {feature} units, and this trace has none "
                             f"(meta units_found.{feature}); {remedy}, or trace a checkpoint trained on the "
                             f"language task with `explainer trace`")
    stored = ", ".join(str(u) for u in entry["units"])
    at, which = entry.get("layer", 0), entry.get("state", "h")
    if layer is not None and at != layer:
        raise ExplainerError(f"{by}: the discovered {feature} units were found in layer {at}, not layer {layer}; "
                             f"{remedy}")
    name = state(int(at), str(which)) if isinstance(at, int) and at >= 0 and which in ("h", "c") else None
    if name is None or _numbered_like(trace, name, int(at), str(which)) is None:
        raise ExplainerError(f"{by}: the discovered {feature} units ({stored}) live in layer {at}'s {which}, which "
                             f"this trace does not hold; record it with that state, or {remedy}")
    name = _numbered_like(trace, name, int(at), str(which))
    numbers = unit_numbers(trace, trace[name].shape[2])
    have = f"0 to {numbers[-1]}" if numbers == list(range(len(numbers))) and numbers else ", ".join(map(str, numbers))
    raise ExplainerError(f"{by}: the discovered {feature} units ({stored}) are not in this trace's {name} "
                         f"(it holds {'units ' + have if have else 'no units'}); {remedy}")


def largest_units(values: np.ndarray, count: int, exclude: Iterable[int] = ()) -> list[int]:
    """Columns of the `count` largest |values| (ties by column), skipping `exclude`."""
    skip = set(exclude)
    order = np.argsort(-np.abs(np.nan_to_num(np.asarray(values, dtype=float))), kind="stable")
    return [int(u) for u in order if int(u) not in skip][:count]
