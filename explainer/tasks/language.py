"""A toy language with long-range dependencies: pronouns and languages to predict.

The grammar produces the source's example and its long-range variants:

    Alice is a female teacher , she likes teaching students ;
    Bob is a male driver , he is addicted to drinking .
    Alice is a female teacher , she likes teaching students , [filler …] , she loves music .
    I was born in France , [filler …] , I can speak fluent French .

Each passage has several clauses; a pronoun must agree with the most recent subject, so a
model has to drop the old subject's gender when a new subject arrives (the forget gate
story of colah's blog), and the language must match the country mentioned long before
(the source's 我出生在法国……我可以说流利的法语).

A subject's first pronoun follows it at once (a short dependency, like colah's "the clouds
are in the sky"); its later pronoun comes after a filler of 5 to 94 tokens. The filler is
not idle: it says what the subject did ("on weekends read books, in the morning went
running") and meets other people as objects whose own pronoun follows a few tokens later
("met Bob and thanked him"). Those short dependencies, of either gender, keep the state
busy, so a state that merely latches one bit of gender is not enough: the model must keep
the subject's gender apart from the object's for as long as the filler lasts. That is
what a plain RNN, trained as long as the LSTM and the GRU, fails to learn beyond short
distances (see `benchmarks/task_targets.py language`).

The model reads the tokens and, at every step, scores the *answers*: the two genders of
pronoun (she/her, he/him) and the languages. Training and evaluation look at the step just
before an answer token, where the next word is that answer. The dependency distance of an
answer is the number of steps from the nearest earlier token that reveals it (the
subject's name or gender word or its earlier pronoun; the object's name; the country) to
the answer itself.

Everything here is numpy: models live elsewhere. The task's declaration (end of file)
gives its one preset, `tuned` (embedding 16, hidden 32, Adam lr 0.005, 1000 updates of
fresh random batches of 32 passages, gradients clipped at norm 1, the LSTM's forget bias
started at 1), and what `explainer trace` records: the source's two-subject passage
(Alice… Bob…), a long one, or a lecturer's own text in English or Chinese, parsed with
the lexicon.

    >>> g = Grammar(seed=0)
    >>> p = g.source_passage()
    >>> g.lexicon.render(p.ids, "zh")
    'Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，他喝酒上瘾。'
    >>> [ANSWERS[c] for c in p.targets if c >= 0]
    ['pronoun:she', 'pronoun:he']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ExplainerError
from .lexicon import FEMALE, LANGS, MALE, Lexicon
from .registry import Explanation, Option, Task, register

#: The classes a model scores at every step: pronouns first, then languages.
ANSWERS = ["pronoun:she", "pronoun:he", "language:French", "language:Chinese", "language:German",
           "language:Japanese", "language:Spanish", "language:Italian"]
PRONOUN_CLASSES = (0, 1)
#: Accuracy is reported in buckets of dependency distance: 1-10, 11-20, ..., 91-100.
BUCKETS = [(lo, lo + 9) for lo in range(1, 100, 10)]
MAX_DISTANCE = 100
#: A subject's later pronoun comes after MIN_FILLER..MAX_FILLER filler tokens: a long dependency.
MIN_FILLER = 5
#: The chance that a filler phrase mentions someone as an object ("met Bob and thanked him").
DISTRACTORS = 0.3
MAX_FILLER = MAX_DISTANCE - 6
#: The largest embedding (the preset uses 16).
MAX_EMBED = 4096


def bucket_name(lo: int, hi: int) -> str:
    return f"{lo}-{hi}"


@dataclass
class Passage:
    ids: np.ndarray  # [time] int64 token ids
    targets: np.ndarray  # [time] int64: answer class of the NEXT token, -1 where it is not an answer
    distances: np.ndarray  # [time] int64: dependency distance of that answer, -1 elsewhere
    gender: np.ndarray  # [time] int8: gender of the current subject after step t: +1 female, -1 male, 0 none
    new_subject: np.ndarray  # [time] bool: a name that replaces an earlier subject
    new_gender: np.ndarray  # [time] bool: the gender word ("male") of such a new subject

    def __len__(self) -> int:
        return len(self.ids)


class Grammar:
    """Samples passages. Everything random comes from `seed`."""

    def __init__(self, seed: int = 0, lexicon: Lexicon | None = None, distractors: float = DISTRACTORS) -> None:
        self.lexicon = lexicon or Lexicon()
        self.distractors = distractors  # chance that a filler phrase is an object mention
        self.rng = np.random.default_rng(seed)
        lx = self.lexicon
        self.names = {g: [i for i in lx.role_ids("name") if lx.words[i].gender == g] for g in (FEMALE, MALE)}
        self.gender_word = {lx.words[i].gender: i for i in lx.role_ids("gender")}
        self.pronoun = {lx.words[i].gender: i for i in lx.role_ids("pronoun")}
        self.object_pronoun = {lx.words[i].gender: i for i in lx.role_ids("object_pronoun")}
        self.answer_class = {lx.id(k): c for c, k in enumerate(ANSWERS)}
        for gender, i in self.object_pronoun.items():  # her/him answer the same question as she/he: which gender
            self.answer_class[i] = self.answer_class[self.pronoun[gender]]
        self.language_of = {lx.words[i].value: i for i in lx.role_ids("language")}

    # -- building blocks -------------------------------------------------------------------
    def _pick(self, ids: list[int]) -> int:
        return int(ids[self.rng.integers(len(ids))])

    def phrase(self, left: int) -> list[int]:
        """One filler phrase of at most `left` tokens: [adverbial] activity ("on weekends read books")."""
        lx = self.lexicon
        words = [self._pick(lx.role_ids("activity"))]
        if left >= 2 and self.rng.random() < 0.6:
            words.insert(0, self._pick(lx.role_ids("adverbial")))
        return words

    def mention(self) -> list[tuple[int, str]]:
        """Someone met as an object and referred back to: "[at home] met Bob and thanked him". The adverbial
        comes first, where both languages put it ("在家遇见了Bob然后感谢了他")."""
        lx = self.lexicon
        name = self._pick(lx.role_ids("name"))
        gender = lx.words[name].gender
        before = [(self._pick(lx.role_ids("adverbial")), "") for _ in range(int(self.rng.integers(0, 2)))]
        return (before + [(self._pick(lx.role_ids("object_verb")), ""), (name, "object")]
                + [(self._pick(lx.role_ids("then_verb")), ""), (self.object_pronoun[gender], "object_answer")])

    def filler(self, length: int) -> list[tuple[int, str]]:
        """About `length` tokens (a last mention may run a few over) that keep the state busy without
        changing the subject: phrases of what the subject does, separated by commas, and people met as
        objects whose own pronoun follows a few tokens later ("met Bob and thanked him"): a short dependency,
        of the other gender half of the time, that a state which merely latches one bit cannot keep apart
        from the subject's gender."""
        comma = self.lexicon.id("punct:comma")
        out: list[tuple[int, str]] = []
        while len(out) < length:
            left = length - len(out)
            if out and out[-1][0] != comma:
                out.append((comma, ""))
                continue
            if left >= 5 and self.rng.random() < self.distractors:
                out += self.mention()
            else:
                out += [(t, "") for t in self.phrase(left)]
        return out

    def subject_clause(self, gender: str, fillers: list[int], name: int | None = None) -> list[tuple[int, str]]:
        """Name is a <gender> noun , pronoun predicate , then for each filler length: filler , pronoun predicate.

        The first pronoun follows its subject at once (a short dependency); each later one comes after a
        filler of the given length (a long one), as (token, tag) pairs."""
        lx = self.lexicon
        comma = lx.id("punct:comma")
        name = name if name is not None else self._pick(self.names[gender])
        tokens = [(name, "subject"), (self._pick(lx.role_ids("is_a")), ""), (self.gender_word[gender], "reveal"),
                  (self._pick(lx.role_ids("noun")), ""), (comma, ""),
                  (self.pronoun[gender], "answer"), (self._pick(lx.role_ids("predicate")), "")]
        for length in fillers:
            tokens += [(comma, "")] + self.filler(length)
            if tokens[-1][0] != comma:
                tokens.append((comma, ""))
            tokens += [(self.pronoun[gender], "answer"), (self._pick(lx.role_ids("predicate")), "")]
        return tokens

    def country_clause(self, filler: int) -> list[tuple[int, str]]:
        """I was born in <country> , filler , I can speak fluent <language>."""
        lx = self.lexicon
        comma = lx.id("punct:comma")
        country = self._pick(lx.role_ids("country"))
        language = self.language_of[lx.words[country].value]
        tokens = [(lx.id("i:I"), ""), (lx.id("born:was born in"), ""), (country, "reveal"), (comma, "")]
        tokens += self.filler(filler)
        if tokens[-1][0] != comma:
            tokens.append((comma, ""))
        return tokens + [(lx.id("i:I"), ""), (lx.id("speak:can speak fluent"), ""), (language, "answer")]

    # -- passages ---------------------------------------------------------------------------
    def filler_length(self, max_filler: int, short: float, min_filler: int = 0) -> int:
        """With probability `short` a short filler (min_filler..10), else uniform in min_filler..max_filler."""
        low = min(min_filler, max_filler)
        top = max(low, min(10, max_filler)) if self.rng.random() < short else max_filler
        return int(self.rng.integers(low, top + 1))

    def passage(self, clauses: int = 2, max_filler: int = MAX_FILLER, country: float = 0.2,
                mentions: int = 1, short: float = 0.0, min_filler: int = MIN_FILLER) -> Passage:
        """A random passage of `clauses` clauses; fillers as `filler_length` draws them."""
        parts = []
        for k in range(clauses):
            if self.rng.random() < country:
                parts.append(self.country_clause(self.filler_length(max_filler, short)))
            else:
                gender = FEMALE if self.rng.random() < 0.5 else MALE
                n = int(self.rng.integers(1, mentions + 1))
                parts.append(self.subject_clause(gender, [self.filler_length(max_filler, short, min_filler)
                                                          for _ in range(n)]))
        return self.assemble(parts)

    def source_passage(self) -> Passage:
        """The source's example: Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，他喝酒上瘾。"""
        lx = self.lexicon
        alice = [(lx.id("name:Alice"), "subject"), (lx.id("is_a:1"), ""), (self.gender_word[FEMALE], "reveal"),
                 (lx.id("noun:teacher"), ""), (lx.id("punct:comma"), ""), (self.pronoun[FEMALE], "answer"),
                 (lx.id("predicate:likes teaching students"), "")]
        bob = [(lx.id("name:Bob"), "subject"), (lx.id("is_a:2"), ""), (self.gender_word[MALE], "reveal"),
               (lx.id("noun:driver"), ""), (lx.id("punct:comma"), ""), (self.pronoun[MALE], "answer"),
               (lx.id("predicate:is addicted to drinking"), "")]
        return self.assemble([alice, bob])

    def long_passage(self, filler: int = 60) -> Passage:
        """Two subjects of opposite gender, each with its pronoun at once and again after `filler` filler tokens."""
        return self.assemble([self.subject_clause(FEMALE, [filler], name=self.lexicon.id("name:Alice")),
                              self.subject_clause(MALE, [filler], name=self.lexicon.id("name:Bob"))])

    def from_ids(self, ids: list[int]) -> Passage:
        """Annotate any token sequence (e.g. parsed from a lecturer's text) by the same rules."""
        lx = self.lexicon
        tags = {"name": "subject", "gender": "reveal", "country": "reveal", "pronoun": "answer", "language": "answer",
                "object_pronoun": "object_answer"}
        tagged = []
        for k, i in enumerate(ids):
            role = lx.words[i].role
            tag = tags.get(role, "")
            if role == "name" and k and lx.words[ids[k - 1]].role == "object_verb":
                tag = "object"
            tagged.append((int(i), tag))
        return self._annotate(tagged)

    def assemble(self, clauses: list[list[tuple[int, str]]]) -> Passage:
        lx = self.lexicon
        tagged: list[tuple[int, str]] = []
        for k, clause in enumerate(clauses):
            if k:
                tagged.append((lx.id("punct:semicolon"), ""))
            tagged += clause
        tagged.append((lx.id("punct:period"), ""))
        return self._annotate(tagged)

    def _annotate(self, tagged: list[tuple[int, str]]) -> Passage:
        """Targets, distances, the current gender and new-subject marks from tagged tokens."""
        lx = self.lexicon
        n = len(tagged)
        ids = np.array([t for t, _ in tagged], dtype=np.int64)
        targets = np.full(n, -1, dtype=np.int64)
        distances = np.full(n, -1, dtype=np.int64)
        gender = np.zeros(n, dtype=np.int8)
        new_subject = np.zeros(n, dtype=bool)
        new_gender = np.zeros(n, dtype=bool)
        current = 0
        last_reveal: dict[str, int] = {}  # what was revealed -> where, for distances
        seen_subject = pending = False  # pending: a new subject whose gender word is still to come
        for t, (tok, tag) in enumerate(tagged):
            word = lx.words[tok]
            if tag == "subject":
                new_subject[t] = pending = seen_subject
                seen_subject = True
                current = 1 if word.gender == FEMALE else -1
                last_reveal["pronoun"] = t
            elif tag == "reveal" and word.role == "gender":
                new_gender[t] = pending
                pending = False
                current = 1 if word.gender == FEMALE else -1
                last_reveal["pronoun"] = t
            elif tag == "reveal":  # a country
                last_reveal["language"] = t
            elif tag == "object":
                last_reveal["object"] = t
            elif tag == "object_answer" and t > 0:
                targets[t - 1] = self.answer_class[tok]
                if "object" in last_reveal:
                    distances[t - 1] = t - last_reveal["object"]
            elif tag == "answer" and t > 0:
                kind = word.role
                targets[t - 1] = self.answer_class[tok]
                if kind in last_reveal:
                    distances[t - 1] = t - last_reveal[kind]
                if kind == "pronoun":
                    last_reveal["pronoun"] = t
            gender[t] = current
        return Passage(ids, targets, distances, gender, new_subject, new_gender)


