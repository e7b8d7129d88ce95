"""GradientFlow: the gradient of a pronoun's loss travels back through the unrolled network, RNN above, LSTM below.

Why a plain RNN cannot learn a long dependency, measured on the models the lecture uses:
the loss ℓ at a pronoun sends its gradient back step by step; every step multiplies it by
that step's derivative. Each lane is one model unrolled over the hundred steps before the
pronoun (one yellow box per step, the h wire through them and, for the LSTM, the
cell-state belt above). The gradient is a red band that grows back from the pronoun,
its width and colour following ‖∂ℓ/∂h_{t−d}‖ (and ‖∂ℓ/∂C_{t−d}‖ on the belt) on one log
scale for both lanes; at d = 0, 10, 25, 50, 100 the measured norms are written beside it.
The norms are the mean over the pronoun answers of the evaluation passages of the
checkpoint each trace was recorded from (`explainer.probes.gradient_flow`, which runs
the model: the one place this scene's numbers come from). Captions say how much of the
d = 0 gradient is left, and at the end how many times more the second model keeps at d = 50.

    manim -ql animations/gradient_flow.py GradientFlow
    EXPLAINER_TRACE=assets/traces/language-rnn.safetensors:assets/traces/language-gru.safetensors \
        EXPLAINER_LANG=zh manim -ql animations/gradient_flow.py GradientFlow
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, RoundedRectangle, VGroup

from animations.base import TraceScene
from animations.captions import Fade, fit_line
from animations.mobjects import RNNCell
from animations.mobjects.diagram import Wire
from animations.mobjects.tape import GRADIENT, GradientRibbon, LogScale, UnrolledTape
from animations.registry import scene
from explainer.reading import number as fmt
from explainer.style import COLORS

#: The distances where the norms are written, and where the travelling gradient pauses.
MARKS = (0, 10, 25, 50, 100)
#: The distance the ending compares at.
AT = 50
#: How many decades below the largest norm at d = 0 the band is gone.
DECADES = 20
#: Seconds per step of travel, for each stretch between two marks (slower near the pronoun).
PACE = (0.22, 0.1, 0.08, 0.05)
LANES = (1.35, -1.25)  # y of each lane's h wire
X_NEAR, X_FAR = 4.55, -5.0
MIN_FONT = 16  # font size whose capital letters are 0.16 units (14 px at 720p) tall


def family(kind: str) -> str:
    return "rnn" if kind.startswith("rnn") else kind


@scene("GradientFlow", "The gradient of a pronoun's loss travels back through the unrolled RNN (fading) and LSTM "
       "(along the cell-state belt), with the measured norms.",
       rank=61, default=("language-rnn", "language-lstm"),
       kinds=(("rnn_tanh", "rnn_relu", "gru", "lstm"), ("lstm", "gru", "rnn_tanh", "rnn_relu")), tasks=("language",))
class GradientFlow(TraceScene):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prepare()

    def prepare(self) -> None:
        """The measured gradient flow of each trace's checkpoint (runs the models once per file and run)."""
        from explainer.probes.gradient_flow import checkpoint_of, for_checkpoint

        self.flows = []
        for k, trace in enumerate(self.traces):
            path = checkpoint_of(trace.meta, label=f"trace {k + 1}", by=f"scene {self.spec.name}")
            self.flows.append(for_checkpoint(path))
        self.names = [self.model_name(t) for t in self.traces]
        depth = min(f.depth for f in self.flows)
        self.marks = [d for d in MARKS if d <= depth]
        self.at = min(AT, depth)
        top = max(f.norm(0, s) for f in self.flows for s in f.states)
        self.scale = LogScale(top, top * 10.0 ** -DECADES)

    # -- the picture ------------------------------------------------------------------------------
    def build(self) -> None:
        title = self.text(self.w("mechanism.scene.title"), size=34, weight="BOLD").to_edge(UP, buff=0.25)
        sub = fit_line(self.w("mechanism.scene.subtitle", a=self.names[0], b=self.names[1], n=self.flows[0].count),
                       self.lang, size=18).set_color("#555555").next_to(title, DOWN, buff=0.12)
        self.header = VGroup(title, sub)
        self.lanes, self.ribbons, self.numbers = [], [], []
        for k, (flow, y) in enumerate(zip(self.flows, LANES)):
            tape = UnrolledTape(flow.depth, x_near=X_NEAR, x_far=X_FAR, y=y, belt="c" in flow.states)
            color = COLORS.get(family(flow.kind), COLORS["text"])
            name = self.text(self.names[k], size=30, color=color, weight="BOLD")
            name.move_to(np.array([-6.35, y + (0.2 if tape.c_y else 0), 0]))
            via = [self.text("h", size=20, color=COLORS["hidden"]).next_to(tape.h_wire, LEFT, buff=0.1)]
            if tape.c_y is not None:
                via.append(self.text("C", size=20, color=COLORS["belt"]).next_to(tape.belt, LEFT, buff=0.1))
            ticks = VGroup(*[self.text(self.w("mechanism.scene.steps_back", d=d), size=16, color="#666666")
                             .move_to(np.array([tape.x(d), y - 0.52, 0])) for d in self.marks])
            loss = self.loss_box(tape, y)
            self.lanes.append(VGroup(tape, name, *via, ticks, loss))
            ribbons = {"h": GradientRibbon(tape, flow.mean["h"], self.scale, y=tape.h_y)}
            if tape.c_y is not None:
                ribbons["c"] = GradientRibbon(tape, flow.mean["c"], self.scale, y=tape.c_y)
            self.ribbons.append(ribbons)
            self.numbers.append({d: self.norm_labels(flow, tape, d) for d in self.marks})
        self.legend = self.scale_legend()
        cell = RNNCell((0, 0), width=0.5, height=0.36, size=20)
        key = VGroup(cell, self.text(self.w("mechanism.scene.box"), size=16, color="#555555")).arrange(RIGHT, buff=0.15)
        self.key = key.move_to(np.array([X_FAR, LANES[0] + 0.78, 0]), aligned_edge=LEFT)
        loss = self.text(self.w("mechanism.scene.loss"), size=16, color=GRADIENT)
        self.loss_note = loss.move_to(np.array([X_NEAR + 0.95, LANES[0] + 1.15, 0])).to_edge(RIGHT, buff=0.2)

    def loss_box(self, tape: UnrolledTape, y: float) -> VGroup:
        """ℓ above the pronoun's step, the readout's arrow into it."""
        x = tape.x(0)
        box = RoundedRectangle(corner_radius=0.08, width=0.5, height=0.42, fill_color="#FDECEA", fill_opacity=1,
                               stroke_color=GRADIENT, stroke_width=2.5).move_to(np.array([x + 0.95, y + 0.62, 0]))
        ell = self.text("ℓ", size=26, color=GRADIENT).move_to(box)
        wire = Wire([(x + 0.2, y), (x + 0.95, y), (x + 0.95, y + 0.41)], COLORS["hidden"], 2.5, tip=True)
        return VGroup(wire, box, ell)

    def norm_labels(self, flow, tape: UnrolledTape, d: int) -> VGroup:
        """The measured norms at d: h under the wire, C above the belt."""
        out = VGroup()
        h = self.text(fmt(flow.norm(d, "h")), size=18, color=GRADIENT, weight="BOLD")
        out.add(h.move_to(np.array([tape.x(d), tape.h_y - 0.86, 0])))
        if "c" in flow.states:
            c = self.text(fmt(flow.norm(d, "c")), size=18, color=GRADIENT, weight="BOLD")
            out.add(c.move_to(np.array([tape.x(d), tape.c_y + 0.32, 0])))
        return out

    def scale_legend(self) -> VGroup:
        """What the band's width and colour mean: three samples of the log scale."""
        parts = VGroup()
        for value in (self.scale.top, self.scale.top * 10.0 ** (-DECADES / 2), self.scale.top * 10.0 ** (-DECADES * 0.9)):
            q = self.scale(value)
            bar = Line(np.zeros(3), np.array([0.5, 0, 0]), stroke_width=max(1.0, 2 + 20 * q), stroke_color=GRADIENT,
                       stroke_opacity=max(q, 0.04))
            parts.add(VGroup(bar, self.text(fmt(value), size=16, color="#555555")).arrange(RIGHT, buff=0.1))
        label = self.text(self.w("mechanism.scene.scale"), size=16, color="#555555")
        return VGroup(label, *parts).arrange(RIGHT, buff=0.35).move_to(np.array([0, -2.55, 0]))

    # -- the storyboard ---------------------------------------------------------------------------
    def construct(self) -> None:
        self.build()
        self.play(Fade(self.header, into=True), run_time=0.7)  # fades in place: no copies of a hundred boxes
        self.play(*[Fade(m, into=True) for m in (*self.lanes, self.key, self.loss_note)], run_time=0.9)
        self.say("mechanism.scene.intro", wait=2.4)
        ribbons = [r for lane in self.ribbons for r in lane.values()]
        self.play(*[Fade(m, into=True) for m in (*ribbons, *[n[0] for n in self.numbers], self.legend)], run_time=0.8)
        first, second = self.flows  # RNN and LSTM by default
        agree = (first.loss - second.loss) * (first.norm(0) - second.norm(0)) > 0  # the smaller loss, the smaller ‖∂ℓ/∂h‖
        self.say("mechanism.scene.start" if agree else "mechanism.scene.start_plain", wait=3.0, a=self.names[0], b=self.names[1], rnn=fmt(first.norm(0)),
                 lstm=fmt(second.norm(0)), la=fmt(first.loss), lb=fmt(second.loss))
        self.say("mechanism.scene.travel", wait=0.6)
        for k, (a, b) in enumerate(zip(self.marks, self.marks[1:])):
            pace = PACE[min(k, len(PACE) - 1)]
            self.play(*[r.travel(a, b) for r in ribbons], run_time=(b - a) * pace)
            self.play(*[Fade(n[b], into=True) for n in self.numbers], run_time=0.4)
            cells = [f for f in self.flows if "c" in f.states]
            self.say("mechanism.scene.at" if cells else "mechanism.scene.at_h", wait=2.4, d=b, a=self.names[0],
                     b=self.names[1], rnn=fmt(first.ratio(b)), lstm=fmt(second.ratio(b)),
                     cell=fmt(cells[-1].ratio(b, "c")) if cells else "")
        shares = sorted(zip(self.names, (first.ratio(self.at), second.ratio(self.at))), key=lambda p: p[1])
        (less, low), (more, high) = shares
        self.say("mechanism.scene.end", wait=4.0, d=self.at, more=more, less=less, x=fmt(high / low))
