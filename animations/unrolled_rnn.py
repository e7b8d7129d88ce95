"""UnrolledRNN: one cell, reused at every step of a window, with the real hidden states.

The source warns that the usual unrolled picture misleads: it is not a network of t
layers but one cell A, with one set of weights, applied again at every step to the new
input and the previous hidden state. The scene shows the window of 10 noisy sine values
as a small plot, the folded cell with its loop, and the cell unrolled into one copy per
step; then, step by step, x_t enters, the real h_t appears above its cell and flows into
the next one, and the last output becomes the prediction, shown beside the true next
point. Then the window slides by one point (the next batch row of a `-windows` trace):
the state starts again from zero and every h_t is computed again. `--layer` chooses the
layer whose h_t is drawn (default: the top one, which the readout reads) and `--row` the
first window shown.

    manim -ql animations/unrolled_rnn.py UnrolledRNN
    EXPLAINER_TRACE=assets/traces/sine-lstm-seed-windows.safetensors manim -ql animations/unrolled_rnn.py UnrolledRNN
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Create,
    CurvedArrow,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    Line,
    ReplacementTransform,
    RoundedRectangle,
    ShowPassingFlash,
    Transform,
    VGroup,
)

from animations.base import READ, TraceScene
from animations.fast_camera import FastImageCamera
from animations.mobjects import RNNCell, StateVector
from animations.mobjects.diagram import LayerBox, Wire
from animations.registry import scene
from animations.text import MIN_SIZE
from explainer import reading
from explainer.errors import ExplainerError
from explainer.reading import number as fmt
from explainer.style import COLORS, GATE_COLORS
from explainer.trace import Trace

# Layout (scene units; the frame is 14.2 x 8).
PITCH = 1.0  # distance between columns (time steps)
X0 = -5.3  # centre of column 0
CELL_Y, CELL_W, CELL_H = -0.66, 0.56, 0.52  # the cells A
STRIP_TOP, STRIP_HEIGHT, STRIP_CELL = 2.72, 2.86, 0.24  # the h_t strips above the cells
VALUE_Y = -1.33  # the input values x_t below the cells
PLOT_TOP, PLOT_BOTTOM = -1.6, -2.62  # the little plot of the window
TICK_Y = -2.84  # x positions below the plot (clear of the caption line)
RIGHT_X = 5.12  # left edge of the labels on the right
RIGHT_EDGE = 6.75  # right edge of the line that says which layer and row are drawn
SCALE_AT = (5.85, 2.3)  # centre of the colour scale (right of the strips, under that line)
MAX_WINDOWS = 3  # the first window, then it slides twice


@dataclass(frozen=True)
class Window:
    """One window of the trace (one batch row): what the scene shows for it."""

    row: int
    start: int | None  # position of the first point in the series (None when unknown)
    inputs: np.ndarray  # [time] the y values read, one per step
    x: np.ndarray  # [time] their x positions
    labels: list[str]  # [time] the x positions as written
    h: np.ndarray  # [time, units] the hidden state after each step (of the layer shown)
    prediction: float  # the readout at the last step
    next_x: float  # x of the point being predicted
    truth: float | None  # the true next point, when the trace knows it


def windows(trace: Trace, layer: int | None = None, row: int | None = None, lang: str = "en") -> list[Window]:
    """The windows of a sine trace from batch row `row` on (default 0), one per row, as long as
    each starts one point after the previous one (a `-windows` trace: 4; any other: one row).

    h is the hidden state of `layer` (default: the top layer). x positions: each row's own
    (`reading.window_shift`), else row 0 from meta x (or the step labels) and a later row
    window_starts[b] - window_starts[0] points later. The true next point of row b: meta next_y
    for the window meta describes, else the test range in meta eval
    (truth[start + T - train_points]), else the last input of the following row when it
    starts one point later.
    """
    trace.require("input", "output", why="(the unrolled scene shows the inputs and the readout)")
    layer = reading.check_layer(trace, layer)
    name = reading.state(layer, "h")
    reading.needs(trace, name, by="scene UnrolledRNN", why="(the unrolled scene draws the hidden state)")
    row = reading.check_row(trace, row)
    h_all = np.asarray(trace[name], dtype=float)  # [batch, time, units]
    inputs = np.asarray(trace["input"][..., 0], dtype=float)  # [batch, time] (column 0 is y)
    outputs = np.asarray(trace["output"][..., 0], dtype=float)  # [batch, time]
    meta = trace.meta
    batch, steps = inputs.shape
    labels0 = reading.step_labels(trace, lang)
    x0 = np.asarray(meta.get("x") or [_number(s, t) for t, s in enumerate(labels0)], dtype=float)  # [time]
    dx = float(x0[1] - x0[0]) if len(x0) > 1 else 1.0
    starts = [int(s) for s in meta.get("window_starts") or []]
    if len(starts) != batch:
        first = (meta.get("positions") or [None])[0]
        starts = [None if first is None else int(first)] + [None] * (batch - 1)
    ev = meta.get("eval") or {}
    truth_range = np.asarray(ev.get("truth") or [], dtype=float)  # [test points]
    train = meta.get("train_points") or ev.get("train_points")
    result = []
    for b in range(row, batch):
        if b > row and (starts[b] is None or starts[b - 1] is None or starts[b] != starts[b - 1] + 1):
            break  # only windows that follow one another, one point apart, are shown sliding
        known = reading.window_shift(trace, b)  # points after meta x's window, where the trace knows it
        if known is not None:
            shift, labels = known, reading.step_labels(trace, lang, b)
        else:
            shift = starts[b] - starts[0] if b and starts[b] is not None and starts[0] is not None else 0
            labels = list(labels0) if shift == 0 else [f"{v:.2f}" for v in x0 + shift * dx]  # as the sine task writes them
        x = x0 + shift * dx  # [time]
        truth = None
        if shift == 0 and meta.get("next_y") is not None:  # meta next_y follows this very window
            truth = float(meta["next_y"])
        elif starts[b] is not None and train is not None and 0 <= starts[b] + steps - int(train) < len(truth_range):
            truth = float(truth_range[starts[b] + steps - int(train)])
        elif b + 1 < batch and starts[b] is not None and starts[b + 1] == starts[b] + 1:
            truth = float(inputs[b + 1, -1])
        next_x = float(meta["next_x"]) + shift * dx if meta.get("next_x") is not None else float(x[-1] + dx)
        result.append(Window(b, starts[b], inputs[b], x, labels, h_all[b], float(outputs[b, -1]), next_x, truth))
    return result


def _number(label: str, default: float) -> float:
    try:
        return float(label)
    except ValueError:
        return float(default)


def colour_limit(h: np.ndarray) -> float:
    """Colour limit of the h strips: the smallest of 0.25, 0.5, 0.75, 1 that holds (nearly) every |h|."""
    top = float(np.nanmax(np.abs(h))) if np.isfinite(h).any() else 1.0
    return next((v for v in (0.25, 0.5, 0.75) if top <= v * 1.02), 1.0)


def strip_shape(units: int) -> tuple[int, int, float]:
    """How an h vector is drawn above its cell: (columns, units per column, cell size).

    Up to 12 units: one column of 0.24 cells (numbers legible at 1080p). More units wrap
    into side-by-side columns (units 0.. in the first): the fewest columns whose cells are
    within 10 % of the largest possible inside the strip's height and 0.8 of the pitch.
    """
    options = []
    for columns in range(1, 9):
        rows = -(-units // columns)
        options.append((columns, rows, min(STRIP_CELL, STRIP_HEIGHT / rows, 0.8 * PITCH / columns)))
    largest = max(cell for _, _, cell in options)
    return next(o for o in options if o[2] >= 0.9 * largest)


@scene("UnrolledRNN", "The cell unrolled over a window of the noisy sine: real x_t in, real h_t carried on, the "
       "prediction out; then the window slides.", rank=10, default="sine-rnn-seed-windows", kinds=None, tasks=("sine",),
       options=("layer", "row"))
class UnrolledRNN(TraceScene):
    """Storyboard: window → folded cell → unrolled → steps 0-2 slowly, 3-9 quickly → readout → slides."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("camera_class", FastImageCamera)  # ten strips appear and fade at once
        super().__init__(*args, **kwargs)
        self.layer = reading.check_layer(self.trace, self.options.get("layer"))
        # fails here, before any rendering, on a trace without what we need
        self.windows = windows(self.trace, self.layer, self.options.get("row"), self.lang)[:MAX_WINDOWS]
        self.steps_n = len(self.windows[0].inputs)
        if self.steps_n > 12:
            raise ExplainerError(f"scene UnrolledRNN shows up to 12 steps; this trace has {self.steps_n} "
                                 "(record a window of 10, like the shipped sine traces)")
        self.units = self.windows[0].h.shape[1]
        values = [v for w in self.windows for v in (*w.inputs, w.prediction, *(() if w.truth is None else (w.truth,)))]
        self.limit = colour_limit(np.stack([w.h for w in self.windows]))
        lo, hi = float(np.min(values)), float(np.max(values))
        pad = 0.12 * max(hi - lo, 0.2)
        self.y_range = (lo - pad, hi + pad)

    # -- geometry --------------------------------------------------------------------------
    def col(self, k: float) -> float:
        return X0 + PITCH * k

    def plot_y(self, v: float) -> float:
        lo, hi = self.y_range
        return PLOT_BOTTOM + (v - lo) / (hi - lo) * (PLOT_TOP - PLOT_BOTTOM)

    def point(self, k: float, v: float) -> np.ndarray:
        return np.array([self.col(k), self.plot_y(v), 0.0])

    # -- pictures ----------------------------------------------------------------------------
    def subtitle(self, w: Window):
        if w.start is None:
            text = self.w("scene.unrolled.subtitle_short", units=self.units)
        else:
            text = self.w("scene.unrolled.subtitle", units=self.units, a=w.start, b=w.start + self.steps_n - 1)
        return self.text(text, size=22, color="#555555")

    def shown(self, w: Window, title):
        """Which layer and row (window) are drawn, and any intervention: a small line right of the title."""
        line = self.shown_line(self.layer, w.row)
        return line.align_to(title, DOWN).set_x(RIGHT_EDGE - line.width / 2)

    def window_plot(self, w: Window) -> VGroup:
        """The window's points: a line, dots, the values above and the x positions below.

        Parts: [0] line, [1] dots, [2] values, [3] x labels (one per step in 1-3).
        """
        pts = [self.point(k, v) for k, v in enumerate(w.inputs)]
        line = VGroup(*[Line(a, b, color=COLORS["data"], stroke_width=2.5) for a, b in pairwise(pts)])
        dots = VGroup(*[Dot(p, radius=0.065, color=GATE_COLORS["x"]) for p in pts])
        values = VGroup(*[self.text(fmt(v), size=19).move_to([self.col(k), VALUE_Y, 0]) for k, v in enumerate(w.inputs)])
        ticks = VGroup(*[self.text(s, size=MIN_SIZE, color="#888888").move_to([self.col(k), TICK_Y, 0])
                         for k, s in enumerate(w.labels)])
        return VGroup(line, dots, values, ticks)

    def plot_frame(self) -> VGroup:
        """Static parts of the plot: the zero line and the axis names."""
        left, right = self.col(-0.45), self.col(self.steps_n + 0.45)
        parts = VGroup()
        lo, hi = self.y_range
        if lo < 0 < hi:
            y0 = self.plot_y(0.0)
            parts.add(DashedLine([left, y0, 0], [right, y0, 0], color="#BBBBBB", stroke_width=1.5, dash_length=0.08))
            parts.add(self.text("0", size=MIN_SIZE, color="#888888").move_to([left - 0.2, y0, 0]))
        parts.add(self.text(self.w("scene.unrolled.axis"), size=MIN_SIZE, color="#888888").move_to([self.col(-0.8), TICK_Y, 0]))
        parts.add(self.text("y", size=MIN_SIZE, color="#888888").move_to([left - 0.18, (PLOT_TOP + PLOT_BOTTOM) / 2 + 0.35, 0]))
        return parts

    def strip(self, values: np.ndarray, k: int) -> Group:
        """h_t above cell k: one vertical StateVector per column of units (one image each)."""
        columns, rows, cell = strip_shape(self.units)
        parts = [StateVector(values[c * rows:(c + 1) * rows], cell=cell, vertical=True, limit=self.limit)
                 for c in range(columns) if len(values[c * rows:(c + 1) * rows])]
        group = Group(*parts).arrange(RIGHT, buff=0, aligned_edge=UP)
        return group.move_to([self.col(k), STRIP_TOP - group.height / 2, 0])

    def cells(self) -> VGroup:
        return VGroup(*[RNNCell((self.col(k), CELL_Y), CELL_W, CELL_H) for k in range(self.steps_n)])

    def colour_scale(self) -> VGroup:
        bar = StateVector(np.linspace(-1, 1, 11) * self.limit, cell=0.16, numbers=False, limit=self.limit)
        bar.move_to([*SCALE_AT, 0])
        ends = VGroup(*[self.text(s, size=MIN_SIZE, color="#666666").next_to(bar, DOWN, buff=0.06).set_x(bar.get_left()[0] + f * bar.width)
                        for s, f in ((fmt(-self.limit, 2).rstrip("0").rstrip("."), 0.04), ("0", 0.5),
                                     (fmt(self.limit, 2).rstrip("0").rstrip("."), 0.96))])
        name = self.text(self.w("scene.unrolled.scale"), size=16, color="#666666").next_to(bar, UP, buff=0.08)
        return Group(bar, ends, name)

    def folded(self) -> VGroup:
        """colah's folded RNN: A with x_t below, h_t above and the loop h_{t-1} on the right."""
        centre = np.array([self.col((self.steps_n - 1) / 2), 1.2, 0])
        cell = RNNCell(centre, CELL_W * 1.6, CELL_H * 1.6, size=36)
        x_in = Wire([centre + DOWN * 1.15, cell.port("bottom")], GATE_COLORS["x"], 5, tip=True)
        h_out = Wire([cell.port("top"), centre + UP * 1.15], GATE_COLORS["h"], 5, tip=True)
        right = cell.port("right")
        loop = CurvedArrow(right + UP * 0.22, right + DOWN * 0.22, angle=-1.6 * np.pi, color=GATE_COLORS["h"],
                           stroke_width=5, tip_length=0.2)
        x_name = self.text(self.w("scene.unrolled.x"), size=26, color=GATE_COLORS["x"]).next_to(x_in, DOWN, buff=0.08)
        h_name = self.text(self.w("scene.unrolled.h"), size=26, color=GATE_COLORS["h"]).next_to(h_out, UP, buff=0.08)
        loop_name = self.text(self.w("scene.unrolled.h_prev"), size=22, color=GATE_COLORS["h"]).next_to(loop, RIGHT, buff=0.1)
        group = VGroup(x_in, h_out, loop, x_name, h_name, loop_name, cell)
        group.cell = cell
        return group

    # -- storyboard ----------------------------------------------------------------------------
    def construct(self) -> None:
        w0 = self.windows[0]
        n = self.steps_n
        title = self.title("scene.unrolled.title", model=self.model_name()).scale(0.9).to_corner(UL, buff=0.35)
        self.sub = self.subtitle(w0).next_to(title, DOWN, buff=0.12, aligned_edge=LEFT)
        self.title_mob, self.shown_mob = title, self.shown(w0, title)
        self.play(FadeIn(title), FadeIn(self.sub), FadeIn(self.shown_mob), run_time=0.8)

        # the window
        self.plot = self.window_plot(w0)
        frame = self.plot_frame()
        question = self.text("?", size=30, color=COLORS["single"], weight="BOLD").move_to(
            [self.col(n), (PLOT_TOP + PLOT_BOTTOM) / 2, 0])
        question_label = self.text(self.w("scene.unrolled.next"), size=16, color=COLORS["single"]).next_to(question, UP, buff=0.08)
        self.play(FadeIn(frame), Create(self.plot[0]), LaggedStart(*[FadeIn(d, scale=0.5) for d in self.plot[1]], lag_ratio=0.08),
                  FadeIn(self.plot[3]), run_time=1.4)
        self.play(*self.caption("scene.unrolled.window", n=n), FadeIn(self.plot[2], shift=UP * 0.1), run_time=0.8)
        self.wait(READ - 0.5)
        self.play(*self.caption("scene.unrolled.task", n=n), FadeIn(question, scale=1.4), FadeIn(question_label), run_time=0.7)
        self.wait(1.3)

        # the folded cell, then unrolled
        fold = self.folded()
        self.play(FadeIn(fold, shift=UP * 0.2), *self.caption("scene.unrolled.folded"), run_time=0.9)
        self.wait(READ)
        self.cells_ = self.cells()
        x_wires = VGroup(*[Wire([(self.col(k), VALUE_Y + 0.15), (self.col(k), CELL_Y - CELL_H / 2)], GATE_COLORS["x"], 4,
                                tip=True) for k in range(n)])
        h_wires = VGroup(*[Wire([self.cells_[k].port("right"), self.cells_[k + 1].port("left")], GATE_COLORS["h"], 4, tip=True)
                           for k in range(n - 1)])
        _, rows, cell = strip_shape(self.units)
        up_wires = VGroup(*[Wire([self.cells_[k].port("top"), (self.col(k), STRIP_TOP - rows * cell - 0.06)],
                                 GATE_COLORS["h"], 4, tip=True) for k in range(n)])
        zero = self.cells_[0].port("left")
        zero_wire = Wire([zero + LEFT * 0.42, zero], GATE_COLORS["h"], 4, tip=True)
        self.zero_label = zero_label = self.text(self.w("scene.unrolled.zero"), size=20, color=GATE_COLORS["h"]).next_to(zero_wire, LEFT, buff=0.06)
        self.play(*self.caption("scene.unrolled.unroll", n=n),
                  LaggedStart(*[ReplacementTransform(fold.cell.copy(), c) for c in self.cells_], lag_ratio=0.08),
                  FadeOut(fold), run_time=1.6)
        self.play(FadeIn(h_wires), FadeIn(x_wires), FadeIn(up_wires), FadeIn(zero_wire), FadeIn(zero_label), run_time=0.7)
        self.wait(0.8)
        self.play(*self.caption("scene.unrolled.same"),
                  LaggedStart(*[self.flash(c) for c in self.cells_],
                              lag_ratio=0.12), run_time=1.6)
        self.wait(1.4)

        # the steps
        scale = self.colour_scale()
        self.marker = RoundedRectangle(corner_radius=0.12, width=PITCH * 0.9, height=STRIP_TOP - TICK_Y + 0.25,
                                       fill_color=COLORS["highlight"], fill_opacity=0.13, stroke_width=0)
        self.marker.move_to([self.col(0), (STRIP_TOP + TICK_Y) / 2, 0])
        self.strips: list[Group] = []
        h0_name = VGroup(self.text(self.w("scene.unrolled.h"), size=24, color=GATE_COLORS["h"]),
                         self.text(self.w("scene.unrolled.h_numbers", units=self.units), size=MIN_SIZE, color="#666666"))
        h0_name.arrange(DOWN, buff=0.08).move_to([self.col(-1.05), STRIP_TOP - STRIP_HEIGHT / 2, 0])
        self.play(*self.caption("scene.unrolled.step0", x=fmt(w0.inputs[0])), FadeIn(self.marker), FadeIn(scale),
                  Indicate(zero_label, color=COLORS["highlight"]), run_time=0.8)
        self.wait(1.0)
        self.run_step(w0, 0, pace=1.0)
        self.play(*self.caption("scene.unrolled.h0", units=self.units), FadeIn(h0_name), run_time=0.6)
        self.wait(READ)
        kind = reading.kind_of(self.trace) or "rnn_tanh"  # a trace that does not say is drawn as an RNN
        key = "scene.unrolled.step1.rnn" if kind.startswith("rnn") else "scene.unrolled.step1.other"
        if self.layer > 0:  # this layer reads the layer below, not x
            key = "scene.unrolled.step1.deep"
        self.play(self.move_marker(1), *self.caption(key, x=fmt(w0.inputs[1]), below=self.layer - 1), run_time=0.6)
        self.wait(1.4)
        self.run_step(w0, 1, pace=1.0)
        self.wait(0.6)
        self.play(self.move_marker(2), *self.caption("scene.unrolled.step2"), run_time=0.6)
        self.wait(1.2)
        self.run_step(w0, 2, pace=0.9)
        if reading.kind_of(self.trace) == "lstm":
            self.play(*self.caption("scene.unrolled.lstm"), run_time=0.6)
            self.wait(READ)
        self.play(*self.caption("scene.unrolled.rest", last=n - 1), run_time=0.5)
        for t in range(3, n):
            self.play(self.move_marker(t), run_time=0.25)
            self.run_step(w0, t, pace=0.45)

        # the readout
        box = LayerBox(self.w("scene.unrolled.readout_box"), (self.col(n), CELL_Y), width=0.9, height=0.48, size=20)
        to_box = Wire([self.cells_[n - 1].port("right"), box.get_left()], GATE_COLORS["h"], 4, tip=True)
        self.readout_wire = Wire([box.get_bottom(), (self.col(n), PLOT_TOP + 0.05)], COLORS["single"], 4, tip=True)
        self.play(FadeOut(self.marker), FadeOut(question), FadeOut(question_label), Create(to_box), FadeIn(box), run_time=0.7)
        self.box = box
        on_top = self.layer == reading.top_layer(self.trace)  # only the top layer's h reaches the readout
        self.predict(w0, pace=1.0, caption="scene.unrolled.readout" if on_top else "scene.unrolled.readout_lower",
                     layer=self.layer)
        self.wait(READ)
        if w0.truth is not None:
            self.play(*self.caption("scene.unrolled.truth", y=fmt(w0.truth), err=fmt(abs(w0.truth - w0.prediction))),
                      run_time=0.6)
            self.wait(READ)

        # the window slides
        for w in self.windows[1:]:
            self.slide(w, pace=1.0 if w is self.windows[1] else 0.55)
        self.play(*self.caption("scene.unrolled.end"), run_time=0.6)
        self.wait(READ + 0.5)

    # -- pieces of the storyboard -------------------------------------------------------------
    @staticmethod
    def flash(cell: LayerBox) -> ShowPassingFlash:
        """The cell at work: a highlight runs once around its box (drawn over it, then gone)."""
        ring = cell.box.copy().set_fill(opacity=0).set_stroke(COLORS["highlight"], width=7)
        return ShowPassingFlash(ring, time_width=0.7)

    def move_marker(self, t: int):
        return self.marker.animate.move_to([self.col(t), self.marker.get_y(), 0])

    def run_step(self, w: Window, t: int, pace: float) -> None:
        """x_t rises into cell t, h_{t-1} flows in from the left, and h_t appears above the cell."""
        cell = self.cells_[t]
        x_chip = self.plot[2][t].copy().set_color(GATE_COLORS["x"])
        moves = [FadeOut(x_chip, target_position=cell.port("bottom") + UP * 0.05, scale=0.6)]
        if t > 0:
            h_chip = self.strips[t - 1].copy()
            moves.append(FadeOut(h_chip, target_position=cell.port("left"), scale=0.2))
        self.play(*moves, run_time=0.9 * pace)
        new = self.strip(w.h[t], t)
        self.strips.append(new)
        self.play(self.flash(cell),
                  FadeIn(new, shift=UP * 0.25, scale=0.85), run_time=max(0.35, 0.9 * pace))

    def predict(self, w: Window, pace: float, caption: str | None = None, **fmt_kw) -> None:
        """h_T flows into the readout, the prediction drops into the plot, then the true next point."""
        n = self.steps_n
        h_chip = self.strips[-1].copy()
        self.play(FadeOut(h_chip, target_position=self.box.get_center(), scale=0.2), run_time=0.8 * pace)
        dot = Dot(self.point(n, w.prediction), radius=0.075, color=COLORS["single"])
        label = self.text(self.w("scene.unrolled.pred", y=fmt(w.prediction)), size=20, color=COLORS["single"],
                          weight="BOLD")
        label.move_to([RIGHT_X, self.plot_y(w.prediction), 0], aligned_edge=LEFT)
        anims = [self.flash(self.box), Create(self.readout_wire),
                 FadeIn(dot, scale=1.5), FadeIn(label, shift=LEFT * 0.1)]
        if caption:
            anims += self.caption(caption, last=self.sub_index(n - 1), y=fmt(w.prediction), **fmt_kw)
        self.play(*anims, run_time=max(0.5, 0.9 * pace))
        self.pred = VGroup(dot, label)
        self.truth_group = VGroup()
        if w.truth is not None:
            if caption:
                self.wait(READ * pace)
            tdot = Dot(self.point(n, w.truth), radius=0.075, color=COLORS["truth"])
            err = Line(self.point(n, w.prediction), self.point(n, w.truth), color=COLORS["error"], stroke_width=3)
            tlabel = self.text(self.w("scene.unrolled.true", y=fmt(w.truth)), size=20, color=COLORS["truth"])
            tlabel.move_to([RIGHT_X, self.plot_y(w.truth), 0], aligned_edge=LEFT)
            self._separate(label, tlabel, w)
            self.play(FadeIn(tdot, scale=1.5), Create(err), FadeIn(tlabel, shift=LEFT * 0.1), run_time=max(0.5, 0.8 * pace))
            self.truth_group = VGroup(tdot, err, tlabel)

    @staticmethod
    def sub_index(t: int) -> str:
        return "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(t))

    def _separate(self, pred_label, truth_label, w: Window) -> None:
        """Keep the two labels on the right apart (the one higher in value stays above)."""
        gap = 0.3
        if abs(pred_label.get_y() - truth_label.get_y()) < gap:
            mid = (pred_label.get_y() + truth_label.get_y()) / 2
            upper, lower = (pred_label, truth_label) if w.prediction >= (w.truth or 0) else (truth_label, pred_label)
            upper.set_y(mid + gap / 2)
            lower.set_y(mid - gap / 2)

    def slide(self, w: Window, pace: float) -> None:
        """The window moves on by one point; every h_t is computed again from a zero state."""
        n = self.steps_n
        first = w is self.windows[1]
        if first:
            self.play(*self.caption("scene.unrolled.slide"), run_time=0.6)
            self.wait(0.6)
        new_plot = self.window_plot(w)
        old = self.plot
        keep = VGroup(*old[0][1:], *old[1][1:], *old[2][1:], *old[3][1:])
        gone = VGroup(old[0][0], old[1][0], old[2][0], old[3][0])
        arriving = VGroup(new_plot[0][-1], new_plot[2][-1], new_plot[3][-1])
        anims = [keep.animate.shift(LEFT * PITCH), FadeOut(gone, shift=LEFT * PITCH), FadeOut(self.pred),
                 FadeOut(self.readout_wire), FadeIn(arriving, shift=LEFT * 0.3),
                 *[FadeOut(s) for s in self.strips]]
        if len(self.truth_group):
            tdot, err, tlabel = self.truth_group
            anims += [tdot.animate.move_to(new_plot[1][-1]).set_color(GATE_COLORS["x"]), FadeOut(err), FadeOut(tlabel)]
        new_sub = self.subtitle(w).move_to(self.sub, aligned_edge=LEFT)
        anims += [Transform(self.sub, new_sub), Transform(self.shown_mob, self.shown(w, self.title_mob))]
        self.play(*anims, run_time=1.2 * pace + 0.2)
        # swap in the new window's plot (it looks exactly like the shifted one)
        self.remove(old, keep, arriving, *self.truth_group)
        self.add(new_plot)
        self.plot = new_plot
        self.strips = []
        self.marker.move_to([self.col(0), self.marker.get_y(), 0])
        self.play(FadeIn(self.marker), Indicate(self.zero_label, color=COLORS["highlight"]), run_time=0.5)
        for t in range(n):
            new = self.strip(w.h[t], t)
            self.strips.append(new)
            anims = [FadeIn(new, shift=UP * 0.2, scale=0.85), self.flash(self.cells_[t])]
            if t:
                anims.append(self.move_marker(t))
            self.play(*anims, run_time=0.32 * pace + 0.05)
        self.play(FadeOut(self.marker), run_time=0.3)
        self.predict(w, pace=0.8 * pace)
        truth = fmt(w.truth) if w.truth is not None else "—"
        self.play(*self.caption("scene.unrolled.recomputed" if first else "scene.unrolled.again", y=fmt(w.prediction),
                                truth=truth), run_time=0.6)
        self.wait(READ * (1.0 if first else 0.6))