def p_she(scores: np.ndarray) -> np.ndarray:
    """P(she) from answer scores [..., answers]: the softmax over the two pronouns (she, he), computed stably."""
    s = np.asarray(scores, dtype=float)
    return 1.0 / (1.0 + np.exp(np.clip(s[..., PRONOUN_CLASSES[1]] - s[..., PRONOUN_CLASSES[0]], -60, 60)))


def batch(passages: list[Passage]) -> tuple[np.ndarray, np.ndarray]:
    """Pad passages into ids [batch, time] (pad id 0) and targets [batch, time] (-1 = no loss)."""
    width = max(len(p) for p in passages)
    ids = np.zeros((len(passages), width), dtype=np.int64)
    targets = np.full((len(passages), width), -1, dtype=np.int64)
    for row, p in enumerate(passages):
        ids[row, : len(p)] = p.ids
        targets[row, : len(p)] = p.targets
    return ids, targets


def accuracy_by_distance(passages: list[Passage], predictions: list[np.ndarray],
                         classes: tuple[int, ...] = PRONOUN_CLASSES) -> dict[str, dict[str, float]]:
    """Accuracy of the answers of `classes` in each distance bucket.

    `predictions[k]` is the predicted class at every step of passage k. Returns
    {"1-10": {"accuracy": a, "count": n}, ...}.
    """
    if len(passages) != len(predictions):
        raise ExplainerError("one prediction array per passage is needed")
    hits = {b: [0, 0] for b in BUCKETS}
    for p, pred in zip(passages, predictions):
        for t in np.flatnonzero(np.isin(p.targets, classes)):
            d = p.distances[t]
            for lo, hi in BUCKETS:
                if lo <= d <= hi:
                    hits[(lo, hi)][0] += int(pred[t] == p.targets[t])
                    hits[(lo, hi)][1] += 1
    return {bucket_name(*b): {"accuracy": (h / n if n else float("nan")), "count": n} for b, (h, n) in hits.items()}


