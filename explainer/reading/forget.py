"""The forget gate, measured, as a picture reads it from a trace: the explained units and step, their
signs, the model's gender evidence, and the forget gate's selectivity (numpy only).

The measurement is made once, when the units are found (`explainer.probes.forget`, stored in
`meta["units_found"]["gender"]`); this module reads it back and applies the same formulas to the
passage a picture shows:

    explained_step(trace)   the step the pictures explain: the first new subject's name or its gender word,
                            whichever the measurement says the evidence flips at (None when not measured)
    evidence_of(trace)      e_t = logit(he) − logit(she) of the readout, token by token
    contributions_of(...)   each unit's part w_u·h_u of it (from the stored readout direction)
    measured(trace)         the stored numbers: criterion, evidence shares, selectivity, forgets-or-overwrites
    sign_words(...)         what a positive and a negative value of each unit say ("he" / "she")
    step_share(...)         the reset's share of the change of C at one step of this passage

    >>> from explainer.trace import Trace
    >>> t = Trace.load("assets/traces/language-lstm.safetensors")
    >>> m = measured(t)
    >>> m.found.numbers, m.criterion, m.change.step, explained_step(t), t.meta["words"]["en"][explained_step(t)]
    ([28, 10, 26], 'evidence', 'name', 8, 'Bob')
    >>> sign_words(m.found.signs, ("she", "he"))
    [('he', 'she'), ('he', 'she'), ('he', 'she')]
    >>> from explainer.reading import number
    >>> number(m.selectivity.units["name"]), number(m.selectivity.units["elsewhere"]), m.change.verdict
    ('0.29', '0.49', 'both')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ExplainerError
from ..names import gate, state
from ..probes.forget import PLACES, STEPS, contributions, reset_and_write, reset_share
from ..tasks.language import PRONOUN_CLASSES
from ..trace import Trace
from .numbers import number
from .passage import events
from .units import FoundUnits, found_units, unit_numbers
from .verdicts import change_verdict

__all__ = ["PLACES", "Change", "Measured", "Selectivity", "contributions_of", "correlations_of", "evidence_of",
           "explained_step", "measured", "percent", "readout_direction", "said", "sign_groups", "sign_words", "signs_of",
           "step_share", "units_label"]


@dataclass(frozen=True)
class Selectivity:
    """Mean forget gate over the evaluation passages, at each place (`PLACES` and "elsewhere")."""

    units: dict[str, float | None]  # on the explained units
    others: dict[str, float | None]  # on every other unit of the layer
    steps: dict[str, int]  # how many steps each mean is over


@dataclass(frozen=True)
class Change:
    """Where the evidence flips at a new subject of the other gender, and how C changes there."""

    step: str  # "name" or "gender_word": the explained step
    toward_new: dict[str, float | None]  # mean change of e towards the new gender, per place
    reset_shares: dict[str, float | None]  # the reset's share of the change of C on the explained units, per place
    switches: int  # new subjects of the other gender it is measured over

    @property
    def share(self) -> float | None:
        """The reset's share at the explained step (the write's is 1 − it)."""
        return self.reset_shares.get(self.step)

    @property
    def verdict(self) -> str:
        """'forgets', 'overwrites', 'both' or 'unknown' at the explained step (`reading.change_verdict`)."""
        return change_verdict(self.share)


@dataclass(frozen=True)
class Measured:
    """What the measurement says of the explained units present in this trace."""

    found: FoundUnits
    criterion: str  # "evidence" (largest share of the he−she evidence gap) or "correlation"
    evidence_share: list[float] | None  # each present unit's share of the gap (criterion "evidence")
    selectivity: Selectivity | None  # LSTM only
    change: Change | None  # LSTM only

    @property
    def others(self) -> int:
        """How many other units the selectivity compares against."""
        corr = self.found.measured.get("all_correlations") or []
        return max(0, len(corr) - len(self.found.measured.get("units") or []))


def measured(trace: Trace, layer: int | None = None) -> Measured | None:
    """The measured numbers of the discovered gender units in this trace (None when there are none)."""
    found = found_units(trace, layer=layer)
    if found is None:
        return None
    entry = found.measured
    try:
        criterion = str(entry.get("criterion", "correlation"))
        shares = None
        if entry.get("evidence_share") is not None:
            by = dict(zip((int(u) for u in entry["units"]), (float(s) for s in entry["evidence_share"])))
            shares = [by[u] for u in found.numbers]
        selectivity = change = None
        if isinstance(entry.get("forget"), dict):
            f = entry["forget"]
            selectivity = Selectivity(_means(f["units"]), _means(f["others"]),
                                      {k: int(v) for k, v in f["steps"].items()})
        if isinstance(entry.get("change"), dict):
            c = entry["change"]
            step = str(c["explained_step"])
            if step not in STEPS:
                raise ValueError(step)
            change = Change(step, _means(c["toward_new"]), _means(c["reset_share"]), int(c["switches"]))
    except (KeyError, TypeError, ValueError):
        raise ExplainerError("this trace's measured forget gate (meta units_found.gender) is damaged; "
                             "record it again with `explainer trace`") from None
    return Measured(found, criterion, shares, selectivity, change)


def _means(values: dict) -> dict[str, float | None]:
    return {str(k): (None if v is None else float(v)) for k, v in values.items()}


def explained_step(trace: Trace) -> int | None:
    """The step the pictures of the forget gate explain: the first new subject's name or gender word, whichever
    the measurement chose (`Change.step`); None when the trace has no such measurement or no such step."""
    m = measured(trace)
    if m is None or m.change is None:
        return None
    ev = events(trace)
    if m.change.step == "name":
        return ev.new_subjects[0] if ev.new_subjects else None
    return ev.new_gender_words[0] if ev.new_gender_words else None


def evidence_of(trace: Trace, row: int = 0) -> np.ndarray:
    """The readout's gender evidence e_t = logit(he) − logit(she) at every step of `row`: [time] (> 0: “he”)."""
    trace.require("output", why="(the gender evidence is the readout's he−she logit difference)")
    scores = np.asarray(trace["output"][row], dtype=float)  # [time, answers]
    she, he = PRONOUN_CLASSES
    return scores[:, he] - scores[:, she]


