"""Beats: where a scene's pictures wait for the narration, and the narration for the pictures.

A scene's storyboard is a sequence of beats: the first begins with the scene, and every
caption change begins the next (where a lecturer would click). A chapter's narration is a
list of spoken cues. `BeatPlan` lays the N cues over the B beats in order, as evenly as the
counts allow:

- N ≥ B: beat b carries cues [b·N/B, (b+1)·N/B), said one after another from the beat's
  start; the next beat begins when they are said;
- N < B: cue c spans beats [c·B/N, (c+1)·B/N) and is said through from the first of them;
  each later beat of its span begins no earlier than the word where its share of the cue
  begins (the engine's word timings; without them, that share of the cue's length), so the
  picture changes on its words.

A cue is never cut: the voice does not wait for the pictures in the middle of a sentence.
The pictures wait for the voice at every beat boundary; a beat whose animation is longer
than its speech simply lasts longer, and the next cue starts with the next beat. This is
manim-voiceover's `with self.voiceover(text) as tracker:` turned around: the cues live in the
lecture's narration, which a lecturer edits without touching the scene.

    >>> plan = BeatPlan([Timing(2.0), Timing(1.0)], beats=2, gap=0.25)
    >>> plan.begin(0, now=0.0)        # the scene starts: cue 0 is said from 0.0
    0.0
    >>> plan.begin(1, now=1.5)        # the second caption comes at 1.5: wait for cue 0 (2.0 + gap)
    0.75
    >>> plan.starts, plan.end(now=2.5)
    ([0.0, 2.25], 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from explainer.voice.cues import GAP  # seconds of silence after a cue before the next beat may begin


@dataclass(frozen=True)
class Timing:
    """What the plan needs of a spoken cue: its length and its words' starts (seconds from its start)."""

    seconds: float
    words: tuple[float, ...] = ()


class BeatPlan:
    def __init__(self, cues: Sequence[Timing], beats: int, gap: float = GAP) -> None:
        self.cues, self.beats, self.gap = list(cues), max(int(beats), 1), float(gap)
        self.starts: list[float | None] = [None] * len(self.cues)
        self.deadline = 0.0  # the earliest the next beat may begin
        n, b = len(self.cues), self.beats
        if n >= b:
            self.carried = [list(range(k * n // b, (k + 1) * n // b)) for k in range(b)]
            self.owner = None
        else:
            self.carried = None
            self.owner = [(c, c * b // n, (c + 1) * b // n) for c in range(n) for _ in range(c * b // n, (c + 1) * b // n)]

    def begin(self, beat: int, now: float) -> float:
        """Beat `beat` is due at `now`: how long it must wait first (the cues it starts are recorded)."""
        wait = max(0.0, self.deadline - now)
        t = now + wait
        if beat >= self.beats or not self.cues:  # more beats than counted: they carry nothing
            return wait
        if self.carried is not None:
            for c in self.carried[beat]:
                self.starts[c] = t
                t += self.cues[c].seconds + self.gap
            self.deadline = max(self.deadline, t)
            return wait
        c, first, last = self.owner[beat]
        if beat == first:
            self.starts[c] = t
        start = self.starts[c] if self.starts[c] is not None else t
        if beat == last - 1:
            self.deadline = start + self.cues[c].seconds + self.gap
        else:
            self.deadline = start + self.split(c, beat - first + 1, last - first)
        return wait

    def split(self, c: int, part: int, parts: int) -> float:
        """When part `part` of `parts` of cue `c` begins: the word start nearest its share of the cue."""
        cue = self.cues[c]
        target = cue.seconds * part / parts
        later = [w for w in cue.words if w > 0.0]
        if not later:
            return target
        return min(later, key=lambda w: abs(w - target))

    def end(self, now: float) -> float:
        """The scene is over at `now`: how long to hold its last picture until every cue is said.
        A cue whose beat never came (the scene had fewer beats than counted) is said now."""
        t = max(now, self.deadline)
        for c, start in enumerate(self.starts):
            if start is None:
                self.starts[c] = t
                t += self.cues[c].seconds + self.gap
        self.deadline = max(self.deadline, t)
        return max(0.0, self.deadline - now)


def sequential(cues: Sequence[Timing], gap: float = GAP) -> tuple[list[float], float]:
    """Cues said one after another from 0 (a card or a still): (their starts, the time they take)."""
    plan = BeatPlan(cues, beats=1, gap=gap)
    plan.begin(0, 0.0)
    return [float(s) for s in plan.starts], plan.end(0.0)