# -- the task ---------------------------------------------------------------------------------
PASSAGES = ("source", "long")


def explain(meta: Mapping[str, Any], text: str | None = None, passage: str | None = None,
            lang: str | None = None) -> Explanation:
    """The source's passage (or the long one, or `text` in `lang`), labelled in both languages."""
    lang = lang or "en"
    if lang not in LANGS:
        raise ExplainerError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}")
    grammar = Grammar(seed=0)
    lexicon = grammar.lexicon
    if text is not None:
        p = grammar.from_ids(lexicon.parse(text, lang))
    elif passage in (None, "source"):
        p = grammar.source_passage()
    elif passage == "long":
        p = grammar.long_passage()
    else:
        raise ExplainerError(f"unknown passage {passage!r}; valid: {', '.join(PASSAGES)}")
    answers = [lexicon.words[lexicon.id(k)] for k in ANSWERS]
    return Explanation(p.ids[None], lexicon.tokens(p.ids, lang), {  # ids [1, time]
        "token_ids": [int(i) for i in p.ids],
        "words": {code: lexicon.tokens(p.ids, code) for code in LANGS},
        "answers": {code: [w.text(code) for w in answers] for code in LANGS},
        "targets": [int(t) for t in p.targets],
        "distances": [int(d) for d in p.distances],
        "gender": [int(g) for g in p.gender],
        "new_subject": [bool(b) for b in p.new_subject],
        "new_gender": [bool(b) for b in p.new_gender],
        "lang": lang,
    })


