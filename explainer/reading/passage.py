"""A toy-language trace's passage, annotated: where its subjects, gender words and pronouns are.

A language trace holds one passage (batch row 0) and its metadata: the current subject's
gender per token (`gender`: +1 female, -1 male, 0 none), where a new subject and its gender
word arrive (`new_subject`, `new_gender`), the answer class the model must give at the
step before each pronoun (`targets`) and how far back its clue is (`distances`). This
module turns that into the facts every picture shows, defined once:

    subjects          runs of one subject's gender: (first step, last step, +1/-1)
    new_subjects      the names that replace an earlier subject
    new_gender_words  the gender word ("male") of each new subject
    gender_words      every word that gives a subject's gender: the clues of the pronouns
                      and the new subjects' gender words
    pronouns          the steps of the pronouns

`Passage` adds the words in one language and the model's answers (P(she) is the softmax of
the first two answer scores, as in the task's evaluation).

    >>> from explainer.trace import Trace
    >>> ev = events(Trace.load("assets/traces/language-lstm.safetensors"))
    >>> ev.new_subjects, ev.new_gender_words, ev.gender_words, ev.pronouns
    ([8], [10], [2, 10], [5, 13])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ExplainerError
from ..tasks.language import PRONOUN_CLASSES, p_she
from ..trace import Trace
from .steps import step_labels


@dataclass(frozen=True)
class Question:
    """A step just before a pronoun: the model's readout there must predict it."""

    t: int  # the step whose readout predicts the pronoun
    target: int  # the answer class (0 she, 1 he)
    distance: int  # tokens from the clue to the pronoun (-1: unknown)
    clue: int | None  # the clue's step (the subject's gender word or name)

    @property
    def at(self) -> int:
        """The step of the pronoun itself."""
        return self.t + 1


@dataclass(frozen=True)
class Events:
    subjects: list[tuple[int, int, int]]
    new_subjects: list[int]
    new_gender_words: list[int]
    gender_words: list[int]
    pronouns: list[int]
    questions: list[Question]

    def marked(self) -> list[int]:
        """The steps a picture labels even when it thins its labels: subjects, gender words, pronouns."""
        return sorted({s[0] for s in self.subjects} | set(self.gender_words) | set(self.pronouns))


def _flags(meta: dict, key: str, n: int) -> list[bool]:
    values = meta.get(key) or []
    return [bool(v) for v in values[:n]] + [False] * max(0, n - len(values))


def events(trace: Trace) -> Events:
    """Where things happen in the trace's passage (all empty for a trace of another task)."""
    meta, n = trace.meta, trace.num_steps
    gender = [int(g) for g in (meta.get("gender") or [])[:n]]
    new_subject = _flags(meta, "new_subject", n)
    new_gender = _flags(meta, "new_gender", n)
    subjects: list[tuple[int, int, int]] = []
    for t, g in enumerate(gender):
        if g and subjects and subjects[-1][2] == g and subjects[-1][1] == t - 1 and not new_subject[t]:
            subjects[-1] = (subjects[-1][0], t, g)
        elif g:
            subjects.append((t, t, g))
    targets = [int(c) for c in (meta.get("targets") or [])[:n]]
    distances = [int(d) for d in (meta.get("distances") or [])[:n]] + [-1] * n
    questions = []
    for t, c in enumerate(targets):
        if c in PRONOUN_CLASSES:
            d = distances[t]
            clue = t + 1 - d if 0 < d <= t + 1 else None
            questions.append(Question(t, c, d, clue))
    new_gender_words = [t for t, b in enumerate(new_gender) if b]
    clues = {q.clue for q in questions if q.clue is not None}
    return Events(
        subjects=subjects,
        new_subjects=[t for t, b in enumerate(new_subject) if b],
        new_gender_words=new_gender_words,
        gender_words=sorted(clues | set(new_gender_words)),
        pronouns=[q.at for q in questions if q.at < n],
        questions=questions,
    )


@dataclass(frozen=True)
class Slot(Question):
    """A question with the model's answer."""

    answer: str = ""  # the correct pronoun (in the passage's language)
    p_she: float = float("nan")  # the model's P(she) at step t
    predicted: str = ""  # the pronoun the model picks (the larger of the two scores)
    right: bool = False


@dataclass
class Passage:
    """One passage in one language, with the model's answers (needs `output` and the words)."""

    trace: Trace
    lang: str
    words: list[str]
    events: Events
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
        missing = [k for k in ("targets", "distances", "gender", "answers") if not meta.get(k)]
        if missing or "output" not in trace.names:
            what = ", ".join(missing + ([] if "output" in trace.names else ["the output scores"]))
            raise ExplainerError(f"this trace lacks {what}; record a language trace with `explainer trace`")
        n = trace.num_steps
        if trace.batch_size == 0:
            raise ExplainerError("this language trace has no batch rows (no passage); record it on a passage with "
                                 "`explainer trace`")
        if n == 0:
            raise ExplainerError("this language trace has no steps; record it on a passage of at least one token")
        words = step_labels(trace, lang)
        answers_of = (meta["answers"] or {}).get(lang) or []
        if len(answers_of) < 2:
            raise ExplainerError(f"this trace has no answer words in {lang!r}; record it again with `explainer trace`")
        scores = np.asarray(trace["output"][0], dtype=float)  # [time, answers]
        she = p_she(scores)
        answers = tuple(str(answers_of[c]) for c in PRONOUN_CLASSES)
        ev = events(trace)
        slots = []
        for q in ev.questions:
            pick = 0 if scores[q.t, PRONOUN_CLASSES[0]] >= scores[q.t, PRONOUN_CLASSES[1]] else 1
            slots.append(Slot(q.t, q.target, q.distance, q.clue, answers[q.target], float(she[q.t]), answers[pick],
                              pick == q.target))
        gender = np.zeros(n, dtype=int)
        given = [int(g) for g in meta["gender"][:n]]
        gender[:len(given)] = given
        return cls(trace, lang, words, ev, gender, np.asarray(_flags(meta, "new_subject", n)),
                   np.asarray(_flags(meta, "new_gender", n)), she, slots, answers)

    def slot_at(self, t: int) -> Slot | None:
        return next((s for s in self.slots if s.t == t), None)

    def spans(self) -> list[str | None]:
        """Per token: "female", "male" or None (the current subject's gender)."""
        return ["female" if g > 0 else "male" if g < 0 else None for g in self.gender]
