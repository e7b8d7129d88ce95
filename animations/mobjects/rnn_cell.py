"""A plain RNN cell: one learned layer, h_t = tanh(W_ih x_t + W_hh h_{t-1} + b).

Drawn as colah draws it: a frame holding one yellow tanh layer; h_{t-1} enters from the
left, x_t from below, h_t leaves to the right (to the next step) and up (to the output).
Ports give the points where vectors enter and leave.
"""

from __future__ import annotations

import numpy as np
from manim import VGroup

from explainer.style import GATE_COLORS

from ..text import label
from .diagram import LayerBox, Wire, frame


class RNNCell(VGroup):
    def __init__(self, name: str = "A", width: float = 1.3, height: float = 1.1, show_layer: bool = False) -> None:
        super().__init__()
        self.box = frame((0, 0), width, height).set_fill("#F6D55C" if not show_layer else "#F3F3F3")
        self.box.set_stroke("#B8960C", width=3)
        self.add(self.box)
        if show_layer:
            self.layer = LayerBox("tanh", (0, 0), width=width * 0.7, height=height * 0.5, size=24)
            self.add(self.layer)
        self.name = label(name, "en", size=34)
        self.add(self.name.move_to(self.box))
        self.width_, self.height_ = width, height

    def port(self, side: str) -> np.ndarray:
        """'left' (h_{t-1} in), 'right' (h_t out), 'bottom' (x_t in), 'top' (h_t up)."""
        box = self.box
        return {"left": box.get_left(), "right": box.get_right(), "bottom": box.get_bottom(), "top": box.get_top()}[side]

    def wire(self, side: str, length: float = 0.6, color: str | None = None) -> Wire:
        """A short wire into (bottom, left) or out of (top, right) the cell."""
        p = self.port(side)
        direction = {"left": np.array([-1, 0, 0]), "right": np.array([1, 0, 0]), "bottom": np.array([0, -1, 0]),
                     "top": np.array([0, 1, 0])}[side]
        far = p + direction * length
        color = color or (GATE_COLORS["x"] if side == "bottom" else GATE_COLORS["h"])
        ends = [far, p] if side in ("left", "bottom") else [p, far]
        return Wire([e[:2] for e in ends], color, 5, tip=True)
