"""A recurrent layer unrolled over a hundred steps, and the gradient that travels back along it.

`UnrolledTape` draws colah's unrolled network small enough to show a hundred steps at
once: one yellow box per step (the same cell A, reused) on the hidden-state wire h, and,
for an LSTM, the cell-state belt C running above the boxes. Step t (the pronoun, d = 0)
is on the right; d steps back is `x(d)`.

`GradientRibbon` is the gradient ‖∂ℓ/∂h_{t−d}‖ (or ‖∂ℓ/∂C_{t−d}‖) drawn on a wire as a
band whose width and opacity follow the norm on a log scale (`LogScale`: full at
`top`, gone at `floor`), revealed from d = 0 back to any d with `reveal(d)`. Each is one
VMobject (a hundred boxes as one path, the band as one polygon with a colour gradient), so
a frame costs a few shapes, not hundreds.

    >>> tape = UnrolledTape(100, x_near=4.6, x_far=-5.2, y=1.0, belt=True)     # doctest: +SKIP
    >>> band = GradientRibbon(tape, norms, LogScale(0.3, 3e-21), y=tape.h_y)     # doctest: +SKIP
    >>> self.play(band.travel(0, 10), run_time=2)                                # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import Animation, VGroup, VMobject, ManimColor

from explainer.style import COLORS

from .diagram import Wire

#: The gradient's colour (a signal of the error, travelling back).
GRADIENT = COLORS["error"]


@dataclass(frozen=True)
class LogScale:
    """A norm as a strength in [0, 1]: 1 at `top` and above, 0 at `floor` and below, log-linear between."""

    top: float
    floor: float

    def __call__(self, norm: float) -> float:
        if not (norm > 0 and math.isfinite(norm)):
            return 0.0
        q = (math.log10(norm) - math.log10(self.floor)) / (math.log10(self.top) - math.log10(self.floor))
        return float(min(1.0, max(0.0, q)))


class UnrolledTape(VGroup):
    def __init__(self, steps: int, *, x_near: float, x_far: float, y: float, belt: bool, cell_height: float = 0.42,
                 fill: float = 0.62) -> None:
        super().__init__()
        self.steps, self.x_near, self.x_far, self.y = steps, x_near, x_far, y
        pitch = (x_near - x_far) / steps
        w, h = pitch * fill, cell_height
        self.h_y = y
        self.c_y = y + h / 2 + 0.16 if belt else None
        self.h_wire = Wire([(x_far - pitch, y), (x_near + pitch * 0.9, y)], COLORS["hidden"], 2.5)
        boxes = VMobject(fill_color=COLORS["layer"], fill_opacity=1, stroke_color=COLORS["layer_edge"], stroke_width=1)
        for d in range(steps + 1):
            cx = self.x(d)
            corners = [np.array([cx + a * w / 2, y + b * h / 2, 0.0])
                       for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1))]
            boxes.start_new_path(corners[0])
            boxes.add_points_as_corners(corners[1:])
        self.boxes = boxes
        self.add(self.h_wire, boxes)
        if belt:
            self.belt = Wire([(x_far - pitch, self.c_y), (x_near + pitch * 0.9, self.c_y)], COLORS["belt"], 4)
            self.add(self.belt)

    def x(self, d: float) -> float:
        """The centre of the step d steps before the pronoun's."""
        return self.x_near - (self.x_near - self.x_far) * d / self.steps

    def cell(self, d: int) -> np.ndarray:
        """The centre of step d's box."""
        return np.array([self.x(d), self.y, 0.0])


class GradientRibbon(VMobject):
    """The norms [steps + 1] (d = 0 … steps) as a band on the wire at height `y`, shown from d = 0 back to `reached`."""

    def __init__(self, tape: UnrolledTape, norms: Sequence[float], scale: LogScale, *, y: float,
                 color: str = GRADIENT, widest: float = 0.3, thinnest: float = 0.02, stops: int = 48) -> None:
        super().__init__(stroke_width=0, fill_color=color, fill_opacity=1)
        self.tape, self.scale, self.y = tape, scale, y
        self.norms = np.asarray(norms, dtype=float)
        self.color_rgb = np.array(ManimColor(color).to_rgb())
        self.widest, self.thinnest, self.stops = widest, thinnest, stops
        self.sheen_direction = np.array([1.0, 0.0, 0.0])
        self.reached = 0.0
        self.reveal(0.0)

    def strength(self, d: float) -> float:
        """The log-scaled norm d steps back (interpolated between steps)."""
        d = min(max(d, 0.0), len(self.norms) - 1)
        k = int(math.floor(d))
        if k + 1 >= len(self.norms):
            return self.scale(self.norms[k])
        a, b = self.scale(self.norms[k]), self.scale(self.norms[k + 1])
        return a + (b - a) * (d - k)

    def reveal(self, reached: float) -> GradientRibbon:
        """Show the band from d = 0 (the pronoun) back to d = `reached`."""
        self.reached = reached = float(min(max(reached, 0.0), len(self.norms) - 1))
        span = max(reached, 0.35)  # at d = 0 a short stub, so the start is visible
        ds = np.linspace(0.0, span, 2 + int(math.ceil(span)) * 2)
        half = [max(self.thinnest, self.widest * self.strength(d)) / 2 for d in ds]
        x_right = self.tape.x(0) + (self.tape.x(0) - self.tape.x(1)) * 0.45
        top = [np.array([self.tape.x(d) if d > 0 else x_right, self.y + w, 0.0]) for d, w in zip(ds, half)]
        bottom = [np.array([self.tape.x(d) if d > 0 else x_right, self.y - w, 0.0]) for d, w in zip(ds, half)]
        self.set_points_as_corners(top + bottom[::-1] + [top[0]])
        # the colour fades out with the norm (what is under it shows through): a gradient from left (far back)
        # to right (the pronoun)
        at = np.linspace(span, 0.0, self.stops)
        self.fill_rgbas = np.array([[*self.color_rgb, self.strength(d)] for d in at])
        return self

    def travel(self, start: float, end: float, **kwargs) -> Animation:
        """An animation: the band grows from d = start back to d = end."""
        return _Travel(self, start, end, **kwargs)


class _Travel(Animation):
    def __init__(self, ribbon: GradientRibbon, start: float, end: float, **kwargs) -> None:
        self.start, self.end = start, end
        kwargs.setdefault("rate_func", lambda t: t)
        super().__init__(ribbon, **kwargs)

    def create_starting_mobject(self):
        return self.mobject

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.reveal(self.start + (self.end - self.start) * self.rate_func(alpha))


__all__ = ["UnrolledTape", "GradientRibbon", "LogScale", "GRADIENT"]
