"""The forget gate, measured: which units the model reads its gender from, where its evidence flips, and
whether the forget gate forgets there or the input gate overwrites.

colah's story says: when a new subject arrives, the forget gate drops the old subject's gender and the
input gate writes the new one. This module measures, on the evaluation passages, how much of that a
trained model does. Every criterion is stated here, once; the reading layer (`explainer/reading/forget.py`)
applies the same formulas to the one passage a picture shows.

- **Gender evidence**: the readout's he−she direction applied to h,

      e_t = (W_he − W_she)·h_t + (b_he − b_she) = Σ_u w_u h_{t,u} + b,

  the logit difference the model itself uses (P(she) = σ(−e_t)); w_u h_{t,u} is unit u's contribution.
- **Explained units** (`criterion: "evidence"`): the `top` units with the largest share of the model's
  evidence gap where it must name the subject: at the steps just before a subject pronoun (she/he, not the
  objects' her/him), gap_u = w_u · (mean h_u before “he” − mean h_u before “she”). The gaps of all units
  add up to the gap of e itself, so a unit's share says how much of the model's decision it carries. Each
  unit keeps its own sign, from the correlation of its state (C for an LSTM) with the subject's gender
  (+1 female, −1 male): a positive correlation means a larger value says “she”. (A projected or
  bidirectional top layer has no one-to-one h and C: there the units are the largest |correlation|,
  `criterion: "correlation"`.)
- **Selectivity** (LSTM): the mean forget gate on the explained units, and on all other units, at a new
  subject's name, at its gender word, at the step before the name (the clause boundary “;”), and
  elsewhere (every step but the name and the gender word).
- **Where the change happens**: at the new subjects whose gender differs from the old one ("switches"),
  the mean change of e towards the new gender, −g_new·(e_t − e_{t−1}), at the boundary, the name and the
  gender word. The explained step is the name or the gender word, whichever moves e more.
- **Forgets or overwrites**: on the explained units, C_t − C_{t−1} = −(1−f_t)⊙C_{t−1} + i_t⊙C̃_t, a reset
  and a write. The reset's share of the change is its projection onto the change, pooled over the
  switches: Σ⟨reset, Δ⟩ / Σ‖Δ‖², so that reset share + write share = 1 (a share above 1 means the other
  term pushed the opposite way).

The formulas are numpy; `measure` records a model (torch, imported when called) and returns the entry
stored in the checkpoint as `meta["units"]["gender"]`.

    >>> import numpy as np
    >>> h = np.array([[0.5, -1.0], [1.0, 1.0]])                   # [time, units]
    >>> evidence(h, np.array([2.0, 1.0]), 0.5)                    # [time]
    array([0.5, 3.5])
    >>> reset, write = reset_and_write(np.array([2.0]), np.array([0.25]), np.array([1.0]), np.array([-0.5]))
    >>> reset, write, round(reset_share(reset, write), 3)         # C goes 2 -> 0: 1.5 forgotten, 0.5 written
    (array([-1.5]), array([-0.5]), 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

#: The places a new subject's forget gate is measured at, in passage order.
PLACES = ("before", "name", "gender_word")
#: The explained step is one of these (the boundary says nothing yet about the new subject's gender).
STEPS = ("name", "gender_word")


# -- the formulas (numpy) ---------------------------------------------------------------------------

def evidence(h: np.ndarray, direction: np.ndarray, bias: float) -> np.ndarray:
    """e = direction·h + bias over the last axis: h [..., units] -> [...]: positive says “he”, negative “she”."""
    return np.asarray(h, dtype=float) @ np.asarray(direction, dtype=float) + float(bias)


def contributions(h: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Each unit's part of the evidence, w_u h_u: [..., units] (they add up to e − bias)."""
    return np.asarray(h, dtype=float) * np.asarray(direction, dtype=float)


