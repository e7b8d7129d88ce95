"""One unit a picture follows through a text: `--unit L.KIND.N`, `--feature NAME`, or the trace's best.

Karpathy's pictures (the `text` figure, its HTML form, the CellText scene) colour every
character of a text by one unit's value. Which unit, and what may be said about it, is
answered here once, so the figure, the page and the scene name the same unit the same way:

- `--unit 1.c.98`: layer 1, its cell state (`h`, `c`, or a gate letter: `f`, `i`, `g`, `o`,
  `r`, `z`, `n`; `1.reverse.c.98` for a backward direction), unit number 98 as the model
  numbers it (also in a trace cut down with `select(units=...)`);
- `--feature indent`: the first (best) unit discovery stored for that feature
  (`meta units_found`, `found_units`), with its stored correlation r;
- neither: the best unit of the feature discovery found most strongly (the largest |r|), else the first unit of the top
  layer's cell state (`h` for an RNN or a GRU); `why` says which of these it was.

A unit given by number that discovery also found keeps that feature and its r: both are
stored numbers, nothing is measured here.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.c": np.zeros((1, 3, 4), np.float32), "layers.0.h": np.zeros((1, 3, 4), np.float32)},
    ...           {"steps": list("ab\\n"), "units_found": {"indent": {"layer": 0, "state": "c", "units": [2, 1],
    ...                                                                "correlation": [0.79, 0.5]}}})
    >>> u = choose_unit(t)
    >>> u.label, u.feature, u.correlation, u.why
    ('layers.0.c[2]', 'indent', 0.79, 'found')
    >>> choose_unit(t, unit="0.c.1").feature, choose_unit(t, unit="0.h.3").why
    ('indent', 'unit')
    >>> choose_unit(t, unit="0.x.3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    explainer.errors.ExplainerError: --unit '0.x.3': give LAYER.STATE.UNIT like 1.c.98; this trace has layer 0, ...
    >>> unit_limits(np.array([0.2, -0.5, np.nan]), "c"), unit_limits(np.array([0.2]), "f")
    ((-0.5, 0.5), (0.0, 1.0))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import ExplainerError
from ..kinds import KIND
from ..names import is_sigmoid, name_of, split
from ..trace import Trace
from .layers import top_layer
from .lengths import row_steps
from .numbers import number, signed_limit
from .units import columns_of, found_units, require_found, unit_numbers

#: How `--unit` is written: LAYER[.reverse].STATE.UNIT
UNIT_PATTERN = re.compile(r"^\s*(\d+)\.(?:(reverse)\.)?([a-z])\.(\d+)\s*$")
#: Why a unit was chosen: given by number, by feature, the best of the first stored feature, the default.
WHYS = ("unit", "feature", "found", "default")


@dataclass(frozen=True)
class ShownUnit:
    """The one unit a text picture colours its characters by."""

    layer: int
    letter: str  # "c", "h" or a gate letter
    number: int  # the unit's number in the model
    column: int  # its column in this trace's arrays
    why: str  # one of WHYS
    reverse: bool = False
    feature: str | None = None  # the discovered feature it follows (stored), if any
    correlation: float | None = None  # its stored correlation with that feature

    @property
    def name(self) -> str:
        """The trace name of the array it lives in: `layers.1.c`."""
        return name_of(self.layer, self.letter, self.reverse)

    @property
    def label(self) -> str:
        """`layers.1.c[98]`: the array and the unit's number in the model."""
        return f"{self.name}[{self.number}]"

    @property
    def signed(self) -> bool:
        """Whether its values are signed (states, C̃, n) rather than a gate's [0, 1]."""
        return not is_sigmoid(self.letter)


def choose_unit(trace: Trace, unit: str | None = None, feature: str | None = None,
                by: str = "figure text") -> ShownUnit:
    """The unit `--unit` or `--feature` names, else the trace's best discovered unit, else the default one."""
    if unit is not None and feature is not None:
        raise ExplainerError(f"{by} follows one unit: give --unit or --feature, not both")
    if unit is not None:
        return _given(trace, str(unit))
    if feature is not None:
        return _of_feature(trace, str(feature), by)
    stored = [(name, found) for name in sorted(_features(trace)) if (found := found_units(trace, name)) is not None]
    if stored:  # the strongest of them (the stored order is not kept by a saved file: its keys are sorted)
        name, found = max(stored, key=lambda item: abs(item[1].correlation[0]))
        return ShownUnit(found.layer, found.state, found.numbers[0], found.columns[0], "found",
                         feature=name, correlation=found.correlation[0])
    return _default(trace, by)


