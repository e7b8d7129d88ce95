"""SourceCode: the source's own code on screen, its typo fixed, and the hand-written RNN at work.

The tutorial writes the RNN twice: by hand (`MyRNN` with `linear_ih`, `linear_hh`,
`linear_ho` and tanh; forward reads one point and the previous state) and with
`torch.nn.RNN` (forward reads the whole window). Its nn.RNN version stores the final state
as `tate`, so `return output,state` fails: the scene marks both names and shows what
Python raises (`explainer.sourcecode.listing.TYPO_ERROR`, which the tests get by running
that very file), then fixes the one name. Then the hand-written forward runs on the
first test window, y[310] … y[319], as the source's `pred` loop feeds it: the line that
runs is lit while x enters the unrolled cell and the new state appears with its numbers,
and after the last point `output` is the prediction pred[320], beside the true y[320].

Every listing is the text of a file in `explainer/sourcecode/` (comments in the viewer's
language), the same files the tests import and run. The numbers are the trace's (the
shipped `sine-rnn-seed`: the source's model after the source's training); the tests check
that running the shown MyRNN with that model's weights gives them, and that the source's
training loop makes that model.

    manim -ql animations/source_code.py SourceCode
    EXPLAINER_LANG=zh manim -qm animations/source_code.py SourceCode
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
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Rectangle,
    ReplacementTransform,
    RoundedRectangle,
    ShowPassingFlash,
    Text,
    VGroup,
    config,
)

from animations.base import READ, TraceScene
from animations.fast_camera import FastImageCamera
from animations.mobjects import RNNCell, StateVector
from animations.mobjects.code_panel import FONT_SIZE, MONO_FONT, CodePanel
from animations.mobjects.diagram import LayerBox, Wire
from animations.registry import scene
from animations.unrolled_rnn import colour_limit, windows
from explainer.errors import ExplainerError
from explainer.reading import number as fmt
from explainer.sourcecode import listing
from explainer.style import COLORS, GATE_COLORS
from explainer.trace import Trace

# Layout (scene units; the frame is 14.2 x 8, 90 px per unit at 720p).
LEFT_EDGE = -6.85  # left edge of the listings
RIGHT_X = 1.75  # left edge of the words right of the hand-written listing
PITCH = 1.0  # distance between the unrolled cells
X0 = -5.6  # centre of cell 0
STRIP_TOP, STRIP_CELL = 0.95, 0.21  # the state strips above the cells
CELL_Y, CELL_W, CELL_H = -1.98, 0.5, 0.42  # the cells
X_Y, POINT_Y = -2.5, -2.86  # the x values and their names y[p] below the cells
READOUT_X = 5.5  # centre of the readout box (linear_ho), right of the last state's numbers
SMALL = 17  # the smallest words (capitals 15 px at 720p)
SLOW = 3  # steps shown slowly, with the line that runs
VEIL_TOP, VEIL_BOTTOM = 4.1, -3.3  # between these heights a scene change fades everything (the caption is below)


@dataclass(frozen=True)
class SourceRun:
    """What the scene shows of the trace: the window the source's pred loop reads and what MyRNN computes."""

    start: int  # position of the window's first point (y[start] ... y[start + steps - 1])
    inputs: np.ndarray  # [time] the x fed to forward, one per call
    states: np.ndarray  # [time, hidden] curr_state after each call
    output: float  # linear_ho of the last state: pred[start + steps]
    truth: float | None  # the true y[start + steps]
    windows: int  # how many training windows the source's train loop goes through (points - seq_len)
    preset: str | None  # the training preset ("seed": the source's own training)

    @property
    def steps(self) -> int:
        return len(self.inputs)

    @property
    def hidden(self) -> int:
        return self.states.shape[1]


def source_run(trace: Trace) -> SourceRun:
    """The window of a sine trace as the source's MyRNN reads it (one-line errors for any other model)."""
    meta = trace.meta
    hidden = listing.setting("train_loop", "hidden_size")
    shape = (meta.get("kind"), meta.get("input_size"), meta.get("hidden_size"), meta.get("num_layers"),
             meta.get("num_directions"), meta.get("output_size"))
    if shape != ("rnn_tanh", 1, hidden, 1, 1, 1):
        raise ExplainerError(
            f"scene SourceCode runs the source's MyRNN (a tanh RNN, input 1, hidden {hidden}, one layer, one "
            f"direction, output 1); this trace's model is {meta.get('kind')} with input {meta.get('input_size')}, "
            f"hidden {meta.get('hidden_size')}, {meta.get('num_layers')} layer(s): use a trace of "
            "`explainer train sine --model rnn --preset seed`")
    window = windows(trace, 0, 0)[0]
    if window.start is None:
        raise ExplainerError("scene SourceCode names the points it reads (y[310] …); this trace does not say where its "
                             "window starts (meta positions): record it with `explainer trace`")
    train = int(meta.get("train_points") or 0)
    seq_len = int(meta.get("seq_len") or window.inputs.shape[0])
    return SourceRun(int(window.start), window.inputs, window.h, window.prediction, window.truth,
                     max(0, train - seq_len), meta.get("preset"))


