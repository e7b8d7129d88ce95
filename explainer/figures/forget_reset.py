"""Figure `forget-reset`: colah's example, measured — where a new subject flips the model's gender evidence,
and whether the forget gate forgets there or the input gate overwrites.

On a two-subject passage (the source's "Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，
他喝酒上瘾。", or the long variant), left, token by token:

- the model's own gender evidence, e = logit(he) − logit(she) of the readout (`reading.forget.evidence_of`),
  with each explained unit's part w_u·h_u as a thin line: where e crosses 0 the model changes its mind;
- the cell state C of the explained units, each labelled with its own sign (from its correlation with the
  subject's gender: "+ = he" for a unit whose larger values say "he");
- their forget gate f, beside the mean f of all the other units.

The explained units and the explained step are the measured ones (`explainer.probes.forget`): the units
with the largest share of the readout's he−she evidence, the new subject's name or gender word, whichever
moves the evidence more. The title names that step, a box marks it in every panel, an arrow points at its
forget gate. Right: the measured forget gate at the new subjects of the evaluation passages (on the
explained units and on the others, before the name, at the name, at the gender word, elsewhere), and how
much of the change of C at the explained step is the reset −(1−f)⊙C and how much the write i⊙C̃ — over the
evaluation passages and in this passage — with what that says of colah's story. `--units` follows other
units (by their numbers in the model), `--layer` another layer; the measured means are then not theirs, and
the figure says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .. import reading
from ..errors import ExplainerError
from ..names import gate, state
from ..reading import forget
from ..style import COLORS, GATE_COLORS, word
from ..trace import Trace
from ..words import glossary
from .draw import (count_nonfinite, keep_labelled, plain, shown_line, slide, sparse_token_axis, text_width,
                   warn_nonfinite)
from .registry import figure

LONGEST = 400  # tokens: every one is drawn and its events named, so a longer passage is refused, not squeezed
STYLES = ("-", "--", ":", "-.")  # one line style per unit (the colour says which quantity)
MARKERS = ("o", "s", "^", "D")
#: gids of the three marks of the explained step (tests find them by these)
BOX, ARROW = "explained-step-box", "explained-step-arrow"
BARS = ("before", "name", "gender_word", "elsewhere")  # the places of the selectivity bars, in passage order


@figure("forget-reset", "colah's example, measured: at a new subject the model's gender evidence flips; does f "
        "forget or does i⊙C̃ overwrite?", source="trace", default="language-lstm", rank=13, kinds=("lstm",),
        tasks=("language",), options=("layer", "units"))
def draw(trace: Trace, *, lang: str = "en", layer: int | None = None, units: Sequence[int] | None = None) -> Figure:
    by = "figure forget-reset"
    found = reading.found_units(trace)
    if units is None:  # the discovered units, or one line that says why there are none here
        found = reading.require_found(trace, by, layer=None if layer is None else reading.check_layer(trace, layer))
    layer = reading.check_layer(trace, layer) if layer is not None else found.layer if found else reading.top_layer(trace)
    names = {k: reading.name_of(layer, k) for k in ("c", "f")}
    reading.needs(trace, *names.values(), "output", by=by,
                  why="(the forget-reset figure follows C, f and the readout)", most_steps=LONGEST)
    size = trace[names["c"]].shape[2]
    given = reading.check_units(trace, units, size)
    columns = given if given is not None else found.columns
    numbers = [reading.unit_numbers(trace, size)[c] for c in columns]  # the units' numbers in the model
    row = 0  # a language trace holds one passage
    passage = reading.Passage.of(trace, lang)
    ev = passage.events
    if not ev.new_subjects:  # the figure's whole point; its title would say what the passage does not show
        raise ExplainerError("figure forget-reset shows a new subject replacing an old one, and this passage has no "
                             "second subject; trace a passage with two, e.g. the source's sentence (the shipped default)")
    same = found is not None and found.layer == layer and sorted(columns) == sorted(found.columns)
    m = forget.measured(trace, layer) if same else None  # the measured numbers are of the discovered units only
    t_star = forget.explained_step(trace)
    if t_star is None:
        t_star = reading.default_step(trace)
    c = np.asarray(trace[names["c"]][row][:, columns], dtype=float)  # [time, units]
    f_all = np.asarray(trace[names["f"]][row], dtype=float)  # [time, all units]
    f = f_all[:, columns]  # [time, units]
    other_cols = [k for k in range(f_all.shape[1]) if k not in columns]
    f_others = f_all[:, other_cols].mean(1) if other_cols else None  # [time]
    e = forget.evidence_of(trace, row)  # [time]
    parts = forget.contributions_of(trace, layer, columns, row)  # [time, units] or None
    corr = forget.correlations_of(trace, numbers, layer)
    signs = forget.signs_of(trace, numbers, layer)
    words = [plain(w) for w in passage.words]  # user text: no mathtext
    she, he = (plain(a) for a in passage.answers)
    steps = len(words)
    t = np.arange(steps)

    with slide(lang) as fig:
        left, right = fig.subfigures(1, 2, width_ratios=[2.05, 1], wspace=0.0)
        ax_e, ax_c, ax_f = left.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [2.3, 2.0, 1.9]})
        for ax in (ax_e, ax_c, ax_f):
            _subjects(ax, ev.subjects)
            _events(ax, ev)
            ax.set_xlim(-0.5, steps - 0.5)
            ax.axvspan(t_star - 0.45, t_star + 0.45, fc=COLORS["highlight"], alpha=0.22, ec=COLORS["highlight"], lw=2.2,
                       zorder=0.5, gid=BOX)
        many = steps > 40
        mark = dict(ms=0 if many else 4.5)
        for k, u in enumerate(numbers):
            style = dict(ls=STYLES[k % len(STYLES)], marker=MARKERS[k % len(MARKERS)], **mark)
            label = (word("forget.unit_sign", lang, u=u, r=reading.number(corr[k]), pos=he if signs[k] < 0 else she)
                     if corr else word("label.unit", lang, u=u))
            ax_c.plot(t, c[:, k], color=GATE_COLORS["c"], lw=2.2, label=label, **style)
            ax_f.plot(t, f[:, k], color=GATE_COLORS["f"], lw=2.2, label="_" + word("label.unit", lang, u=u), **style)
            if parts is not None:
                ax_e.plot(t, parts[:, k], color=GATE_COLORS["h"], lw=1.3, ls=STYLES[k % len(STYLES)],
                          label="_" + word("forget.unit_w", lang, u=u))
        ax_e.plot(t, e, color=COLORS["line"], lw=2.4, marker="o", ms=0 if many else 4, label="e", zorder=4)
        if f_others is not None:
            ax_f.plot(t, f_others, color="#8A8A8A", lw=1.8, ls=(0, (4, 2)), zorder=3,
                      label=word("forget.others", lang, n=len(other_cols)))

        _evidence_axis(ax_e, e, parts, she, he, lang)
        _cell_axis(ax_c, c, lang, len(numbers))
        ax_f.set_ylim(-0.45, 1.12)  # room below 0 for the arrow's words
        ax_f.set_yticks([0, 0.5, 1])
        ax_f.set_ylabel(word("forget.f", lang), color=GATE_COLORS["f"])
        if f_others is not None:  # the units' line styles are named in the C panel's legend
            ax_f.legend(loc="lower left", fontsize=10, handlelength=2.4, framealpha=0.85)
        _arrow(ax_f, t_star, f[t_star], words[t_star], steps, lang)
        _subject_labels(ax_e, ev.subjects, words, lang)

        keep = keep_labelled(ev)
        if steps <= 20:  # every word is labelled: wrapped, and every other one a row lower, so none overlaps
            sparse_token_axis(ax_f, staggered(words), max_labels=steps, rotation=0, fontsize=11)
        else:
            sparse_token_axis(ax_f, list(words), keep=keep + [t_star], max_labels=34, fontsize=10)
        ax_f.set_xlabel(word("axis.token", lang))

        _measured(right, m, trace, layer, columns, t_star, words[t_star], lang, found, given is not None)
        title = fig.suptitle(_title(e, t_star, words[t_star], she, he, lang), fontsize=19)
        shown_line(fig, title, trace, lang, layer=layer, row=row)
        if m is not None:
            fig.legend([Line2D([], [], ls="none")], [_criterion(m, lang)], loc="outside lower center", fontsize=10.5,
                       handlelength=0, handletextpad=0, borderpad=0.2)
        warn_nonfinite(fig, count_nonfinite(c, f, e), lang)
    return fig


def wrap(text: str, width: int) -> str:
    """`text` on lines of at most `width` columns: at spaces for Latin text, anywhere for Chinese (a Chinese
    character is two columns wide), keeping given line breaks.

    >>> wrap("likes teaching students", 12), wrap("喜欢给学生讲课", 8)
    ('likes\\nteaching\\nstudents', '喜欢给学\\n生讲课')
    """
    if not any(text_width(ch) == 2 for ch in text):
        return "\n".join(textwrap.fill(line, width) or line for line in text.split("\n"))
    lines = []
    for line in text.split("\n"):
        current = ""
        for ch in line:
            if current and text_width(current + ch) > width:
                lines.append(current.rstrip())
                current = ch.lstrip()
            else:
                current += ch
        lines.append(current)
    return "\n".join(lines)


def staggered(words: Sequence[str], width: int = 12) -> list[str]:
    """Token labels wrapped to `width` and put on two alternating rows: every other one pushed below the
    tallest of the first row, so that each label has the width of two steps.

    >>> staggered(["Alice", "is a", "male driver", "he"], width=6)
    ['Alice', '\\n\\nis a', 'male\\ndriver', '\\n\\nhe']
    """
    wrapped = [wrap(w, width - 2 if text_width(w) > len(w) else width) or w for w in words]  # Chinese: narrower
    down = max((w.count("\n") + 1 for w in wrapped[::2]), default=1)
    return [w if k % 2 == 0 else "\n" * down + w for k, w in enumerate(wrapped)]


def _title(e: np.ndarray, t: int, token: str, she: str, he: str, lang: str) -> str:
    """What the evidence does at the explained step: flips from one pronoun to the other, or stays."""
    says = lambda v: he if v > 0 else she  # noqa: E731
    before = e[t - 1] if t > 0 else 0.0
    if t > 0 and np.sign(before) != np.sign(e[t]) and np.sign(e[t]) != 0:
        return word("forget.title.flip", lang, word=token, old=says(before), new=says(e[t]))
    return word("forget.title.stay", lang, word=token, side=says(e[t]))


def _evidence_axis(ax, e: np.ndarray, parts, she: str, he: str, lang: str) -> None:
    values = np.concatenate([e[np.isfinite(e)], parts[np.isfinite(parts)] if parts is not None else []])
    lim = float(np.abs(values).max()) * 1.15 if values.size else 1.0
    ax.set_ylim(-lim, lim * 1.3)  # room above for the subject labels
    ax.axhline(0, color=COLORS["line"], lw=1, zorder=1)
    ax.set_ylabel(word("forget.evidence", lang))
    ax.set_title(word("forget.evidence_title", lang, she=she, he=he), fontsize=11, fontweight="normal",
                 color=COLORS["text"], loc="left", pad=20)
    for y, text, va in ((0.66, "↑ " + word("forget.says", lang, word=he), "bottom"),
                        (0.33, "↓ " + word("forget.says", lang, word=she), "top")):
        ax.text(1.005, y, text, transform=ax.transAxes, ha="left", va=va, fontsize=11, color=COLORS["text"])


def _cell_axis(ax, c: np.ndarray, lang: str, n: int) -> None:
    finite = np.abs(c[np.isfinite(c)])
    lim = float(finite.max()) * 1.1 if finite.size else 1.0
    ax.set_ylim(-lim, lim * 1.55)  # room above for the legend
    ax.axhline(0, color=COLORS["dim"], lw=1, zorder=0)
    ax.set_ylabel(word("forget.c", lang), color=GATE_COLORS["c"])
    ax.legend(loc="upper left", ncols=min(n, 3), fontsize=9.5, handlelength=1.8, columnspacing=0.9, handletextpad=0.4,
              framealpha=0.85)


def _arrow(ax, t: int, f_t: np.ndarray, token: str, steps: int, lang: str) -> None:
    """Point at the forget gate of the explained step, with its values."""
    y = float(np.nanmin(f_t)) if np.isfinite(f_t).any() else 0.0
    right = t < steps * 0.6
    ax.annotate(word("forget.arrow", lang, word=token, f=reading.numbers(f_t, sep=glossary.SEP[lang])), xy=(t, y),
                xytext=(t + (1 if right else -1) * max(1.2, steps * 0.06), -0.24), ha="left" if right else "right",
                va="center", fontsize=12, fontweight="bold", color=GATE_COLORS["f"],
                bbox=dict(boxstyle="round,pad=0.25", fc=COLORS["background"], ec="none", alpha=0.9),
                arrowprops=dict(arrowstyle="-|>", color=GATE_COLORS["f"], lw=1.6), zorder=6, gid=ARROW)


def _measured(sub, m: forget.Measured | None, trace: Trace, layer: int, columns: list[int], t: int, token: str,
              lang: str, found, chosen: bool) -> None:
    """The right-hand panels: the measured selectivity and the forgets-or-overwrites shares."""
    if m is None or m.selectivity is None or m.change is None:
        ax = sub.subplots()
        ax.axis("off")
        key, units = ("forget.chosen", found.numbers) if chosen and found is not None else ("forget.unmeasured", [])
        ax.text(0.02, 0.6, word(key, lang, units=forget.units_label(units, lang)),
                transform=ax.transAxes, fontsize=12, va="center", color=COLORS["text"])
        return
    sel, change = m.selectivity, m.change
    label = forget.units_label(m.found.numbers, lang)
    ax_bars, ax_share = sub.subplots(2, 1, gridspec_kw={"height_ratios": [2.1, 1.7]})
    passages = (trace.meta.get("units_found") or {}).get("gender", {}).get("passages")
    head = word("forget.measured", lang, passages=passages or "?", n=sel.steps.get("name", "?"))
    sub.suptitle(wrap(head, 36), fontsize=12, fontweight="bold")
    # the forget gate at each place: explained units against the others
    x = np.arange(len(BARS))
    width = 0.4
    for k, (values, colour, key) in enumerate(((sel.units, GATE_COLORS["f"], "forget.bars.units"),
                                               (sel.others, "#9A9A9A", "forget.bars.others"))):
        heights = [values.get(p) for p in BARS]
        bars = ax_bars.bar(x + (k - 0.5) * width, [v if v is not None else 0 for v in heights], width * 0.92,
                           color=colour, label=word(key, lang, units=label, n=m.others))
        for bar, v in zip(bars, heights):
            if v is not None:
                ax_bars.text(bar.get_x() + bar.get_width() / 2, v + 0.02, reading.number(v), ha="center",
                             va="bottom", fontsize=9.5, color=COLORS["text"], rotation=90)
    ax_bars.set_xticks(x)
    ax_bars.set_xticklabels([word(f"forget.place.{p}", lang) for p in BARS], fontsize=10)
    for tick, place in zip(ax_bars.get_xticklabels(), BARS):
        if place == change.step:
            tick.set_fontweight("bold")
            tick.set_bbox(dict(boxstyle="round,pad=0.2", fc=COLORS["highlight"], alpha=0.35, ec="none"))
    ax_bars.set_ylim(0, 1.38)
    ax_bars.set_yticks([0, 0.5, 1])
    ax_bars.set_title(word("forget.bars_title", lang), fontsize=11, fontweight="normal", loc="left")
    ax_bars.legend(loc="upper center", fontsize=9.5, ncols=2, framealpha=0.85, columnspacing=0.8, handlelength=1.2)
    ax_bars.spines[["top", "right"]].set_visible(False)
    # forgets or overwrites: the reset's and the write's share of the change of C at the explained step
    here = forget.step_share(trace, layer, columns, t) if columns == m.found.columns else None
    rows = [(word("forget.share.all", lang, n=change.switches), change.share)]
    if here is not None:
        rows.append((word("forget.share.here", lang, word=token), here))
    rows = [(name, share) for name, share in rows if share is not None]
    values = [v for _, s in rows for v in (s, 1 - s)]
    low, high = min(0.0, *values), max(1.0, *values)
    y = 0.0
    for name, share in rows:
        one_line = name.replace("\n", "" if lang == "zh" else " ")
        ax_share.text(low, y + 0.42, one_line, ha="left", va="bottom", fontsize=10, color=COLORS["text"])
        for k, (value, colour) in enumerate(((share, GATE_COLORS["f"]), (1 - share, GATE_COLORS["i"]))):
            yk = y - 0.22 * k
            ax_share.barh(yk, value, 0.2, color=colour)
            ax_share.text(value + (0.015 if value >= 0 else -0.015) * (high - low), yk, forget.percent(value),
                          ha="left" if value >= 0 else "right", va="center", fontsize=10)
        y -= 1.0
    ax_share.axvline(0, color=COLORS["line"], lw=1)
    ax_share.set_xlim(low - 0.04 * (high - low), high + 0.22 * (high - low))
    ax_share.set_ylim(y + 0.55, 0.85)
    ax_share.axis("off")
    step = word(f"forget.step.{change.step}", lang)
    title = word("forget.share_title", lang, units=label, step=step)
    ax_share.set_title(wrap(title, 42), fontsize=11, fontweight="normal", loc="left")
    handles = [Rectangle((0, 0), 1, 1, color=GATE_COLORS["f"]), Rectangle((0, 0), 1, 1, color=GATE_COLORS["i"])]
    verdict = word(f"forget.verdict.{change.verdict}", lang)
    legend = ax_share.legend(handles, [word("forget.reset", lang), word("forget.write", lang)], loc="upper center",
                             bbox_to_anchor=(0.5, 0.0), ncols=2, fontsize=10, frameon=False, handlelength=1.2,
                             columnspacing=1.0)
    if verdict:
        ax_share.annotate(wrap(verdict, 38), xy=(0.5, 0), xycoords=legend,
                          xytext=(0, -6), textcoords="offset points", ha="center", va="top", fontsize=11.5,
                          fontweight="bold", color=COLORS["text"], annotation_clip=False,
                          bbox=dict(boxstyle="round,pad=0.35", fc=COLORS["highlight"], alpha=0.3, ec="none"))


def _criterion(m: forget.Measured, lang: str) -> str:
    sep = glossary.SEP[lang]
    if m.criterion == "evidence" and m.evidence_share:
        shares = sep.join(f"{u}: {forget.percent(s)}" for u, s in zip(m.found.numbers, m.evidence_share))
        text = word("forget.criterion", lang, k=len(m.found.numbers), shares=shares)
    else:
        text = word("forget.criterion_corr", lang, k=len(m.found.numbers))
    return wrap(text, 160)


def _subjects(ax, subjects: list[tuple[int, int, int]]) -> None:
    """Shade each subject's span in its gender's tint (the label says whose and which gender)."""
    for start, end, gender in subjects:
        ax.axvspan(start - 0.5, end + 0.5, color=COLORS["female_span" if gender > 0 else "male_span"], zorder=0, lw=0)


def _events(ax, events: reading.Events) -> None:
    """The new subjects (dashed); the explained step is the shaded band, so nothing else is marked."""
    for s in events.new_subjects:
        ax.axvline(s, color=COLORS["line"], lw=1.2, ls="--", zorder=1)


def _subject_labels(ax, subjects: list[tuple[int, int, int]], words, lang: str) -> None:
    for start, end, gender in subjects:
        text = word("traces.fr.subject", lang, name=words[start],
                    gender=word("traces.fr.female" if gender > 0 else "traces.fr.male", lang))
        ax.text((start + end) / 2, 1.01, text, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=12, fontweight="bold", color=COLORS["text"])
