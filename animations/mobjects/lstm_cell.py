"""colah's LSTM cell as a Manim mobject that can light one path and dim the rest.

Layout (local units, before scaling): the cell-state conveyor belt runs along the top
(C_{t-1} -> × -> + -> C_t), h_{t-1} and x_t merge at the bottom left (concatenation) into
a bus that forks (copies) up into four learned layers σ, σ, tanh, σ; their outputs are
f_t, i_t, C̃_t, o_t. tanh(C_t) × o_t gives h_t, which leaves to the right and the top.

    >>> cell = LSTMCell()                                   # doctest: +SKIP
    >>> self.play(cell.light("forget"))                     # doctest: +SKIP
    >>> route = cell.route("f")                              # the path f_t travels, for MoveAlongPath
"""

from __future__ import annotations

import numpy as np
from manim import AnimationGroup, VGroup, VMobject

from explainer.style import COLORS, GATE_COLORS

from .diagram import LayerBox, Pointwise, Wire, dot, frame
from .equation import Equation

BELT_Y, BUS_Y, LAYER_Y, MUL_I_Y = 1.9, -1.9, -0.55, 0.65
X = {"merge": -3.6, "f": -2.6, "i": -1.25, "g": 0.15, "o": 1.55, "tanh_c": 2.85, "h": 3.55, "left": -5.0, "right": 5.0}

#: The pieces each path lights (the rest is dimmed).
PATHS = {
    "forget": ["h_in", "x_in", "bus_f", "to_f", "sigma_f", "f_up", "mul_f", "belt_in", "belt_mid"],
    "input": ["h_in", "x_in", "bus_f", "bus_i", "bus_g", "to_i", "to_g", "sigma_i", "tanh_g", "i_up", "g_up", "mul_i",
              "ig_up", "add"],
    "cell": ["belt_in", "mul_f", "belt_mid", "add", "belt_out", "ig_up", "f_up"],
    "output": ["h_in", "x_in", "bus_f", "bus_i", "bus_g", "bus_o", "to_o", "sigma_o", "o_right", "c_down", "tanh_c",
               "tanh_down", "mul_o", "h_right", "h_up", "belt_out"],
}


