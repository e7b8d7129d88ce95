"""The LSTM cell, one part at a time: ForgetGate, InputGate, CellUpdate, OutputGate, LSTMStep.

colah's cell on the left, with the part being explained lit and the rest dimmed; the real
vectors of the chosen step travel along the lit path as small coloured chips, while the
panel on the right writes the equation and fills in the numbers of the shown units. By
default the step is the trace's telling step (`reading.default_step`: in the source
passage the measured explained step, the new subject's name "Bob", where the model's
gender evidence flips), the layer is the top one, the row is 0, and the units are the
discovered ones (those the readout reads the gender from, `explainer.probes.forget`)
followed by the largest |C_t|; a line under the panel says what C > 0 means in each of
them, from its own correlation with gender. ForgetGate ends with the measurement: how much
of this step's change of C is forgetting and how much writing, the forget gate on those
units at new subjects against elsewhere and the other units, and whether that is colah's
story; `--step`, `--layer`,
`--units` (by their numbers in the model) and `--row` choose others. The units are
labelled with their original numbers, also in a trace cut down with `select(units=...)`.

    manim -ql animations/lstm_gates.py ForgetGate
    EXPLAINER_STEP=5 EXPLAINER_LANG=zh manim -ql animations/lstm_gates.py LSTMStep
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UL, UP, FadeIn, FadeOut, Group, MoveAlongPath, RoundedRectangle, VGroup, config

from animations.base import TraceScene
from animations.mobjects import Equation, LSTMCell, StateVector
from animations.registry import scene
from animations.text import SMALL_SIZE
from explainer import reading
from explainer.errors import ExplainerError
from explainer.reading import forget
from explainer.style import COLORS, GATE_COLORS
from explainer.words.glossary import SEP

SHOWN = 6  # units shown with numbers
FOUND = 3  # discovered units shown first (outlined)
CHIP = 0.17  # cell size of the travelling chips
PANEL_CELL = 0.75  # cell size of the panel's rows: their numbers are 15 px tall at 720p
PANEL_X, PANEL_TOP, PANEL_PITCH = 4.35, 0.45, 0.86  # centre x of the rows, y of the first, distance between rows
LEGEND_WIDTH = 5.8  # the widest a line of the sign legend above the panel may be
VALUE_CELL = 0.27  # cell size of a value under its symbol in an equation (colours only: the numbers are in the panel)
OPTIONS = ("step", "layer", "units", "row")

EQUATIONS = {
    "forget": [r"f_t", r"=", r"\sigma(W_f\cdot[h_{t-1},\,x_t]+b_f)"],
    "input": [r"i_t", r"=", r"\sigma(W_i\cdot[h_{t-1},\,x_t]+b_i)"],
    "candidate": [r"\tilde{C}_t", r"=", r"\tanh(W_C\cdot[h_{t-1},\,x_t]+b_C)"],
    "cell": [r"C_t", r"=", r"f_t\odot C_{t-1}", r"+", r"i_t\odot\tilde{C}_t"],
    "output": [r"o_t", r"=", r"\sigma(W_o\cdot[h_{t-1},\,x_t]+b_o)"],
    "hidden": [r"h_t", r"=", r"o_t\odot\tanh(C_t)"],
}
SYMBOLS = {  # row label (mathtext) and colour of every vector the panel can show
    "h_prev": (r"h_{t-1}", GATE_COLORS["h"]), "f": (r"f_t", GATE_COLORS["f"]), "c_prev": (r"C_{t-1}", GATE_COLORS["c"]),
    "fc": (r"f_t\odot C_{t-1}", GATE_COLORS["f"]), "i": (r"i_t", GATE_COLORS["i"]), "g": (r"\tilde{C}_t", GATE_COLORS["g"]),
    "ig": (r"i_t\odot\tilde{C}_t", GATE_COLORS["i"]), "c": (r"C_t", GATE_COLORS["c"]), "o": (r"o_t", GATE_COLORS["o"]),
    "tanh_c": (r"\tanh(C_t)", COLORS["text"]), "h": (r"h_t", GATE_COLORS["h"]),
}
#: panel rows drawn on the cell state's colour limit (the rest are gates in [0, 1] or tanh in [-1, 1])
CELL_ROWS = ("c", "c_prev", "fc")


def scale_of(key: str) -> str:
    """A row's colour scale: its gate letter for a sigmoid gate (f, i, o), else signed."""
    return key if reading.is_sigmoid(key) else "signed"


