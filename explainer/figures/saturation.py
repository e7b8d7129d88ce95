"""Figure `saturation`: how often each unit's gates are shut or wide open (Karpathy et al. 2015, Fig. 3).

For every unit and gate, the fraction of steps the gate is left-saturated (< 0.1, closed)
is plotted against the fraction it is right-saturated (> 0.9, open), over all batch rows
and steps of the trace. Dots near the top-left are gates that are almost always open
(e.g. forget gates that keep a memory: an integrator), near the bottom-right almost always
closed, near the origin gates that act smoothly; no dot can lie beyond the diagonal
x + y = 1 (always saturated, one way or the other). The units that discovery found to
carry the subject's gender are ringed. Every layer gets a row of panels (or only
`--layer`); `--units` keeps some units (by their numbers in the model), `--row` counts
over one batch row only.

Karpathy, Johnson, Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import reading
from ..kinds import KIND
from ..names import gate, is_sigmoid
from ..style import COLORS, GATE_COLORS, word
from ..words import glossary
from ..trace import Trace
from ..reading.lengths import is_padded, valid
from .draw import count_nonfinite, shown_line, slide, warn_nonfinite
from .registry import figure

CLOSED, OPEN = 0.1, 0.9
PANELS_WIDTH, PANELS_HEIGHT, ROW_GAP = 1160, 520, 30  # px of the slide the panels may take, the gap between rows
LABEL_ROOM = 40  # px kept under several rows of panels for the x axis' name above the footer


def saturation(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: (fraction of finite values < 0.1, fraction > 0.9), over batch rows and steps.

    values: [batch, time, units]. Units without a finite value get NaN.
    """
    finite = np.isfinite(values)
    count = finite.sum(axis=(0, 1)).astype(float)  # [units]
    with np.errstate(invalid="ignore", divide="ignore"):
        closed = np.where(finite, values < CLOSED, False).sum(axis=(0, 1)) / count
        opened = np.where(finite, values > OPEN, False).sum(axis=(0, 1)) / count
    return closed, opened


@figure("saturation", "Gate saturation per unit: fraction of steps closed (< 0.1) vs open (> 0.9), every layer.",
        source="trace", default="language-lstm-long", rank=9, kinds=("lstm", "gru"), options=("layer", "units", "row"),
        padded=True)
def draw(trace: Trace, *, lang: str = "en", layer: int | None = None, units: Sequence[int] | None = None,
         row: int | None = None) -> Figure:
    letters = gates(trace.kind)
    shown_layers = [reading.check_layer(trace, layer)] if layer is not None else reading.layers(trace)
    names = {(l, q): gate(l, q) for l in shown_layers for q in letters}
    reading.needs(trace, *names.values(), by="figure saturation", why="(the saturation figure needs the gates)")
    rows = [reading.check_row(trace, row)] if row is not None else list(range(trace.batch_size))
    real = valid(trace)[rows]  # [rows, time]: a padded trace's steps past each row's end are not counted
    steps = int(real.sum())
    many = len(shown_layers) > 1
    font = 12 if len(shown_layers) == 1 else 10.5 if len(shown_layers) == 2 else 9

    with slide(lang) as fig:
        # blank columns either side keep the square panels together: three panel widths fill
        # the slide's width when one row of panels fits its height, fewer with more rows
        rows_height = PANELS_HEIGHT - ROW_GAP * (len(shown_layers) - 1) - (LABEL_ROOM if many else 0)
        side = min(PANELS_WIDTH / 3, rows_height / len(shown_layers))  # px
        pad = max(0.0, 0.8 * (PANELS_WIDTH / side - len(letters)) / 2)  # 0.8: room for the gaps between panels
        grid = fig.add_gridspec(len(shown_layers), len(letters) + 2,
                                width_ratios=[pad or 1e-6, *[1] * len(letters), pad or 1e-6])
        axes = [[fig.add_subplot(grid[i, k + 1]) for k in range(len(letters))] for i in range(len(shown_layers))]
        rings: list[int] = []  # unit numbers ringed, over every layer shown
        for i, l in enumerate(shown_layers):
            size = trace[names[l, letters[0]]].shape[2]
            columns = reading.check_units(trace, units, size)
            columns = list(range(size)) if columns is None else columns
            numbers = reading.unit_numbers(trace, size)
            found = reading.found_units(trace, layer=l)
            ringed = [c for c in (found.columns if found else []) if c in columns]  # discovery order
            rings += [numbers[c] for c in ringed if numbers[c] not in rings]
            for k, (ax, q) in enumerate(zip(axes[i], letters)):
                values = np.asarray(trace[names[l, q]][rows][:, :, columns], dtype=float)  # [rows, time, units shown]
                values[~real] = np.nan  # past a row's end: not a step
                closed, opened = saturation(values)  # [units shown] each
                _frame(ax, lang, font)
                ax.scatter(closed, opened, s=70 if not many else 40, color=GATE_COLORS[q], alpha=0.75,
                           edgecolor=COLORS["background"], linewidth=0.8, zorder=3, label=word(f"gate.{q}", lang))
                _stacks(ax, closed, opened, font)
                _ring(ax, [(columns.index(c), numbers[c]) for c in ringed], closed, opened, font, many)
                if i == 0:
                    ax.set_title(word("traces.panel", lang, symbol=q, name=word(f"gate.{q}", lang)), color=GATE_COLORS[q],
                                 fontsize=18 if not many else 15)
                if i < len(shown_layers) - 1:
                    ax.tick_params(labelbottom=False)
                elif not many or k == len(letters) // 2:  # under several rows: named once, under the middle panel
                    ax.set_xlabel(word("traces.sat.x", lang), fontsize=15 if not many else 14)
                if k:
                    ax.tick_params(labelleft=False)
            if many:  # each row names its layer; the y axis is named once for all rows
                axes[i][0].set_ylabel(word("traces.sat.layer", lang, layer=l), fontsize=14, fontweight="bold")
            else:
                axes[i][0].set_ylabel(word("traces.sat.y", lang))
        if many:  # the y axis named once, beside the panels in the blank column on their left
            fig.supylabel(word("traces.sat.y", lang), fontsize=14, x=max(0.01, 0.92 * pad / (2 * pad + len(letters)) - 0.04))

        model = reading.model_name(trace, lang)
        title = fig.suptitle(word("traces.sat.title", lang, model=model))
        shown_line(fig, title, trace, lang, layer=None if many else shown_layers[0], row=row)
        handles = [Line2D([], [], ls="none")]
        if is_padded(trace):
            texts = [word("traces.sat.subtitle_padded", lang, n=steps, rows=len(rows))]
        else:
            texts = [word("traces.sat.subtitle", lang, n=steps, rows=len(rows), time=trace.num_steps)]
        if rings:
            handles.insert(0, Line2D([], [], ls="none", marker="o", ms=12, mfc="none", mec=COLORS["highlight"], mew=2.6))
            texts.insert(0, word("traces.sat.units", lang, units=glossary.join(rings, lang)))
        fig.legend(handles, texts, loc="outside lower center", ncols=len(handles), fontsize=13,
                   handlelength=1.2, handletextpad=0.5, columnspacing=2.5)
        warn_nonfinite(fig, count_nonfinite(*(np.asarray(trace[n])[rows] for n in names.values())), lang)
    return fig


