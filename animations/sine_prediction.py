"""SinePrediction: single-step against multi-step prediction on the test range, and what feeding back does.

The source: 单步预测 reads a window of true values for every prediction; 多步预测 starts
from the last true window and feeds each prediction back as input. The scene reads two
sine traces (by default the source's seed preset, then the tuned preset). For the first:
the single-step predictions appear point by point (a window of 10 true values sliding
along), then the multi-step ones, whose window fills up with the model's own predictions,
with the error at each point drawn. What the multi-step forecast then does is measured,
not assumed (`explainer.probes.horizon.collapse`, numpy only): the seed preset's settles
to a constant, drawn as a dashed line and named with its value and the step by which it
has settled. Then the second model's multi-step forecast from the same window, for
comparison (the tuned preset holds the phase: its correlation with the truth). The panel
gives each line's MSE over the test range once the line is complete (a running mean of
one forecast's errors rises and falls with the wave, so none is shown; the error by
horizon over every start point is the `horizon` figure). Every number comes from the
traces' meta `eval` (x, truth, single, multi) and `metrics`.

    manim -ql animations/sine_prediction.py SinePrediction
    EXPLAINER_TRACE=assets/traces/sine-lstm-seed.safetensors:assets/traces/sine-lstm-tuned.safetensors \\
        manim -ql animations/sine_prediction.py SinePrediction
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Rectangle,
    Text,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)

from animations.base import READ, TraceScene
from animations.registry import scene
from animations.text import LABEL_SIZE, MIN_SIZE, SMALL_SIZE, SUBTITLE_SIZE
from explainer.errors import ExplainerError
from explainer.probes.horizon import Collapse, collapse
from explainer.reading import mse as fmt_mse
from explainer.reading import number as fmt
from explainer.style import COLORS
from explainer.tasks.sine import make_data
from explainer.trace import Trace
from explainer.words.sine import preset_key

# Layout (scene units; the frame is 14.2 x 8).
AX_LEFT, AX_RIGHT, AX_BOTTOM, AX_TOP = -6.35, 2.75, -2.45, 2.05  # the plot
PANEL_X = 3.3  # left edge of the MSE panel
PANEL_W = 3.65  # its width
BAR_WIDTH = 3.3  # the longest MSE bar
ROW_TOPS = (1.1, -0.28, -1.66)  # the panel's rows: single-step, multi-step, the other model's multi-step
SLOW = 3  # predictions shown one at a time before the rest run quickly


def fit(mob, width: float = PANEL_W):
    """Shrink a mobject to `width` when it is wider (long words in one of the languages)."""
    if mob.width > width:
        mob.scale_to_fit_width(width)
    return mob


def dimmed(group: VGroup, opacity: float) -> VGroup:
    """A copy of a group of lines and dots at `opacity` (lines keep no fill, dots keep no stroke)."""
    target = group.copy()
    for m in target.get_family():
        if isinstance(m, Dot):
            m.set_fill(opacity=opacity)
        elif isinstance(m, VMobject) and not m.submobjects:
            m.set_stroke(opacity=opacity)
    return target


@dataclass(frozen=True)
class Evaluation:
    """What the scene shows of one trace: the test range, both predictions, their MSEs, what the forecast does."""

    x: np.ndarray  # [test] x of the test points
    truth: np.ndarray  # [test]
    single: np.ndarray  # [test] each read from a window of true values
    multi: np.ndarray  # [test] each read from a window holding earlier predictions
    window_x: np.ndarray  # [seq_len] the last training window, where multi-step starts
    window_y: np.ndarray  # [seq_len]
    mse_single: float  # from meta metrics
    mse_multi: float
    noise_floor: float
    preset: str = ""  # the training preset (seed, tuned, ...), "" when the trace does not say
    hidden_size: int = 0

    @property
    def seq_len(self) -> int:
        return len(self.window_x)

    @property
    def ratio(self) -> float:
        return self.mse_multi / self.mse_single if self.mse_single > 0 else float("inf")

    @property
    def forecast(self) -> Collapse:
        """What the multi-step forecast does (collapses, holds the phase, drifts), by the probe's criterion."""
        return collapse(self.multi, self.truth)

    def inputs_of(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Multi-step: the x of the window read for prediction k, and which of its entries are predictions."""
        xs = np.concatenate([self.window_x, self.x])
        idx = np.arange(k, k + self.seq_len)
        return xs[idx], idx >= self.seq_len


def evaluation(trace: Trace) -> Evaluation:
    """The test-range evaluation recorded in a sine trace's metadata (one-line error without it)."""
    meta = trace.meta
    ev, metrics = meta.get("eval") or {}, meta.get("metrics") or {}
    need = [k for k in ("x", "truth", "single", "multi") if not ev.get(k)]
    if need or not all(k in metrics for k in ("mse_single", "mse_multi")):
        raise ExplainerError("this trace has no test-range evaluation (meta eval and metrics); record it from a trained "
                             "sine checkpoint with `explainer trace`")
    values = [[np.nan if v is None else v for v in ev[k]] for k in ("x", "truth", "single", "multi")]
    x, truth, single, multi = (np.asarray(v, dtype=float) for v in values)
    seq_len = int(ev.get("seq_len") or meta.get("seq_len") or 10)
    train = int(ev.get("train_points") or meta.get("train_points") or 320)
    positions = list(meta.get("positions") or [])
    if positions == list(range(train - seq_len, train)) and meta.get("x") and meta.get("y"):
        window_x, window_y = np.asarray(meta["x"], dtype=float), np.asarray(meta["y"], dtype=float)
    else:  # the series the trace was evaluated on, from its recorded seed
        data = make_data(int(ev.get("data_seed", meta.get("seed", 0))), seq_len, tuple(ev.get("features") or ()))
        window_x, window_y = data.x[train - seq_len:train], data.y[train - seq_len:train].astype(float)
    if not (np.isfinite(truth).all() and np.isfinite(single).all() and np.isfinite(multi).all()):
        raise ExplainerError("this trace's test-range predictions hold NaN/Inf values; the scene cannot draw them")
    return Evaluation(x, truth, single, multi, window_x, window_y, float(metrics["mse_single"]),
                      float(metrics["mse_multi"]), float(metrics.get("noise_floor", float("nan"))),
                      str(meta.get("preset") or ""), int(meta.get("hidden_size") or 0))


def same_series(a: Evaluation, b: Evaluation) -> bool:
    """Both evaluated on the same test range of the same noisy series (the comparison needs one picture)."""
    return a.x.shape == b.x.shape and np.allclose(a.x, b.x) and np.allclose(a.truth, b.truth) and \
        np.allclose(a.window_y, b.window_y)


@scene("SinePrediction", "Single-step against multi-step prediction on the test range: the seed preset's forecast, fed "
       "its own predictions, collapses to a constant; the tuned preset's holds the phase (both measured).",
       rank=40, default=("sine-rnn-seed", "sine-rnn-tuned"), tasks=("sine",))
class SinePrediction(TraceScene):
    """Storyboard: data → single-step (3 slowly, then all) → its MSE → multi-step (3 slowly, then all) → what it
    does, named → the second model's multi-step forecast → both MSEs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ev, self.other = evaluation(self.traces[0]), evaluation(self.traces[1])  # fail here, before rendering
        if not same_series(self.ev, self.other):
            raise ExplainerError("SinePrediction compares two models on one test range; these traces were evaluated "
                                 "on different series (record both from checkpoints trained on one noise seed)")
        self._numbers: dict[tuple[str, str], Text] = {}
        ev = self.ev
        self.all_x = np.concatenate([ev.window_x, ev.x])  # [seq_len + test]
        self.dx = float(ev.x[1] - ev.x[0]) if len(ev.x) > 1 else 0.1
        values = np.concatenate([ev.window_y, ev.truth, ev.single, ev.multi, self.other.multi, [0.0]])
        lo, hi = float(values.min()), float(values.max())
        pad = 0.08 * (hi - lo)
        self.x_range = (float(self.all_x[0]) - 1.2 * self.dx, float(ev.x[-1]) + 1.5 * self.dx)
        self.y_range = (lo - pad, hi + pad)
        self.bar_scale = max(ev.mse_single, ev.mse_multi, self.other.mse_multi)
        self.colors = {"single": COLORS["single"], "multi": COLORS["multi"], "other": COLORS["tuned"]}

    # -- words ---------------------------------------------------------------------------------
    def who(self, k: int) -> str:
        """'RNN · seed preset' for trace k."""
        preset = (self.ev, self.other)[k].preset
        return self.w("sine.who", model=self.model_name(self.traces[k]),
                      preset=self.w(preset_key(preset), preset=preset or "—"))

    def short(self, k: int) -> str:
        """The preset alone ('tuned preset'), or the whole name when both traces share a preset."""
        ev = (self.ev, self.other)[k]
        if self.ev.preset and self.other.preset and self.ev.preset != self.other.preset:
            return self.w(preset_key(ev.preset), preset=ev.preset)
        return self.who(k)

    # -- geometry ------------------------------------------------------------------------------
    def p(self, x: float, y: float) -> np.ndarray:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return np.array([AX_LEFT + (x - x0) / (x1 - x0) * (AX_RIGHT - AX_LEFT),
                         AX_BOTTOM + (y - y0) / (y1 - y0) * (AX_TOP - AX_BOTTOM), 0.0])

    def curve_points(self, ys: np.ndarray, s: float) -> list[np.ndarray]:
        """Points of a curve over the test range up to fractional index s (a growing line)."""
        k = int(np.floor(s))
        pts = [self.p(x, y) for x, y in zip(self.ev.x[:k + 1], ys[:k + 1])]
        if k + 1 < len(ys) and s > k:
            a, b = self.p(self.ev.x[k], ys[k]), self.p(self.ev.x[k + 1], ys[k + 1])
            pts.append(a + (s - k) * (b - a))
        return pts

    # -- pictures --------------------------------------------------------------------------------
    def axes(self) -> VGroup:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        grey = "#777777"
        group = VGroup(Line(self.p(x0, y0), self.p(x1, y0), color=grey, stroke_width=2),
                       Line(self.p(x0, y0), self.p(x0, y1), color=grey, stroke_width=2))
        for t in range(int(np.ceil(x0)), int(np.floor(x1)) + 1):
            base = self.p(t, y0)
            group.add(Line(base, base + DOWN * 0.08, color=grey, stroke_width=2),
                      self.text(str(t), size=MIN_SIZE, color="#555555").next_to(base, DOWN, buff=0.12))
        for v in np.arange(np.ceil(y0 * 2) / 2, y1 + 1e-9, 0.5):
            base = self.p(x0, v)
            group.add(Line(base, base + LEFT * 0.08, color=grey, stroke_width=2),
                      self.text(fmt(v, 1), size=MIN_SIZE, color="#555555").next_to(base, LEFT, buff=0.12))
        group.add(self.text("x", size=SMALL_SIZE, color="#555555").next_to(self.p(x1, y0), RIGHT, buff=0.15))
        group.add(self.text("y", size=SMALL_SIZE, color="#555555").next_to(self.p(x0, y1), UP, buff=0.1))
        if y0 < 0 < y1:
            group.add(Line(self.p(x0, 0), self.p(x1, 0), color="#DDDDDD", stroke_width=1.2))
        return group

    def test_region(self) -> Rectangle:
        ev = self.ev
        left, right = self.p(ev.x[0] - self.dx / 2, self.y_range[0]), self.p(self.x_range[1], self.y_range[1])
        return Rectangle(width=right[0] - left[0], height=right[1] - left[1], fill_color=COLORS["test_region"],
                         fill_opacity=1, stroke_width=0).move_to((left + right) / 2)

    def series(self, xs, ys, color: str, radius: float = 0.035, width: float = 1.6) -> VGroup:
        pts = [self.p(x, y) for x, y in zip(xs, ys)]
        line = VMobject(stroke_color=color, stroke_width=width)
        line.set_points_as_corners(pts)
        return VGroup(line, VGroup(*[Dot(q, radius=radius, color=color) for q in pts]))

    def window_box(self, k: int) -> Rectangle:
        """The window read for prediction k: seq_len points ending just before test point k."""
        left = self.all_x[k] - self.dx / 2
        right = self.all_x[k + self.ev.seq_len - 1] + self.dx / 2
        a, b = self.p(left, self.y_range[0]), self.p(right, self.y_range[1])
        return Rectangle(width=b[0] - a[0], height=b[1] - a[1], fill_color=COLORS["highlight"], fill_opacity=0.14,
                         stroke_color=COLORS["highlight"], stroke_width=2.5).move_to((a + b) / 2)

    def window_label(self, box: Rectangle) -> Text:
        return self.text(self.w("scene.sine.inputs", k=self.ev.seq_len), size=SMALL_SIZE,
                         color="#9A6B00").next_to(box, UP, buff=0.06)

    def number(self, s: str, color: str) -> Text:
        """A big number, made once per distinct string."""
        key = (s, color)
        if key not in self._numbers:
            self._numbers[key] = self.text(s, size=SUBTITLE_SIZE, color=color, weight="BOLD")
        return self._numbers[key]

    def panel_row(self, name: str, how: str, color: str, top: float) -> dict:
        """A row of the MSE panel: its name (in its colour), how it reads (replaced by what it does), the MSE, a bar."""
        label = fit(self.text(name, size=LABEL_SIZE, color=color, weight="BOLD"))
        label.move_to([PANEL_X, top - 0.16, 0], aligned_edge=LEFT)
        line = fit(self.text(how, size=SMALL_SIZE, color="#666666")).move_to([PANEL_X, top - 0.5, 0], aligned_edge=LEFT)
        mse = self.text("MSE", size=SMALL_SIZE, color="#555555").move_to([PANEL_X, top - 0.86, 0], aligned_edge=LEFT)
        track = Rectangle(width=BAR_WIDTH, height=0.14, fill_color="#EEEEEE", fill_opacity=1, stroke_width=0)
        track.move_to([PANEL_X + BAR_WIDTH / 2, top - 1.16, 0])
        return {"static": VGroup(label, line, mse, track), "how": line, "mse": mse, "track": track, "color": color,
                "top": top}

    def value_text(self, row: dict, v: float) -> Text:
        """The MSE beside its label (one Text per distinct value, made once and placed once)."""
        t = self.number(fmt_mse(v), row["color"])
        return t.next_to(row["mse"], RIGHT, buff=0.15).align_to(row["mse"], DOWN)

    def bar(self, row: dict, v: float) -> Rectangle:
        width = max(1e-3, BAR_WIDTH * min(1.0, v / self.bar_scale))
        return Rectangle(width=width, height=0.14, fill_color=row["color"], fill_opacity=1, stroke_width=0).move_to(
            row["track"].get_left() + RIGHT * width / 2)

    def verdict_tag(self, row: dict, c: Collapse) -> Text:
        """What a row's forecast does, in place of how it reads: 'collapses to ≈ −0.14', 'holds the phase (r = 0.99)'."""
        words = self.w(f"scene.sine.tag.{c.verdict}", v=fmt(c.value), r=fmt(c.corr))
        return fit(self.text(words, size=SMALL_SIZE, color=row["color"])).move_to(
            [PANEL_X, row["top"] - 0.5, 0], aligned_edge=LEFT)

    def constant(self, c: Collapse, color: str) -> VGroup:
        """The constant a collapsed forecast settles to: a dashed line from the step it has settled by, and its value."""
        ev = self.ev
        start = self.p(ev.x[c.settled_by - 1], c.value)
        end = self.p(ev.x[-1] + self.dx, c.value)
        dashes = DashedLine(start, end, color=COLORS["text"], stroke_width=2.5, dash_length=0.12)
        dot = Dot(start, radius=0.08, color=color)
        words = self.text(self.w("scene.sine.constant", v=fmt(c.value)), size=LABEL_SIZE, color=color, weight="BOLD")
        # beside the point where it has settled, on the side away from the truth there (the error bars run to it)
        side = UP if c.value >= ev.truth[c.settled_by - 1] else DOWN
        words.next_to(dot, side, buff=0.16)
        return VGroup(dashes, dot, words)

    # -- storyboard ------------------------------------------------------------------------------
    def construct(self) -> None:
        ev = self.ev
        title = self.title("scene.sine.title").scale(0.9).to_corner(UL, buff=0.35)
        sub = self.text(self.w("scene.sine.subtitle", model=self.who(0), n=len(ev.x), a=f"{ev.x[0]:.2f}",
                               b=f"{ev.x[-1]:.0f}"), size=SUBTITLE_SIZE, color="#555555")
        head = VGroup(title, sub.next_to(title, DOWN, buff=0.12, aligned_edge=LEFT))
        mark = self.shown_line()  # an intervened trace says so (the scene draws no one layer or row)
        if mark is not None:
            head.add(mark.next_to(sub, DOWN, buff=0.08, aligned_edge=LEFT))
        self.play(FadeIn(head), run_time=0.8)

        axes, region = self.axes(), self.test_region()
        window = self.series(ev.window_x, ev.window_y, COLORS["data"], radius=0.05, width=2.5)
        truth = self.series(ev.x, ev.truth, COLORS["truth"], radius=0.035, width=1.2)
        legend = self.legend()
        self.play(FadeIn(region), FadeIn(axes), FadeIn(window), FadeIn(truth), FadeIn(legend), run_time=1.2)
        self.say("scene.sine.data", n=len(ev.x), wait=READ - 0.4)

        heading = fit(self.text(self.w("scene.sine.panel"), size=LABEL_SIZE, weight="BOLD"))
        heading.move_to([PANEL_X, 1.45, 0], aligned_edge=LEFT)
        rows = {"single": self.panel_row(self.w("scene.sine.single_name"), self.w("scene.sine.single_how"),
                                         self.colors["single"], ROW_TOPS[0]),
                "multi": self.panel_row(self.w("scene.sine.multi_name"), self.w("scene.sine.multi_how"),
                                        self.colors["multi"], ROW_TOPS[1]),
                "other": self.panel_row(self.short(1), self.w("scene.sine.other_how"), self.colors["other"],
                                        ROW_TOPS[2])}
        self.single_phase(rows["single"], heading)
        self.multi_phase(rows["multi"])
        self.other_phase(rows["other"])
        self.finish()

    def legend(self) -> VGroup:
        items = VGroup()
        for key, color, radius in (("scene.sine.truth", COLORS["truth"], 0.05), ("scene.sine.window", COLORS["data"], 0.06)):
            items.add(VGroup(Dot(radius=radius, color=color),
                             self.text(self.w(key), size=SMALL_SIZE, color="#444444")).arrange(RIGHT, buff=0.15))
        items.arrange(DOWN, aligned_edge=LEFT, buff=0.14).move_to([PANEL_X, 2.2, 0], aligned_edge=LEFT)
        return items

    def slow_steps(self, ys: np.ndarray, color: str, first_caption: str, next_caption: str, multi: bool) -> VGroup:
        """The first SLOW predictions, one at a time: the window, then the predicted point."""
        ev = self.ev
        box = self.window_box(0)
        tag = self.window_label(box)
        self.play(FadeIn(box), FadeIn(tag), *self.caption(first_caption, k=ev.seq_len), run_time=0.7)
        self.wait(READ - 0.6)
        made = VGroup()
        rings = VGroup()
        for k in range(SLOW):
            if k:
                new_box = self.window_box(k)
                anims = [box.animate.become(new_box), tag.animate.next_to(new_box, UP, buff=0.06)]
                if multi:
                    _, own = ev.inputs_of(k)
                    new_rings = VGroup(*[Circle(radius=0.11, color=COLORS["highlight"], stroke_width=4).move_to(
                        self.p(ev.x[j], ys[j])) for j in range(int(own.sum()))])
                    anims += [FadeOut(rings), FadeIn(new_rings, scale=1.6)]
                    rings = new_rings
                if k == 1:
                    anims += self.caption(next_caption)
                elif multi and k == 2:
                    anims += self.caption("scene.sine.multi_more")
                self.play(*anims, run_time=0.6)
                self.wait(1.4 if k == 1 else 0.5)
            dot = Dot(self.p(ev.x[k], ys[k]), radius=0.06, color=color)
            seg = [Line(made[-1].get_center(), dot.get_center(), color=color, stroke_width=3)] if k else []
            self.play(FadeIn(dot, scale=2.0), *[Create(s) for s in seg], run_time=0.5)
            made.add(*seg, dot)
        if len(rings):
            self.play(FadeOut(rings), run_time=0.2)
        self.box, self.tag = box, tag
        return made

    def grow(self, ys: np.ndarray, color: str, run_time: float, errors: bool = False, start: int = SLOW - 1,
             window: bool = True) -> VGroup:
        """The rest of a curve, fast: a growing line, the window following (and the error at each point)."""
        ev = self.ev
        s = ValueTracker(start)
        n = len(ev.x)

        def line_now():
            m = VMobject(stroke_color=color, stroke_width=3)
            m.set_points_as_corners(self.curve_points(ys, s.get_value()))
            return m

        def error_now(k: int):
            """Error bars of points 0..k, from just off the true point (its dot stays visible) to the prediction."""
            m = VMobject(stroke_color=COLORS["error"], stroke_width=1.6, stroke_opacity=0.6)
            for j in range(k + 1):
                a, b = self.p(ev.x[j], ev.truth[j]), self.p(ev.x[j], ys[j])
                gap = min(0.045, abs(b[1] - a[1]))
                m.start_new_path(a + np.sign(b[1] - a[1]) * gap * UP)
                m.add_line_to(b if abs(b[1] - a[1]) > 1e-6 else b + 1e-4 * UP)
            return m

        def when_index_changes(draw):
            """An updater that redraws a mobject only when the tracker passes the next point."""
            last = [None]

            def update(m):
                k = min(n - 1, int(np.floor(s.get_value())))
                if k != last[0]:
                    last[0] = k
                    draw(m, k)
            return update

        line = line_now()
        line.add_updater(lambda m: m.become(line_now()))
        moving = [line]
        if window:
            self.box.add_updater(when_index_changes(lambda m, k: m.become(self.window_box(k))))
            self.tag.add_updater(lambda m: m.next_to(self.box, UP, buff=0.06))
            moving += [self.box, self.tag]
        extra = []
        if errors:
            err = error_now(start)
            err.add_updater(when_index_changes(lambda m, k: m.become(error_now(k))))
            extra.append(err)
        self.add(*extra, line)
        self.play(s.animate.set_value(n - 1), run_time=run_time, rate_func=linear)
        for m in (*moving, *extra):
            m.clear_updaters()
        if window:
            self.play(FadeOut(self.box), FadeOut(self.tag), run_time=0.4)
        return VGroup(line, *extra)

    def show_mse(self, row: dict, v: float, *anims, caption: list | None = None) -> None:
        """The row's MSE, once its line is complete."""
        self.play(FadeIn(self.value_text(row, v)), FadeIn(self.bar(row, v)), *(caption or []), *anims, run_time=0.6)

    def single_phase(self, row: dict, heading: Text) -> None:
        ev = self.ev
        self.play(FadeIn(heading), FadeIn(row["static"]), run_time=0.6)
        dots = self.slow_steps(ev.single, self.colors["single"], "scene.sine.single", "scene.sine.single_next",
                               multi=False)
        self.play(*self.caption("scene.sine.single_all", n=len(ev.x)), run_time=0.5)
        curve = self.grow(ev.single, self.colors["single"], run_time=4.0)
        self.show_mse(row, ev.mse_single, caption=self.caption("scene.sine.single_mse", mse=fmt_mse(ev.mse_single),
                                                               floor=fmt_mse(ev.noise_floor)))
        self.wait(READ + 0.3)
        self.single_parts = VGroup(curve, dots)

    def multi_phase(self, row: dict) -> None:
        ev = self.ev
        self.play(Transform(self.single_parts, dimmed(self.single_parts, 0.3)), FadeIn(row["static"]), run_time=0.6)
        dots = self.slow_steps(ev.multi, self.colors["multi"], "scene.sine.multi", "scene.sine.multi_own", multi=True)
        self.play(*self.caption("scene.sine.multi_all", k=ev.seq_len), run_time=0.5)
        curve = self.grow(ev.multi, self.colors["multi"], run_time=6.0, errors=True)
        self.errors = curve[1]
        self.show_mse(row, ev.mse_multi)
        c = ev.forecast
        anims = [Transform(row["how"], self.verdict_tag(row, c))]
        if c.collapsed:
            self.constant_line = self.constant(c, self.colors["multi"])
            anims += [Create(self.constant_line[0]), FadeIn(self.constant_line[1:])]
        self.play(*anims, *self.caption(f"scene.sine.forecast.{c.verdict}", v=fmt(c.value), k=c.settled_by,
                                        r=fmt(c.corr)), run_time=0.8)
        self.wait(READ + 0.8)
        self.multi_parts = VGroup(curve[0], dots)

    def other_phase(self, row: dict) -> None:
        """The second model's multi-step forecast from the same last window, over the first model's (dimmed)."""
        other = self.other
        fading = [FadeOut(self.errors), Transform(self.multi_parts, dimmed(self.multi_parts, 0.35))]
        if hasattr(self, "constant_line"):
            fading.append(self.constant_line.animate.set_opacity(0.35))
        self.play(*fading, FadeIn(row["static"]), *self.caption("scene.sine.other", who=self.short(1),
                                                                 h=other.hidden_size), run_time=0.8)
        self.wait(READ - 0.8)
        self.grow(other.multi, self.colors["other"], run_time=4.0, start=0, window=False)
        c = other.forecast
        self.show_mse(row, other.mse_multi, Transform(row["how"], self.verdict_tag(row, c)),
                      caption=self.caption(f"scene.sine.compare.{c.verdict}", who=self.short(1), v=fmt(c.value),
                                           k=c.settled_by, r=fmt(c.corr)))
        self.wait(READ + 0.8)

    def finish(self) -> None:
        ev, other = self.ev, self.other
        self.play(*self.caption("scene.sine.close", a=fmt_mse(ev.mse_multi), wa=self.short(0),
                                b=fmt_mse(other.mse_multi), wb=self.short(1)), run_time=0.7)
        self.wait(READ + 1.5)


__all__ = ["Evaluation", "SinePrediction", "evaluation", "same_series"]
