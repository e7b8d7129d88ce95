"""Figure `saturation`: how often each unit's gates are shut or wide open (Karpathy et al. 2015, Fig. 3).

For every unit and gate, the fraction of steps the gate is left-saturated (< 0.1, closed)
is plotted against the fraction it is right-saturated (> 0.9, open), over all batch rows
and steps of the trace. Dots near the top-left are gates that are almost always open
(e.g. forget gates that keep a memory: an integrator), near the bottom-right almost always
closed, near the origin gates that act smoothly; no dot can lie beyond the diagonal
x + y = 1 (always saturated, one way or the other). The units that discovery found to
carry the subject's gender are ringed.

Karpathy, Johnson, Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks".
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..style import COLORS, GATE_COLORS, word
from ..trace import Trace
from .draw import count_nonfinite, slide, warn_nonfinite
from .read import found_units, last_layer, unit_numbers
from .registry import figure

#: The sigmoid gates of each cell kind (the tanh candidates C̃ and n are not gates in [0, 1]).
GATES = {"lstm": ("i", "f", "o"), "gru": ("r", "z")}
CLOSED, OPEN = 0.1, 0.9


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


@figure("saturation", "Gate saturation per unit: fraction of steps closed (< 0.1) vs open (> 0.9).",
        source="trace", default="language-lstm-long", rank=9, kinds=("lstm", "gru"))
def draw(trace: Trace, *, lang: str = "en") -> Figure:
    layer = last_layer(trace)
    letters = GATES[trace.kind]
    names = [f"layers.{layer}.gates.{q}" for q in letters]
    trace.require(*names, why="(the saturation figure needs the gates)")
    rows, steps = trace.batch_size, trace.num_steps
    found = _found_units(trace, layer)

    with slide(lang, layout="compressed") as fig:  # square panels: "compressed" packs them
        # three panel widths whatever the gate count, so square panels fit the slide's height
        pad = (3 - len(letters)) / 2
        grid = fig.add_gridspec(1, len(letters) + 2, width_ratios=[pad or 1e-6, *[1] * len(letters), pad or 1e-6])
        axes = [fig.add_subplot(grid[0, k + 1]) for k in range(len(letters))]
        for ax in axes[1:]:
            ax.sharey(axes[0])
            ax.tick_params(labelleft=False)
        for ax, q, name in zip(axes, letters, names):
            closed, opened = saturation(np.asarray(trace[name], dtype=float))
            _frame(ax, lang)
            ax.scatter(closed, opened, s=70, color=GATE_COLORS[q], alpha=0.75, edgecolor=COLORS["background"], linewidth=0.8,
                       zorder=3, label=word(f"gate.{q}", lang))
            _stacks(ax, closed, opened)
            placed: list[tuple[float, float]] = []  # units already labelled
            for u, number in found:
                if np.isfinite(closed[u]):
                    x, y = float(closed[u]), float(opened[u])
                    ax.scatter([x], [y], s=230, facecolor="none", edgecolor=COLORS["highlight"], linewidth=2.6, zorder=4)
                    near = sum(abs(x - px) < 0.08 and abs(y - py) < 0.05 for px, py in placed)
                    dy = 4.0 - 15.0 * near  # labels of units close together stack downwards
                    placed.append((x, y))
                    ax.annotate(str(number), (x, y), xytext=(10, dy), textcoords="offset points", va="center",
                                fontsize=12, fontweight="bold", color=COLORS["text"], zorder=5)
            ax.set_title(word("traces.panel", lang, symbol=q, name=word(f"gate.{q}", lang)), color=GATE_COLORS[q])
        axes[0].set_ylabel(word("traces.sat.y", lang))
        for ax in axes:
            ax.set_xlabel(word("traces.sat.x", lang))

        model = word(f"model.{trace.kind}", lang)
        fig.suptitle(word("traces.sat.title", lang, model=model))
        handles = [Line2D([], [], ls="none")]
        texts = [word("traces.sat.subtitle", lang, n=rows * steps, rows=rows, time=steps)]
        if found:
            handles.insert(0, Line2D([], [], ls="none", marker="o", ms=12, mfc="none", mec=COLORS["highlight"], mew=2.6))
            texts.insert(0, word("traces.sat.units", lang, units=", ".join(str(n) for _, n in found)))
        fig.legend(handles, texts, loc="outside lower center", ncols=len(handles), fontsize=13,
                   handlelength=1.2, handletextpad=0.5, columnspacing=2.5)
        warn_nonfinite(fig, count_nonfinite(*(trace[n] for n in names)), lang)
    return fig


def _frame(ax, lang: str) -> None:
    """The unit square, the diagonal x + y = 1 and its corners named."""
    edge = COLORS["line"]
    ax.plot([0, 1], [1, 0], ls="--", lw=1.3, color=COLORS["data"], zorder=1)
    ax.text(0.59, 0.59, word("traces.sat.diagonal", lang), rotation=-45, rotation_mode="anchor",
            ha="center", va="bottom", fontsize=12, color=COLORS["data"],
            transform_rotates_text=True)
    # corner names go where no dot can be (x + y > 1): along the top and right edges
    ax.text(0.1, 1.0, "← " + word("traces.sat.open", lang), ha="left", va="center", fontsize=12, color=edge, alpha=0.8)
    ax.text(1.0, 0.07, "← " + word("traces.sat.closed", lang), ha="center", va="bottom", rotation=90, fontsize=12,
            color=edge, alpha=0.8)
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_box_aspect(1)
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.grid(True, color=COLORS["dim"], lw=0.6, alpha=0.6, zorder=0)


def _stacks(ax, closed: np.ndarray, opened: np.ndarray) -> None:
    """Say how many dots lie on top of each other where a fifth of the units or more coincide (short traces)."""
    least = max(5, closed.size // 5)
    ok = np.isfinite(closed) & np.isfinite(opened)
    points, counts = np.unique(np.round(np.stack([closed[ok], opened[ok]], 1), 6), axis=0, return_counts=True)
    for (x, y), n in zip(points, counts):
        if n >= least:
            ax.annotate(f"×{n}", (x, y), xytext=(10, 10), textcoords="offset points", fontsize=12,
                        color=COLORS["text"], zorder=5)


def _found_units(trace: Trace, layer: int) -> list[tuple[int, int]]:
    """(column in the arrays, unit number) of each discovered gender unit of this layer."""
    width = trace[f"layers.{layer}.gates.{GATES[trace.kind][0]}"].shape[2]
    numbers = unit_numbers(trace, width)
    return [(col, numbers[col]) for col in found_units(trace, layer, width)]