def shown_listing(file: str, name: str, lang: str) -> tuple[str, int]:
    """A block of one of the source files as shown: its text (comments in `lang`) and its first line."""
    text, first = listing.block(file, name)
    return listing.shown(text, lang), first


@scene("SourceCode", "The source's code on screen: the hand-written MyRNN beside the torch.nn.RNN version, the "
       "'tate' typo and its fix, then MyRNN.forward run on a real window, the running line lit.", rank=12,
       default="sine-rnn-seed", kinds=(("rnn_tanh",),), tasks=("sine",))
class SourceCode(TraceScene):
    """Storyboard: both versions → the typo, what it raises, the fix → forward and pred run a window → the output."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("camera_class", FastImageCamera)  # the state strips are images
        super().__init__(*args, **kwargs)
        self.run = source_run(self.trace)  # fails here, before any rendering
        self.limit = colour_limit(self.run.states)
        self.lines = {
            "typo": listing.typo_line(),
            "tate": listing.line_in("torch_rnn_typo", "MyRNN.forward", "output_hidden,tate"),
            "rnn": listing.line_in("torch_rnn_typo", "MyRNN", "self.rnn=nn.RNN"),
            "torch_forward": listing.line_in("torch_rnn_typo", "MyRNN", "def forward"),
            "ih": listing.line_in("my_rnn", "MyRNN", "self.linear_ih="),
            "tanh": listing.line_in("my_rnn", "MyRNN", "self.tanh="),
            "step_first": listing.line_in("my_rnn", "MyRNN.forward", "curr_state=self.tanh("),
            "step_last": listing.line_in("my_rnn", "MyRNN.forward", "curr_state=self.tanh(") + 2,
            "output": listing.line_in("my_rnn", "MyRNN.forward", "output=self.linear_ho"),
            "return": listing.line_in("my_rnn", "MyRNN.forward", "return output,curr_state"),
            "loop": listing.line_in("train_loop", "pred", "for x in truth_seq"),
            "call": listing.line_in("train_loop", "pred", "output,state=my_rnn(x,state)"),
            "pred_return": listing.line_in("train_loop", "pred", "return output"),
        }

    # -- pictures -------------------------------------------------------------------------------
    def words(self, key: str, size: float = SMALL, color: str = COLORS["text"], **fmt_kw):
        return self.text(self.w(key, **fmt_kw), size=size, color=color)

    def heading(self, name: str, how: str) -> VGroup:
        top = self.text(self.w(name), size=26, weight="BOLD")
        sub = self.text(self.w(how), size=20, color="#555555")
        return VGroup(top, sub).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

    def inline(self, text: str, color: str, fill: str) -> VGroup:
        """A message in the listing's font on a light box, as an editor shows one beside a line."""
        words = Text(text, font=MONO_FONT, font_size=FONT_SIZE, color=color) if text.isascii() else self.text(text, 18, color)
        box = RoundedRectangle(corner_radius=0.05, width=words.width + 0.24, height=words.height + 0.07,
                               fill_color=fill, fill_opacity=1, stroke_color=color, stroke_width=1.5)
        return VGroup(box, words.move_to(box))

    def show(self, *mobs, run_time: float, also=()) -> None:
        """Fade `mobs` in (with the animations `also`)."""
        self.play(*self.reveal(*mobs), *also, run_time=run_time)

    def reveal(self, *mobs) -> list:
        """Animations that fade `mobs` in by fading out a white box over each (the slide is white): the same
        picture as FadeIn, without copying every glyph of a listing for every frame's interpolation."""
        veils = [self.veil(m) for m in mobs]
        self.add(*mobs, *veils)
        return [FadeOut(v) for v in veils]

    def conceal(self, *mobs) -> list:
        """Animations that fade `mobs` out under white boxes; `self.cleared` removes both after the play."""
        veils = [self.veil(m) for m in mobs]
        self.cleared = [*mobs, *veils]
        return [FadeIn(v) for v in veils]

    def hide(self, top: float, bottom: float, run_time: float) -> None:
        """Fade out everything between heights `bottom` and `top` (a white band fades in over it), then clear it
        (the caption, below `bottom`, stays)."""
        band = Rectangle(width=config.frame_width + 0.2, height=top - bottom, fill_color=COLORS["background"],
                         fill_opacity=1, stroke_width=0).move_to([0, (top + bottom) / 2, 0])
        self.play(FadeIn(band), run_time=run_time)
        keep = [m for m in self.mobjects if m is self._caption]
        self.clear()
        self.add(*keep)

    @staticmethod
    def veil(mob) -> Rectangle:
        """A white box just over `mob`."""
        return Rectangle(width=mob.width + 0.1, height=mob.height + 0.1, fill_color=COLORS["background"], fill_opacity=1,
                         stroke_width=0).move_to(mob)

    # -- storyboard -----------------------------------------------------------------------------
    def construct(self) -> None:
        title = self.title("scene.code.title").scale(0.85).to_corner(UL, buff=0.3)
        self.play(FadeIn(title), run_time=0.7)
        hand, torch_typo = self.two_versions()
        self.typo(torch_typo)
        self.hide(VEIL_TOP, VEIL_BOTTOM, run_time=0.8)  # everything but the caption
        self.at_work()

    def two_versions(self) -> tuple[CodePanel, CodePanel]:
        """The hand-written MyRNN above, the nn.RNN version (as the source writes it) below."""
        hand = CodePanel(*shown_listing("my_rnn", "MyRNN", self.lang))
        hand.move_to([LEFT_EDGE + hand.width / 2, 3.08 - hand.height / 2, 0])
        torch_typo = CodePanel(*shown_listing("torch_rnn_typo", "MyRNN", self.lang))
        torch_typo.move_to([LEFT_EDGE + torch_typo.width / 2, -3.12 + torch_typo.height / 2, 0])
        by_hand = self.heading("scene.code.by_hand", "scene.code.by_hand_how").move_to([RIGHT_X, 2.6, 0], aligned_edge=LEFT)
        with_torch = self.heading("scene.code.with_torch", "scene.code.with_torch_how")
        with_torch.next_to(torch_typo, UP, buff=0.12).align_to(torch_typo, RIGHT)

        self.show(hand, by_hand, also=self.caption("scene.code.hand_forward"), run_time=0.9)
        self.play(hand.light(self.lines["step_first"] - 1, self.lines["return"]), run_time=0.6)
        self.wait(READ)
        self.play(hand.light(self.lines["ih"], self.lines["tanh"]), *self.caption("scene.code.hand_layers"), run_time=0.6)
        self.wait(READ + 0.5)
        self.show(torch_typo, with_torch, also=[hand.dark()], run_time=0.9)
        self.play(torch_typo.light(self.lines["rnn"]), *self.caption("scene.code.torch_layers"), run_time=0.6)
        self.wait(READ + 0.5)
        self.play(torch_typo.light(self.lines["torch_forward"], self.lines["typo"]),
                  *self.caption("scene.code.torch_forward"), run_time=0.6)
        self.wait(READ)
        return hand, torch_typo

    def typo(self, panel: CodePanel) -> None:
        """tate, then state, marked; what Python raises at that line; the one name fixed."""
        tate_line, typo_line = self.lines["tate"], self.lines["typo"]
        tate = panel.box(tate_line, listing.TYPO_NAME)
        self.play(panel.light(tate_line), Create(tate), *self.caption("scene.code.typo"), run_time=0.7)
        self.wait(READ)
        state = panel.box(typo_line, listing.FIXED_NAME)
        self.play(panel.light(typo_line), Create(state), *self.caption("scene.code.typo_return"), run_time=0.7)
        self.wait(READ)
        error = self.inline(listing.TYPO_ERROR, COLORS["error"], "#FDECEA")
        error.next_to(panel.row(typo_line), RIGHT, buff=0.45)
        self.play(FadeIn(error, shift=LEFT * 0.15), *self.caption("scene.code.raises", line=typo_line), run_time=0.7)
        self.wait(READ + 0.8)

        fixed = CodePanel(*shown_listing("torch_rnn", "MyRNN", self.lang))
        fixed.move_to(panel, aligned_edge=UL)
        fixed_line = listing.line_in("torch_rnn", "MyRNN.forward", "output_hidden,state")
        runs = self.inline(self.w("scene.code.runs"), COLORS["correct"], "#E9F5EA").move_to(error, aligned_edge=LEFT)
        self.play(ReplacementTransform(panel.row(tate_line), fixed.row(fixed_line)), FadeOut(tate), FadeOut(state),
                  FadeOut(error), panel.light(tate_line), *self.caption("scene.code.fix"), run_time=1.0)
        self.remove(panel, fixed.row(fixed_line))
        fixed.bars[0].become(panel.bars[0])
        self.add(fixed)
        mended = fixed.box(fixed_line, listing.FIXED_NAME, color=COLORS["correct"])
        self.play(FadeIn(runs, shift=LEFT * 0.15), Create(mended), run_time=0.6)
        self.wait(READ)
        self.play(*self.caption("scene.code.same"), fixed.dark(), run_time=0.6)
        self.wait(READ + 0.5)

    def at_work(self) -> None:
        """forward beside pred, the unrolled cells below; the running lines lit in step with the cells."""
        run = self.run
        title = self.title("scene.code.run_title").scale(0.85).to_corner(UL, buff=0.3)
        forward = CodePanel(*shown_listing("my_rnn", "MyRNN.forward", self.lang), numbers=False)
        pred = CodePanel(*shown_listing("train_loop", "pred", self.lang), numbers=False)
        forward.move_to([LEFT_EDGE + forward.width / 2, 2.95 - forward.height / 2, 0])
        pred.next_to(forward, RIGHT, buff=0.3).align_to(forward, UP)
        self.forward, self.pred = forward, pred
        cells = VGroup(*[RNNCell((self.col(t), CELL_Y), CELL_W, CELL_H, size=22) for t in range(run.steps)])
        h_wires = VGroup(*[Wire([cells[t].port("right"), cells[t + 1].port("left")], GATE_COLORS["h"], 3.5, tip=True)
                           for t in range(run.steps - 1)])
        xs = VGroup(*[self.text(fmt(v), size=SMALL + 1).move_to([self.col(t), X_Y, 0]) for t, v in enumerate(run.inputs)])
        points = VGroup(*[self.words("scene.code.point", color="#777777", p=run.start + t).move_to([self.col(t), POINT_Y, 0])
                          for t in range(run.steps)])
        zero_wire = Wire([cells[0].port("left") + LEFT * 0.38, cells[0].port("left")], GATE_COLORS["h"], 3.5, tip=True)
        zeros = self.words("scene.code.zeros", color=GATE_COLORS["h"]).next_to(zero_wire, LEFT, buff=0.06)
        state_name = self.words("scene.code.state", color=GATE_COLORS["h"]).move_to(
            [X0 - 0.95, STRIP_TOP - run.hidden * STRIP_CELL / 2, 0])
        x_name = self.words("scene.code.x", color=GATE_COLORS["x"]).move_to([X0 - 0.95, X_Y, 0])
        self.cells, self.xs = cells, xs

        self.show(title, forward, pred, run_time=0.8)
        self.show(cells, h_wires, xs, points, zero_wire, zeros, state_name, x_name,
                  also=self.caption("scene.code.run", a=run.start, b=run.start + run.steps - 1), run_time=1.0)
        self.wait(READ)
        weights = "scene.code.weights" if run.preset == "seed" and run.windows else None
        if weights:
            self.play(*self.caption(weights, n=run.windows), run_time=0.6)
            self.wait(READ)

        self.strips: list[Group] = []
        self.numbers: VGroup | None = None
        for t in range(run.steps):
            self.step(t, slow=t < SLOW)
        self.readout()

    # -- pieces of the storyboard ---------------------------------------------------------------
    def col(self, t: float) -> float:
        return X0 + PITCH * t

    def strip(self, t: int) -> StateVector:
        values = self.run.states[t]
        vector = StateVector(values, cell=STRIP_CELL, vertical=True, numbers=False, limit=self.limit)
        return vector.move_to([self.col(t) - 0.22, STRIP_TOP - vector.height / 2, 0])

    def state_numbers(self, t: int, vector: StateVector) -> VGroup:
        """curr_state's numbers beside its strip, one per unit."""
        group = VGroup(*[self.text(fmt(v), size=SMALL, color="#333333") for v in self.run.states[t]])
        for k, number in enumerate(group):
            number.move_to(vector.cell_center(k)).align_to(vector.get_right() + RIGHT * 0.07, LEFT)
        return group

    @staticmethod
    def flash(cell: LayerBox) -> ShowPassingFlash:
        ring = cell.box.copy().set_fill(opacity=0).set_stroke(COLORS["highlight"], width=6)
        return ShowPassingFlash(ring, time_width=0.7)

    def step(self, t: int, slow: bool) -> None:
        """One call of forward: x_t and the previous state go in, the new state comes out (and, when slow, the
        lines that run are lit one after the other)."""
        run, cell = self.run, self.cells[t]
        x = self.xs[t]
        if slow:
            key = {0: "scene.code.step0", 1: "scene.code.step1"}.get(t, "scene.code.step2")
            self.play(self.pred.light(self.lines["loop"]), self.forward.dark(), Indicate(x, color=COLORS["highlight"]),
                      *self.caption(key, p=run.start + t, x=fmt(run.inputs[t])), run_time=0.7)
            self.wait(READ - 0.6 if t else READ)
            self.play(self.pred.light(self.lines["call"]), run_time=0.5)
        elif t == SLOW:
            self.play(*self.caption("scene.code.rest", p=run.start + run.steps - 1), self.pred.light(self.lines["call"]),
                      run_time=0.5)
        moves = [self.forward.light(self.lines["step_first"], self.lines["step_last"])]
        moves.append(FadeOut(x.copy().set_color(GATE_COLORS["x"]), target_position=cell.port("bottom"), scale=0.5))
        if self.strips:
            moves.append(FadeOut(self.strips[-1].copy(), target_position=cell.port("left"), scale=0.15))
        gone = []
        if self.numbers is not None:
            moves += self.conceal(self.numbers)
            gone, self.numbers = self.cleared, None
        self.play(*moves, run_time=0.8 if slow else 0.3)
        self.remove(*gone)
        vector = self.strip(t)
        shows_numbers = slow or t == run.steps - 1
        appear = [self.flash(cell), FadeIn(vector, shift=UP * 0.2, scale=0.9)]
        if shows_numbers:
            self.numbers = self.state_numbers(t, vector)
            appear += self.reveal(self.numbers)
        if t == 0:
            appear += self.caption("scene.code.step_h", units=run.hidden)
        self.play(*appear, run_time=0.8 if slow else 0.35)
        self.strips.append(vector)
        if slow:
            self.wait(READ if t == 0 else 1.0)
            if t == 0:
                self.play(self.forward.light(self.lines["output"]), *self.caption("scene.code.every_output"), run_time=0.6)
                self.wait(READ - 0.4)
            else:
                self.play(self.forward.light(self.lines["output"]), run_time=0.45)
            self.play(self.forward.light(self.lines["return"]), run_time=0.45)

    def readout(self) -> None:
        """After the last call: output is linear_ho of the last state, the prediction pred[start + steps]."""
        run = self.run
        last = self.cells[-1]
        box = LayerBox("linear_ho", (READOUT_X, CELL_Y), width=1.3, height=CELL_H, size=19)
        wire = Wire([last.port("right"), box.get_left()], GATE_COLORS["h"], 3.5, tip=True)
        p = run.start + run.steps
        value = self.text(self.w("scene.code.output_label", y=fmt(run.output)), size=22, color=COLORS["single"], weight="BOLD")
        name = self.words("scene.code.pred", color=COLORS["single"], p=p)
        said = VGroup(value, name).arrange(DOWN, buff=0.08).next_to(box, UP, buff=0.45)
        self.play(self.forward.light(self.lines["output"]), self.pred.light(self.lines["pred_return"]), Create(wire),
                  FadeIn(box), run_time=0.8)
        self.play(self.flash(box), FadeIn(said, shift=UP * 0.1), *self.caption("scene.code.output", y=fmt(run.output), p=p),
                  run_time=0.8)
        self.wait(READ + 0.5)
        if run.truth is not None:
            truth = self.words("scene.code.true", color=COLORS["truth"], p=p, y=fmt(run.truth)).move_to([READOUT_X, X_Y, 0])
            self.play(FadeIn(truth, shift=UP * 0.1), *self.caption("scene.code.truth", p=p, y=fmt(run.truth),
                                                                    err=fmt(abs(run.truth - run.output))), run_time=0.7)
            self.wait(READ + 0.5)
        self.play(*self.caption("scene.code.end"), self.forward.dark(), self.pred.dark(), run_time=0.6)
        self.wait(READ + 0.5)


__all__ = ["SourceCode", "SourceRun", "source_run", "shown_listing"]
