"""A plain RNN cell, drawn as colah draws it: one learned layer, the yellow box "A".

h_t = tanh(W_ih x_t + W_hh h_{t-1} + b): x_t enters from below, h_{t-1} from the left,
h_t leaves to the right (the next step) and up (the output). `port(side)` gives the
point where a wire attaches; the unrolled RNN is a row of these, one per step, sharing
one set of weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .diagram import LayerBox


class RNNCell(LayerBox):
    def __init__(self, centre: Sequence[float] = (0, 0), width: float = 0.8, height: float = 0.62, size: float = 26,
                 name: str = "A") -> None:
        super().__init__(name, centre, width=width, height=height, size=size)

    def port(self, side: str) -> np.ndarray:
        """'left' (h_{t-1} in), 'right' (h_t out), 'bottom' (x_t in), 'top' (h_t up)."""
        return {"left": self.get_left(), "right": self.get_right(), "bottom": self.get_bottom(), "top": self.get_top()}[side]