def gates(kind: str) -> tuple[str, ...]:
    """The sigmoid gates of a cell kind (the tanh candidates C̃ and n are not gates in [0, 1]).

    >>> gates("lstm"), gates("gru")
    (('i', 'f', 'o'), ('r', 'z'))
    """
    return tuple(g for g in KIND[kind].gates if is_sigmoid(g))


def _ring(ax, found: list[tuple[int, int]], closed: np.ndarray, opened: np.ndarray, font: float, small: bool) -> None:
    """Ring the discovered units ((index among the dots, unit number)) and write their numbers."""
    placed: list[tuple[float, float]] = []  # units already labelled
    for k, number in found:
        if not np.isfinite(closed[k]):
            continue
        x, y = float(closed[k]), float(opened[k])
        ax.scatter([x], [y], s=230 if not small else 130, facecolor="none", edgecolor=COLORS["highlight"],
                   linewidth=2.6 if not small else 2.0, zorder=4)
        near = [py for px, py in placed if abs(x - px) < 0.08 and abs(y - py) < 0.07]
        away = 1.0 if near and y > max(near) else -1.0  # labels of units close together stack away from each other
        dy = 4.0 + away * 1.25 * font * len(near)
        placed.append((x, y))
        ax.annotate(str(number), (x, y), xytext=(10, dy), textcoords="offset points", va="center",
                    fontsize=font, fontweight="bold", color=COLORS["text"], zorder=5)


def _frame(ax, lang: str, font: float = 12) -> None:
    """The unit square, the diagonal x + y = 1 and its corners named."""
    edge = COLORS["line"]
    ax.plot([0, 1], [1, 0], ls="--", lw=1.3, color=COLORS["data"], zorder=1)
    ax.text(0.59, 0.59, word("traces.sat.diagonal", lang), rotation=-45, rotation_mode="anchor",
            ha="center", va="bottom", fontsize=font, color=COLORS["data"],
            transform_rotates_text=True)
    # corner names go where no dot can be (x + y > 1): along the top and right edges
    ax.text(0.1, 1.0, "← " + word("traces.sat.open", lang), ha="left", va="center", fontsize=font, color=edge, alpha=0.8)
    ax.text(1.0, 0.07, "← " + word("traces.sat.closed", lang), ha="center", va="bottom", rotation=90, fontsize=font,
            color=edge, alpha=0.8)
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_box_aspect(1)
    ax.set_anchor("N")  # spare height goes below the panels, not between them and the title
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.grid(True, color=COLORS["dim"], lw=0.6, alpha=0.6, zorder=0)


def _stacks(ax, closed: np.ndarray, opened: np.ndarray, font: float = 12) -> None:
    """Say how many dots lie on top of each other where a fifth of the units or more coincide (short traces)."""
    least = max(5, closed.size // 5)
    ok = np.isfinite(closed) & np.isfinite(opened)
    points, counts = np.unique(np.round(np.stack([closed[ok], opened[ok]], 1), 6), axis=0, return_counts=True)
    for (x, y), n in zip(points, counts):
        if n >= least:
            ax.annotate(f"×{n}", (x, y), xytext=(10, -10 - font if y > 0.85 else 10), textcoords="offset points",
                        fontsize=font,
                        color=COLORS["text"], zorder=5)