class LSTMCell(VGroup):
    def __init__(self, scale: float = 0.62) -> None:
        super().__init__()
        c, h, x, ink = COLORS["belt"], GATE_COLORS["h"], GATE_COLORS["x"], COLORS["line"]
        p: dict[str, object] = {}
        self.add(frame((0, 0), 8.6, 5.2))
        # wires first (under the boxes and circles)
        p["belt_in"] = Wire([(X["left"], BELT_Y), (X["f"], BELT_Y)], c, 7)
        p["belt_mid"] = Wire([(X["f"], BELT_Y), (X["g"], BELT_Y)], c, 7)
        p["belt_out"] = Wire([(X["g"], BELT_Y), (X["right"], BELT_Y)], c, 7, tip=True)
        p["h_in"] = Wire([(X["left"], BUS_Y), (X["merge"], BUS_Y)], h, 5)
        p["x_in"] = Wire([(X["merge"], -3.1), (X["merge"], BUS_Y)], x, 5)
        p["bus_f"] = Wire([(X["merge"], BUS_Y), (X["f"], BUS_Y)], ink, 5)
        p["bus_i"] = Wire([(X["f"], BUS_Y), (X["i"], BUS_Y)], ink, 5)
        p["bus_g"] = Wire([(X["i"], BUS_Y), (X["g"], BUS_Y)], ink, 5)
        p["bus_o"] = Wire([(X["g"], BUS_Y), (X["o"], BUS_Y)], ink, 5)
        for g in "figo":
            p[f"to_{g}"] = Wire([(X[g], BUS_Y), (X[g], LAYER_Y - 0.3)], ink, 5, tip=True)
        p["f_up"] = Wire([(X["f"], LAYER_Y + 0.3), (X["f"], BELT_Y - 0.28)], GATE_COLORS["f"], 5, tip=True)
        p["i_up"] = Wire([(X["i"], LAYER_Y + 0.3), (X["i"], MUL_I_Y), (X["g"] - 0.28, MUL_I_Y)], GATE_COLORS["i"], 5, tip=True)
        p["g_up"] = Wire([(X["g"], LAYER_Y + 0.3), (X["g"], MUL_I_Y - 0.28)], GATE_COLORS["g"], 5, tip=True)
        p["ig_up"] = Wire([(X["g"], MUL_I_Y + 0.28), (X["g"], BELT_Y - 0.28)], ink, 5, tip=True)
        p["c_down"] = Wire([(X["tanh_c"], BELT_Y), (X["tanh_c"], MUL_I_Y + 0.28)], c, 5, tip=True)
        p["tanh_down"] = Wire([(X["tanh_c"], MUL_I_Y - 0.28), (X["tanh_c"], LAYER_Y + 0.28)], ink, 5, tip=True)
        p["o_right"] = Wire([(X["o"] + 0.48, LAYER_Y), (X["tanh_c"] - 0.28, LAYER_Y)], GATE_COLORS["o"], 5, tip=True)
        p["h_right"] = Wire([(X["tanh_c"] + 0.28, LAYER_Y), (X["h"], LAYER_Y), (X["h"], BUS_Y), (X["right"], BUS_Y)], h, 5, tip=True)
        p["h_up"] = Wire([(X["h"], LAYER_Y), (X["h"], 3.2)], h, 5, tip=True)
        # learned layers and pointwise operations
        p["sigma_f"] = LayerBox("σ", (X["f"], LAYER_Y))
        p["sigma_i"] = LayerBox("σ", (X["i"], LAYER_Y))
        p["tanh_g"] = LayerBox("tanh", (X["g"], LAYER_Y), width=1.05, size=26)
        p["sigma_o"] = LayerBox("σ", (X["o"], LAYER_Y))
        p["mul_f"] = Pointwise("×", (X["f"], BELT_Y))
        p["add"] = Pointwise("+", (X["g"], BELT_Y))
        p["mul_i"] = Pointwise("×", (X["g"], MUL_I_Y))
        p["tanh_c"] = Pointwise("tanh", (X["tanh_c"], MUL_I_Y), radius=0.33)
        p["mul_o"] = Pointwise("×", (X["tanh_c"], LAYER_Y))
        self.pieces = p
        for name in list(p):
            self.add(p[name])
        self.add(dot((X["merge"], BUS_Y)), dot((X["h"], LAYER_Y), h), dot((X["tanh_c"], BELT_Y), c))
        for g in "fio":
            self.add(dot((X[g], BUS_Y)))
        # symbols beside the gate outputs, in their colours
        self.symbols = {
            "f": Equation([r"f_t"], size=30, color=GATE_COLORS["f"]).next_to(p["f_up"], np.array([1, 0, 0]), buff=0.12),
            "i": Equation([r"i_t"], size=30, color=GATE_COLORS["i"]).move_to(np.array([X["i"] - 0.32, 0.1, 0])),
            "g": Equation([r"\tilde{C}_t"], size=30, color=GATE_COLORS["g"]).move_to(np.array([X["g"] + 0.45, 0.05, 0])),
            "o": Equation([r"o_t"], size=30, color=GATE_COLORS["o"]).move_to(np.array([2.25, LAYER_Y + 0.5, 0])),
            "c_prev": Equation([r"C_{t-1}"], size=32, color=c).move_to(np.array([X["left"] + 0.45, BELT_Y + 0.4, 0])),
            "c": Equation([r"C_t"], size=32, color=c).move_to(np.array([X["right"] - 0.25, BELT_Y + 0.4, 0])),
            "h_prev": Equation([r"h_{t-1}"], size=32, color=h).move_to(np.array([X["left"] + 0.45, BUS_Y + 0.4, 0])),
            "x": Equation([r"x_t"], size=32, color=x).move_to(np.array([X["merge"] - 0.4, -2.95, 0])),
            "h": Equation([r"h_t"], size=32, color=h).move_to(np.array([X["right"] - 0.25, BUS_Y + 0.4, 0])),
            "h_top": Equation([r"h_t"], size=32, color=h).move_to(np.array([X["h"] + 0.4, 3.0, 0])),
        }
        for sym in self.symbols.values():
            self.add(sym)
        self.scale(scale, about_point=np.zeros(3))

    # -- lighting ----------------------------------------------------------------------
    #: each symbol follows the wire it names
    SYMBOL_WIRES = {"f": "f_up", "i": "i_up", "g": "g_up", "o": "o_right", "c_prev": "belt_in", "c": "belt_out",
                    "h_prev": "h_in", "x": "x_in", "h": "h_right", "h_top": "h_up"}

    def light(self, path: str | None, **kwargs) -> AnimationGroup:
        """Light `path` ("forget", "input", "cell", "output"; None: everything) and dim the rest."""
        keep = set(PATHS[path]) if path else set(self.pieces)
        anims = [piece.animate.lit(name in keep) for name, piece in self.pieces.items()]
        for name, symbol in self.symbols.items():
            anims.append(symbol.animate.set_opacity(1.0 if self.SYMBOL_WIRES[name] in keep else 0.25))
        return AnimationGroup(*anims, **kwargs)

    # -- where things travel -----------------------------------------------------------
    def point(self, name: str) -> np.ndarray:
        """Centre of a piece (e.g. 'mul_f', 'sigma_o')."""
        return self.pieces[name].get_center()

    def route(self, *names: str) -> VMobject:
        """A path through the given wires, in order (for MoveAlongPath)."""
        pts = []
        for n in names:
            for q in self.pieces[n][0].get_anchors():
                if not pts or np.linalg.norm(pts[-1] - q) > 1e-6:
                    pts.append(q)
        path = VMobject()
        path.set_points_as_corners(pts)
        return path