def reset_and_write(c_prev: np.ndarray, f: np.ndarray, i: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two terms of C_t − C_{t−1}: the reset −(1−f)⊙C_{t−1} and the write i⊙C̃ (same shapes)."""
    c_prev, f = np.asarray(c_prev, dtype=float), np.asarray(f, dtype=float)
    return -(1.0 - f) * c_prev, np.asarray(i, dtype=float) * np.asarray(g, dtype=float)


def reset_share(reset: np.ndarray, write: np.ndarray) -> float:
    """The reset's share of the change reset + write: Σ⟨reset, Δ⟩ / Σ‖Δ‖² over all leading axes (NaN if no change)."""
    reset, write = np.asarray(reset, dtype=float), np.asarray(write, dtype=float)
    change = reset + write
    total = float((change * change).sum())
    return float((reset * change).sum() / total) if total > 0 else float("nan")


def correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of x [n, units] with y [n]: [units]."""
    xc = x - x.mean(0)
    yc = y - y.mean()
    denom = np.sqrt((xc ** 2).sum(0) * (yc ** 2).sum()) + 1e-12
    return (xc * yc[:, None]).sum(0) / denom


def evidence_gaps(h_he: np.ndarray, h_she: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """gap_u = w_u · (mean h_u where “he” is due − mean h_u where “she” is due): [units]; Σ gap = the gap of e."""
    return np.asarray(direction, dtype=float) * (np.asarray(h_he, dtype=float).mean(0)
                                                 - np.asarray(h_she, dtype=float).mean(0))


def explained_step(toward_new: dict[str, float]) -> str:
    """"name" or "gender_word": where the evidence moves more towards the new gender (the name on a tie, or
    when neither was measured)."""
    name, word = toward_new.get("name", float("nan")), toward_new.get("gender_word", float("nan"))
    return "gender_word" if np.isfinite(word) and (not np.isfinite(name) or word > name) else "name"


# -- the measurement (runs the model) ---------------------------------------------------------------

def readout_direction(model) -> tuple[np.ndarray, float]:
    """(W_he − W_she, b_he − b_she) of a task model's readout, on its inputs (the top layer's h)."""
    from ..tasks.language import PRONOUN_CLASSES

    she, he = PRONOUN_CLASSES
    weight = model.readout.weight.detach().double().numpy()  # [answers, hidden]
    bias = model.readout.bias.detach().double().numpy()  # [answers]
    return weight[he] - weight[she], float(bias[he] - bias[she])


class Places:
    """Masks [batch, time] of the padded passages: where the subjects, their names and pronouns are."""

    def __init__(self, passages: Sequence) -> None:
        from ..tasks.language import PRONOUN_CLASSES, Grammar

        lexicon = Grammar(seed=0).lexicon
        width = max(len(p) for p in passages)
        shape = (len(passages), width)
        self.valid = np.zeros(shape, dtype=bool)
        self.gender = np.zeros(shape, dtype=np.float64)  # the current subject's gender, +1 female
        self.name = np.zeros(shape, dtype=bool)  # a new subject's name
        self.gender_word = np.zeros(shape, dtype=bool)  # its gender word
        self.before = np.zeros(shape, dtype=bool)  # the step before its name
        self.he = np.zeros(shape, dtype=bool)  # the step before a subject's "he"
        self.she = np.zeros(shape, dtype=bool)
        self.switches: list[tuple[int, int, int]] = []  # (row, name step, new gender) where the gender changes
        for k, p in enumerate(passages):
            n = len(p)
            self.valid[k, :n] = True
            self.gender[k, :n] = p.gender
            self.name[k, :n] = p.new_subject
            self.gender_word[k, :n] = p.new_gender
            for t in np.flatnonzero(p.new_subject):
                if t > 0:
                    self.before[k, t - 1] = True
                    if p.gender[t - 1] != 0 and p.gender[t] != p.gender[t - 1]:
                        self.switches.append((k, int(t), int(p.gender[t])))
            for t in np.flatnonzero(np.isin(p.targets, PRONOUN_CLASSES)):
                if t + 1 < n and lexicon.words[int(p.ids[t + 1])].role == "pronoun":  # she/he, not her/him
                    (self.he if p.targets[t] == PRONOUN_CLASSES[1] else self.she)[k, t] = True
        self.elsewhere = self.valid & ~self.name & ~self.gender_word

    def gender_word_after(self, row: int, name: int) -> int | None:
        """The step of the gender word that follows the new subject's name at (row, name)."""
        later = np.flatnonzero(self.gender_word[row, name:])
        return name + int(later[0]) if later.size else None