def readout_direction(trace: Trace) -> tuple[np.ndarray, float] | None:
    """(W_he − W_she by unit number, b_he − b_she) as stored with the units, or None."""
    entry = ((trace.meta.get("units_found") or {}).get("gender") or {}).get("readout")
    if not isinstance(entry, dict):
        return None
    try:
        return np.asarray(entry["direction"], dtype=float), float(entry["bias"])
    except (KeyError, TypeError, ValueError):
        raise ExplainerError("this trace's stored readout direction (meta units_found.gender.readout) is damaged; "
                             "record it again with `explainer trace`") from None


def contributions_of(trace: Trace, layer: int, columns: list[int], row: int = 0) -> np.ndarray | None:
    """Unit u's part w_u·h_u of the evidence for the given columns of layer `layer`'s h: [time, units]
    (None when the readout direction is not stored, h is not in the trace or is projected)."""
    read = readout_direction(trace)
    name = state(layer, "h")
    if read is None or name not in trace.names:
        return None
    direction, _ = read
    cell = state(layer, "c")
    if cell in trace.names and trace[cell].shape[2] != trace[name].shape[2]:
        return None  # a projected h: its units are not the cell's
    numbers = unit_numbers(trace, trace[name].shape[2])
    picked = [numbers[k] for k in columns]
    if max(picked, default=0) >= direction.shape[0]:
        return None
    h = np.asarray(trace[name][row][:, columns], dtype=float)  # [time, units]
    return contributions(h, direction[picked])


