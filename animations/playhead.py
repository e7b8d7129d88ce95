"""A reading position that several pictures follow: the language scenes' clock.

A scene over a passage keeps one number, the playhead `s` (a token position; -1 is before
the first token). Every moving picture (the ticker, value strips, plotted lines) is a
"mover": a mobject and a function that lays it out for a given `s`. `advance` moves the
playhead from where it is to a new step in one `play`, so a run over sixty tokens is one
animation, not sixty, and with `ease` the motion settles on each token like a reader's
eye. The animation behind it, `Follow`, calls the function every frame and makes no
starting copy of its mobject: copying a ticker with a hundred cached words at the start
of every run cost more than drawing the run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from manim import Animation, Mobject, Scene, linear, smooth, squish_rate_func

Mover = tuple[Mobject, Callable[[Mobject, float], object]]


class Follow(Animation):
    """Calls `fn(mobject, alpha)` each frame (alpha after the rate function); no starting copy."""

    def __init__(self, mobject: Mobject, fn: Callable[[Mobject, float], object], **kwargs) -> None:
        self.fn = fn
        super().__init__(mobject, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return self.mobject

    def interpolate_mobject(self, alpha: float) -> None:
        self.fn(self.mobject, self.rate_func(alpha))


def positions(a: float, b: float, ease: bool) -> Callable[[float], float]:
    """alpha in [0, 1] -> playhead between a and b; with `ease`, a smooth stop at every token."""
    n = b - a

    def at(alpha: float) -> float:
        x = a + alpha * n
        if not ease or x >= b:
            return min(x, b)
        k = math.floor(x - a)
        return a + k + smooth(x - a - k)

    return at


def advance(scene: Scene, movers: Sequence[Mover], a: float, b: float, seconds: float, *extra, ease: bool = True,
            caption_seconds: float = 0.6) -> None:
    """One play that moves every mover from playhead a to b; `extra` animations (captions)
    finish within their first `caption_seconds`, however long the run."""
    seconds = max(seconds, 1 / 15)
    n = b - a
    if extra and n >= 2 and seconds > 2 * caption_seconds:
        # the caption's fade in its own short play: a caption that is part of a long play is redrawn every frame
        per = seconds / n
        k = min(int(n) - 1, max(1, math.ceil(caption_seconds / per)))
        advance(scene, movers, a, a + k, per * k, *extra, ease=ease, caption_seconds=caption_seconds)
        advance(scene, movers, a + k, b, per * (n - k), ease=ease)
        return
    # Manim redraws every frame whatever lies above the first moving mobject; captions and marks added
    # since the last run go below the movers, so they stay in the cached background
    scene.bring_to_front(*[m for m, _ in movers])
    at = positions(a, b, ease)
    anims = [Follow(m, lambda mob, alpha, fn=fn: fn(mob, at(alpha)), rate_func=linear) for m, fn in movers]
    for anim in extra:
        anim.rate_func = squish_rate_func(smooth, 0, min(1.0, caption_seconds / seconds))
    scene.play(*anims, *extra, run_time=seconds)