class GateScene(TraceScene):
    """Shared storyboard pieces; subclasses say which parts to explain."""

    parts: tuple[str, ...] = ()
    title_key = ""
    tells_measured = False  # after the forget gate's verdict, the measured story of the discovered units

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prepare()  # fails here, before any rendering, on a bad option or a trace without what we need

    # -- the data of the step ------------------------------------------------------------
    def prepare(self) -> None:
        """The step, layer, row and units to show, and the vectors of that step (no drawing)."""
        tr, o = self.trace, self.options
        self.layer = reading.check_layer(tr, o.get("layer"))
        names = {k: reading.name_of(self.layer, k) for k in ("c", "h", "f", "i", "g", "o")}
        reading.needs(tr, *names.values(), by=f"scene {self.spec.name}", same_units=True,
                      why=f"(scene {self.spec.name} draws layer {self.layer}'s cell state and gates)")
        self.row = reading.check_row(tr, o.get("row"))
        self.t = t = reading.check_step(tr, o.get("step"))
        c, h = tr[names["c"]][self.row], tr[names["h"]][self.row]  # [time, units]
        v = {k: tr[names[k]][self.row, t] for k in "figo"}  # each [units]
        v["c_prev"] = c[t - 1] if t else np.zeros_like(c[0])
        v["h_prev"] = h[t - 1] if t else np.zeros_like(h[0])
        v["c"], v["h"] = c[t], h[t]
        v["fc"], v["ig"], v["tanh_c"] = v["f"] * v["c_prev"], v["i"] * v["g"], np.tanh(c[t])
        size = c.shape[1]
        found = reading.found_units(tr, layer=self.layer)
        found_columns = found.columns if found is not None else []
        given = reading.check_units(tr, o.get("units"), size)
        if given is not None:
            if len(given) > SHOWN:
                raise ExplainerError(f"scene {self.spec.name} shows at most {SHOWN} units; --units gave {len(given)}")
            columns = given
        else:
            first = found_columns[:FOUND]
            columns = first + reading.largest_units(c[t], SHOWN - len(first), exclude=first)
        self.columns = columns  # where the shown units are in this trace's arrays
        numbers = reading.unit_numbers(tr, size)
        self.numbers = [numbers[k] for k in columns]  # what they are called: their numbers in the model
        self.marked = [k for k, col in enumerate(columns) if col in found_columns]  # panel positions of found units
        self.values = {k: np.asarray(a, dtype=float)[columns] for k, a in v.items()}  # each [shown]
        self.limit = reading.signed_limit(np.concatenate([self.values["c"], self.values["c_prev"]]))

    def step_text(self) -> str:
        """'step 10: “male”': the step and its label (the word, or the trace's own step label)."""
        return self.w("scene.gate.step", t=self.t, token=reading.step_label(self.trace, self.t, self.lang, self.row))

    # -- building blocks -----------------------------------------------------------------
    def intro(self) -> None:
        title = self.title(self.title_key).scale(0.9).to_corner(UL, buff=0.35)
        sub = self.text(self.step_text(), size=24, color="#555555").next_to(title, DOWN, buff=0.12, aligned_edge=LEFT)
        head = VGroup(title, sub)
        self.head = head  # the equations keep to its right
        shown = self.shown_line(self.layer, self.row)
        if shown is not None:
            head.add(shown.next_to(sub, DOWN, buff=0.1, aligned_edge=LEFT))
        self.cell = LSTMCell(scale=0.66).move_to(np.array([-3.55, -0.45, 0]))
        self.play(FadeIn(head), run_time=0.8)
        self.play(FadeIn(self.cell), run_time=1.0)
        self.rows: dict[str, _Row] = {}
        self.eq_values: list = []
        self.header = self.unit_header()
        self.legend = self.sign_legend()
        self.play(FadeIn(self.header), FadeIn(self.legend), run_time=0.4)
        if self.t == 0:
            self.play(*self.caption("scene.gate.initial"))

    def unit_header(self) -> VGroup:
        """The unit's number in the model above each column of the panel (the discovered units outlined)."""
        ref = self.panel_row("h", 0).strip
        numbers = VGroup(*[
            self.text(str(u), size=20, color=COLORS["highlight"] if k in self.marked else "#666666",
                      weight="BOLD" if k in self.marked else "NORMAL")
            .move_to(ref.cell_center(k) + UP * (PANEL_CELL / 2 + 0.2))
            for k, u in enumerate(self.numbers)])
        name = self.text(self.w("axis.unit"), size=20, color="#666666").next_to(numbers, LEFT, buff=0.3)
        return VGroup(name, numbers)

    def sign_legend(self) -> VGroup:
        """Above the panel: what C > 0 says in each shown unit, from its own correlation with gender (nothing when
        the trace carries no such measurement)."""
        signs = forget.signs_of(self.trace, self.numbers, self.layer)
        if signs is None or not isinstance(self.trace.meta.get("answers"), dict):
            return VGroup()
        answers = tuple(self.trace.meta["answers"].get(self.lang, ["she", "he"])[:2])
        lines = VGroup()
        for units, pos, neg in forget.sign_groups(self.numbers, signs, answers):
            key = "forget.say.signs" if len(units) > 1 else "forget.say.sign"
            text = self.w(key, units=forget.units_label(units, self.lang), pos=pos, neg=neg)
            line = self.text(text, size=SMALL_SIZE, color="#555555")
            if line.width > LEGEND_WIDTH:  # on two lines: the units, then what their sign says
                colon = "：" if self.lang == "zh" else ":"
                head, _, tail = text.partition(colon)
                line = VGroup(self.text(head + colon, size=SMALL_SIZE, color="#555555"),
                              self.text(tail.strip(), size=SMALL_SIZE, color="#555555")).arrange(
                    DOWN, aligned_edge=LEFT, buff=0.08)
            lines.add(line)
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        right = PANEL_X + SHOWN * PANEL_CELL / 2  # the panel strips' right edge
        return lines.move_to(np.array([right - lines.width / 2, PANEL_TOP + PANEL_CELL / 2 + 0.55 + lines.height / 2, 0]))

    def measured_story(self) -> None:
        """After the textbook's words, the measurement's: how much of this step's change of C is forgetting, the
        forget gate on the discovered units at new subjects against elsewhere and the other units, and what
        that says of colah's story (`explainer.probes.forget`)."""
        m = forget.measured(self.trace, self.layer)
        if m is None or not self.marked:
            return
        marked = [self.columns[k] for k in self.marked]
        share = forget.step_share(self.trace, self.layer, marked, self.t, self.row)
        if share is not None:
            self.say("forget.say.here", wait=2.4, word=reading.step_label(self.trace, self.t, self.lang, self.row),
                     reset=forget.percent(share), write=forget.percent(1 - share))
        said = forget.said(m, self.lang)
        if said["selectivity"]:
            self.say("forget.say.selectivity", wait=3.6, **said["selectivity"])
            self.say("forget.say.change", wait=3.0, **said["change"])
            if m.change.verdict != "unknown":
                self.say(f"forget.verdict.{m.change.verdict}", wait=3.0)

    def panel_row(self, key: str, index: int) -> _Row:
        """A labelled strip of the shown units' values at panel row `index` (not yet added)."""
        tex, color = SYMBOLS[key]
        strip = StateVector(self.values[key], scale=scale_of(key), limit=self.limit if key in CELL_ROWS else 1.0,
                            cell=PANEL_CELL, highlight=self.marked)
        strip.move_to(np.array([PANEL_X, PANEL_TOP - PANEL_PITCH * index, 0]))
        name = Equation([tex], size=30, color=color)
        name.next_to(strip, LEFT, buff=0.25)
        return _Row(name, strip)

    def chip(self, key: str) -> StateVector:
        return StateVector(self.values[key], scale=scale_of(key), limit=self.limit, cell=CHIP, numbers=False)

    def x_chip(self):
        """x_t as the step's label (the word read, or the trace's step label)."""
        t = self.text(reading.step_label(self.trace, self.t, self.lang, self.row), size=22, color=COLORS["text"])
        box = RoundedRectangle(corner_radius=0.06, width=t.width + 0.2, height=t.height + 0.16, fill_color="#FFFFFF",
                               fill_opacity=1, stroke_color=GATE_COLORS["x"], stroke_width=2)
        return VGroup(box, t.move_to(box))

    def equation(self, key: str, slot: int = 0, of: int = 1) -> Equation:
        """Equation `key` at the top right, the `slot`-th of `of`: one sits at 2.85; a pair sits higher and
        closer (3.35, 2.63), so that the lower one stays clear of the sign legend (its top at about 2.1)."""
        eq = Equation(EQUATIONS[key], size=34, colors={0: SYMBOLS[{"candidate": "g", "hidden": "h", "cell": "c"}.get(key, key[0])][1]})
        if eq.width > 6.2:
            eq.scale_to_fit_width(6.2)
        y = 2.85 if of == 1 else 3.35 - 0.72 * slot
        eq.move_to(np.array([3.7, y, 0]))
        head = getattr(self, "head", None)
        if head is not None and head.get_bottom()[1] < eq.get_top()[1] and eq.get_left()[0] < head.get_right()[0] + 0.3:
            room = config.frame_width / 2 - 0.2 - (head.get_right()[0] + 0.3)  # a long title: the formula beside it
            if eq.width > room:
                eq.scale_to_fit_width(room)
            eq.move_to(np.array([config.frame_width / 2 - 0.2 - eq.width / 2, y, 0]))
        return eq

    def travel(self, mob, *wires: str, run_time: float = 1.2):
        return MoveAlongPath(mob, self.cell.route(*wires), run_time=run_time)

    def inputs_to(self, gate: str, run_time: float = 1.4):
        """h_{t-1} and x_t enter, merge and run along the bus to the gate's layer."""
        h_chip, x_chip = self.chip("h_prev"), self.x_chip()
        bus = {"f": ("bus_f",), "i": ("bus_f", "bus_i"), "g": ("bus_f", "bus_i", "bus_g"),
               "o": ("bus_f", "bus_i", "bus_g", "bus_o")}[gate]
        h_chip.move_to(self.cell.pieces["h_in"][0].get_start())
        x_chip.move_to(self.cell.pieces["x_in"][0].get_start())
        self.play(FadeIn(h_chip), FadeIn(x_chip), run_time=0.4)
        self.play(self.travel(h_chip, "h_in", run_time=0.7), self.travel(x_chip, "x_in", run_time=0.7))
        self.play(self.travel(h_chip, *bus, f"to_{gate}", run_time=run_time),
                  self.travel(x_chip, *bus, f"to_{gate}", run_time=run_time))
        self.play(FadeOut(h_chip, scale=0.4), FadeOut(x_chip, scale=0.4), run_time=0.3)

    def show(self, key: str, index: int) -> _Row:
        """Fill panel row `index` with vector `key`."""
        r = self.panel_row(key, index)
        self.rows[key] = r
        self.play(FadeIn(r), run_time=0.6)
        return r

    def give_value(self, eq: Equation, key: str) -> None:
        """The equation's symbol takes its value: the row's colours appear left of the equation (its numbers are in
        the panel; the space under the equation is the sign legend's)."""
        row = self.rows[key].strip
        strip = StateVector(row.values, scale=row.scale_name, limit=row.limit, cell=VALUE_CELL, numbers=False,
                            highlight=self.marked)
        self.play(eq.take_value(0, strip, left=True), run_time=0.9)
        self.eq_values.append(strip)

    # -- the parts -------------------------------------------------------------------------
    def explain_forget(self) -> None:
        self.clear_rows()
        self.play(self.cell.light("forget"), run_time=0.8)
        self.say("scene.gate.forget.what", wait=1.2)
        eq = self.equation("forget")
        self.play(FadeIn(eq), run_time=0.8)
        self.show("h_prev", 0)
        self.say("scene.gate.forget.inputs", wait=0.3)
        self.inputs_to("f")
        self.say("scene.gate.forget.sigmoid", wait=0.2)
        f_chip = self.chip("f").move_to(self.cell.point("sigma_f"))
        self.play(FadeIn(f_chip, scale=1.4), run_time=0.4)
        self.play(self.travel(f_chip, "f_up", run_time=0.9), self.show_later("f", 1))
        self.give_value(eq, "f")
        c_chip = self.chip("c_prev").move_to(self.cell.pieces["belt_in"][0].get_start())
        self.play(FadeIn(c_chip), self.show_later("c_prev", 2), run_time=0.6)
        self.play(self.travel(c_chip, "belt_in", run_time=1.0))
        self.say("scene.gate.forget.multiply", wait=0.2)
        fc_chip = self.chip("fc").move_to(self.cell.point("mul_f"))
        self.play(FadeOut(f_chip), FadeOut(c_chip), FadeIn(fc_chip, scale=1.3), run_time=0.5)
        self.play(self.travel(fc_chip, "belt_mid", run_time=0.9), self.show_later("fc", 3))
        self.play(FadeOut(fc_chip), run_time=0.3)
        self.verdict()
        if self.tells_measured:
            self.measured_story()
        self.drop_equations(eq)

    def explain_input(self) -> None:
        self.play(self.cell.light("input"), run_time=0.8)
        self.say("scene.gate.input.what", wait=1.0)
        eqs = VGroup(self.equation("input", 0, of=2), self.equation("candidate", 1, of=2))
        self.play(FadeIn(eqs), run_time=0.8)
        # a whole step keeps f ⊙ C for the update (hₜ₋₁ was shown with the forget gate: four rows fit the panel)
        kept = ["fc"] if "fc" in self.rows else [k for k in ("h_prev",) if k in self.rows]
        self.clear_rows(keep=tuple(kept))
        self.arrange_rows(kept)
        if "h_prev" not in self.rows and "fc" not in self.rows:
            self.show("h_prev", len(kept))
        start_row = len(self.rows)
        self.inputs_to("i", run_time=1.0)
        i_chip = self.chip("i").move_to(self.cell.point("sigma_i"))
        g_chip = self.chip("g").move_to(self.cell.point("tanh_g"))
        self.say("scene.gate.input.candidate", wait=0.2)
        self.play(FadeIn(g_chip, scale=1.4), FadeIn(i_chip, scale=1.4), run_time=0.4)
        self.play(self.travel(g_chip, "g_up", run_time=0.8), self.show_later("g", start_row))
        self.say("scene.gate.input.gate", wait=0.2)
        self.play(self.travel(i_chip, "i_up", run_time=1.0), self.show_later("i", start_row + 1))
        self.give_value(eqs[0], "i")
        ig_chip = self.chip("ig").move_to(self.cell.point("mul_i"))
        self.play(FadeOut(i_chip), FadeOut(g_chip), FadeIn(ig_chip, scale=1.3), run_time=0.5)
        self.play(self.travel(ig_chip, "ig_up", run_time=0.8), self.show_later("ig", start_row + 2))
        self.play(FadeOut(ig_chip), run_time=0.3)
        self.drop_equations(eqs)

    def explain_cell(self) -> None:
        self.play(self.cell.light("cell"), run_time=0.8)
        self.say("scene.gate.cell.what", wait=0.8)
        eq = self.equation("cell")
        self.play(FadeIn(eq), run_time=0.8)
        self.clear_rows(keep=("fc", "ig"))
        if "fc" in self.rows and "ig" in self.rows:
            self.arrange_rows(["fc", "ig"])
        else:  # the two terms arrive from their multiplications
            fc_chip = self.chip("fc").move_to(self.cell.point("mul_f"))
            ig_chip = self.chip("ig").move_to(self.cell.point("mul_i"))
            self.play(FadeIn(fc_chip, scale=1.3), FadeIn(ig_chip, scale=1.3), run_time=0.5)
            self.play(self.travel(fc_chip, "belt_mid", run_time=0.9), self.travel(ig_chip, "ig_up", run_time=0.9),
                      self.show_later("fc", 0), self.show_later("ig", 1))
            self.play(FadeOut(fc_chip), FadeOut(ig_chip), run_time=0.3)
        c_chip = self.chip("c").move_to(self.cell.point("add"))
        self.play(FadeIn(c_chip, scale=1.3), run_time=0.4)
        self.play(self.travel(c_chip, "belt_out", run_time=1.0), self.show_later("c", 2))
        self.give_value(eq, "c")
        self.play(FadeOut(c_chip), run_time=0.3)
        self.wait(1.0)
        self.drop_equations(eq)

    def explain_output(self) -> None:
        self.play(self.cell.light("output"), run_time=0.8)
        self.say("scene.gate.output.what", wait=1.0)
        eqs = VGroup(self.equation("output", 0, of=2), self.equation("hidden", 1, of=2))
        self.play(FadeIn(eqs), run_time=0.8)
        self.clear_rows(keep=("c",))
        if "c" in self.rows:
            self.arrange_rows(["c"])
        else:  # explained on its own: the cell state comes first
            self.show("c", 0)
        self.inputs_to("o", run_time=1.0)
        o_chip = self.chip("o").move_to(self.cell.point("sigma_o"))
        self.play(FadeIn(o_chip, scale=1.4), run_time=0.4)
        self.play(self.travel(o_chip, "o_right", run_time=0.8), self.show_later("o", 1))
        tc_chip = self.chip("tanh_c").move_to(self.cell.point("tanh_c"))
        self.say("scene.gate.output.tanh", wait=0.2)
        self.play(FadeIn(tc_chip, scale=1.3), self.show_later("tanh_c", 2), run_time=0.8)
        self.play(self.travel(tc_chip, "tanh_down", run_time=0.6))
        h_chip = self.chip("h").move_to(self.cell.point("mul_o"))
        self.play(FadeOut(o_chip), FadeOut(tc_chip), FadeIn(h_chip, scale=1.3), run_time=0.5)
        self.play(self.travel(h_chip, "h_right", run_time=1.0), self.show_later("h", 3))
        self.give_value(eqs[1], "h")
        self.play(FadeOut(h_chip), run_time=0.3)
        self.wait(1.0)
        self.drop_equations(eqs)

    # -- helpers ---------------------------------------------------------------------------
    def show_later(self, key: str, index: int):
        r = self.panel_row(key, index)
        self.rows[key] = r
        return FadeIn(r, shift=LEFT * 0.3, run_time=0.9)

    def clear_rows(self, keep: tuple[str, ...] = ()) -> None:
        gone = [r for k, r in self.rows.items() if k not in keep]
        if gone:
            self.play(*[FadeOut(r) for r in gone], run_time=0.4)
        self.rows = {k: r for k, r in self.rows.items() if k in keep}

    def arrange_rows(self, order: list[str]) -> None:
        anims = []
        for index, key in enumerate(order):
            target = self.panel_row(key, index)
            anims.append(self.rows[key].animate.move_to(target))
        if anims:
            self.play(*anims, run_time=0.5)

    def drop_equations(self, eqs) -> None:
        self.play(FadeOut(eqs), *[FadeOut(v) for v in self.eq_values], run_time=0.4)
        self.eq_values = []

    def verdict_units(self) -> list[int]:
        """Panel positions the forget verdict is about: the discovered units shown, else every shown unit."""
        return self.marked or list(range(len(self.columns)))

    def verdict(self) -> None:
        f = self.values["f"][self.verdict_units()]
        self.say(f"scene.gate.verdict.{reading.forget_verdict(f)}", wait=2.5,
                 values=reading.numbers(f, sep=SEP[self.lang]))

    def construct(self) -> None:
        self.intro()
        for part in self.parts:
            getattr(self, f"explain_{part}")()
        self.play(self.cell.light(None), run_time=0.8)
        self.wait(1.5)