def correlations_of(trace: Trace, numbers: list[int], layer: int | None = None) -> list[float] | None:
    """Each unit's stored correlation of its state with the subject's gender (+1 female), by unit number
    (of `layer`, when given); None when the trace does not carry them all."""
    entry = (trace.meta.get("units_found") or {}).get("gender") or {}
    corr = entry.get("all_correlations")
    if layer is not None and entry.get("layer", 0) != layer:
        return None
    if not isinstance(corr, list) or any(not 0 <= u < len(corr) for u in numbers):
        return None
    return [float(corr[u]) for u in numbers]


def signs_of(trace: Trace, numbers: list[int], layer: int | None = None) -> list[int] | None:
    """Each unit's sign (+1: a larger value says female), from its stored correlation; None when unknown."""
    corr = correlations_of(trace, numbers, layer)
    return [1 if r >= 0 else -1 for r in corr] if corr is not None else None


def percent(share: float | None) -> str:
    """A share as a whole percentage with a real minus: '47%', '−8%', '—' when unknown.

    >>> percent(0.4717), percent(-0.076), percent(None)
    ('47%', '−8%', '—')
    """
    if share is None or not np.isfinite(share):
        return "—"
    text = f"{round(100 * share):d}%"
    return "0%" if text == "-0%" else text.replace("-", "\u2212")


def sign_words(signs: list[int], answers: tuple[str, str]) -> list[tuple[str, str]]:
    """Per unit: (what a positive value says, what a negative value says), from its sign (+1: larger = female).

    >>> sign_words([1, -1], ("she", "he"))
    [('she', 'he'), ('he', 'she')]
    """
    she, he = answers
    return [(she, he) if s > 0 else (he, she) for s in signs]


def said(m: Measured, lang: str) -> dict[str, dict[str, str]]:
    """The measured numbers as the captions say them, formatted once for every picture:
    {"selectivity": {...}, "change": {...}} for `forget.say.selectivity` and `forget.say.change`
    (empty dicts where that part was not measured)."""
    from ..style import word

    out: dict[str, dict[str, str]] = {"selectivity": {}, "change": {}}
    if m.selectivity is None or m.change is None:
        return out
    sel, step = m.selectivity, m.change.step
    fmt = lambda v: number(v) if v is not None else "—"  # noqa: E731
    where = word(f"forget.step.{step}", lang)
    out["selectivity"] = {"n": str(sel.steps.get("name", "?")), "units": units_label(m.found.numbers, lang),
                          "before": fmt(sel.units.get("before")), "at": fmt(sel.units.get(step)), "step": where,
                          "elsewhere": fmt(sel.units.get("elsewhere")), "others": fmt(sel.others.get(step))}
    share = m.change.share
    out["change"] = {"step": where, "reset": percent(share), "write": percent(None if share is None else 1 - share)}
    return out


def units_label(numbers: list[int], lang: str) -> str:
    """'26, 10, 28' ('26、10、28' in Chinese)."""
    from ..words.glossary import join

    return join(numbers, lang)


def sign_groups(numbers: list[int], signs: list[int], answers: tuple[str, str]) -> list[tuple[list[int], str, str]]:
    """The units grouped by what their sign means: [(units, positive says, negative says)], in first-seen order.

    >>> sign_groups([26, 10, 5], [-1, -1, 1], ("she", "he"))
    [([26, 10], 'he', 'she'), ([5], 'she', 'he')]
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for u, meaning in zip(numbers, sign_words(signs, answers)):
        groups.setdefault(meaning, []).append(u)
    return [(units, pos, neg) for (pos, neg), units in groups.items()]


def step_share(trace: Trace, layer: int, columns: list[int], t: int, row: int = 0) -> float | None:
    """The reset's share of the change of C on `columns` at step `t` of this passage (None at step 0 or
    where C does not change)."""
    if t < 1:
        return None
    c = np.asarray(trace[state(layer, "c")][row][:, columns], dtype=float)  # [time, units]
    f, i, g = (np.asarray(trace[gate(layer, k)][row, t, columns], dtype=float) for k in "fig")  # each [units]
    share = reset_share(*reset_and_write(c[t - 1], f, i, g))
    return share if np.isfinite(share) else None

