"""CellText: Karpathy's coloured text, line by line, beside the LSTM cell of the unit it follows.

A few lines of the text the model read appear one at a time, each character on a cell
coloured by one unit's value after the model read it (the `text` figure's colours: signed
values blue - white - red, symmetric at the largest |value| of the text; a gate white to its
colour). A playhead runs along the current line; beside the text, colah's cell with the
same unit's forget, input and output gates and its cell state C at the character under the
playhead, as coloured chips with their numbers. The captions say what the colours are,
what the chips are, and, only when discovery stored it, the feature the unit follows and
its r; the last one names the command that draws the whole text.

The unit: `--unit L.KIND.N` (e.g. `1.c.98`), `--feature NAME` (its best discovered unit),
else the trace's best discovered unit, else the first unit of the top layer's C
(`explainer.reading.one_unit`, as the figure chooses). `--step` starts at the line holding
that step (default: the text's first line); `--row` picks the batch row.

    manim -ql animations/cell_text.py CellText
    EXPLAINER_TRACE=code.safetensors EXPLAINER_FEATURE=indent EXPLAINER_LANG=zh \\
        manim -ql animations/cell_text.py CellText
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, FadeIn, Group, Rectangle, VGroup

from animations.base import READ, TraceScene
from animations.mobjects import Equation, LSTMCell, StateVector
from animations.mobjects.char_row import CharRow
from animations.playhead import advance
from animations.registry import scene
from animations.text import SMALL_SIZE, SUBTITLE_SIZE
from explainer import reading
from explainer.errors import ExplainerError
from explainer.reading.one_unit import (choose_unit, feature_name, signed_r, unit_limits, unit_spec, unit_title,
                                        unit_values)
from explainer.reading.text import require_text, text_of
from explainer.reading.shown import many_rows
from explainer.reading.text_rows import cells, glyph, line_count, line_start, text_rows
from explainer.style import COLORS, GATE_COLORS, value_cmap, value_colours

#: The text panel: its left edge and top (scene units), cells per row, rows shown.
LEFT_X, TOP_Y = -6.85, 1.7
COLUMNS, ROWS = 46, 9
#: A character cell (scene units): 0.6 of the font size wide, as DejaVu Sans Mono advances, plus air.
EM = 0.24  # font size: capitals 0.73 of it, 15.8 px at 720p
CELL = 0.15
ROW_HEIGHT, PITCH = 0.36, 0.42
#: The cell diagram and the chips under it.
CELL_AT, CELL_SCALE = np.array([3.95, 0.7, 0]), 0.62  # the scale at which its words are 14 px tall
CHIP, CHIP_GAP, CHIPS_Y = 0.78, 1.12, -1.95
#: Seconds per character as the playhead reads.
PER_CHAR = 0.06
#: The gates shown beside the unit's C (an LSTM's), in colah's order.
GATES = ("f", "i", "o")


@scene("CellText", "Karpathy's coloured text: a few lines of the text in one unit's colours, read character by "
       "character beside the LSTM cell showing that unit's gates and cell state (--unit L.KIND.N or --feature).",
       rank=70, default="text-lstm", kinds=(("lstm",),), options=("unit", "feature", "step", "row"))
class CellText(TraceScene):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prepare()  # refuses here, before anything renders

    # -- the data ----------------------------------------------------------------------------
    def prepare(self) -> None:
        tr, o, by = self.trace, self.options, f"scene {self.spec.name}"
        reading.needs(tr, by=by)
        require_text(tr, by)
        self.row = reading.check_row(tr, o.get("row"))
        self.source = text_of(tr, self.row)
        self.unit = u = choose_unit(tr, o.get("unit"), o.get("feature"), by)
        if u.letter == "h" and tr.meta.get("proj_size"):
            raise ExplainerError(f"{by} shows a unit's gates beside it, and this LSTM projects h (proj_size), so "
                                 f"{u.label} has no gates of its own; give --unit {u.layer}.c.N")
        names = {q: reading.name_of(u.layer, q, u.reverse) for q in ("c", *GATES)}
        reading.needs(tr, *names.values(), by=by, why=f"({by} shows the unit's cell state and its gates f, i, o)")
        step = o.get("step")
        if step is not None:
            step = reading.check_step(tr, step)
        n = len(self.source)
        if step is not None and step >= n:
            raise ExplainerError(f"--step {step} is past the end of the text of row {self.row} ({n} characters)")
        self.rows = text_rows(self.source, COLUMNS, ROWS, start=line_start(self.source, step or 0))
        if not self.rows.rows:
            raise ExplainerError(f"{by} has nothing to show: the trace's text is empty")
        self.values = unit_values(tr, u, self.row)[:n]  # [characters]
        self.limits = unit_limits(self.values, u.letter)
        self.rgba = value_colours(self.values, self.limits, value_cmap(u.letter))  # [characters, 4]
        column = u.column
        self.cell_values = {q: np.asarray(tr[name][self.row, :n, column], dtype=float)  # [characters]
                            for q, name in names.items()}
        self.followed = u.letter if u.letter in names else None
        if self.followed is None:  # h or C̃: shown as a fifth chip
            self.cell_values[u.letter] = self.values
        self.c_limit = max(abs(x) for x in unit_limits(self.cell_values["c"], "c"))
        # every character the playhead visits, in order: (row on screen, its position in that row, step)
        self.visits = [(k, j, t) for k, r in enumerate(self.rows.rows) for j, t in enumerate(r.steps)]

    # -- layout ------------------------------------------------------------------------------
    def build(self) -> None:
        title = self.title("celltext.title").scale(0.82).to_corner(UL, buff=0.3)
        sub = self.text(unit_title(self.unit, self.lang), size=SUBTITLE_SIZE, color="#444444")
        sub.next_to(title, DOWN, buff=0.12, aligned_edge=LEFT)
        self.head = VGroup(title, sub)
        shown = self.shown_line(self.unit.layer, self.row if many_rows(self.trace) else None)
        if shown is not None:
            self.head.add(shown.next_to(sub, DOWN, buff=0.1, aligned_edge=LEFT))
        first, last = self.rows.rows[0].line + 1, self.rows.rows[-1].line + 1
        self.where = self.text(self.w("celltext.lines", a=first, b=last, n=line_count(self.source)), size=SMALL_SIZE,
                               color="#666666")
        self.where.move_to(np.array([LEFT_X, TOP_Y + 0.45, 0]), aligned_edge=LEFT)
        self.lines = [self.char_row(k) for k in range(len(self.rows.rows))]
        self.marks = VGroup(*[
            self.text("↪", size=SMALL_SIZE, color="#888888").move_to(np.array([LEFT_X - 0.02, self.row_y(k), 0]))
            for k, r in enumerate(self.rows.rows) if r.continued])
        self.bar = self.colour_bar()
        self.cell = LSTMCell(scale=CELL_SCALE).move_to(CELL_AT)
        self.chips = self.make_chips()

    def row_y(self, k: int) -> float:
        return TOP_Y - k * PITCH

    def char_row(self, k: int) -> CharRow:
        r = self.rows.rows[k]
        quiet = [j for j, t in enumerate(r.steps) if glyph(self.source[t]) != self.source[t]]
        row = CharRow([glyph(self.source[t]) for t in r.steps], self.rgba[list(r.steps)], r.columns, cell=CELL,
                      height=ROW_HEIGHT, em=EM, spans=[cells(self.source[t]) for t in r.steps], quiet=quiet)
        return row.move_to(np.array([LEFT_X + 0.2, self.row_y(k), 0]), aligned_edge=LEFT)

    def colour_bar(self) -> Group:
        """Under the text: the colours from the lowest to the highest value, with the ends' numbers."""
        lo, hi = self.limits
        scale = self.unit.letter if reading.is_sigmoid(self.unit.letter) else "signed"
        strip = StateVector(np.linspace(lo, hi, 15), scale=scale, limit=hi, cell=0.22, numbers=False)
        low = self.text(reading.number(lo), size=SMALL_SIZE, color="#444444")
        high = self.text(reading.number(hi), size=SMALL_SIZE, color="#444444")
        what = self.text(self.w("textpic.bar", unit=self.unit.label), size=SMALL_SIZE, color="#444444")
        bar = Group(low, strip, high).arrange(RIGHT, buff=0.15)
        legend = Group(what, bar).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        return legend.move_to(np.array([LEFT_X + 0.2, -2.4, 0]), aligned_edge=LEFT)

    def make_chips(self) -> Group:
        """The unit's gates and cell state at the playhead's character: one numbered chip each, under the cell."""
        keys = [*GATES, "c"] + ([] if self.followed else [self.unit.letter])
        symbols = {"f": r"f_t", "i": r"i_t", "o": r"o_t", "c": r"C_t", "h": r"h_t", "g": r"\tilde{C}_t"}
        self.strips: dict[str, StateVector] = {}
        group = Group()
        for q in keys:
            scale = q if reading.is_sigmoid(q) else "signed"
            limit = self.c_limit if q == "c" else 1.0
            highlight = [0] if q == (self.followed or self.unit.letter) else []
            strip = StateVector([self.cell_values[q][self.rows.start]], scale=scale, limit=limit, cell=CHIP,
                                highlight=highlight)
            self.strips[q] = strip
            name = Equation([symbols.get(q, q)], size=30, color=GATE_COLORS.get(q, COLORS["text"]))
            group.add(Group(name, strip).arrange(DOWN, buff=0.14))
        group.arrange(RIGHT, buff=CHIP_GAP - CHIP, aligned_edge=DOWN)
        unit = self.text(self.w("label.unit", u=self.unit.number), size=SMALL_SIZE, color="#666666")
        chips = Group(group, unit).arrange(DOWN, buff=0.16)
        return chips.move_to(np.array([CELL_AT[0], CHIPS_Y, 0]))

    # -- the playhead ------------------------------------------------------------------------
    def head_at(self, mob: Rectangle, p: float) -> None:
        """Put the playhead on visit `p` (fractional: between two characters of a row)."""
        k = min(int(math.floor(p)), len(self.visits) - 1)
        row, j, _ = self.visits[k]
        here = self.lines[row].cell_center(j)
        nxt = self.visits[k + 1] if k + 1 < len(self.visits) else None
        frac = p - k
        if nxt is not None and nxt[0] == row and frac > 0:
            here = here + (self.lines[row].cell_center(nxt[1]) - here) * frac
        mob.move_to(here)

    def step_at(self, p: float) -> int:
        """The step of the character the playhead is on (the nearer one, between two)."""
        return self.visits[min(max(0, int(math.floor(p + 0.5))), len(self.visits) - 1)][2]

    def chips_at(self, p: float) -> None:
        t = self.step_at(p)
        for q, strip in self.strips.items():
            strip.set_values([self.cell_values[q][t]])

    def movers(self):
        """The playhead and every chip (each redrawn as it moves)."""
        chips = [(strip, lambda m, p, q=q: m.set_values([self.cell_values[q][self.step_at(p)]]))
                 for q, strip in self.strips.items()]
        return [(self.playhead, self.head_at), *chips]

    # -- the storyboard ----------------------------------------------------------------------
    def construct(self) -> None:
        self.build()
        self.play(FadeIn(self.head), run_time=0.8)
        self.play(FadeIn(self.cell), FadeIn(self.chips), FadeIn(self.where), FadeIn(self.bar), run_time=1.0)
        width, height = CELL * 1.08, ROW_HEIGHT * 1.1
        self.playhead = Rectangle(width=width, height=height, stroke_color=COLORS["highlight"], stroke_width=5,
                                  fill_opacity=0)
        self.head_at(self.playhead, 0)
        captions = {1: lambda: self.caption("celltext.cell"), 3: self.feature_caption}  # said when played
        p = 0
        for k, line in enumerate(self.lines):
            mark = [m for m in self.marks if abs(m.get_center()[1] - self.row_y(k)) < 1e-6]
            self.play(FadeIn(line), *[FadeIn(m) for m in mark], run_time=0.35)
            if k == 0:  # what the colours are, with the first line on screen
                self.say("celltext.colours.gate" if reading.is_sigmoid(self.unit.letter) else "celltext.colours.signed",
                         wait=READ, unit=self.unit.label)
                self.add(self.playhead)
            self.head_at(self.playhead, p)
            self.chips_at(p)
            n = len(self.rows.rows[k].steps)
            extra = captions.pop(k)() if k in captions else []
            advance(self, self.movers(), p, p + n - 1, max(0.3, (n - 1) * PER_CHAR), *extra, ease=False)
            if extra:
                self.wait(1.0)
            p += n
        for k in sorted(captions):  # too few lines for these captions on the way: say them now
            self.play(*captions[k](), run_time=0.6)
            self.wait(READ)
        self.say("celltext.whole", wait=READ + 0.5, spec=unit_spec(self.unit))

    def feature_caption(self) -> list:
        u = self.unit
        if u.feature is not None and u.correlation is not None:
            return self.caption("celltext.follows", feature=feature_name(u.feature, self.lang),
                                r=signed_r(u.correlation))
        return self.caption("celltext.no_feature")

