"""Unit discovery on text: which unit of which layer follows a feature of the characters.

Karpathy's interpretable cells (a quote cell, an indentation cell, a line-length cell) are
found by correlating: for every feature of the text (`explainer.reading.text_features`:
inside a string, inside a comment, indentation, bracket depth, column, start of a word, or
a feature of the user's own) and every unit of every layer's c and h (only h for a GRU or
an RNN), the Pearson correlation of the unit's value with the feature over the real steps
(a padded batch's steps past a row's end are not counted; the rows' real steps are put one
after another). A unit or a feature that is constant there has no correlation and is
skipped. Numpy only: a trace in, numbers out (no model is run).

Fast: each state is centred once and correlated with every feature in one matrix product
(`benchmarks/text_units.py`: 100,000 steps, 2 layers of 128 units, c and h).

The answer per feature is a `units_found` entry (`explainer/schema.py`, `FoundUnits`):
`layer` and `state` of the best unit (largest |r|), `units` the `top` best units of that
state, `correlation` their signed r, and `ranking` the `top` best units over every layer
and state. `with_units` stores it in a trace, where `reading.found_units` reads it back.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> from explainer.reading.text_features import feature
    >>> text = "def f(x):\\n    return [x, (x)]\\n" * 4
    >>> depth = feature(text, "bracket")[None, :, None]                   # [batch, time, 1]
    >>> noise = np.random.default_rng(0).normal(size=(1, len(text), 3))   # [batch, time, 3]
    >>> h = np.concatenate([noise, -depth], axis=2).astype(np.float32)    # [batch, time, hidden]
    >>> t = Trace({"layers.0.h": h}, {"steps": list(text), "tokenizer": "chars"})
    >>> found = discover(t, ["bracket"], top=2)
    >>> best = found["bracket"]
    >>> best["layer"], best["state"], best["units"], best["correlation"][0]
    (0, 'h', [3, ...], -1.0)
    >>> from explainer import reading
    >>> reading.found_units(with_units(t, found), "bracket").name
    'layers.0.h'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from ..errors import ExplainerError
from ..names import split, state
from ..reading.lengths import real_values
from ..reading.text_features import Feature, trace_features
from ..reading.units import unit_numbers
from ..trace import Trace

#: How many units per feature discovery reports by default.
TOP = 5


def states(trace: Trace) -> list[tuple[int, str]]:
    """(layer, "c" or "h") of every state discovery correlates: each layer's c, then h (forward direction).

    >>> states(Trace({"layers.0.h": np.zeros((1, 2, 3), np.float32), "layers.0.c": np.zeros((1, 2, 3), np.float32)}))
    [(0, 'c'), (0, 'h')]
    """
    found = set()
    for name in trace.names:
        parts = split(name)
        if parts is not None and not parts[1] and parts[2] in ("h", "c"):
            found.add((parts[0], parts[2]))
    if not found:
        if trace.modules:
            raise ExplainerError(f"this trace records several recurrent modules ({', '.join(trace.modules)}); "
                                 "discover units in one of them: discover(trace.module(PATH))")
        raise ExplainerError(f"this trace holds no hidden or cell state (layers.N.h, layers.N.c) to correlate; "
                             f"it holds: {', '.join(trace.names)}")
    return sorted(found)


def correlations(trace: Trace, features: Iterable[str] | Mapping[str, Feature | None] | None = None
                 ) -> dict[str, dict[tuple[int, str], np.ndarray]]:
    """{feature: {(layer, state): [units] r}}: Pearson's r of every unit with every feature over the real steps.

    NaN where the unit or the feature is constant (or the unit holds a value that is not finite).
    `features` as `trace_features` takes them (None: every built-in one).
    """
    values = trace_features(trace, features)  # {name: [steps]}
    names = list(values)
    if not names:
        return {}
    f = np.stack([values[n] for n in names], axis=1)  # [steps, features]
    if len(f) == 0:  # no step: nothing varies
        return {n: {} for n in names}
    centred_f = f - f.mean(axis=0)  # [steps, features]
    norm_f = np.sqrt(np.einsum("ij,ij->j", centred_f, centred_f))  # [features]
    flat_f = f.max(axis=0) == f.min(axis=0)  # [features]
    z = (centred_f / np.where(flat_f, 1.0, norm_f)).astype(np.float32)  # [steps, features], unit length
    out: dict[str, dict[tuple[int, str], np.ndarray]] = {n: {} for n in names}
    for layer, which in states(trace):
        x = real_values(trace, state(layer, which)).astype(np.float32, copy=False)  # [steps, units]
        with np.errstate(invalid="ignore", over="ignore"):
            # a constant unit's centred values are exactly 0: N float32 copies of v sum exactly in float64
            centred = x - x.mean(axis=0, dtype=np.float64).astype(np.float32)  # [steps, units]
            norm = np.sqrt(np.einsum("ij,ij->j", centred, centred)).astype(np.float64)  # [units]
            flat = norm == 0  # [units]
            r = (centred.T @ z).astype(np.float64) / np.where(flat, 1.0, norm)[:, None]  # [units, features]
        r[flat] = np.nan
        r[:, flat_f] = np.nan
        r = np.clip(r, -1.0, 1.0)  # float32 rounding may step past ±1 (NaN stays NaN)
        for k, name in enumerate(names):
            out[name][(layer, which)] = r[:, k]
    return out


def discover(trace: Trace, features: Iterable[str] | Mapping[str, Feature | None] | None = None,
             top: int = TOP) -> dict[str, dict]:
    """The best units of every feature, as `units_found` entries {feature: {layer, state, units, correlation, ranking}}.

    `features`: None for every built-in text feature (`reading.text_features.FEATURES`); names of
    built-in ones; or {name: values over the real steps | function of a row's text | None (the
    built-in one)}. A feature no unit correlates with (constant over the text, e.g. `comment` on
    prose) is left out. Unit numbers are the model's (`reading.unit_numbers`), r rounded to 4 decimals.
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ExplainerError(f"top should be 1 or more units per feature, not {top!r}")
    top = int(top)
    found = {}
    for name, by_state in correlations(trace, features).items():
        rows = []  # (|r|, layer, state, unit number, r) of every unit with a correlation
        for (layer, which), r in by_state.items():
            numbers = unit_numbers(trace, len(r))
            rows += [(abs(v), layer, which, numbers[u], v) for u, v in enumerate(r.tolist()) if np.isfinite(v)]
        if not rows:
            continue
        rows.sort(key=lambda row: -row[0])  # stable: ties keep layer, state, unit order
        _, layer, which, _, _ = rows[0]
        best = [row for row in rows if row[1] == layer and row[2] == which][:top]
        found[name] = {
            "layer": layer, "state": which,
            "units": [row[3] for row in best],
            "correlation": [round(row[4], 4) for row in best],
            "ranking": [{"layer": row[1], "state": row[2], "unit": row[3], "correlation": round(row[4], 4)}
                        for row in rows[:top]],
        }
    return found


def with_units(trace: Trace, found: Mapping[str, Mapping]) -> Trace:
    """A copy of `trace` (sharing its arrays) whose `meta["units_found"]` also holds `found` (replacing those features).

    >>> t = Trace({"layers.0.h": np.array([[[0, 1], [1, 0], [2, 1]]], np.float32)}, {"steps": list("a b")})
    >>> with_units(t, discover(t, ["word_start"], top=1)).meta["units_found"]["word_start"]
    {'layer': 0, 'state': 'h', 'units': [1], 'correlation': [1.0],
     'ranking': [{'layer': 0, 'state': 'h', 'unit': 1, 'correlation': 1.0}]}
    """
    meta = dict(trace.meta)
    meta["units_found"] = {**(trace.meta.get("units_found") or {}), **{k: dict(v) for k, v in found.items()}}
    return Trace({name: trace[name] for name in trace.names}, meta)
