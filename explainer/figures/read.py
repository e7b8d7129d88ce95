"""What figures read from traces and checkpoints: layers, discovered units, steps, series.

Small functions several figures share, so each question has one answer: which layer the
readout sees, where the discovered units are, which step to show by default, what colour
limit suits a quantity, the checkpoint's whole noisy series.
"""

from __future__ import annotations

import re

import numpy as np

from ..tasks.sine import make_data
from ..trace import Trace

#: How an optimizer's name is written on a figure.
OPTIMIZERS = {"sgd": "SGD", "adam": "Adam"}


def last_layer(trace: Trace) -> int:
    """The top layer: its hidden state is what the readout sees."""
    layers = [int(m.group(1)) for n in trace.names if (m := re.fullmatch(r"layers\.(\d+)\.h", n))]
    return max(layers, default=0)


def found_units(trace: Trace, layer: int, units: int) -> list[int]:
    """Array columns of the discovered gender units of this layer, in discovery order (empty when none).

    A trace cut down with `select(units=...)` keeps its original unit numbers in meta["units"].
    """
    found = (trace.meta.get("units_found") or {}).get("gender") or {}
    if not found or int(found.get("layer", layer)) != layer:
        return []
    ids = [int(u) for u in found.get("units") or []]
    original = trace.meta.get("units")
    if original is not None:
        ids = [list(original).index(u) for u in ids if u in original]
    return [u for u in ids if 0 <= u < units]


def unit_numbers(trace: Trace, units: int) -> list[int]:
    """The original number of every array column (they differ after select(units=...))."""
    return [int(u) for u in (trace.meta.get("units") or range(units))]


def nice_limit(v: float) -> float:
    """Round a colour limit up to 1, 2, 2.5 or 5 times a power of ten."""
    if not v > 0:
        return 1.0
    base = 10 ** np.floor(np.log10(v))
    return float(next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= v - 1e-9))


def cell_limit(c: np.ndarray) -> float:
    """Colour limit of the unbounded cell state: its 95th percentile |C| over the trace, rounded up
    (a few huge values would wash out the rest; the numbers are written anyway)."""
    finite_values = np.abs(c[np.isfinite(c)])
    return nice_limit(float(np.percentile(finite_values, 95))) if finite_values.size else 1.0


def default_step(trace: Trace) -> int:
    """The new subject's gender word (where the old gender should be dropped), else the last step."""
    if trace.meta.get("task") == "language":
        events = passage_events(trace.meta)
        for steps in (events["gender_words"], events["new_subjects"]):
            if steps and 0 <= steps[0] < trace.num_steps:
                return int(steps[0])
    return trace.num_steps - 1


def passage_events(meta: dict) -> dict[str, list]:
    """Where things happen in a language trace's passage, from its metadata (steps are indices).

    subjects: (first step, last step, gender +1/-1) of each run of one subject's gender;
    new_subjects: the names that replace an earlier subject (meta new_subject);
    gender_words: the gender word ("male"/"female") of each new subject (found through the
    lexicon from meta token_ids; empty without them); pronouns: the pronoun steps (the
    answers whose class, announced one step earlier in meta targets, is she or he).
    """
    from ..tasks.lexicon import Lexicon

    gender = [int(g) for g in meta.get("gender") or []]
    new_subjects = [t for t, b in enumerate(meta.get("new_subject") or []) if b]
    subjects: list[tuple[int, int, int]] = []
    for t, g in enumerate(gender):
        if g and subjects and subjects[-1][2] == g and subjects[-1][1] == t - 1 and t not in new_subjects:
            subjects[-1] = (subjects[-1][0], t, g)
        elif g:
            subjects.append((t, t, g))
    ids = [int(i) for i in meta.get("token_ids") or []]
    gender_words: list[int] = []
    if ids:
        words = Lexicon().words
        for s in new_subjects:
            later = [t for t in range(s + 1, len(ids))
                     if 0 <= ids[t] < len(words) and words[ids[t]].role in ("gender", "name")]
            if later and words[ids[later[0]]].role == "gender":  # before any other name
                gender_words.append(later[0])
    targets = [int(c) for c in meta.get("targets") or []]
    pronouns = [t + 1 for t, c in enumerate(targets) if c in (0, 1) and t + 1 < len(targets)]
    return {"subjects": subjects, "new_subjects": new_subjects, "gender_words": gender_words, "pronouns": pronouns}



def finite(values) -> np.ndarray:
    """Float array with NaN where a value is not finite (matplotlib leaves a gap there)."""
    a = np.asarray(values, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def fmt_mse(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else "—"


def series(meta: dict):
    """The checkpoint's whole noisy series (the same seed, window and features it was trained on)."""
    train, ev = meta["train"], meta["eval"]
    return make_data(int(ev.get("data_seed", train["seed"])), int(ev.get("seq_len", train["seq_len"])),
                     tuple(ev.get("features", train.get("features", ()))))
