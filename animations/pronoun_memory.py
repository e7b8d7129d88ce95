"""PronounMemory: colah's pronoun example, token by token, with the real cell state.

"Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，他喝酒上瘾": the model reads the
passage; along the conveyor belt ride the cell state values of the units the readout reads
the subject's gender from (discovered when the model was trained and measured by
`explainer.probes.forget`, meta units_found), drawn as colah draws the belt: C_{t-1} enters,
the forget gate multiplies it, new information is added, C_t leaves. A legend says what a
negative and a positive value mean in each unit, from its own correlation with gender.
Ordinary tokens pass quickly; at the new subject the scene slows down, and at the explained
step (the new subject's name or gender word, whichever the measurement says the model's
evidence flips at) the forget gate (the `GateUnit`: σ, then ×) shows what survives of the
old gender before the input gate writes the new one, and how much of the change each did.
A filler caption says whether the units keep the subject's gender or follow someone else
mentioned for a while. Before each pronoun the readout's P(she) and P(he) appear as two
bars, then the pronoun and whether the model picked it. The end captions give what was
measured over the evaluation passages: the forget gate on these units at new subjects
against elsewhere and the other units, the reset's and the write's share of the change, and
whether this network forgets or overwrites.

Long passages (language-lstm-long, 136 tokens) scroll in a ticker with a progress line
and run through the filler at several tokens a second. `--units` (numbers in the model)
and `--layer` put other units on the belt.

    manim -ql animations/pronoun_memory.py PronounMemory
    EXPLAINER_TRACE=assets/traces/language-lstm-long.safetensors EXPLAINER_LANG=zh \\
        manim -ql animations/pronoun_memory.py PronounMemory
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UL, UP, AnimationGroup, FadeIn, FadeOut, GrowFromEdge, Group, Line, Rectangle,
                   UpdateFromAlphaFunc, VGroup, config)

from animations.base import TraceScene
from animations.fast_camera import FastImageCamera
from animations.mobjects import Equation, GateUnit, StateVector
from animations.mobjects.diagram import Pointwise, Wire
from animations.mobjects.ticker import TokenTicker
from animations.playhead import advance
from animations.registry import scene
from animations.text import SMALL_SIZE
from animations.units import ROW, Followed, followed
from explainer import reading
from explainer.errors import ExplainerError
from explainer.reading import Passage
from explainer.reading import number as fmt
from explainer.reading import forget
from explainer.style import COLORS, GATE_COLORS
from explainer.words import glossary

BELT_Y = 0.25  # the conveyor belt
X_FORGET = -3.6  # the forget gate's ×
CELL = 0.75  # strip cell size for up to three units
STRIP = 3 * CELL  # the widest strip: more units get smaller cells
MOST = 6  # units the belt can carry legibly
X_ADD = X_FORGET + 0.3 + 0.5 + STRIP + 0.5 + 0.3  # the +: the product strip fits between × and +
X_END = X_ADD + 0.3 + 0.5 + STRIP + 0.6  # the belt's arrow tip
PANEL_X = X_END + 0.45  # the prediction panel, right of the belt
LIFT = 0.55  # strips ride this far above the belt (as GateUnit.apply places them)
SHORT = 40  # passages up to this many tokens are read at the slow pace
LONGEST = 400  # tokens: every one is played (a long passage at 0.16 s each), so a longer one is refused, not cut
PACE = {"short": 0.55, "long": 0.16}  # seconds per ordinary token
FILLER = 8  # a run of at least this many ordinary tokens gets the filler caption


@dataclass(frozen=True)
class Beat:
    """One stop of the storyboard: the step and why the scene slows down there."""

    t: int
    why: str  # "first" (the first subject's gender word), "subject", "gender", "predict", "pronoun"


#: The forget gate's verdict at the new subject's gender word, as the captions say it.
GATE_WORDS = {"dropped": "closed", "kept": "open", "partly": "partly"}


def beats(passage: Passage, explained: int | None = None) -> list[Beat]:
    """Where the scene slows down, in order. Every other step passes at the quick pace.

    The first subject is met where its gender is read, as the new one is explained: at its name when the
    explained step (`reading.default_step`, the measured one) is the new subject's name, else at the gender
    word its first pronoun's distance counts from.
    """
    out: dict[int, str] = {}
    ev = passage.events
    first = next((s.clue for s in passage.slots if s.clue is not None), None)
    if explained is not None and explained in ev.new_subjects and ev.subjects:
        first = ev.subjects[0][0]
    if first is not None:
        out[first] = "first"
    for t in ev.new_subjects:
        out[t] = "subject"
    for t in ev.new_gender_words:
        out[t] = "gender"
    for s in passage.slots:
        out[s.t] = "predict"
        if s.at < passage.n:
            out.setdefault(s.at, "pronoun")
    return [Beat(t, why) for t, why in sorted(out.items())]


def pace(passage: Passage) -> float:
    """Seconds per ordinary token: calm for a sentence, brisk for a long passage."""
    return PACE["short"] if passage.n <= SHORT else PACE["long"]


class BeltValues:
    """The vectors of the belt picture at a (fractional) step, from the trace.

    At step k: C_{t-1} = c[k-1] (zeros at k = 0), f = f[k], f⊙C_{t-1}, i⊙C̃ = i[k]·g[k]
    and C_t = c[k]; before the first token (s < 0) everything is zero.
    """

    def __init__(self, trace, units: Followed) -> None:
        of = {k: trace[reading.name_of(units.layer, k)][ROW][:, units.columns].astype(float) for k in "cfig"}
        c, f = of["c"], of["f"]  # [time, units]
        ig = of["i"] * of["g"]
        c_prev = np.vstack([np.zeros((1, c.shape[1])), c[:-1]])
        self.steps = {"c_prev": c_prev, "f": f, "fc": f * c_prev, "ig": ig, "c": c}
        self.n = c.shape[0]
        self.limit = reading.signed_limit(c)

    def at(self, key: str, s: float) -> np.ndarray:
        a = self.steps[key]
        if s < 0:  # from the initial state (zeros) to step 0
            return a[0] * max(0.0, 1 + s)
        k = min(int(math.floor(s)), self.n - 1)
        frac = s - k
        if frac <= 0 or k + 1 >= self.n:
            return a[k]
        return a[k] + (a[k + 1] - a[k]) * frac


@scene("PronounMemory", "colah's pronoun example token by token: the belt carries the gender units; at the new "
       "subject their forget gate and the input gate change C, with how much each did (measured); the pronoun is "
       "predicted.",
       rank=50, default="language-lstm", kinds=(("lstm",),), tasks=("language",), options=("layer", "units"))
class PronounMemory(TraceScene):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("camera_class", FastImageCamera)
        super().__init__(*args, **kwargs)
        reading.needs(self.trace, by=f"scene {self.spec.name}", most_steps=LONGEST)
        self.passage = Passage.of(self.trace, self.lang)
        self.units = followed(self.trace, self.spec.name, layer=self.options.get("layer"), units=self.options.get("units"))
        if self.units.state != "c":
            raise ExplainerError("PronounMemory shows the cell state and forget gate of an LSTM's gender units; "
                                 f"this trace's units are in {self.units.name}")
        self.trace.require(*(reading.name_of(self.units.layer, k) for k in "fig"),
                           why="(the belt shows the forget and input gates)")
        if len(self.units.columns) > MOST:
            raise ExplainerError(f"scene PronounMemory carries at most {MOST} units on the belt; "
                                 f"--units gave {len(self.units.columns)}")
        self.cell = min(CELL, STRIP / len(self.units.columns))
        self.belt = BeltValues(self.trace, self.units)
        self.s = -1.0
        # the measured story (explainer.probes.forget): the explained step, each unit's sign, the numbers
        self.measured = None if self.units.chosen else forget.measured(self.trace, self.units.layer)
        ev = self.passage.events
        step = reading.default_step(self.trace)
        self.explained = step if step in ev.new_subjects or step in ev.new_gender_words else None
        self.signs = forget.signs_of(self.trace, self.units.numbers, self.units.layer)

    # -- layout ------------------------------------------------------------------------------
    def build(self) -> None:
        p, u = self.passage, self.units
        title = self.title("scene.pronoun.title").scale(0.82).to_corner(UL, buff=0.3)
        key = "scene.pronoun.subtitle_given" if u.chosen else "scene.pronoun.subtitle"
        text = self.w(key, model=self.model_name(), hidden=self.trace.meta.get("hidden_size", "?"), units=u.listed(self.lang))
        text += self.w("read.sep") + reading.shown(self.trace, u.layer, ROW, self.lang)
        sub = self.text(text, size=20, color="#555555")
        if sub.width > 13.4:
            sub.scale_to_fit_width(13.4)
        sub.next_to(title, DOWN, buff=0.1, aligned_edge=LEFT)
        self.header = VGroup(title, sub)
        self.ticker = TokenTicker(p.words, lang=self.lang, width=13.4, size=24, spans=p.spans(), bold=p.events.marked())
        self.ticker.place(np.array([0, 2.35, 0]))
        self.progress = None
        if p.n > SHORT:
            self.progress = _Progress(-6.7, 6.7, 1.95, p.n)

        # the belt: C_{t-1} -> (× f) -> (+ i⊙C̃) -> C_t
        # the forget gate's line ends where the + begins
        gate = GateUnit("f", length=2 * (X_ADD - 0.3 - X_FORGET)).shift(np.array([X_FORGET, BELT_Y, 0]))
        self.gate = gate
        plus = Pointwise("+", (X_ADD, BELT_Y), radius=0.3)
        out_line = Wire([(X_ADD + 0.3, BELT_Y), (X_END, BELT_Y)], COLORS["belt"], 6, tip=True)
        in_wire = Wire([(X_ADD, BELT_Y - 2.6), (X_ADD, BELT_Y - 0.3)], GATE_COLORS["i"], 5, tip=True)
        self.plus = plus
        lim = self.belt.limit
        self.strips = {
            "c_prev": StateVector(self.belt.at("c_prev", -1), limit=lim, cell=self.cell),
            "f": StateVector(self.belt.at("f", -1), scale="f", cell=self.cell),
            "fc": StateVector(self.belt.at("fc", -1), limit=lim, cell=self.cell),
            "ig": StateVector(self.belt.at("ig", -1), limit=lim, cell=self.cell),
            "c": StateVector(self.belt.at("c", -1), limit=lim, cell=self.cell),
        }
        st = self.strips
        st["c_prev"].next_to(gate.times, LEFT, buff=0.5).shift(UP * LIFT)
        st["fc"].next_to(gate.times, RIGHT, buff=0.5).shift(UP * LIFT)
        st["f"].next_to(gate.sigma, RIGHT, buff=0.4)
        st["c"].next_to(plus, RIGHT, buff=0.5).shift(UP * LIFT)
        st["ig"].move_to(np.array([X_ADD + 0.4 + st["ig"].width / 2, gate.sigma.get_center()[1], 0]))
        names = VGroup(
            Equation([r"C_{t-1}"], size=28, color=GATE_COLORS["c"]).next_to(st["c_prev"], UP, buff=0.14),
            Equation([r"f_t\odot C_{t-1}"], size=28, color=GATE_COLORS["f"]).next_to(st["fc"], UP, buff=0.14),
            Equation([r"f_t"], size=30, color=GATE_COLORS["f"]).next_to(gate.sigma, LEFT, buff=0.25),
            Equation([r"i_t\odot\tilde{C}_t"], size=28, color=GATE_COLORS["i"]).next_to(st["ig"], UP, buff=0.14),
        )
        c_name = Equation([r"C_t"], size=32, color=GATE_COLORS["c"]).next_to(st["c"], RIGHT, buff=0.18)
        numbers = VGroup(*[self.text(str(k), size=20, color=COLORS["highlight"], weight="BOLD")
                           .move_to(st["c"].cell_center(i)) for i, k in enumerate(u.numbers)])
        numbers.next_to(st["c"], UP, buff=0.1)
        for i, mob in enumerate(numbers):
            mob.set_x(st["c"].cell_center(i)[0])
        words = VGroup(
            self.text(self.w("gate.f"), size=20, color=GATE_COLORS["f"]).next_to(st["f"], DOWN, buff=0.16),
            self.text(self.w("scene.pronoun.new_info"), size=20, color=GATE_COLORS["i"])
            .next_to(st["ig"], DOWN, buff=0.16),
            self.text(self.w("scene.pronoun.units_given" if u.chosen else "scene.pronoun.units", units=u.listed(self.lang)),
                      size=20, color="#555555")
            .move_to(np.array([st["c"].get_center()[0], BELT_Y - 0.36, 0])),
            self.text(self.w("state.c"), size=20, color=GATE_COLORS["c"])
            .move_to(np.array([st["c_prev"].get_center()[0], BELT_Y - 0.36, 0])),
        )
        self.diagram = VGroup(gate, plus, out_line, in_wire, names, c_name, numbers, words)
        self.legend = self.sign_legend()

    def sign_legend(self) -> Group:
        """What the colours mean, unit by unit: each unit's own sign, from its correlation with gender."""
        if not self.signs:
            return Group()
        lim = self.belt.limit
        rows = Group()
        for units, pos, neg in forget.sign_groups(self.units.numbers, self.signs, self.passage.answers):
            chips = Group()
            for value, says in ((-lim, neg), (lim, pos)):
                chip = StateVector([value * 0.8], limit=lim, cell=0.3, numbers=False)
                chips.add(Group(chip, self.text(f"“{says}”", size=SMALL_SIZE, color="#444444")).arrange(RIGHT, buff=0.1))
            chips.arrange(RIGHT, buff=0.3)
            name = self.text(self.w("scene.pronoun.sign_units", units=glossary.join(units, self.lang)),
                             size=SMALL_SIZE, color="#444444")
            rows.add(Group(name, chips).arrange(DOWN, aligned_edge=LEFT, buff=0.1))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        head = self.text(self.w("scene.pronoun.sign_title"), size=SMALL_SIZE, color="#666666")
        legend = Group(head, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        legend.move_to(np.array([PANEL_X, -1.55, 0]), aligned_edge=LEFT)
        edge = config.frame_width / 2 - 0.15  # a longer (Chinese) line moves the legend left, not off the frame
        if legend.get_right()[0] > edge:
            legend.shift(LEFT * (legend.get_right()[0] - edge))
        return legend

    # -- the playhead ------------------------------------------------------------------------
    def movers(self, only: tuple[str, ...] | None = None):
        out = [(self.ticker, lambda m, s: m.show_at(s))]
        if self.progress is not None:
            out.append((self.progress.done, lambda m, s: self.progress.show_at(s)))
        for key, strip in self.strips.items():
            if only is None or key in only:
                out.append((strip, lambda m, s, key=key: m.set_values(self.belt.at(key, s))))
        return out

    def run(self, to: float, seconds: float, *extra, only: tuple[str, ...] | None = None, ease: bool = True) -> None:
        """Move the playhead to step `to` in `seconds`; the ticker, the progress line and the strips follow."""
        if to <= self.s:
            if extra:
                self.play(*extra, run_time=0.6)
            return
        advance(self, self.movers(only), self.s, float(to), seconds, *extra, ease=ease)
        self.s = float(to)

    # -- the beats ---------------------------------------------------------------------------
    def values_text(self, key: str, t: int) -> str:
        return reading.numbers(self.belt.steps[key][t], sep=glossary.SEP[self.lang])

    def first_gender(self, t: int) -> None:
        caption = self.caption("scene.pronoun.first", word=self.passage.words[t], values=self.values_text("c", t))
        self.run(t, 0.7, *caption)
        self.play(self.flash(self.strips["c"]), run_time=0.8)
        self.wait(1.8)

    def new_subject(self, t: int, key: str = "scene.pronoun.new_subject") -> None:
        """A quick stop at the new subject's name or gender word (the one that is not the explained step)."""
        self.run(t, 0.9)
        self.play(*self.caption(key, word=self.passage.words[t], f=self.values_text("f", t)),
                  self.flash(self.strips["f"]), run_time=0.8)
        self.wait(2.2)

    def slow_motion(self, t: int) -> None:
        """Slow motion at the explained step (the new subject's name or gender word): forget, what survives,
        what is written, and how much of the change each did."""
        st, word = self.strips, self.passage.words[t]
        what = "name" if t in self.passage.events.new_subjects else "gender_word"
        # arrive: the belt's vectors of this step will be computed in front of the viewer
        self.run(t, 0.9, *[FadeOut(m) for m in st.values()], only=())
        self.remove(*st.values())
        f = self.belt.steps["f"][t]
        verdict = GATE_WORDS[reading.forget_verdict(f)]
        # σ then ×: the GateUnit with the real vectors (its strips sit where the belt's do)
        self.play(*self.caption(f"scene.pronoun.gate.{verdict}", word=word, f=self.values_text("f", t),
                                what=self.w(f"scene.pronoun.what.{what}")), run_time=0.6)
        before = set(self.mobjects)
        anim, out = self.gate.apply(self.belt.steps["c_prev"][t], f, limit=self.belt.limit, cell=self.cell)
        self.play(anim, run_time=3.0)
        shown = [m for m in self.mobjects if m not in before]  # the unit's strips (and their group)
        self.wait(1.0)
        self.say("scene.pronoun.survives", wait=2.2, values=self.values_text("fc", t))
        # + i⊙C̃: the new subject is written in
        for k in st:
            st[k].set_values(self.belt.steps[k][t])
        caption = self.caption("scene.pronoun.written", values=self.values_text("c", t))
        self.play(FadeIn(st["ig"], shift=UP * 0.2), *caption, run_time=0.8)
        ig_copy, fc_copy = st["ig"].copy(), out.copy()
        self.add(ig_copy, fc_copy)
        self.play(ig_copy.animate.move_to(self.plus).scale(0.3).set_opacity(0),
                  fc_copy.animate.move_to(self.plus).scale(0.3).set_opacity(0), run_time=1.1)
        self.remove(ig_copy, fc_copy)
        self.play(FadeIn(st["c"], shift=RIGHT * 0.4), run_time=0.8)
        self.play(self.flash(st["c"]), run_time=0.8)
        self.wait(1.2)
        share = forget.step_share(self.trace, self.units.layer, self.units.columns, t)
        if share is not None:
            self.say("forget.say.here", wait=2.4, word=word, reset=forget.percent(share),
                     write=forget.percent(1 - share))
        # back to the belt's own strips
        self.play(*[FadeOut(m) for m in shown], *[FadeIn(st[k]) for k in ("c_prev", "f", "fc")], run_time=0.6)
        self.remove(*st.values())
        self.add(*st.values())  # the movers stay last in drawing order

    def predict(self, t: int) -> None:
        slot = self.passage.slot_at(t)
        self.run(t, 0.9)
        she, he = self.passage.answers
        panel = self.prediction_panel(slot.p_she)
        clue = slot.clue if slot.clue is not None else None
        key = "scene.pronoun.predict" if clue is not None else "scene.pronoun.predict_noclue"
        extra = {"clue": self.passage.words[clue], "d": slot.distance} if clue is not None else {}
        self.play(FadeIn(panel.head), FadeIn(panel.names), run_time=0.5)
        self.play(GrowFromEdge(panel.bars[0], LEFT), GrowFromEdge(panel.bars[1], LEFT), FadeIn(panel.values),
                  *self.caption(key, she=she, he=he, p_she=fmt(slot.p_she), p_he=fmt(1 - slot.p_she), **extra),
                  run_time=1.0)
        self.wait(2.6)
        mark = self.verdict_mark(slot.right, slot.answer).next_to(panel, DOWN, buff=0.3)
        if slot.at < self.passage.n:
            self.run(slot.at, 0.8)
        verdict = "scene.pronoun.right" if slot.right else "scene.pronoun.wrong"
        caption = self.caption(verdict, pred=slot.predicted, answer=slot.answer)
        self.play(FadeIn(mark, scale=1.3), *caption, run_time=0.6)
        self.wait(1.6)
        self.play(FadeOut(panel), FadeOut(mark), *self.clear_caption(), run_time=0.5)

    def prediction_panel(self, p_she: float) -> VGroup:
        she, he = self.passage.answers
        head = self.text(self.w("scene.pronoun.next"), size=22, color="#333333")
        names = VGroup(self.text(she, size=24, weight="BOLD"), self.text(he, size=24, weight="BOLD"))
        x0, width = PANEL_X + 0.55, 1.3
        bars, values = VGroup(), VGroup()
        for k, p in enumerate((p_she, 1 - p_she)):
            y = BELT_Y + 0.55 - 0.55 * k
            names[k].move_to(np.array([PANEL_X + 0.2, y, 0]))
            bar = Rectangle(width=max(width * p, 0.02), height=0.34, fill_color="#555555", fill_opacity=1,
                            stroke_width=0)
            bar.move_to(np.array([x0, y, 0]), aligned_edge=LEFT)
            bars.add(bar)
            values.add(self.text(fmt(p), size=20, color="#333333").move_to(np.array([x0 + width + 0.35, y, 0])))
        frame = Line(np.array([x0, BELT_Y + 0.85, 0]), np.array([x0, BELT_Y - 0.3, 0]), stroke_color="#999999",
                     stroke_width=2)
        head.move_to(np.array([x0 + 0.45, BELT_Y + 1.2, 0]))
        panel = VGroup(head, names, bars, values, frame)
        panel.head, panel.names, panel.bars, panel.values = head, VGroup(names, frame), bars, values
        return panel

    def verdict_mark(self, right: bool, answer: str) -> VGroup:
        mark = self.text("✓" if right else "✗", size=34, color=COLORS["correct" if right else "error"], weight="BOLD")
        word = self.text(f"“{answer}”", size=26, weight="BOLD")
        return VGroup(mark, word).arrange(RIGHT, buff=0.15)

    def clear_caption(self) -> list:
        gone, self._caption = self._caption, None
        return [FadeOut(gone)] if gone is not None else []

    def flash(self, mob):
        ring = Rectangle(width=mob.width + 0.1, height=mob.height + 0.1, stroke_color=COLORS["highlight"],
                         stroke_width=4, fill_opacity=0).move_to(mob)
        return _Flash(ring)

    # -- the storyboard ----------------------------------------------------------------------
    def construct(self) -> None:
        self.build()
        p = self.passage
        self.s = 0.0  # the scene opens on the first token, its vectors already computed
        for mob, fn in self.movers():
            fn(mob, self.s)
        self.play(FadeIn(self.header), run_time=0.8)
        still = [self.diagram, self.legend] + ([self.progress.track] if self.progress else [])
        self.play(*[FadeIn(m) for m in still], run_time=1.0)
        movers = [*self.strips.values(), self.ticker] + ([self.progress.done] if self.progress else [])
        self.play(*[FadeIn(m) for m in movers], *self.caption("scene.pronoun.intro"), run_time=0.8)
        self.wait(1.4)
        self.say("scene.pronoun.belt_given" if self.units.chosen else "scene.pronoun.belt", wait=2.4,
                 units=self.units.listed(self.lang))
        quick = pace(p)
        plan = beats(p, self.explained)
        for i, beat in enumerate(plan):
            start = int(self.s) + 1
            gap = beat.t - start  # ordinary tokens before this beat
            if gap >= FILLER:
                self.run(start, quick)
                key, values = self.filler(start, beat.t - 1)
                self.run(beat.t - 1, quick * (beat.t - 1 - self.s), *self.caption(key, n=gap, **values), ease=False)
            elif gap > 0:
                self.run(beat.t - 1, quick * gap, ease=quick >= 0.3)
            if beat.why == "first":
                self.first_gender(beat.t)
            elif beat.why in ("subject", "gender") and beat.t == self.explained:
                self.slow_motion(beat.t)
            elif beat.why == "subject":
                self.new_subject(beat.t)
            elif beat.why == "gender":
                self.new_subject(beat.t, "scene.pronoun.new_gender")
            elif beat.why == "predict":
                self.predict(beat.t)
            elif beat.why == "pronoun" and self.s < beat.t:
                self.run(beat.t, 0.8)
        if self.s < p.n - 1:
            self.run(p.n - 1, quick * (p.n - 1 - self.s), ease=quick >= 0.3)
        self.end()

    def filler(self, start: int, end: int) -> tuple[str, dict]:
        """The caption of the filler steps start..end: whether the belt's units keep saying the subject's gender
        there (from each unit's own sign), or follow someone else mentioned for a while."""
        if not self.signs:
            return "scene.pronoun.filler_plain", {}
        c = self.belt.steps["c"][start:end + 1]  # [steps, units]
        says = np.sign((c * np.asarray(self.signs, dtype=float)).mean(1))  # [steps]: +1 female, -1 male
        subject = self.passage.gender[start:end + 1]
        other = int(((says != 0) & (subject != 0) & (says != subject)).sum())
        return ("scene.pronoun.filler_moves", {"k": other}) if other else ("scene.pronoun.filler", {})

    def end(self) -> None:
        if self.explained is not None:
            self.say("scene.pronoun.measured_here", wait=1.8, word=self.passage.words[self.explained],
                     f=self.values_text("f", self.explained))
        m = self.measured
        said = forget.said(m, self.lang) if m is not None else None
        if said and said["selectivity"]:  # measured over the evaluation passages, for the discovered units
            self.say("forget.say.selectivity", wait=4.0, **said["selectivity"])
            self.say("forget.say.change", wait=3.0, **said["change"])
            if m.change.verdict != "unknown":
                self.say(f"forget.verdict.{m.change.verdict}", wait=3.0)
        else:
            self.wait(1.5)


class _Progress:
    """A thin line under the ticker: how far into the passage the reader is."""

    def __init__(self, x0: float, x1: float, y: float, n: int) -> None:
        self.x0, self.x1, self.y, self.n = x0, x1, y, n
        self.track = Line(np.array([x0, y, 0]), np.array([x1, y, 0]), stroke_color="#DDDDDD", stroke_width=3)
        self.done = Line(np.array([x0, y, 0]), np.array([x0 + 1e-3, y, 0]), stroke_color="#888888", stroke_width=3)

    def show_at(self, s: float) -> None:
        x = self.x0 + (self.x1 - self.x0) * (max(s, 0) + 1) / self.n
        self.done.put_start_and_end_on(np.array([self.x0, self.y, 0]), np.array([max(x, self.x0 + 1e-3), self.y, 0]))


class _Flash(AnimationGroup):
    """A highlight ring that appears and fades out around a strip."""

    def __init__(self, ring, **kwargs) -> None:
        super().__init__(UpdateFromAlphaFunc(ring, lambda m, a: m.set_stroke(opacity=math.sin(math.pi * a))),
                         **kwargs)
        self.ring = ring

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.ring)
