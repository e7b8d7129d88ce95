"""What the language scenes read from a toy-language trace: one passage, annotated.

A language trace holds one passage (batch row 0): its words in both languages, the answer
the model must give before each pronoun (`targets`), how far back the clue is
(`distances`), the current subject's gender, where a new subject and its gender word
arrive, the discovered gender units, and the model's answer scores (`output`). This
module turns that metadata into the few facts the scenes show, so the scenes draw and
the tests check the same numbers. Everything is numpy; P(she) is the softmax of the
first two answer scores (she, he), as in the task's evaluation.

    >>> p = Passage.of(Trace.load("assets/traces/language-lstm.safetensors"), "en")   # doctest: +SKIP
    >>> [(s.t, s.answer, s.distance, s.right) for s in p.slots]                        # doctest: +SKIP
    [(4, 'she', 3, True), (12, 'he', 3, True)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer.errors import ExplainerError
from explainer.trace import Trace

PRONOUNS = (0, 1)  # answer classes: she, he


@dataclass(frozen=True)
class Slot:
    """A step just before a pronoun: the model must predict it."""

    t: int  # the step whose readout predicts the pronoun
    answer: str  # the correct pronoun (in the passage's language)
    target: int  # its class (0 she, 1 he)
    distance: int  # tokens from the clue to the pronoun (-1: unknown)
    clue: int | None  # position of the clue token (the latest gender word or name)
    p_she: float  # the model's P(she) at step t
    predicted: str  # the pronoun the model picks (the larger of the two scores)
    right: bool

    @property
    def at(self) -> int:
        """Position of the pronoun itself."""
        return self.t + 1


@dataclass(frozen=True)
class Units:
    """The discovered gender units of a trace (meta units_found.gender)."""

    units: tuple[int, ...]
    state: str  # "c" or "h"
    layer: int
    correlation: tuple[float, ...]
    values: np.ndarray  # [time, len(units)] the state of those units
    forget: np.ndarray | None  # [time, len(units)] their forget gate (LSTM)
    found: dict  # the whole units_found.gender entry (measured numbers)

    @property
    def label(self) -> str:
        return ", ".join(str(u) for u in self.units)

    def sign_meaning(self) -> int:
        """+1 when a larger value means "she" in every unit, -1 when it means "he", 0 when mixed."""
        signs = {int(np.sign(c)) for c in self.correlation}
        return signs.pop() if len(signs) == 1 and 0 not in signs else 0


@dataclass
class Passage:
    trace: Trace
    lang: str
    words: list[str]
    gender: np.ndarray  # [time] +1 female, -1 male, 0 none
    new_subject: np.ndarray  # [time] bool
    new_gender: np.ndarray  # [time] bool
    p_she: np.ndarray  # [time]
    slots: list[Slot]
    answers: tuple[str, str]  # the two pronouns in lang: she, he

    @property
    def n(self) -> int:
        return len(self.words)

    @classmethod
    def of(cls, trace: Trace, lang: str) -> Passage:
        meta = trace.meta
        missing = [k for k in ("words", "targets", "distances", "gender", "answers") if k not in meta]
        if missing or "output" not in trace.names:
            what = ", ".join(missing + ([] if "output" in trace.names else ["the output scores"]))
            raise ExplainerError(f"this trace lacks {what}; record a language trace with `explainer trace`")
        n = trace.num_steps
        words = list((meta["words"] or {}).get(lang) or meta.get("steps") or [])
        if len(words) != n:
            raise ExplainerError(f"the trace has {n} steps but {len(words)} words in {lang!r}")
        scores = np.asarray(trace["output"][0], dtype=float)  # [time, answers]
        p_she = softmax2(scores[:, PRONOUNS[0]], scores[:, PRONOUNS[1]])
        answers = tuple(meta["answers"][lang][c] for c in PRONOUNS)
        targets = np.asarray(meta["targets"])
        distances = np.asarray(meta["distances"])
        slots = []
        for t in np.flatnonzero(np.isin(targets, PRONOUNS)):
            t = int(t)
            d = int(distances[t])
            clue = t + 1 - d if d > 0 and t + 1 - d >= 0 else None
            pick = 0 if scores[t, 0] >= scores[t, 1] else 1
            slots.append(Slot(t, answers[int(targets[t])], int(targets[t]), d, clue, float(p_she[t]), answers[pick],
                              pick == int(targets[t])))
        flags = {k: np.asarray(meta.get(k) or [False] * n, dtype=bool) for k in ("new_subject", "new_gender")}
        return cls(trace, lang, words, np.asarray(meta["gender"], dtype=int), flags["new_subject"], flags["new_gender"],
                   p_she, slots, answers)

    # -- where things happen -------------------------------------------------------------
    def subjects(self) -> list[int]:
        """Steps where a subject's gender becomes known: the first subject's name and every new subject."""
        prev = np.concatenate([[0], self.gender[:-1]])
        changes = set(np.flatnonzero(self.gender != prev).tolist())
        return sorted(changes | set(np.flatnonzero(self.new_subject).tolist()))

    def gender_words(self) -> list[int]:
        """The gender words: the new subjects' ones and the clues of the pronouns."""
        clues = {s.clue for s in self.slots if s.clue is not None}
        return sorted(set(np.flatnonzero(self.new_gender).tolist()) | clues)

    def pronouns(self) -> list[int]:
        return [s.at for s in self.slots if s.at < self.n]

    def slot_at(self, t: int) -> Slot | None:
        return next((s for s in self.slots if s.t == t), None)

    def spans(self) -> list[str | None]:
        """Per token: "female", "male" or None (the current subject's gender)."""
        return ["female" if g > 0 else "male" if g < 0 else None for g in self.gender]

    # -- the units ------------------------------------------------------------------------
    def units(self) -> Units:
        found = ((self.trace.meta.get("units_found") or {}).get("gender")) or {}
        if not found.get("units"):
            raise ExplainerError("this trace has no discovered gender units (meta units_found.gender); "
                                 "record it from a checkpoint trained on the language task")
        layer = int(found.get("layer", 0))
        state = str(found.get("state", "h"))
        name = f"layers.{layer}.{state}"
        if name not in self.trace.names:
            raise ExplainerError(f"the gender units are in {name}, which this trace did not record")
        units = tuple(int(u) for u in found["units"])
        values = np.asarray(self.trace[name][0][:, list(units)], dtype=float)
        f_name = f"layers.{layer}.gates.f"
        forget = np.asarray(self.trace[f_name][0][:, list(units)], dtype=float) if f_name in self.trace.names else None
        corr = tuple(float(c) for c in found.get("correlation") or [0.0] * len(units))
        return Units(units, state, layer, corr, values, forget, dict(found))


def softmax2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(first) of a two-way softmax, computed stably."""
    return 1.0 / (1.0 + np.exp(np.clip(np.asarray(b, float) - np.asarray(a, float), -60, 60)))


def model_name(trace: Trace) -> str:
    """The word key of the trace's model (model.lstm, model.rnn_tanh, ...)."""
    return f"model.{trace.kind}"


def fmt(v: float, decimals: int = 2) -> str:
    """A number as shown on screen (a real minus sign; no "−0.00")."""
    text = f"{v:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")
