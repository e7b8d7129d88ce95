"""LongRange: an RNN and an LSTM read the same long passage; who still knows the subject?

Two lanes, one per model (names from the traces' kinds), under a ticker that runs over
the passage and a map of the whole passage (coloured by the current subject's gender,
marks at the pronouns). As the ticker advances, each lane draws the model's P(she)
(softmax of its first two answer scores) token by token and shows the state of its
gender units (h of the RNN's, C of the LSTM's; meta units_found) as a strip. At each
pronoun the map shows how far back the clue is, and each lane gets a tick or a cross.
The end shows the measured accuracy by distance of both models (meta metrics) and says
plainly what it means: with the shipped training budget the RNN never learned to carry
the subject across the filler (it is at chance), while the LSTM carries it at every
distance up to 100.

    manim -ql animations/long_range.py LongRange
    EXPLAINER_TRACE=rnn.safetensors:lstm.safetensors EXPLAINER_LANG=zh manim -ql animations/long_range.py LongRange
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UL, UP, DashedLine, Dot, FadeIn, FadeOut, GrowFromEdge, Group, Line, Rectangle,
                   VGroup, VMobject)

from animations.base import TraceScene
from animations.fast_camera import FastImageCamera
from animations.mobjects import StateVector
from animations.mobjects.ticker import TokenTicker
from animations.playhead import advance
from animations.registry import scene
from animations.text import MIN_SIZE
from animations.units import ROW, Followed, followed
from explainer import reading
from explainer.errors import ExplainerError
from explainer.reading import Passage
from explainer.reading import number as fmt
from explainer.style import COLORS
from explainer.words.sine import preset_key

X0, X1 = -4.05, 6.75  # the passage map and the plots share this x range
MAP_Y = 1.62
LANES = (0.28, -1.6)  # centre of each lane's plot
PLOT_H = 1.05  # plot height (P from 0 to 1)
PACE = {"clue": 0.45, "filler": 0.12, "slow": 0.6}  # seconds per token
LONGEST = 400  # tokens: every one is played and marked on the passage map, so a longer passage is refused, not cut
COIN = 0.05  # |P(she) - 0.5| below this: the answer is a coin toss, whether right or wrong
STRIP_CELL = 0.75  # cell size of the gender units' strips: their numbers are 15 px tall at 720p
LEFT_X, LEFT_W = -5.75, 2.6  # centre and width of the column left of the plots (model, strip, units)


def family(kind: str) -> str:
    """The colour of a cell kind (COLORS has rnn, lstm, gru)."""
    return "rnn" if kind.startswith("rnn") else kind


@dataclass(frozen=True)
class Verdict:
    key: str  # carries | chance | fades | mixed
    lo: float
    hi: float
    first: float
    last: float
    buckets: tuple[str, ...]
    values: tuple[float, ...]


def verdict(metrics: dict) -> Verdict | None:
    """What the accuracy by distance says about a model, from its measured numbers."""
    acc = (metrics or {}).get("accuracy_by_distance") or {}
    counts = (metrics or {}).get("count_by_distance") or {}
    items = [(b, float(v)) for b, v in acc.items() if v is not None and np.isfinite(v) and counts.get(b, 1)]
    if not items:
        return None
    buckets, values = zip(*items)
    lo, hi = min(values), max(values)
    if lo >= 0.9:
        key = "carries"
    elif hi <= 0.65:
        key = "chance"
    elif len(values) > 1 and values[0] >= 0.9 and max(values[1:]) <= 0.65:
        key = "short"  # right when the clue is close, at chance beyond: lo and hi of the far buckets
        lo, hi = min(values[1:]), max(values[1:])
    elif values[0] - values[-1] >= 0.2:
        key = "fades"
    else:
        key = "mixed"
    return Verdict(key, lo, hi, values[0], values[-1], tuple(buckets), tuple(values))


def same_passage(a: Passage, b: Passage) -> bool:
    ids_a, ids_b = a.trace.meta.get("token_ids"), b.trace.meta.get("token_ids")
    if ids_a is not None and ids_b is not None:
        return list(ids_a) == list(ids_b)
    return a.words == b.words


@scene("LongRange", "An RNN and an LSTM read the same long passage: P(she) token by token, the gender units, "
       "ticks at the pronouns, then the accuracy by distance.",
       rank=60, default=("language-rnn-long", "language-lstm-long"),
       kinds=(("rnn_tanh", "rnn_relu", "gru", "lstm"), ("lstm", "gru", "rnn_tanh", "rnn_relu")), tasks=("language",))
class LongRange(TraceScene):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("camera_class", FastImageCamera)
        super().__init__(*args, **kwargs)
        for trace in self.traces:
            reading.needs(trace, by=f"scene {self.spec.name}", most_steps=LONGEST)
        self.passages = [Passage.of(t, self.lang) for t in self.traces]
        if not same_passage(*self.passages):
            raise ExplainerError("LongRange compares two models on the same passage; these traces hold different "
                                 "passages (record both from the same text)")
        remedy = "record both traces again from their checkpoints with `explainer trace`"
        self.units: list[Followed] = [followed(t, self.spec.name, remedy=remedy) for t in self.traces]
        self.names = [self.model_name(t) for t in self.traces]
        self.passage = self.passages[0]
        self.s = -1.0

    # -- geometry ------------------------------------------------------------------------------
    def x(self, t: float) -> float:
        return X0 + (t + 0.5) / self.passage.n * (X1 - X0)

    def y(self, lane: int, p: float) -> float:
        return LANES[lane] - PLOT_H / 2 + PLOT_H * p

    # -- the picture ---------------------------------------------------------------------------
    def build(self) -> None:
        p = self.passage
        title = self.title("scene.longrange.title", a=self.names[0], b=self.names[1]).scale(0.8).to_corner(UL, buff=0.3)
        d = sorted({s.distance for s in p.slots if s.distance > 0})
        sub = self.text(self.w("scene.longrange.subtitle", n=p.n, d="/".join(str(v) for v in d) or "?"),
                        size=20, color="#555555").next_to(title, DOWN, buff=0.1, aligned_edge=LEFT)
        self.header = VGroup(title, sub)
        self.ticker = TokenTicker(p.words, lang=self.lang, width=13.6, size=22, spans=p.spans(), bold=p.events.marked())
        self.ticker.place(np.array([0, 2.5, 0]))
        self.map = self.passage_map()
        self.lanes = [self.lane(k) for k in range(2)]
        # what moves
        self.head = Line(np.array([self.x(0), MAP_Y - 0.16, 0]), np.array([self.x(0), MAP_Y + 0.16, 0]),
                         stroke_color=COLORS["highlight"], stroke_width=5)
        self.head.set_stroke(opacity=0)
        self.lines = [VMobject(stroke_color=COLORS[family(t.kind)], stroke_width=3.5) for t in self.traces]
        self.dots = [Dot(radius=0.06, color=COLORS[family(t.kind)]).set_opacity(0) for t in self.traces]
        lim = [reading.signed_limit(u.values) for u in self.units]
        cell = min(STRIP_CELL, LEFT_W / max(len(u.columns) for u in self.units))
        self.strips = [StateVector(np.zeros(len(u.columns)), limit=lim[k], cell=cell) for k, u in enumerate(self.units)]
        for k, strip in enumerate(self.strips):
            strip.move_to(np.array([LEFT_X, LANES[k] + 0.02, 0]))

    def spans(self, y0: float, y1: float) -> VGroup:
        """Background bands: where the subject is female / male."""
        p, out = self.passage, VGroup()
        spans = p.spans()
        start = 0
        for t in range(1, p.n + 1):
            if t == p.n or spans[t] != spans[start]:
                if spans[start]:
                    a, b = self.x(start - 0.5), self.x(t - 0.5)
                    band = Rectangle(width=b - a, height=y1 - y0, stroke_width=0, fill_opacity=1,
                                     fill_color=COLORS[f"{spans[start]}_span"])
                    out.add(band.move_to(np.array([(a + b) / 2, (y0 + y1) / 2, 0])))
                start = t
        return out

    def passage_map(self) -> VGroup:
        p = self.passage
        bar = self.spans(MAP_Y - 0.09, MAP_Y + 0.09)
        edge = Rectangle(width=X1 - X0, height=0.18, stroke_color="#BBBBBB", stroke_width=1.5, fill_opacity=0)
        edge.move_to(np.array([(X0 + X1) / 2, MAP_Y, 0]))
        name = self.text(self.w("scene.longrange.passage"), size=18, color="#666666").next_to(edge, LEFT, buff=0.2)
        marks = VGroup()
        for t in [first for first, _, _ in p.events.subjects]:  # a dot on the bar, the name just below, starting at the dot
            x = self.x(t)
            marks.add(Dot(np.array([x, MAP_Y, 0]), radius=0.055, color=COLORS["text"]))
            who = self.text(p.words[t], size=MIN_SIZE, color="#444444")
            marks.add(who.next_to(np.array([x - 0.06, MAP_Y - 0.1, 0]), DOWN, buff=0.04, aligned_edge=LEFT))
        for t in p.events.pronouns:  # a triangle under the bar
            tri = VMobject(fill_color=COLORS["text"], fill_opacity=1, stroke_width=0)
            x = self.x(t)
            tri.set_points_as_corners([np.array([x, MAP_Y - 0.1, 0]), np.array([x - 0.08, MAP_Y - 0.25, 0]),
                                       np.array([x + 0.08, MAP_Y - 0.25, 0]), np.array([x, MAP_Y - 0.1, 0])])
            marks.add(tri)
        return VGroup(bar, edge, name, marks)

    def lane(self, k: int) -> Group:
        tr, u, p = self.traces[k], self.units[k], self.passages[k]
        y_mid = LANES[k]
        y0, y1 = self.y(k, 0), self.y(k, 1)
        back = self.spans(y0, y1)
        axes = VGroup(
            Line(np.array([X0, y0, 0]), np.array([X1, y0, 0]), stroke_color="#999999", stroke_width=1.5),
            Line(np.array([X0, y1, 0]), np.array([X1, y1, 0]), stroke_color="#DDDDDD", stroke_width=1.5),
            DashedLine(np.array([X0, y_mid, 0]), np.array([X1, y_mid, 0]), stroke_color="#999999", stroke_width=1.5,
                       dash_length=0.08),
        )
        ticks = VGroup(*[self.text(label, size=MIN_SIZE, color="#777777").move_to(np.array([X0 - 0.22, y, 0]))
                         for label, y in (("1", y1), ("0.5", y_mid), ("0", y0))])
        ticks[1].next_to(np.array([X0 - 0.05, y_mid, 0]), LEFT, buff=0.05)
        p_name = self.text(self.w("scene.longrange.p_she", she=p.answers[0]), size=17, color="#555555")
        p_name.next_to(np.array([X0, y1, 0]), UP, buff=0.06).align_to(np.array([X0, 0, 0]), LEFT)
        name = self.text(self.names[k], size=30, color=COLORS[family(tr.kind)], weight="BOLD")
        name.move_to(np.array([LEFT_X, y_mid + 0.62, 0]))
        state = self.text(self.w("scene.longrange.state", state=u.state if u.state == "h" else "C",
                                 units=u.listed(self.lang)), size=17, color="#444444")
        state.move_to(np.array([LEFT_X, y_mid - 0.36 - 0.1 - state.height / 2, 0]))
        r = max(abs(c) for c in u.correlation) if u.correlation else float("nan")
        corr = self.text(self.w("scene.longrange.corr", r=fmt(r)), size=MIN_SIZE, color="#666666")
        corr.next_to(state, DOWN, buff=0.08)
        parts = [back, axes, ticks, p_name, name, state, corr]
        shown = self.shown_line(u.layer, ROW, trace=tr, size=MIN_SIZE)
        if shown is not None:  # right of the model's P line, above its plot
            parts.append(shown.next_to(np.array([X1, y1, 0]), UP, buff=0.06).align_to(np.array([X1, 0, 0]), RIGHT))
        return Group(*parts)

    # -- the playhead --------------------------------------------------------------------------
    def line_points(self, k: int, s: float) -> np.ndarray:
        p = self.passages[k].p_she
        if s < 0:
            return np.zeros((0, 3))
        last = int(math.floor(s))
        pts = [np.array([self.x(t), self.y(k, p[t]), 0]) for t in range(last + 1)]
        frac = s - last
        if frac > 0 and last + 1 < len(p):
            v = p[last] + (p[last + 1] - p[last]) * frac
            pts.append(np.array([self.x(last + frac), self.y(k, v), 0]))
        return np.array(pts)

    def movers(self):
        out = [(self.ticker, lambda m, s: m.show_at(s)), (self.head, self._head)]
        for k in range(2):
            out.append((self.lines[k], lambda m, s, k=k: self._line(k, s)))
            out.append((self.dots[k], lambda m, s, k=k: self._dot(k, s)))
            out.append((self.strips[k], lambda m, s, k=k: m.set_values(self._state(k, s))))
        return out

    def _head(self, mob, s: float) -> None:
        x = self.x(max(s, 0))
        mob.put_start_and_end_on(np.array([x, MAP_Y - 0.17, 0]), np.array([x, MAP_Y + 0.17, 0]))
        mob.set_stroke(opacity=1 if s >= 0 else 0)

    def _line(self, k: int, s: float) -> None:
        pts = self.line_points(k, s)
        if len(pts) >= 2:
            self.lines[k].set_points_as_corners(pts)
        elif len(pts) == 1:
            self.lines[k].set_points_as_corners([pts[0], pts[0] + np.array([1e-3, 0, 0])])

    def _dot(self, k: int, s: float) -> None:
        pts = self.line_points(k, s)
        if len(pts):
            self.dots[k].move_to(pts[-1]).set_opacity(1)

    def _state(self, k: int, s: float) -> np.ndarray:
        v = self.units[k].values
        if s < 0:
            return v[0] * max(0.0, 1 + s)
        t = min(int(math.floor(s)), len(v) - 1)
        frac = s - t
        return v[t] if frac <= 0 or t + 1 >= len(v) else v[t] + (v[t + 1] - v[t]) * frac

    def run(self, to: float, per_token: float, *extra, ease: bool = True) -> None:
        """Move the playhead to step `to` at `per_token` seconds a token."""
        if to <= self.s:
            return
        advance(self, self.movers(), self.s, float(to), (to - self.s) * per_token, *extra, ease=ease)
        self.s = float(to)

    # -- the beats -----------------------------------------------------------------------------
    def at_slot(self, slot_index: int) -> None:
        slots = [p.slots[slot_index] for p in self.passages]
        s0 = slots[0]
        self.run(s0.t, PACE["slow"])
        x = self.x(s0.t)
        guide = DashedLine(np.array([x, MAP_Y - 0.3, 0]), np.array([x, self.y(1, 0) - 0.05, 0]), stroke_color="#888888",
                           stroke_width=2, dash_length=0.1)
        anims = [FadeIn(guide)]
        marks = [guide]
        if s0.clue is not None:
            span = self.distance_mark(s0.clue, s0.at, s0.distance)
            marks.append(span)
            anims += [GrowFromEdge(span, LEFT), *self.uncover(span.label)]
        self.play(*anims, run_time=0.8)
        badges = [self.badge(k, slots[k]) for k in range(2)]
        self.play(*[FadeIn(b, scale=1.2) for b in badges], *[a for b in badges for a in self.uncover(b)],
                  *self.caption("scene.longrange.slot", d=s0.distance, she=self.passage.answers[0],
                                a=self.names[0], b=self.names[1], pa=fmt(slots[0].p_she), pb=fmt(slots[1].p_she),
                                wa=slots[0].predicted, wb=slots[1].predicted), run_time=0.7)
        coin = [self.names[k] for k in range(2) if abs(slots[k].p_she - 0.5) < COIN]
        if coin:
            self.wait(2.4)
            self.play(*self.caption("scene.longrange.coin", model=coin[0], she=self.passage.answers[0]), run_time=0.6)
        self.wait(3.2)
        self.marks.extend(marks + badges)
        self.labels += [m.label for m in marks if hasattr(m, "label")] + badges
        if s0.at < self.passage.n:
            self.run(s0.at, PACE["slow"])

    def distance_mark(self, a: int, b: int, d: int) -> VGroup:
        xa, xb = self.x(a), self.x(b)
        y = MAP_Y + 0.2
        line = Line(np.array([xa, y, 0]), np.array([xb, y, 0]), stroke_color=COLORS["highlight"], stroke_width=5)
        ends = VGroup(*[Line(np.array([x, y - 0.1, 0]), np.array([x, y + 0.1, 0]), stroke_color=COLORS["highlight"],
                             stroke_width=4) for x in (xa, xb)])
        text = self.text(self.w("scene.longrange.distance", d=d), size=18, color="#8A5A00", weight="BOLD")
        text.move_to(np.array([(xa + xb) / 2, y + 0.2, 0]))
        back = Rectangle(width=text.width + 0.2, height=text.height + 0.1, fill_color=COLORS["background"],
                         fill_opacity=1, stroke_width=0).move_to(text)
        mark = VGroup(line, ends, VGroup(back, text))
        mark.label = mark[2]
        return mark

    def uncover(self, new) -> list:
        """Fade out the earlier labels (distances, badges) that `new` would cover: close pronouns come a few
        tokens apart, and only the newest of their labels can be read."""
        covered = [m for m in self.labels if _overlap(m, new)]
        for m in covered:
            self.labels.remove(m)
            for holder in [*self.marks]:
                if m in holder.submobjects:
                    holder.remove(m)
            if m in self.marks:
                self.marks.remove(m)
        return [FadeOut(m) for m in covered]

    def badge(self, k: int, slot) -> VGroup:
        mark = self.text("✓" if slot.right else "✗", size=28, color=COLORS["correct" if slot.right else "error"],
                         weight="BOLD")
        word = self.text(f"“{slot.predicted}”", size=20, weight="BOLD")
        badge = VGroup(mark, word).arrange(RIGHT, buff=0.08)
        x, p = self.x(slot.t), slot.p_she
        y = self.y(k, 0.25) if p >= 0.5 else self.y(k, 0.78)
        # left of the slot: the line there is what the model believed before the pronoun (after it, it may jump)
        badge.move_to(np.array([x, y, 0])).shift(LEFT * (badge.width / 2 + 0.15))
        if badge.get_left()[0] < X0 + 0.08:  # within the plot, clear of the column on its left
            badge.shift(RIGHT * (X0 + 0.08 - badge.get_left()[0]))
        back = Rectangle(width=badge.width + 0.14, height=badge.height + 0.08, fill_color=COLORS["background"],
                         fill_opacity=0.85, stroke_width=0).move_to(badge)
        return VGroup(back, badge)

    def new_subject(self, t: int) -> None:
        p = self.passage
        clue = next((g for g in p.events.gender_words if g >= t), None)
        self.run(t, PACE["slow"])
        clue_word = p.words[clue] if clue is not None else "?"
        self.play(*self.caption("scene.longrange.subject", word=p.words[t], clue=clue_word), run_time=0.6)
        if clue is not None and clue > t:
            self.run(clue, PACE["clue"] * 1.5)
        self.wait(1.6)

    # -- the end: measured accuracy by distance ------------------------------------------------
    def accuracy_chart(self, verdicts: list[Verdict]) -> Group:
        buckets = verdicts[0].buckets
        cx0, cx1, y0, y1 = -5.0, 6.6, -1.45, 1.05  # room below for a caption of three lines
        gw = (cx1 - cx0) / len(buckets)
        chart = Group()
        axes = VGroup(Line(np.array([cx0, y0, 0]), np.array([cx1, y0, 0]), stroke_color="#555555", stroke_width=2),
                      Line(np.array([cx0, y0, 0]), np.array([cx0, y1, 0]), stroke_color="#555555", stroke_width=2))
        for v in (0.5, 1.0):
            y = y0 + (y1 - y0) * v
            axes.add(Line(np.array([cx0, y, 0]), np.array([cx1, y, 0]), stroke_color="#E3E3E3", stroke_width=1.5))
        labels = VGroup(*[self.text(f"{v:g}", size=16, color="#666666").next_to(np.array([cx0, y0 + (y1 - y0) * v, 0]),
                                                                               LEFT, buff=0.1) for v in (0, 0.5, 1)])
        chance = DashedLine(np.array([cx0, y0 + (y1 - y0) * 0.5, 0]), np.array([cx1, y0 + (y1 - y0) * 0.5, 0]),
                            stroke_color="#555555", stroke_width=2, dash_length=0.1)
        names = VGroup(*[self.text(b.replace("-", "–"), size=MIN_SIZE, color="#555555")
                         .move_to(np.array([cx0 + gw * (i + 0.5), y0 - 0.2, 0])) for i, b in enumerate(buckets)])
        x_title = self.text(self.w("results.distance.axis.x"), size=17, color="#444444")
        x_title.move_to(np.array([(cx0 + cx1) / 2, y0 - 0.52, 0]))
        bars = VGroup()
        bw = gw * 0.36
        for m, v in enumerate(verdicts):
            color = COLORS[family(self.traces[m].kind)]
            for i, b in enumerate(buckets):
                value = dict(zip(v.buckets, v.values)).get(b, float("nan"))
                if not np.isfinite(value):
                    continue
                h = max((y1 - y0) * value, 0.01)
                x = cx0 + gw * (i + 0.5) + (m - 0.5) * (bw + 0.04)
                bars.add(Rectangle(width=bw, height=h, fill_color=color, fill_opacity=1, stroke_width=0)
                         .move_to(np.array([x, y0 + h / 2, 0])))
        legend = VGroup()
        for m, tr in enumerate(self.traces):
            overall = (tr.meta.get("metrics") or {}).get("pronoun_accuracy")
            acc = fmt(overall) if overall is not None else "?"
            chip = Rectangle(width=0.3, height=0.2, fill_color=COLORS[family(tr.kind)], fill_opacity=1, stroke_width=0)
            legend.add(VGroup(chip, self.text(self.w("results.distance.model", model=self.names[m], acc=acc), size=17))
                       .arrange(RIGHT, buff=0.12))
        sample = DashedLine(np.array([0, 0, 0]), np.array([0.45, 0, 0]), stroke_color="#555555", stroke_width=2,
                            dash_length=0.08)
        legend.add(VGroup(sample, self.text(self.w("results.distance.chance"), size=17, color="#555555"))
                   .arrange(RIGHT, buff=0.12))
        legend.arrange(RIGHT, buff=0.6).move_to(np.array([(cx0 + cx1) / 2, y1 + 0.35, 0]))
        counts = [(tr.meta.get("metrics") or {}).get("count_by_distance") or {} for tr in self.traces]
        n = sum(int(v) for v in counts[0].values()) if counts[0] else "?"
        head = self.text(self.w("scene.longrange.accuracy", n=n), size=22, weight="BOLD")
        head.move_to(np.array([(cx0 + cx1) / 2 - 0.4, y1 + 0.9, 0]))
        chart.add(axes, labels, chance, names, x_title, legend, head)
        chart.bars = bars
        return chart

    def verdict_text(self, verdicts: list[Verdict]) -> str:
        metas = [t.meta for t in self.traces]
        presets = [m.get("preset") for m in metas]
        if presets[0] and presets[0] == presets[1]:
            lead = self.w("scene.longrange.same_budget", preset=self.w(preset_key(presets[0]), preset=presets[0]))
        elif all(presets):
            lead = self.w("scene.longrange.budgets", pa=self.w(preset_key(presets[0]), preset=presets[0]),
                          pb=self.w(preset_key(presets[1]), preset=presets[1]))
        else:
            lead = ""
        parts = []
        for m, v in enumerate(verdicts):
            top = v.buckets[-1].split("-")[-1]
            lo, hi = fmt(v.lo), fmt(v.hi)
            said = self.w(f"scene.longrange.verdict.{v.key}", model=self.names[m], d=top, lo=lo, hi=hi,
                          first=fmt(v.first), last=fmt(v.last), b0=v.buckets[0].replace("-", "–"),
                          b1=v.buckets[-1].replace("-", "–"))
            parts.append(said.replace(f"{lo}–{hi}", lo) if lo == hi else said)
        return lead + parts[0] + "\n" + parts[1]

    def end(self) -> None:
        verdicts = [verdict(t.meta.get("metrics")) for t in self.traces]
        if any(v is None for v in verdicts) or verdicts[0].buckets != verdicts[1].buckets:
            self.wait(2.0)
            return
        lanes = Group(*self.lanes, *self.lines, *self.dots, *self.strips, *self.marks)
        gone = [lanes, self.map, self.head, self.ticker] + ([self._caption] if self._caption else [])
        self.play(*[FadeOut(m) for m in gone], run_time=0.8)
        self._caption = None
        chart = self.accuracy_chart(verdicts)
        self.play(FadeIn(chart), run_time=0.8)
        self.play(*[GrowFromEdge(b, DOWN) for b in chart.bars], run_time=1.2)
        self.wait(0.6)
        self.play(*self.caption_text(self.verdict_text(verdicts)), run_time=0.6)
        self.wait(5.5)

    # -- the storyboard ------------------------------------------------------------------------
    def construct(self) -> None:
        self.build()
        p = self.passage
        self.marks: list = []
        self.labels: list = []  # distance labels and badges on screen, oldest first
        she, he = p.answers
        self.play(FadeIn(self.header), run_time=0.8)
        self.play(FadeIn(self.map), *[FadeIn(lane) for lane in self.lanes], run_time=1.0)
        movers = [self.ticker, self.head, *self.lines, *self.dots, *self.strips]
        self.play(*[FadeIn(m) for m in movers], *self.caption("scene.longrange.intro", she=she, he=he), run_time=0.8)
        self.wait(1.8)
        self.say("scene.longrange.lines", wait=2.2, she=she)
        first = p.slots[0] if p.slots else None
        if first is not None and first.clue is not None:
            self.run(first.clue, PACE["clue"])
            self.say("scene.longrange.clue", wait=1.8, word=p.words[first.clue], d=first.distance)
        subjects = p.events.new_subjects
        for i, slot in enumerate(p.slots):
            before = [t for t in subjects if self.s < t < slot.t]
            for t in before:
                self.run(t - 1, PACE["filler"], ease=False)
                self.new_subject(t)
            if slot.t - 1 - self.s >= 8:
                self.run(slot.t - 1, PACE["filler"], *self.caption("scene.longrange.filler"), ease=False)
            self.at_slot(i)
        if self.s < p.n - 1:
            self.run(p.n - 1, PACE["filler"], ease=False)
        self.end()


def _overlap(a, b, pad: float = 0.04) -> bool:
    """Whether the boxes of two mobjects intersect (with a little room)."""
    (ax0, ay0, _), (ax1, ay1, _) = a.get_corner(DOWN + LEFT), a.get_corner(UP + RIGHT)
    (bx0, by0, _), (bx1, by1, _) = b.get_corner(DOWN + LEFT), b.get_corner(UP + RIGHT)
    return ax0 < bx1 + pad and bx0 < ax1 + pad and ay0 < by1 + pad and by0 < ay1 + pad
