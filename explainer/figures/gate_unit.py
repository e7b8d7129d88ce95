"""Figure `gate-unit`: the source's 门控单元, a sigmoid layer and a pointwise product, with real vectors.

A gate is a sigmoid layer whose output, a vector of numbers between 0 and 1, multiplies
another vector position by position: near 1 the position passes, near 0 it is dropped.
Here the gate is the LSTM's forget gate f_t of one step and the vector it filters is the
previous cell state C_{t-1}. Left: colah's picture of the gate (σ box, × circle). Right:
C_{t-1}, f_t and their product f_t ⊙ C_{t-1} as aligned strips with their values, one
column per unit, so the multiplication can be read column by column. With many units a
readable subset is shown (the discovered gender units, then the units holding the most,
largest |C_{t-1}|), and the figure says which; `--units` chooses them (by their numbers
in the model, up to twelve), `--layer` and `--row` the layer (default: the top one) and the
batch row (default: 0). The default step is the new subject's gender word, where the
forget gate should reset the gender units (f near 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import reading
from ..errors import ExplainerError
from ..names import gate, state
from ..style import COLORS, GATE_COLORS, SIGNED_CMAP, gate_cmap, word
from ..trace import Trace
from .draw import (
    arrow,
    canvas,
    count_nonfinite,
    layer_box,
    pointwise,
    shown_line,
    slide,
    value_strip,
    warn_nonfinite,
)
from .lstm_cell import SUBTITLE_Y, TITLE_Y, colorbar, step_words
from .registry import figure

MAX_UNITS = 12  # columns that keep their numbers readable

# Layout in slide units: the axes span the figure, 1 unit = 10 px (128 x 72).
W, H = 128.0, 72.0
STRIPS_X = (49.0, 124.0)  # x range of the strips
ROWS = {"c": 47.5, "f": 36.5, "p": 25.5}  # lower edge of each row
ROW_H = 5.0
GATE = (19.0, 43.5, 29.0)  # the gate picture: x of σ and ×, y of the line, y of σ


@figure("gate-unit", "The gate unit: a real forget gate f_t multiplies C_{t-1} position by position.",
        source="trace", default="language-lstm", rank=7, kinds=("lstm",), options=("step", "layer", "units", "row"))
def draw(trace: Trace, *, lang: str = "en", step: int | None = None, layer: int | None = None,
         units: Sequence[int] | None = None, row: int | None = None) -> Figure:
    layer = reading.check_layer(trace, layer)
    f_name, c_name = gate(layer, "f"), state(layer, "c")
    reading.needs(trace, f_name, c_name, by="figure gate-unit",
                  why="(the gate-unit figure multiplies the forget gate with the cell state)", steps=2,
                  steps_why="it multiplies f_t with C_{t-1}, and step 0 has no C_{t-1} in the trace")
    row = reading.check_row(trace, row)
    t = reading.check_step(trace, step)
    if step is None:
        t = max(t, 1)  # the default step is one that has a C_{t-1}
    if t == 0:
        last = trace.num_steps - 1
        raise ExplainerError("--step 0 has no C_{t-1} in the trace (the initial state is not recorded), and the "
                             f"gate-unit figure multiplies f_t with it; choose --step {'1' if last == 1 else f'1 to {last}'}")
    f = np.asarray(trace[f_name][row, t], dtype=float)  # [units]
    c_prev = np.asarray(trace[c_name][row, t - 1], dtype=float)  # [units]
    product = f * c_prev  # f_t ⊙ C_{t-1}: what the forget gate lets through
    size = f.size
    numbers = reading.unit_numbers(trace, size)  # the unit number of each column
    chosen = reading.check_units(trace, units, size)
    if chosen is not None and len(chosen) > MAX_UNITS:
        raise ExplainerError(f"figure gate-unit shows at most {MAX_UNITS} units; give up to {MAX_UNITS} with --units")
    found = reading.found_units(trace, layer=layer)
    found_columns = sorted(found.columns) if found and chosen is None else []
    shown, n_found = (chosen, 0) if chosen is not None else _choose(found_columns, c_prev)
    lim = reading.cell_limit(trace[c_name])
    clipped = bool(np.nanmax(np.abs(np.asarray(trace[c_name], dtype=float)), initial=0.0) > lim)

    with slide(lang, layout=None) as fig:
        ax = canvas(fig, W, H)
        _gate_picture(ax, lang)
        _strips(ax, lang, shown, [numbers[u] for u in shown], n_found, c_prev, f, product, lim)

        heading = fig.text(0.5, TITLE_Y, word("cell.gu.title", lang), ha="center", va="top", fontsize=22,
                           fontweight="bold")
        shown_line(fig, heading, trace, lang, layer=layer, row=row)
        where = step_words(trace, t, lang, row)
        if step is None and t in reading.events(trace).new_gender_words:
            where += word("cell.step.why", lang)
        ax.text(W / 2, SUBTITLE_Y[0], word("cell.gu.subtitle", lang, model=word("model.lstm", lang), step=where),
                ha="center", va="center", fontsize=14, color=COLORS["text"], alpha=0.8)
        if chosen is not None:
            which = word("cell.gu.units.given", lang, k=len(shown), n=size)
        elif len(shown) == size:
            which = word("cell.gu.units.all", lang, n=size)
        else:
            key = "cell.gu.units.found" if n_found else "cell.gu.units.largest"
            which = word(key, lang, k=len(shown), n=size)
        ax.text(W / 2, SUBTITLE_Y[1], which, ha="center", va="center", fontsize=12, color=COLORS["text"], alpha=0.7)

        # the rule, and what it means at this step
        ax.text(W / 2, 15.5, word("cell.gu.rule", lang), ha="center", va="center", fontsize=19, fontweight="bold",
                color=COLORS["text"],
                bbox=dict(boxstyle="round,pad=0.5", facecolor=COLORS["pointwise"], edgecolor="none", alpha=0.35))
        ax.text(W / 2, 9.2, _verdict(f, found_columns, shown, lang), ha="center", va="center", fontsize=14,
                color=GATE_COLORS["f"])
        _scales(fig, lim, lang, clipped)
        warn_nonfinite(fig, count_nonfinite(f, c_prev), lang)
    return fig


def _choose(found: list[int], c_prev: np.ndarray) -> tuple[list[int], int]:
    """Columns to show, and how many of them (first) are discovered units."""
    units = c_prev.size
    if units <= MAX_UNITS:
        return list(range(units)), 0
    first = found[:MAX_UNITS]
    rest = reading.largest_units(c_prev, MAX_UNITS - len(first), exclude=first)
    return first + sorted(rest), len(first)


def _verdict(f: np.ndarray, found: list[int], shown: list[int], lang: str) -> str:
    """'gender units: f_t = 0.07, 0.06, 0.00 → mostly dropped' (or the mean over the units shown)."""
    which = found if found else shown
    verdict = word(f"cell.gu.{reading.forget_verdict(f[which])}", lang)
    if found:
        values = reading.numbers(f[found], sep=word("cell.list_sep", lang))
        return word("cell.gu.verdict.found", lang, vals=values, verdict=verdict)
    finite = f[which][np.isfinite(f[which])]
    mean = float(finite.mean()) if finite.size else float("nan")
    return word("cell.gu.verdict.shown", lang, vals=reading.number(mean), verdict=verdict)


def _gate_picture(ax: Axes, lang: str) -> None:
    """colah's gate: the vector's line through a × whose other input is a σ layer."""
    x, line_y, sig_y = GATE
    cell = COLORS["cell"]
    arrow(ax, (3.0, line_y), (x - 2.6, line_y), color=cell, lw=3.5, head=False)
    arrow(ax, (x + 2.6, line_y), (36.0, line_y), color=cell, lw=3.5)
    pointwise(ax, (x, line_y), word("cell.sym.times", lang), radius=2.6, fontsize=20)
    layer_box(ax, (x, sig_y), word("cell.sym.sigma", lang), width=7.0, height=5.0, fontsize=20)
    arrow(ax, (x, sig_y + 2.5), (x, line_y - 2.6), color=GATE_COLORS["f"], lw=2.6)
    arrow(ax, (x, sig_y - 8.0), (x, sig_y - 2.5), color=COLORS["line"], lw=2.2)
    ax.text(3.0, line_y + 1.0, word("cell.sym.c_prev", lang), ha="left", va="bottom", fontsize=17, color=cell)
    ax.text(36.0, line_y + 1.0, word("cell.sym.product", lang), ha="right", va="bottom", fontsize=17, color=cell)
    ax.text(x + 1.0, (sig_y + line_y) / 2, word("cell.sym.f", lang), ha="left", va="center", fontsize=18,
            color=GATE_COLORS["f"])
    ax.text(x - 4.2, sig_y, word("cell.name.f", lang), ha="right", va="center", fontsize=12, color=GATE_COLORS["f"])
    ax.text(x, sig_y - 8.6, word("cell.sym.concat", lang), ha="center", va="top", fontsize=15, color=COLORS["text"])


def _strips(ax: Axes, lang: str, shown: list[int], numbers: list[int], n_found: int, c_prev: np.ndarray,
            f: np.ndarray, product: np.ndarray, lim: float) -> None:
    """C_{t-1}, f_t and f_t ⊙ C_{t-1}, one column per unit (`shown`: columns, `numbers`: their unit numbers)."""
    x0, x1 = STRIPS_X
    cell = (x1 - x0) / len(shown)
    found = list(range(n_found))
    size = 12 if cell >= 5.5 else 10 if cell >= 4.5 else 8.5
    for key, values, cmap, vmin, vmax, colour, label in (
            ("c", c_prev, SIGNED_CMAP, -lim, lim, COLORS["cell"], "cell.sym.c_prev"),
            ("f", f, gate_cmap("f"), 0.0, 1.0, GATE_COLORS["f"], "cell.sym.f"),
            ("p", product, SIGNED_CMAP, -lim, lim, COLORS["cell"], "cell.sym.product")):
        value_strip(ax, [values[u] for u in shown], x0, ROWS[key], cell, height=ROW_H, cmap=cmap, vmin=vmin,
                    vmax=vmax, fontsize=size, highlight=found)
        ax.text(x0 - 1.0, ROWS[key] + ROW_H / 2, word(label, lang), ha="right", va="center", fontsize=17,
                color=colour)
    for k in range(len(shown)):
        cx = x0 + (k + 0.5) * cell
        ax.text(cx, (ROWS["f"] + ROW_H + ROWS["c"]) / 2, word("cell.sym.times", lang), ha="center", va="center",
                fontsize=15, color=COLORS["text"], alpha=0.6)
        ax.text(cx, (ROWS["p"] + ROW_H + ROWS["f"]) / 2, word("cell.sym.equals", lang), ha="center", va="center",
                fontsize=15, color=COLORS["text"], alpha=0.6)
        ax.text(cx, ROWS["c"] + ROW_H + 0.5, str(numbers[k]), ha="center", va="bottom", fontsize=11,
                color=COLORS["text"], fontweight="bold" if k < n_found else "normal")
    ax.text(x0 - 1.0, ROWS["c"] + ROW_H + 0.5, word("cell.gu.unit", lang), ha="right", va="bottom", fontsize=11,
            color=COLORS["text"], alpha=0.7)
    if n_found and n_found < len(shown):  # name the two groups of columns
        y = ROWS["c"] + ROW_H + 3.4
        for a, b, key in ((0, n_found, "cell.gu.group.found"), (n_found, len(shown), "cell.gu.group.others")):
            xa, xb = x0 + a * cell + 0.4, x0 + b * cell - 0.4
            ax.plot([xa, xa, xb, xb], [y - 0.6, y, y, y - 0.6], color=COLORS["text"], lw=1.0, alpha=0.6)
            ax.text((xa + xb) / 2, y + 0.3, word(key, lang), ha="center", va="bottom", fontsize=11.5,
                    color=COLORS["highlight"] if key.endswith("found") else COLORS["text"],
                    fontweight="bold" if key.endswith("found") else "normal")


def _scales(fig: Figure, lim: float, lang: str, clipped: bool) -> None:
    """The two colour scales: the gate (0 to 1) and the cell state (±lim)."""
    import matplotlib
    from matplotlib.colors import Normalize

    cax = fig.add_axes((96.0 / W, 3.0 / H, 12.0 / W, 1.3 / H))
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(Normalize(0, 1), gate_cmap("f")), cax=cax, orientation="horizontal")
    bar.set_ticks([0, 0.5, 1])
    bar.set_ticklabels(["0", "0.5", "1"])
    bar.ax.tick_params(labelsize=9.5, length=2)
    bar.outline.set_linewidth(0.5)
    cax.set_title(word("cell.sym.f", lang), fontsize=10.5, pad=3)
    colorbar(fig, (112.0 / W, 3.0 / H, 12.0 / W, 1.3 / H), lim, word("cell.scale.cell", lang), clipped=clipped)
