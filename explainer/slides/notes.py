"""Which narration cues are a slide's speaker notes: the lecture's own mapping of cues to beats.

A scene chapter's slides are its beats (`animations/slide_scenes.py`). The cues said over
each beat are those the spoken lecture says over it (`animations.beats.BeatPlan`): with at
least as many cues as beats, beat b carries cues [b·N/B, (b+1)·N/B); with fewer, cue c
spans beats [c·B/N, (c+1)·B/N) and is said from the first of them, so its text is the
notes of that first beat (the later beats of its span show the same sentence going on,
and carry no notes of their own).

    >>> notes_per_beat(["one", "two", "three"], beats=2)
    [['one'], ['two', 'three']]
    >>> notes_per_beat(["one", "two"], beats=4)
    [['one'], [], ['two'], []]
    >>> notes_per_beat([], beats=2)
    [[], []]
"""

from __future__ import annotations

from collections.abc import Sequence

from animations.beats import BeatPlan, Timing


def notes_per_beat(cues: Sequence[str], beats: int) -> list[list[str]]:
    """For each of `beats` beats, the cues (in order) whose text is its speaker notes."""
    plan = BeatPlan([Timing(1.0)] * len(cues), beats)
    notes: list[list[str]] = [[] for _ in range(plan.beats)]
    if plan.carried is not None:
        for beat, carried in enumerate(plan.carried):
            notes[beat] = [cues[c] for c in carried]
    else:
        for c, first, _ in dict.fromkeys(plan.owner):  # one entry per beat of a cue's span: its first beat says it
            notes[first].append(cues[c])
    return notes