def unit_values(trace: Trace, shown: ShownUnit, row: int = 0) -> np.ndarray:
    """[real steps]: the unit's value at every real step of batch row `row` (nothing past the row's end)."""
    return row_steps(trace, shown.name, row)[:, shown.column].astype(float)  # [length]


def unit_limits(values: np.ndarray, letter: str) -> tuple[float, float]:
    """The colour range: [0, 1] for a gate; symmetric around 0 at the largest finite |value| for the rest
    (so the largest value gets the end colour); ±1 when every value is 0 or none is finite."""
    if is_sigmoid(letter):
        return 0.0, 1.0
    limit = signed_limit(values, floor=0.0)
    limit = limit if limit > 0 else 1.0
    return -limit, limit


# -- what a picture says about it ------------------------------------------------------------------
def feature_name(feature: str, lang: str = "en") -> str:
    """A discovered feature as words: 'indentation' / '缩进'; a feature of the user's own by its name, quoted."""
    from ..style import word
    from ..words import WORDS

    key = f"textpic.feature.{feature}"
    return word(key, lang) if key in WORDS else word("textpic.feature.other", lang, name=feature)


def signed_r(r: float) -> str:
    """A correlation with its sign: '+0.79', '−0.46'."""
    return ("+" if r >= 0 else "") + number(r)


def unit_title(shown: ShownUnit, lang: str = "en") -> str:
    """The picture's title, true to what is stored: 'layers.1.c[98] — indentation unit, r = +0.79' only when
    discovery stored that unit for that feature with that r."""
    from ..style import word

    if shown.feature is not None and shown.correlation is not None:
        return word("textpic.title.feature", lang, unit=shown.label, feature=feature_name(shown.feature, lang),
                    r=signed_r(shown.correlation))
    if shown.why == "default":
        return word("textpic.title.default", lang, unit=shown.label, state=word(f"state.{shown.letter}", lang)
                    if shown.letter in ("c", "h") else shown.letter)
    return word("textpic.title.unit", lang, unit=shown.label)


def unit_why(shown: ShownUnit, lang: str = "en") -> str | None:
    """Why this unit, when the user did not name it by number (None when they did)."""
    from ..style import word

    return word(f"textpic.why.{shown.why}", lang) if shown.why in ("found", "default", "feature") else None


def r_means(shown: ShownUnit, lang: str = "en") -> str | None:
    """What the r in the title is (None when there is none)."""
    from ..style import word

    if shown.feature is None or shown.correlation is None:
        return None
    return word("textpic.r_means", lang, feature=feature_name(shown.feature, lang))


def unit_spec(shown: ShownUnit) -> str:
    """How `--unit` names it: '1.c.98' (or '1.reverse.c.98')."""
    return f"{shown.layer}.{'reverse.' if shown.reverse else ''}{shown.letter}.{shown.number}"


# -- what the trace holds ------------------------------------------------------------------------
def _features(trace: Trace) -> list[str]:
    found = trace.meta.get("units_found") or {}
    return [str(k) for k in found] if isinstance(found, dict) else []


def _held(trace: Trace) -> dict[tuple[int, bool], list[str]]:
    """(layer, reverse) -> the letters the trace holds for it."""
    held: dict[tuple[int, bool], list[str]] = {}
    for n in trace.names:
        parts = split(n)
        if parts is not None:
            held.setdefault((parts[0], parts[1]), []).append(parts[2].removeprefix("gates."))
    return held


def _order(letters: set[str]) -> list[str]:
    """States first (h, c), then the gates, the forget gate first and the rest in torch's order."""
    torch_order = "ifgorzn"
    gates = sorted((g for g in letters if g not in ("h", "c")), key=lambda g: (g != "f", torch_order.find(g)))
    return [s for s in ("h", "c") if s in letters] + gates


def _span(numbers: list[int]) -> str:
    """'0-3', '1, 3' or 'none'."""
    if not numbers:
        return "none"
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) >= 2:
        return f"{numbers[0]}-{numbers[-1]}"
    shown = ", ".join(map(str, numbers[:8]))
    return shown + (", …" if len(numbers) > 8 else "")


