"""Captions: one line at the bottom of a scene, replaced as the story goes, never two at once.

A scene says one thing at a time. `swap(old, new)` fades the old caption out during the
first half of its animation and the new one in during the second half, so two captions
never share the screen, not even for a frame of a crossfade (tests/test_readable.py checks
every sampled frame of every scene). A caption is marked (`is_caption`), so a test can tell
it from the other words on screen, and remembers what it says (`said`).

The fades change opacity in place. Manim's FadeIn and FadeOut copy their mobject three
times each when they begin; for a caption of eighty glyphs that cost more than drawing it.

    >>> from animations.captions import caption_line, swap
    >>> line = caption_line("The forget gate decides what to drop.", "en")
    >>> line.is_caption, line.said
    (True, 'The forget gate decides what to drop.')
    >>> [type(a).__name__ for a in swap(None, line)]
    ['Fade']
"""

from __future__ import annotations

import re

import numpy as np
from manim import DOWN, ORIGIN, UP, Animation, Mobject, Text, VGroup, VMobject, config, linear, smooth

from .text import CAPTION_SIZE, label

#: Scene units: the widest a caption may be (the frame is 14.2 wide), and its distance from the bottom.
WIDTH = 13.2
BUFF = 0.3
#: How far a new caption rises as it fades in.
RISE = 0.15
#: The most a caption line is shrunk to fit before it is wrapped (26 → 22: still 20 px tall at 720p).
SHRINK = 0.85
COLOR = "#333333"


class Fade(Animation):
    """Fade `mobject` in (`into=True`) or out within `window` of the animation (fractions of its time).

    No starting copy: the opacities of the mobject's family are remembered at the start and
    scaled. A fade in rises by `rise` from below into place; a fade out removes the mobject
    from the scene at the end.
    """

    def __init__(self, mobject: Mobject, *, into: bool, window: tuple[float, float] = (0.0, 1.0),
                 rise: np.ndarray = ORIGIN, **kwargs) -> None:
        self.into, self.window, self.rise = into, window, np.asarray(rise, dtype=float)
        kwargs.setdefault("rate_func", linear)  # eased within its window (`progress`)
        super().__init__(mobject, introducer=into, remover=not into, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return self.mobject

    def begin(self) -> None:
        self.home = self.mobject.get_center().copy()
        self.opacities = [(m, *_opacity(m)) for m in self.mobject.family_members_with_points()]
        super().begin()

    def progress(self, alpha: float) -> float:
        """How far the fade is (0: as at the start, 1: done) at `alpha` of the animation."""
        lo, hi = self.window
        t = float(np.clip((self.rate_func(alpha) - lo) / max(hi - lo, 1e-9), 0.0, 1.0))
        return smooth(t)

    def interpolate_mobject(self, alpha: float) -> None:
        p = self.progress(alpha)
        seen = p if self.into else 1.0 - p
        for m, fill, stroke in self.opacities:
            _set_opacity(m, fill * seen, stroke * seen)
        if self.into:
            self.mobject.move_to(self.home - self.rise * (1.0 - p))

    def finish(self) -> None:
        self.interpolate(1.0)
        if self.into:  # whole again, so a later fade out starts from full opacity
            self._restore()
        super().finish()

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if not self.into:  # off the scene: whole again, as Manim's FadeOut leaves a mobject, should it come back
            self._restore()

    def _restore(self) -> None:
        for m, fill, stroke in self.opacities:
            _set_opacity(m, fill, stroke)


def _opacity(m: Mobject) -> tuple[float, float]:
    if isinstance(m, VMobject):
        return m.get_fill_opacity(), m.get_stroke_opacity()
    return getattr(m, "fill_opacity", 1.0), getattr(m, "stroke_opacity", 1.0)


def _set_opacity(m: Mobject, fill: float, stroke: float) -> None:
    if isinstance(m, VMobject):
        m.set_fill(opacity=fill, family=False)
        m.set_stroke(opacity=stroke, family=False)
    else:  # an image
        m.set_opacity(fill)


def fit_line(text: str, lang: str, size: float = CAPTION_SIZE, width: float = WIDTH) -> Mobject:
    """`text` at `size` within `width`: one line, shrunk to no less than `SHRINK` of its size when a
    little too wide, else wrapped at the space or punctuation nearest its middle (explicit line
    breaks are kept); several lines are centred one under the other.
    """
    lines = [line for part in text.split("\n") for line in _wrapped(part, lang, size, width)]
    if len(lines) == 1:
        return lines[0]
    return VGroup(*lines).arrange(DOWN, buff=0.1)


def _wrapped(text: str, lang: str, size: float, width: float) -> list[Text]:
    line = label(text, lang, size, COLOR)
    if line.width <= width:
        return [line]
    first, rest = _halves(text)
    if line.width * SHRINK <= width or not first or not rest:
        return [line.scale(width / line.width)]
    return _wrapped(first, lang, size, width) + _wrapped(rest, lang, size, width)


def _halves(text: str) -> tuple[str, str]:
    """Two lines of about equal length: at the space or punctuation nearest the middle, outside brackets
    where it can be ("(1–10: 1.00)" stays whole)."""
    breaks = [m.end() for m in re.finditer(r"[\s，。；：、,;:·]+", text) if 0 < m.end() < len(text)]
    outside = [k for k in breaks if _depth(text[:k]) == 0]
    breaks = outside or breaks
    if not breaks:
        breaks = [len(text) // 2]
    cut = min(breaks, key=lambda k: abs(k - len(text) / 2))
    return text[:cut].rstrip(), text[cut:].lstrip()


def _depth(text: str) -> int:
    """How many brackets and quotes are open at the end of `text`."""
    return sum(text.count(o) - text.count(c) for o, c in ("()", "（）", "[]", "“”"))


def caption_line(text: str, lang: str) -> Mobject:
    """The caption for `text` at the bottom of the frame (not yet on screen)."""
    line = fit_line(text, lang)
    line.move_to([0, -config.frame_height / 2 + BUFF + line.height / 2, 0])
    line.is_caption, line.said = True, text
    return line


def swap(old: Mobject | None, new: Mobject) -> list[Animation]:
    """Animations that replace caption `old` (None: there is none) with `new`: the old one is gone
    before the new one appears."""
    if old is None:
        return [Fade(new, into=True, rise=UP * RISE)]
    return [Fade(old, into=False, window=(0.0, 0.5)), Fade(new, into=True, window=(0.5, 1.0), rise=UP * RISE)]


__all__ = ["Fade", "caption_line", "fit_line", "swap", "WIDTH"]