class _Row(Group):
    """A panel row: the symbol and its strip."""

    def __init__(self, name, strip) -> None:
        super().__init__(name, strip)
        self.name, self.strip = name, strip


@scene("ForgetGate", "The LSTM cell with the forget path lit; the real f_t of one step drops part of C_{t-1}.",
       rank=20, default="language-lstm", kinds=(("lstm",),), options=OPTIONS)
class ForgetGate(GateScene):
    parts = ("forget",)
    title_key = "scene.gate.title.forget"
    tells_measured = True


@scene("InputGate", "The input path: the candidate C̃_t and the input gate i_t, with their real values.",
       rank=21, default="language-lstm", kinds=(("lstm",),), options=OPTIONS)
class InputGate(GateScene):
    parts = ("input",)
    title_key = "scene.gate.title.input"


@scene("CellUpdate", "The conveyor belt: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t with the real vectors.",
       rank=22, default="language-lstm", kinds=(("lstm",),), options=OPTIONS)
class CellUpdate(GateScene):
    parts = ("cell",)
    title_key = "scene.gate.title.cell"


@scene("OutputGate", "The output path: o_t filters tanh(C_t) into h_t, with the real values.",
       rank=23, default="language-lstm", kinds=(("lstm",),), options=OPTIONS)
class OutputGate(GateScene):
    parts = ("output",)
    title_key = "scene.gate.title.output"


@scene("LSTMStep", "One whole LSTM step: forget, input, cell update, output, in order.",
       rank=24, default="language-lstm", kinds=(("lstm",),), options=OPTIONS)
class LSTMStep(GateScene):
    parts = ("forget", "input", "cell", "output")
    title_key = "scene.gate.title.step"
