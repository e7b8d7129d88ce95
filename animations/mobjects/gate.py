"""The source's 门控单元: a sigmoid layer and a pointwise product.

A vector enters along a line from the left; a σ layer below turns its input into a gate
vector of numbers between 0 and 1; the × lets each position through in proportion. The
`apply` animation shows it with real vectors: gate values rise into the ×, the vector
passes, and what comes out is their product.
"""

from __future__ import annotations

import numpy as np
from manim import AnimationGroup, FadeIn, Succession, VGroup

from explainer.style import COLORS, GATE_COLORS

from .diagram import LayerBox, Pointwise, Wire
from .vector import StateVector


class GateUnit(VGroup):
    def __init__(self, letter: str = "f", length: float = 6.0) -> None:
        super().__init__()
        self.letter = letter
        self.line_in = Wire([(-length / 2, 0), (-0.3, 0)], COLORS["belt"], 6)
        self.line_out = Wire([(0.3, 0), (length / 2, 0)], COLORS["belt"], 6, tip=True)
        self.times = Pointwise("×", (0, 0), radius=0.3)
        self.sigma = LayerBox("σ", (0, -1.6), width=1.0, height=0.65)
        self.up = Wire([(0, -1.27), (0, -0.3)], GATE_COLORS[letter], 5, tip=True)
        self.feed = Wire([(0, -2.6), (0, -1.93)], COLORS["line"], 5, tip=True)
        self.add(self.line_in, self.line_out, self.up, self.feed, self.sigma, self.times)

    def apply(self, values, gate, *, scale: str = "signed", limit: float = 1.0, cell: float = 0.5,
              highlight=()) -> tuple[Succession, StateVector]:
        """Animate values ⊙ gate through the unit; returns (animation, the product strip left on screen)."""
        values, gate = np.asarray(values, float), np.asarray(gate, float)
        v_in = StateVector(values, scale=scale, limit=limit, cell=cell, highlight=highlight)
        g = StateVector(gate, scale=self.letter, cell=cell, highlight=highlight)
        out = StateVector(values * gate, scale=scale, limit=limit, cell=cell, highlight=highlight)
        v_in.next_to(self.times, np.array([-1, 0, 0]), buff=0.5).shift(np.array([0, 0.55, 0]))
        g.next_to(self.sigma, np.array([1, 0, 0]), buff=0.4)
        out.next_to(self.times, np.array([1, 0, 0]), buff=0.5).shift(np.array([0, 0.55, 0]))
        anim = Succession(
            AnimationGroup(FadeIn(v_in), FadeIn(g)),
            AnimationGroup(g.animate.move_to(self.times.get_center() + np.array([0, -0.75, 0]))),  # full size: its numbers stay legible
            AnimationGroup(FadeIn(out, shift=np.array([0.4, 0, 0])), v_in.animate.set_opacity(0.35)),
        )
        return anim, out