def inventory(trace: Trace) -> str:
    """What `--unit` may name in this trace: 'layers 0-1, states h, c, gates f, i, g, o, units 0-127'."""
    held = _held(trace)
    layers = sorted({layer for layer, _ in held})
    letters = _order({q for qs in held.values() for q in qs})
    parts = [("layer " if len(layers) == 1 else "layers ") + _span(layers)] if layers else ["no layers"]
    states = [q for q in letters if q in ("h", "c")]
    gates = [q for q in letters if q not in ("h", "c")]
    if states:
        parts.append(("state " if len(states) == 1 else "states ") + ", ".join(states))
    if gates:
        parts.append(("gate " if len(gates) == 1 else "gates ") + ", ".join(gates))
    if any(reverse for _, reverse in held):
        parts.append("a reverse direction (L.reverse.STATE.N)")
    if layers:
        parts.append(f"units {_span(unit_numbers(trace))}")
    return ", ".join(parts)


def _given(trace: Trace, text: str) -> ShownUnit:
    """`--unit L.KIND.N`, checked against what the trace holds."""
    def refuse(problem: str):
        return ExplainerError(f"--unit {text!r}: {problem}; this trace has {inventory(trace)}")

    found = UNIT_PATTERN.match(text)
    if found is None:
        raise refuse("give LAYER.STATE.UNIT like 1.c.98")
    layer, reverse, letter, number = int(found.group(1)), bool(found.group(2)), found.group(3), int(found.group(4))
    held = _held(trace)
    if (layer, reverse) not in held:
        raise refuse(f"there is no {'reverse direction of ' if reverse else ''}layer {layer}")
    if letter not in held[(layer, reverse)]:
        if letter not in {q for qs in held.values() for q in qs} and letter not in _KNOWN:
            raise refuse("give LAYER.STATE.UNIT like 1.c.98")
        raise refuse(f"layer {layer} holds no {letter} ({', '.join(_order(set(held[(layer, reverse)])))})")
    name = name_of(layer, letter, reverse)
    size = trace[name].shape[2]
    columns = columns_of(trace, [number], size)
    if not columns:
        raise refuse(f"{name} holds no unit {number}")
    feature, r = None, None
    if not reverse:
        for candidate in _features(trace):
            stored = found_units(trace, candidate)
            if stored is not None and stored.layer == layer and stored.state == letter and number in stored.numbers:
                feature, r = candidate, stored.correlation[stored.numbers.index(number)]
                break
    return ShownUnit(layer, letter, number, columns[0], "unit", reverse, feature, r)


#: Every letter a layer of some cell kind records (a letter outside these is a typo, not a missing array).
_KNOWN = {"h", "c", *(g for row in KIND.values() for g in row.gates)}


def _of_feature(trace: Trace, feature: str, by: str) -> ShownUnit:
    """The best unit discovery stored for `feature`."""
    features = _features(trace)
    if feature not in features:
        if not features:
            raise ExplainerError(f"{by}: this trace has no discovered units (meta units_found), so --feature {feature} "
                                 "has none to follow; give --unit L.KIND.N (e.g. 1.c.98), or trace a checkpoint whose "
                                 "units were discovered")
        raise ExplainerError(f"{by}: this trace has no discovered {feature!r} units; it has units for "
                             f"{', '.join(features)}: give one of those to --feature, or --unit L.KIND.N")
    found = require_found(trace, by, feature, remedy="give --unit L.KIND.N")
    return ShownUnit(found.layer, found.state, found.numbers[0], found.columns[0], "feature",
                     feature=feature, correlation=found.correlation[0])


def _default(trace: Trace, by: str) -> ShownUnit:
    """The first unit of the top layer's cell state (its hidden state for an RNN or a GRU, or a trace without C)."""
    held = _held(trace)
    if not held:
        have = ", ".join(trace.names) or "no arrays"
        raise ExplainerError(f"{by} colours the text by one unit of a layer, and this trace holds no layer states "
                             f"(it has {have}); record the model's states")
    key = (top_layer(trace), False)
    layer, reverse = key if key in held else next(iter(held))
    letters = held[(layer, reverse)]
    letter = next((q for q in ("c", "h") if q in letters), letters[0])
    name = name_of(layer, letter, reverse)
    size = trace[name].shape[2]
    if size == 0:
        raise ExplainerError(f"{by} colours the text by one unit, and this trace's {name} holds no units")
    return ShownUnit(layer, letter, unit_numbers(trace, size)[0], 0, "default", reverse)