def _summary(meta: Mapping[str, Any]) -> list[str]:
    m = meta["metrics"]
    rows = "  ".join(f"{b}:{a:.2f}" for b, a in m["accuracy_by_distance"].items())
    lines = [f"pronoun accuracy by distance  {rows}",
             f"pronoun accuracy {m['pronoun_accuracy']:.3f}  language accuracy {m['language_accuracy']:.3f}"]
    g = meta.get("units", {}).get("gender")
    if g:
        lines.append(f"gender units ({g['state']}): {g['units']} correlation {[round(c, 2) for c in g['correlation']]}")
        if "forget_at_new_subject" in g:
            lines.append(f"forget gate on them: {g['forget_at_new_subject']:.3f} at a new subject's name, "
                         f"{g['forget_at_new_gender_word']:.3f} at its gender word, {g['forget_elsewhere']:.3f} elsewhere")
    return lines


register(Task(
    name="language", rank=20,
    description="a toy language: predict pronouns and languages across long distances",
    presets={
        "tuned": dict(hidden_size=32, embed_size=16, optimizer="adam", lr=0.005, schedule="constant",
                      iters=1000, batch_size=32, clip=1.0),
    },
    options=(
        Option("embed_size", f"Embedding size, 1 to {MAX_EMBED} [preset: 16].", low=1, high=MAX_EMBED,
               what="embedding size"),
        Option("max_filler", f"Longest filler between a clue and its answer, 0 to 1000 [default: {MAX_FILLER}].",
               low=0, high=1000),
        Option("min_filler", f"Shortest filler before a subject's later pronoun, 0 to 1000 [default: {MIN_FILLER}].",
               low=0, high=1000),
        Option("short", "Share of fillers drawn short (0..10 tokens), a curriculum, 0 to 1 [default: 0].", float,
               low=0, high=1),
        Option("distractors", f"Chance a filler phrase mentions another person, 0 to 1 [default: {DISTRACTORS}].",
               float, low=0, high=1),
        Option("forget_bias", "Added to the LSTM's forget-gate bias at initialisation, -10 to 10 [default: 1].", float,
               low=-10, high=10),
    ),
    defaults=dict(embed_size=16, max_filler=MAX_FILLER, min_filler=MIN_FILLER, short=0.0, distractors=DISTRACTORS,
                  forget_bias=1.0),
    recipe="explainer.training.language:train_language",
    explain=explain,
    trace_options=(
        Option("text", 'Your own passage, e.g. "Alice is a female teacher, she loves music".', str),
        Option("passage", "The source's two-subject passage, or a long one (60 filler tokens). [default: source]",
               str, PASSAGES),
        Option("lang", "Language of --text and of the step labels. [default: en]", str, LANGS),
    ),
    extra_traces=lambda train: {"-long": {"passage": "long"}},
    metrics=("accuracy_by_distance", "pronoun_accuracy", "language_accuracy"),
    sections=("units",),
    summary=_summary,
))
