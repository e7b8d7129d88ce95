"""Render qualities, one table for every command that makes video (animate, lecture, demo).

The lecture defaults to `LECTURE` (720p30: every number and label on screen is at least
14 px tall there, tests/test_readable.py); `explainer animate` to `ANIMATE` (480p15, quick
to look at). The demo renders its short lecture at "l" to stay fast.

    >>> QUALITIES["m"].height, QUALITIES["m"].fps, QUALITIES["m"].label
    (720, 30, '720p30')
    >>> QUALITIES[LECTURE].label, QUALITIES[ANIMATE].label
    ('720p30', '480p15')
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import ExplainerError


class Quality(NamedTuple):
    manim: str  # Manim's quality name
    height: int  # pixels
    fps: int  # default frames per second

    @property
    def label(self) -> str:
        return f"{self.height}p{self.fps}"


#: -q letter -> quality
QUALITIES: dict[str, Quality] = {
    "l": Quality("low_quality", 480, 15),
    "m": Quality("medium_quality", 720, 30),
    "h": Quality("high_quality", 1080, 60),
    "k": Quality("fourk_quality", 2160, 60),
}


#: The default quality of the lecture (`explainer lecture`, `make_lecture`) and of `explainer animate`.
LECTURE = "m"
ANIMATE = "l"


def check_quality(letter: str) -> Quality:
    """The quality of a -q letter, or a one-line error listing them."""
    if letter not in QUALITIES:
        valid = ", ".join(f"{k} ({q.label})" for k, q in QUALITIES.items())
        raise ExplainerError(f"unknown quality {letter!r}; valid: {valid}")
    return QUALITIES[letter]


def describe() -> str:
    """'l 480p15, m 720p30, h 1080p60, k 2160p60' (for --help)."""
    return ", ".join(f"{k} {q.label}" for k, q in QUALITIES.items())