def measure(model, passages: Sequence, top: int = 3) -> dict[str, Any]:
    """Record `model` on `passages` and measure the explained units, their signs and (LSTM) their forget gate.

    Returns the entry stored as `meta["units"]["gender"]` (see the module docstring for every field's rule).
    """
    import torch

    from .. import names as N
    from ..recorder import record
    from ..tasks.language import batch

    spec = model.core.spec
    row = spec.row
    layer = spec.num_layers - 1
    state = N.state(layer, "c" if row.has_cell else "h")
    lstm = all(k in row.gates for k in "fig") and row.has_cell
    wanted = {state, N.state(layer, "h")} | ({N.gate(layer, k) for k in "fig"} if lstm else set())
    ids, _ = batch(list(passages))
    trace = record(model, torch.from_numpy(ids), names=sorted(wanted))
    at = Places(passages)
    s = trace[state].astype(np.float64)  # [batch, time, units]
    h = trace[N.state(layer, "h")].astype(np.float64)  # [batch, time, out]
    active = at.valid & (at.gender != 0)
    corr = correlation(s[active], at.gender[active])  # [units]
    direction, bias = readout_direction(model)
    one_to_one = h.shape[-1] == s.shape[-1] == direction.shape[0] and not spec.bidirectional
    entry: dict[str, Any] = {"layer": layer, "state": N.letter_of(state), "passages": len(passages)}
    if one_to_one and at.he.any() and at.she.any():
        gaps = evidence_gaps(h[at.he], h[at.she], direction)  # [units]
        order = [int(u) for u in np.argsort(-gaps, kind="stable")[:top]]
        total = float(gaps.sum())
        entry.update({
            "criterion": "evidence", "units": order,
            "evidence_gap": total,
            "evidence_share": [float(gaps[u] / total) if total else 0.0 for u in order],
            "all_evidence_gaps": [float(v) for v in gaps],
            "questions": {"she": int(at.she.sum()), "he": int(at.he.sum())},
        })
    else:
        order = [int(u) for u in np.argsort(-np.abs(corr), kind="stable")[:top]]
        entry.update({"criterion": "correlation", "units": order})
    entry["correlation"] = [float(corr[u]) for u in order]
    entry["all_correlations"] = [float(c) for c in corr]
    if one_to_one:
        entry["readout"] = {"direction": [float(v) for v in direction], "bias": bias}
    if lstm:
        entry.update(_forget(trace, layer, order, at, evidence(h, direction, bias) if one_to_one else None))
    return entry


