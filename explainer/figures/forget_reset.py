"""Figure `forget-reset`: colah's example made visible — a new subject makes the forget gate drop the old gender.

On a two-subject passage (the source's "Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，
他喝酒上瘾。", or the long variant), the discovered gender units are followed over the tokens:
their cell state c (top), their forget gate f (middle) and the readout's P(she) (bottom,
softmax over the two pronoun scores). Each subject's span is shaded; the new subject and
its gender word are marked. Where the new subject's gender arrives, f of these units
drops towards 0, the old gender is wiped from c, c changes sign and P(she) flips. The
caption gives the means measured over the evaluation passages when the units were found.
`--units` follows other units (by their numbers in the model), `--layer` another layer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import reading
from ..errors import ExplainerError
from ..names import gate, state
from ..style import COLORS, GATE_COLORS, word
from ..trace import Trace
from .draw import count_nonfinite, keep_labelled, plain, shown_line, slide, sparse_token_axis, warn_nonfinite
from .registry import figure

LONGEST = 400  # tokens: every one is drawn and its events named, so a longer passage is refused, not squeezed
STYLES = ("-", "--", ":", "-.")  # one line style per unit (the colour says which quantity)
MARKERS = ("o", "s", "^", "D")


@figure("forget-reset", "colah's example: at a new subject the gender units' forget gate closes and c resets.",
        source="trace", default="language-lstm", rank=13, kinds=("lstm",), tasks=("language",),
        options=("layer", "units"))
def draw(trace: Trace, *, lang: str = "en", layer: int | None = None, units: Sequence[int] | None = None) -> Figure:
    by = "figure forget-reset"
    found = reading.found_units(trace)
    if units is None:  # the discovered units, or one line that says why there are none here
        found = reading.require_found(trace, by, layer=None if layer is None else reading.check_layer(trace, layer))
    layer = reading.check_layer(trace, layer) if layer is not None else found.layer if found else reading.top_layer(trace)
    c_name, f_name = state(layer, "c"), gate(layer, "f")
    reading.needs(trace, c_name, f_name, "output", by=by, why="(the forget-reset figure follows c, f and the readout)",
                  most_steps=LONGEST)
    size = trace[c_name].shape[2]
    given = reading.check_units(trace, units, size)
    columns = given if given is not None else found.columns
    numbers = [reading.unit_numbers(trace, size)[c] for c in columns]  # the units' numbers in the model
    row = 0  # a language trace holds one passage
    c = np.asarray(trace[c_name][row][:, columns], dtype=float)  # [time, units]
    f = np.asarray(trace[f_name][row][:, columns], dtype=float)  # [time, units]
    passage = reading.Passage.of(trace, lang)
    p = passage.p_she  # [time]
    steps = c.shape[0]
    t = np.arange(steps)
    words = [plain(w) for w in passage.words]  # user text: no mathtext
    answers = tuple(plain(a) for a in passage.answers)
    events = passage.events
    if not events.new_subjects:  # the figure's whole point; its title would say what the passage does not show
        raise ExplainerError("figure forget-reset shows a new subject replacing an old one, and this passage has no "
                             "second subject; trace a passage with two, e.g. the source's sentence (the shipped default)")
    same = found is not None and found.layer == layer and sorted(columns) == sorted(found.columns)
    measured = found.measured if same else {}  # the means measured when the units were found are of those units

    with slide(lang) as fig:
        ax_c, ax_f, ax_p = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2.2, 1.3]})
        for ax in (ax_c, ax_f, ax_p):
            _subjects(ax, events.subjects)
            _events(ax, events)
            ax.set_xlim(-0.5, steps - 0.5)
        many = steps > 40
        mark = dict(ms=0 if many else 5)
        for k, u in enumerate(numbers):
            style = dict(ls=STYLES[k % len(STYLES)], marker=MARKERS[k % len(MARKERS)], lw=2.2, **mark)
            ax_c.plot(t, c[:, k], color=GATE_COLORS["c"], label=word("label.unit", lang, u=u), **style)
            ax_f.plot(t, f[:, k], color=GATE_COLORS["f"], label=word("label.unit", lang, u=u), **style)
        ax_p.plot(t, p, color=COLORS["line"], lw=1.4, marker="o", ms=0 if many else 3.5)

        # c: symmetric around 0, with room above for the labels
        finite = np.abs(c[np.isfinite(c)])
        lim = float(finite.max()) * 1.1 if finite.size else 1.0
        ax_c.set_ylim(-lim, lim * 1.35)
        ax_c.axhline(0, color=COLORS["dim"], lw=1, zorder=0)
        ax_c.set_ylabel(word("traces.fr.c", lang), color=GATE_COLORS["c"])
        ax_c.legend(loc="upper left", ncols=len(numbers), fontsize=12, handlelength=2.6)
        ax_f.set_ylim(-0.5, 1.06)  # room below 0 for the annotation
        ax_f.set_yticks([0, 0.5, 1])
        ax_f.set_ylabel(word("traces.fr.f", lang), color=GATE_COLORS["f"])
        ax_p.set_ylim(-0.08, 1.08)
        ax_p.set_yticks([0, 1])
        ax_p.axhline(0.5, color=COLORS["dim"], lw=1, ls=":", zorder=0)
        ax_p.set_ylabel(word("traces.fr.p", lang, she=answers[0]), fontsize=13)
        ax_p.set_title(word("traces.fr.p_title", lang, she=answers[0], he=answers[1]), fontsize=12,
                       fontweight="normal", color=COLORS["text"], loc="left", pad=3)

        _annotate(ax_f, events, f, steps, lang)
        _subject_labels(ax_c, events.subjects, words, lang)
        _event_labels(ax_c, events, steps, lang)

        keep = keep_labelled(events)
        if steps <= 20:  # every word fits side by side: wrap the long ones instead of rotating
            labels = [textwrap.fill(w, 12) for w in words]
            sparse_token_axis(ax_p, labels, max_labels=steps, rotation=0, fontsize=12)
        else:
            sparse_token_axis(ax_p, list(words), keep=keep, max_labels=44, fontsize=11)
        ax_p.set_xlabel(word("axis.token", lang))
        title = fig.suptitle(word("traces.fr.title", lang))
        shown_line(fig, title, trace, lang, layer=layer, row=row)
        if "forget_at_new_gender_word" in measured:
            caption = word("traces.fr.caption", lang, units=", ".join(map(str, numbers)),
                           n=measured.get("new_subject_tokens", "?"), word=measured["forget_at_new_gender_word"],
                           name=measured["forget_at_new_subject"], elsewhere=measured["forget_elsewhere"])
            fig.legend([Line2D([], [], ls="none")], [caption], loc="outside lower center", fontsize=12,
                       handlelength=0, handletextpad=0)
        warn_nonfinite(fig, count_nonfinite(c, f, p), lang)
    return fig


def _subjects(ax, subjects: list[tuple[int, int, int]]) -> None:
    """Shade each subject's span in its gender's tint (the label says whose and which gender)."""
    for start, end, gender in subjects:
        ax.axvspan(start - 0.5, end + 0.5, color=COLORS["female_span" if gender > 0 else "male_span"], zorder=0, lw=0)


def _events(ax, events: reading.Events) -> None:
    """The new subjects (dashed) and their gender words (in the forget gate's colour)."""
    for s in events.new_subjects:
        ax.axvline(s, color=COLORS["line"], lw=1.4, ls="--", zorder=1)
    for g in events.new_gender_words:
        ax.axvline(g, color=GATE_COLORS["f"], lw=2.0, zorder=1, alpha=0.8)


def _subject_labels(ax, subjects: list[tuple[int, int, int]], words, lang: str) -> None:
    for start, end, gender in subjects:
        text = word("traces.fr.subject", lang, name=words[start],
                    gender=word("traces.fr.female" if gender > 0 else "traces.fr.male", lang))
        ax.text((start + end) / 2, 1.02, text, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=13, fontweight="bold", color=COLORS["text"])


def _event_labels(ax, events: reading.Events, steps: int, lang: str) -> None:
    """Name the two vertical lines at the top of the panel: one to the left, one to the right."""
    top = 0.97
    for s in events.new_subjects:
        ax.text(s - 0.15 - steps / 400, top, word("traces.fr.new_subject", lang) + " →", transform=ax.get_xaxis_transform(),
                ha="right", va="top", fontsize=12, color=COLORS["line"])
    for g in events.new_gender_words:
        ax.text(g + 0.15 + steps / 400, top, "← " + word("traces.fr.gender_word", lang), transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=12, color=GATE_COLORS["f"])


def _annotate(ax, events: reading.Events, f: np.ndarray, steps: int, lang: str) -> None:
    """Point at the forget gate where the new subject's gender arrives."""
    where = events.new_gender_words or events.new_subjects
    if not where:
        return
    g = where[0]
    y = float(np.nanmin(f[g])) if np.isfinite(f[g]).any() else 0.0
    right = g < steps * 0.6
    ax.annotate(word("traces.fr.closes", lang), xy=(g, y), xytext=(g + (1 if right else -1) * max(1.0, steps * 0.05), -0.27),
                ha="left" if right else "right", va="center", fontsize=13, fontweight="bold", color=GATE_COLORS["f"],
                bbox=dict(boxstyle="round,pad=0.25", fc=COLORS["background"], ec="none", alpha=0.85),
                arrowprops=dict(arrowstyle="-|>", color=GATE_COLORS["f"], lw=1.6), zorder=6)
