"""Figure `unrolled`: the folded RNN beside its unrolled form, drawn with the trace's real values.

The source warns that the usual picture misleads: the unrolled form is not a network of
t layers but one cell A, with one set of weights, applied again at every step to the new
input and the previous hidden state. Left: the folded cell (A with its self-loop). Right:
the same cell A once per step, every box identical, the input of each step below it
(the sine's real input values, or the words of the passage), the real hidden state h_t
above it as a strip of coloured cells, h_{t-1} -> h_t arrows between the boxes (and C for
an LSTM), and the readout of the last step: the prediction of the next point (with the
true next value) or of the next pronoun. Long traces show a window of 10 steps, around
--step or the last 10, and say which. `--layer` draws another layer's h (the readout is
drawn for the top layer only, the one it reads), `--units` some of its units (by their
numbers in the model), `--row` another batch row.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import reading
from ..names import state
from ..style import COLORS, SIGNED_CMAP, word
from ..tasks.language import p_she
from ..trace import Trace
from .draw import plain
from .draw import (
    arrow,
    canvas,
    count_nonfinite,
    layer_box,
    shown_line,
    slide,
    tick,
    value_strip,
    warn_nonfinite,
)
from .registry import figure

MAX_STEPS = 10  # columns that stay readable on a 1280 px slide

# Layout in slide units: the axes span the figure, 1 unit = 10 px (128 x 72).
W, H = 128.0, 72.0
CHAIN = (30.0, 104.0)  # x range of the unrolled chain
BOX_Y, BOX_H = 24.0, 4.6  # cell A boxes
STRIP = (31.0, 55.0)  # y range of the h strips
X_ARROW = (16.8, BOX_Y - BOX_H / 2)  # input arrows
FOLD_X = 11.0  # centre of the folded cell
TITLE_Y, SUBTITLE_Y = 0.985, 63.9  # the title's top (figure fraction; the shown line sits under it), the subtitle


@figure("unrolled", "The folded RNN beside its unrolled form over the window, with the real hidden states.",
        source="trace", default="sine-rnn-seed", rank=2, options=("step", "layer", "units", "row"))
def draw(trace: Trace, *, lang: str = "en", step: int | None = None, layer: int | None = None,
         units: Sequence[int] | None = None, row: int | None = None) -> Figure:
    layer = reading.check_layer(trace, layer)
    name = state(layer, "h")
    reading.needs(trace, name, by="figure unrolled", why="(the unrolled figure draws the hidden state)")
    row = reading.check_row(trace, row)
    total = trace.num_steps
    chosen = reading.check_step(trace, step) if step is not None else None
    start, stop = _window(total, chosen)
    width = trace[name].shape[2]
    columns = reading.check_units(trace, units, width)
    columns = list(range(width)) if columns is None else columns
    unit_ids = [reading.unit_numbers(trace, width)[c] for c in columns]  # the unit number of each strip row
    h = np.asarray(trace[name][row, start:stop][:, columns], dtype=float)  # [steps, units shown]
    n, units = h.shape
    lstm = reading.kind_of(trace) == "lstm"

    with slide(lang, layout=None) as fig:
        ax = canvas(fig, W, H)

        pitch = (CHAIN[1] - CHAIN[0]) / n
        box_w = min(5.0, 0.62 * pitch)
        centres = [CHAIN[0] + pitch * (k + 0.5) for k in range(n)]
        lim = reading.nice_limit(reading.signed_limit(h, floor=1e-6))

        if chosen is not None:  # the highlighted step: a soft band behind its column
            k = chosen - start
            ax.add_patch(FancyBboxPatch((centres[k] - pitch / 2 + 0.3, 6.6), pitch - 0.6, STRIP[1] + 3.6 - 6.6,
                                        boxstyle="round,pad=0,rounding_size=1.2", facecolor=COLORS["highlight"],
                                        alpha=0.18, edgecolor="none", zorder=0))

        _folded(ax, lang, lstm)
        ax.text(22.5, BOX_Y, word("cell.sym.equals", lang), ha="center", va="center", fontsize=30, color=COLORS["text"], alpha=0.6)

        inputs = _input_labels(trace, lang, start, stop, row)
        numbers = (STRIP[1] - STRIP[0]) / units >= 1.75 and box_w >= 4.0
        for k, (cx, t) in enumerate(zip(centres, range(start, stop))):
            bold = chosen == t
            layer_box(ax, (cx, BOX_Y), word("unrolled.sym.cell", lang), width=box_w, height=BOX_H, fontsize=17)
            # x_t: the symbol, the real input (value or word) below it, an arrow into A
            arrow(ax, (cx, X_ARROW[0]), (cx, X_ARROW[1]), color=COLORS["x"], lw=1.8)
            ax.text(cx, 15.9, word("unrolled.sym.x", lang, t=t), ha="center", va="top", fontsize=13,
                    color=COLORS["text"], fontweight="bold" if bold else "normal")
            size = 17 if len(inputs[k]) == 1 and not inputs[k].isalnum() else 10.5 if "\n" in inputs[k] else 11.5
            ax.text(cx, 12.4, inputs[k], ha="center", va="top", fontsize=size,
                    color=COLORS["text"], linespacing=1.05, fontweight="bold" if bold else "normal")
            # h_t: the real hidden state, one cell per unit, top to bottom
            arrow(ax, (cx, BOX_Y + BOX_H / 2), (cx, STRIP[0] - 0.2), color=COLORS["hidden"], lw=1.8)
            cell_h = (STRIP[1] - STRIP[0]) / units
            value_strip(ax, h[k], cx - box_w / 2, STRIP[1] - cell_h, box_w, height=cell_h, cmap=SIGNED_CMAP,
                        vmin=-lim, vmax=lim, numbers=numbers, vertical=True, fontsize=7.5,
                        edge=COLORS["background"] if units <= 40 else "none")
            ax.text(cx, STRIP[1] + 0.6, word("unrolled.sym.h", lang, t=t), ha="center", va="bottom", fontsize=13,
                    fontweight="bold" if bold else "normal")
            if bold:
                ax.add_patch(FancyBboxPatch((cx - box_w / 2, BOX_Y - BOX_H / 2), box_w, BOX_H,
                                            boxstyle="round,pad=0.02,rounding_size=0.08", fill=False,
                                            edgecolor=COLORS["highlight"], linewidth=3.5, zorder=6))
            # recurrence: h_{t-1} (and C_{t-1}) from the previous box
            if k > 0:
                _recurrence(ax, centres[k - 1] + box_w / 2, cx - box_w / 2, lstm, lang, label=k == 1)
        _unit_labels(ax, unit_ids, centres[0] - box_w / 2 - 0.5, lang)
        if start > 0:  # the window continues a longer trace: state arrives from the step before
            left = centres[0] - box_w / 2
            _recurrence(ax, left - 2.6, left, lstm, lang, label=False)
            ax.text(left - 2.8, BOX_Y, word("unrolled.sym.more", lang), ha="right", va="center", fontsize=16)

        if layer == reading.top_layer(trace):  # the readout reads the top layer's h
            _readout(ax, trace, lang, centres[-1] + box_w / 2, stop - 1, row)
        _colour_bar(fig, lim, lang)

        # titles, the layer and row, and the point of the picture
        model = reading.model_name(trace, lang)
        article = "An" if model[:1] in "RL" else "A"  # an RNN, an LSTM, a GRU
        heading = fig.text(0.5, TITLE_Y, word("unrolled.title", lang, model=model, article=article), ha="center",
                           va="top", fontsize=22, fontweight="bold")
        shown_line(fig, heading, trace, lang, layer=layer, row=row)
        window = _window_words(lang, start, stop, total, chosen)
        if chosen is not None:
            window += " · " + word("unrolled.highlight", lang, t=chosen)
        task = trace.meta.get("task")
        key = {"sine": "unrolled.subtitle.sine", "language": "unrolled.subtitle.language"}.get(task, "unrolled.subtitle.other")
        hidden = units if units == width else word("unrolled.units_some", lang, k=units, n=width)
        ax.text(W / 2, SUBTITLE_Y, word(key, lang, model=model, units=hidden, window=window),
                ha="center", va="center", fontsize=14, color=COLORS["text"], alpha=0.75)
        ax.text(FOLD_X, 42.5, word("unrolled.folded", lang), ha="center", va="center", fontsize=14, color=COLORS["text"], alpha=0.75,
                style="italic")
        ax.text(sum(CHAIN) / 2, 60.4, word("unrolled.unrolled", lang), ha="center", va="center", fontsize=14,
                color=COLORS["text"], alpha=0.75, style="italic")
        ax.text(sum(CHAIN) / 2, 3.0, word("unrolled.same", lang, n=n), ha="center", va="center", fontsize=15,
                color=COLORS["text"], fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.45", facecolor=COLORS["layer"], edgecolor=COLORS["layer_edge"], alpha=0.35))
        if lstm:
            ax.text(FOLD_X, 11.5, word("unrolled.lstm_note", lang), ha="center", va="top", fontsize=11,
                    color=COLORS["text"], alpha=0.75, linespacing=1.2)
        warn_nonfinite(fig, count_nonfinite(h), lang)
    return fig


def _unit_labels(ax: Axes, numbers: list[int], right: float, lang: str) -> None:
    """The unit number of each row of the h strips (as in the model), left of the first strip, where they fit."""
    cell_h = (STRIP[1] - STRIP[0]) / len(numbers)
    if cell_h < 1.3:
        return
    for k, u in enumerate(numbers):
        ax.text(right, STRIP[1] - (k + 0.5) * cell_h, str(u), ha="right", va="center", fontsize=8 if cell_h < 1.9 else 9,
                color=COLORS["text"], alpha=0.6)
    ax.text(right, STRIP[1] + 0.6, word("cell.gu.unit", lang), ha="right", va="bottom", fontsize=9,
            color=COLORS["text"], alpha=0.6)


def _window(total: int, step: int | None) -> tuple[int, int]:
    """At most MAX_STEPS steps: around `step`, or the last ones."""
    if total <= MAX_STEPS:
        return 0, total
    if step is None:
        return total - MAX_STEPS, total
    start = min(max(0, step - MAX_STEPS // 2), total - MAX_STEPS)
    return start, start + MAX_STEPS


def _window_words(lang: str, start: int, stop: int, total: int, step: int | None) -> str:
    if stop - start == total:
        return word("unrolled.window.all", lang, a=start, b=stop - 1)
    if step is None:
        return word("unrolled.window.last", lang, a=start, b=stop - 1, n=total - 1, k=stop - start)
    return word("unrolled.window.around", lang, a=start, b=stop - 1, n=total - 1, t=step)


def _input_labels(trace: Trace, lang: str, start: int, stop: int, row: int) -> list[str]:
    """What each step reads: the sine's input value, or the step's label (the word, wrapped to fit a column)."""
    if trace.meta.get("task") == "sine" and "input" in trace.names:
        return [reading.number(v) for v in trace["input"][row, start:stop, 0]]
    return [_wrap(plain(w), lang) for w in reading.step_labels(trace, lang, row)[start:stop]]  # user text: no mathtext


def _wrap(text: str, lang: str) -> str:
    if lang == "zh" and not text.isascii():
        lines = -(-len(text) // 4)  # at most 4 characters a line, the lines balanced
        size = -(-len(text) // lines)
        return "\n".join(text[i:i + size] for i in range(0, len(text), size))
    return "\n".join(textwrap.wrap(text, 11, break_long_words=False)[:3]) or text


def _folded(ax: Axes, lang: str, lstm: bool) -> None:
    """The folded cell: A, its input below, its output above, the loop that feeds h back."""
    cx, w = FOLD_X, 6.0
    layer_box(ax, (cx, BOX_Y), word("unrolled.sym.cell", lang), width=w, height=BOX_H, fontsize=19)
    arrow(ax, (cx, X_ARROW[0]), (cx, X_ARROW[1]), color=COLORS["x"], lw=1.8)
    ax.text(cx, 15.9, word("cell.sym.x", lang), ha="center", va="top", fontsize=15)
    arrow(ax, (cx, BOX_Y + BOX_H / 2), (cx, 37.0), color=COLORS["hidden"], lw=1.8)
    ax.text(cx, 37.6, word("cell.sym.h", lang), ha="center", va="bottom", fontsize=15)
    # the self-loop: out of the right side, round, back into the right side
    right = cx + w / 2
    ax.add_patch(FancyArrowPatch((right, BOX_Y + 1.6), (right, BOX_Y - 1.6), connectionstyle="arc3,rad=-2.3",
                                 arrowstyle="-|>", mutation_scale=16, lw=2.0,
                                 color=COLORS["line"] if lstm else COLORS["hidden"], zorder=2))
    ax.text(right + 1.2, BOX_Y + 3.4, word("unrolled.sym.loop_lstm" if lstm else "unrolled.sym.loop", lang),
            ha="left", va="bottom", fontsize=12, linespacing=1.3)


def _recurrence(ax: Axes, x0: float, x1: float, lstm: bool, lang: str, *, label: bool) -> None:
    """The state passed from one step to the next: h (and the LSTM's C above it)."""
    if lstm:
        arrow(ax, (x0, BOX_Y + 1.2), (x1, BOX_Y + 1.2), color=COLORS["cell"], lw=2.0)
        arrow(ax, (x0, BOX_Y - 1.2), (x1, BOX_Y - 1.2), color=COLORS["hidden"], lw=2.0)
        if label:
            ax.text((x0 + x1) / 2, BOX_Y + 1.7, word("unrolled.sym.c", lang), ha="center", va="bottom", fontsize=11)
            ax.text((x0 + x1) / 2, BOX_Y - 1.7, word("unrolled.sym.hh", lang), ha="center", va="top", fontsize=11)
    else:
        arrow(ax, (x0, BOX_Y), (x1, BOX_Y), color=COLORS["hidden"], lw=2.0)


def _readout(ax: Axes, trace: Trace, lang: str, x0: float, t: int, row: int) -> None:
    """The readout of the window's last step (of batch row `row`), right of the chain."""
    if "output" not in trace.names:
        return
    y_mid = (STRIP[0] + STRIP[1]) / 2
    arrow(ax, (x0 + 0.3, y_mid), (x0 + 4.6, y_mid), color=COLORS["line"], lw=1.8)
    left = x0 + 5.2
    out = np.asarray(trace["output"][row, t], dtype=float)
    meta = trace.meta
    if meta.get("task") == "sine" and out.size == 1:
        ax.text(left, y_mid, word("unrolled.sym.pred", lang, v=reading.number(out[0])), ha="left", va="center", fontsize=17,
                fontweight="bold", color=COLORS["single"])
        ax.text(left, y_mid + 2.4, word("unrolled.pred.sine", lang), ha="left", va="bottom", fontsize=11,
                color=COLORS["text"], alpha=0.75, linespacing=1.1)
        if meta.get("next_y") is not None and t == trace.num_steps - 1 and row == 0:
            ax.text(left, y_mid - 2.4, word("unrolled.truth", lang, v=reading.number(meta["next_y"])), ha="left",
                    va="top", fontsize=12, color=COLORS["truth"], linespacing=1.2)
        return
    answers = [plain(a) for a in (meta.get("answers") or {}).get(lang) or []]
    if meta.get("task") == "language" and answers and out.size >= 2:
        she = float(p_she(out))
        p = (she, 1 - she)  # P(she), P(he): softmax over the two pronouns
        token = plain(reading.step_label(trace, t, lang, row))
        ax.text(left, y_mid + 2.6, word("unrolled.pred.language", lang, token=token), ha="left", va="bottom",
                fontsize=11, color=COLORS["text"], alpha=0.75, linespacing=1.15)
        for j in range(2):
            ax.text(left, y_mid + 0.9 - 2.6 * j, word("unrolled.sym.prob", lang, a=answers[j], p=reading.number(p[j])),
                    ha="left", va="center", fontsize=15, fontweight="bold" if p[j] >= p[1 - j] else "normal",
                    color=COLORS["single"] if p[j] >= p[1 - j] else COLORS["text"])
        targets = meta.get("targets") or []
        if t < len(targets) and 0 <= int(targets[t]) < len(answers):
            ax.text(left, y_mid - 4.4, word("unrolled.answer", lang, a=answers[int(targets[t])]), ha="left", va="top",
                    fontsize=12)
        return
    ax.text(left, y_mid + 2.4, word("unrolled.pred.other", lang), ha="left", va="bottom", fontsize=11, color=COLORS["text"], alpha=0.75)
    ax.text(left, y_mid, reading.numbers(out[:4]) + (" …" if out.size > 4 else ""), ha="left",
            va="center", fontsize=13)


def _colour_bar(fig: Figure, lim: float, lang: str) -> None:
    """The scale of the h strips, bottom right."""
    import matplotlib

    cax = fig.add_axes((110.5 / W, 11.0 / H, 14.0 / W, 1.1 / H))
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(Normalize(-lim, lim), SIGNED_CMAP), cax=cax,
                       orientation="horizontal")
    bar.set_ticks([-lim, 0, lim])
    bar.set_ticklabels([tick(-lim), "0", tick(lim)])
    bar.ax.tick_params(labelsize=10, length=2)
    bar.outline.set_linewidth(0.5)
    cax.set_title(word("unrolled.scale", lang), fontsize=11, color=COLORS["text"], alpha=0.75, pad=3)