def _forget(trace, layer: int, units: list[int], at: Places, e: np.ndarray | None) -> dict[str, Any]:
    """Selectivity, where the change happens and how much of it the reset does (the LSTM's explained units)."""
    from .. import names as N

    f_all = trace[N.gate(layer, "f")].astype(np.float64)  # [batch, time, units]
    others = [u for u in range(f_all.shape[-1]) if u not in units]
    masks = {"before": at.before, "name": at.name, "gender_word": at.gender_word, "elsewhere": at.elsewhere}
    mean = lambda cols, m: _finite(f_all[..., cols][m].mean()) if m.any() and cols else None  # noqa: E731
    forget = {"units": {k: mean(units, m) for k, m in masks.items()},
              "others": {k: mean(others, m) for k, m in masks.items()},
              "steps": {k: int(m.sum()) for k, m in masks.items()}}
    c = trace[N.state(layer, "c")][..., units].astype(np.float64)  # [batch, time, top]
    f, i, g = (trace[N.gate(layer, k)][..., units].astype(np.float64) for k in "fig")  # each [batch, time, top]
    toward: dict[str, list[float]] = {k: [] for k in PLACES}
    terms: dict[str, tuple[list, list]] = {k: ([], []) for k in PLACES}
    for row, name, new in at.switches:
        word = at.gender_word_after(row, name)
        steps = {"before": name - 1, "name": name, "gender_word": word}
        for place, t in steps.items():
            if t is None or t < 1:
                continue
            if e is not None:
                toward[place].append(-new * float(e[row, t] - e[row, t - 1]))
            reset, write = reset_and_write(c[row, t - 1], f[row, t], i[row, t], g[row, t])
            terms[place][0].append(reset)
            terms[place][1].append(write)
    change = {
        "switches": len(at.switches),
        "toward_new": {k: _finite(np.mean(v)) if v else None for k, v in toward.items()},
        "reset_share": {k: _finite(reset_share(np.array(r), np.array(w))) if r else None for k, (r, w) in terms.items()},
    }
    change["explained_step"] = explained_step({k: v for k, v in change["toward_new"].items() if v is not None})
    return {
        "forget": forget, "change": change,
        # the same means under their first names (benchmarks and the task's summary print them)
        "forget_at_new_subject": forget["units"]["name"], "forget_at_new_gender_word": forget["units"]["gender_word"],
        "forget_elsewhere": forget["units"]["elsewhere"], "new_subject_tokens": forget["steps"]["name"],
    }


def named(entry: dict[str, Any]) -> dict[str, float]:
    """The stored measurement as flat named numbers, for the lecture's claims (`explainer/claims`):

        units.<place>, others.<place>   mean f on the explained / the other units (place: before, name,
                                        gender_word, elsewhere)
        at_step, others_at_step         the same at the explained step
        drop                            f elsewhere − f at the explained step, on the explained units
        contrast                        f of the other units − f of the explained units, at the explained step
        reset_share, write_share        of the change of C at the explained step (they add up to 1)
        explained_is_name               1 when the explained step is the name, 0 for the gender word
        toward_new.<place>              mean change of the evidence towards the new gender
        evidence_share                  the explained units' summed share of the evidence gap
        new_subjects, switches          how many new subjects, and of the other gender, it is measured over

    >>> n = named({"units": [1], "evidence_share": [0.2], "forget": {"units": {"name": 0.3, "elsewhere": 0.5},
    ...            "others": {"name": 0.9}, "steps": {"name": 4}}, "change": {"explained_step": "name",
    ...            "toward_new": {"name": 7.0}, "reset_share": {"name": 0.25}, "switches": 2}})
    >>> round(n["drop"], 2), round(n["contrast"], 2), n["write_share"]
    (0.2, 0.6, 0.75)
    """
    out: dict[str, float] = {}
    if entry.get("evidence_share") is not None:
        out["evidence_share"] = float(sum(entry["evidence_share"]))
    forget, change = entry.get("forget"), entry.get("change")
    if not isinstance(forget, dict) or not isinstance(change, dict):
        return out
    for group in ("units", "others"):
        for place, v in forget[group].items():
            if v is not None:
                out[f"{group}.{place}"] = float(v)
    step = change["explained_step"]
    at, others, elsewhere = forget["units"].get(step), forget["others"].get(step), forget["units"].get("elsewhere")
    share = change["reset_share"].get(step)
    out["explained_is_name"] = float(step == "name")
    out["new_subjects"] = float(forget["steps"].get("name", 0))
    out["switches"] = float(change["switches"])
    for place, v in change["toward_new"].items():
        if v is not None:
            out[f"toward_new.{place}"] = float(v)
    if at is not None:
        out["at_step"] = float(at)
        if elsewhere is not None:
            out["drop"] = float(elsewhere - at)
        if others is not None:
            out["others_at_step"] = float(others)
            out["contrast"] = float(others - at)
    if share is not None:
        out["reset_share"], out["write_share"] = float(share), float(1 - share)
    return out


def _finite(value) -> float | None:
    """A float, or None where it is not a finite number (metadata holds no NaN)."""
    v = float(value)
    return v if np.isfinite(v) else None
