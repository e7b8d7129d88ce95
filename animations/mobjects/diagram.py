"""colah's vocabulary as Manim mobjects: yellow layer boxes, pink pointwise circles, lines.

Shared by the RNN cell, the LSTM cell and the gate unit. Every piece remembers its
natural colour, so a diagram can dim everything and light one path again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Circle, Ellipse, RoundedRectangle, VGroup, VMobject

from explainer.style import COLORS

from ..text import label

DIM = COLORS["dim"]


class Piece(VGroup):
    """A diagram part that knows how to show itself lit or dimmed."""

    def lit(self, on: bool = True) -> Piece:
        raise NotImplementedError


class LayerBox(Piece):
    """A learned layer (σ, tanh): a yellow rounded box."""

    def __init__(self, text: str, center: Sequence[float], width: float = 0.95, height: float = 0.6, size: float = 30):
        box = RoundedRectangle(corner_radius=0.1, width=width, height=height, fill_color=COLORS["layer"], fill_opacity=1,
                               stroke_color=COLORS["layer_edge"], stroke_width=2.5)
        txt = label(text, "en", size=size)
        super().__init__(box, txt)
        self.move_to(np.array([*center[:2], 0]))
        self.box, self.text = box, txt

    def lit(self, on: bool = True) -> LayerBox:
        self.box.set_fill(COLORS["layer"] if on else DIM, opacity=1 if on else 0.55)
        self.box.set_stroke(COLORS["layer_edge"] if on else DIM)
        self.text.set_color(COLORS["text"] if on else "#9A9A9A")
        return self


class Pointwise(Piece):
    """A pointwise operation (×, +, tanh): a pink circle, widened into an ellipse for a word (tanh).

    A word is drawn at 0.85 of `size` (not shrunk to fit the circle: at the LSTM cell's scale a
    smaller "tanh" would be unreadable at 720p); the ellipse grows around it.
    """

    def __init__(self, text: str, center: Sequence[float], radius: float = 0.28, size: float = 30):
        txt = label(text, "en", size=size if len(text) == 1 else size * 0.85)
        width = max(2 * radius, txt.width + 0.22)
        circle = Ellipse(width=width, height=2 * radius, fill_color=COLORS["pointwise"], fill_opacity=1,
                         stroke_color=COLORS["pointwise_edge"], stroke_width=2.5)
        super().__init__(circle, txt)
        self.move_to(np.array([*center[:2], 0]))
        self.circle, self.text = circle, txt

    def lit(self, on: bool = True) -> Pointwise:
        self.circle.set_fill(COLORS["pointwise"] if on else DIM, opacity=1 if on else 0.55)
        self.circle.set_stroke(COLORS["pointwise_edge"] if on else DIM)
        self.text.set_color(COLORS["text"] if on else "#9A9A9A")
        return self


class Wire(Piece):
    """A polyline in a colour (optionally with an arrow tip at its end)."""

    def __init__(self, points: Sequence[Sequence[float]], color: str = COLORS["line"], width: float = 4, tip: bool = False):
        pts = [np.array([p[0], p[1], 0.0]) for p in points]
        path = VMobject(stroke_color=color, stroke_width=width)
        path.set_points_as_corners(pts)
        parts = [path]
        if tip:
            end, before = pts[-1], pts[-2]
            direction = (end - before) / (np.linalg.norm(end - before) + 1e-9)
            normal = np.array([-direction[1], direction[0], 0])
            head = VMobject(fill_color=color, fill_opacity=1, stroke_width=0)
            head.set_points_as_corners([end, end - 0.22 * direction + 0.11 * normal, end - 0.22 * direction - 0.11 * normal, end])
            parts.append(head)
        super().__init__(*parts)
        self.color_name, self.stroke = color, width

    def lit(self, on: bool = True) -> Wire:
        color = self.color_name if on else DIM
        self[0].set_stroke(color, width=self.stroke if on else self.stroke * 0.7)
        if len(self) > 1:
            self[1].set_fill(color)
        return self


def frame(center: Sequence[float], width: float, height: float) -> RoundedRectangle:
    """The light grey rounded frame of a cell."""
    return RoundedRectangle(corner_radius=0.35, width=width, height=height, fill_color="#F3F3F3", fill_opacity=1,
                            stroke_color="#CFCFCF", stroke_width=2).move_to(np.array([*center[:2], 0]))


def dot(point: Sequence[float], color: str = COLORS["line"]) -> Circle:
    return Circle(radius=0.06, fill_color=color, fill_opacity=1, stroke_width=0).move_to(np.array([*point[:2], 0]))


__all__ = ["LayerBox", "Pointwise", "Wire", "Piece", "frame", "dot"]
