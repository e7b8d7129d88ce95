"""Figure `multistep`: single-step against multi-step prediction, and what feeding predictions back does.

The source: single-step prediction reads a window of true values at every point of the
test range; multi-step prediction starts from the last true window (points 310..319) and
feeds each prediction back as input (多步预测). One panel per checkpoint (by default the
source's seed preset above the tuned preset): the truth, both predictions and their MSEs
over the test range. What the multi-step line does is measured and named in the panel's
title (`explainer.probes.horizon.collapse`, numpy only, on the checkpoint's recorded
forecast): it collapses to a constant (drawn as a dashed line from the step where it has
settled, with its value), holds the phase (its correlation with the truth), or drifts.

How the error grows with the horizon, averaged over every start point, is the `horizon`
figure; one forecast from one start cannot show it (its error rises and falls with the
wave), so this figure draws no running error.
"""

from __future__ import annotations

import numpy as np

from .. import reading
from ..probes.horizon import Collapse, collapse
from ..reading import number
from ..style import COLORS, word
from ..words.sine import preset_key
from .draw import count_nonfinite, finite, slide, warn_nonfinite
from .read import series
from .registry import figure

PRESET_COLORS = {"seed": COLORS["multi"], "tuned": COLORS["tuned"]}


def verdict(c: Collapse, lang: str) -> str:
    """The measured words for what a free-running forecast does."""
    return word(f"sine.forecast.{c.verdict}", lang, v=number(c.value), k=c.settled_by, r=number(c.corr))


@figure("multistep", "Single-step against multi-step prediction on the test range: the seed preset's forecast collapses, "
        "the tuned preset's holds the phase (measured).",
        source="checkpoints", default=("sine-rnn-seed", "sine-rnn-tuned"), rank=5, tasks=("sine",))
def draw(metas: list[dict], *, lang: str = "en"):
    with slide(lang) as fig:
        axes = np.atleast_1d(fig.subplots(len(metas), 1, sharex=True, squeeze=False)[:, 0])
        fig.suptitle(word("results.multi.title", lang))
        bad = 0
        for ax, meta in zip(axes, metas):
            bad += _panel(ax, meta, lang, legend=ax is axes[0])
        axes[-1].set_xlabel(word("results.axis.x", lang))
        warn_nonfinite(fig, bad, lang)
    return fig


def _panel(ax, meta: dict, lang: str, legend: bool) -> int:
    """One checkpoint: its last true window, the truth, both predictions, and the named verdict. Returns NaN/Inf count."""
    ev, metrics, train = meta["eval"], meta["metrics"], meta["train"]
    data = series(meta)
    x, truth = np.asarray(ev["x"], dtype=float), finite(ev["truth"])  # [80]
    single, multi = finite(ev["single"]), finite(ev["multi"])  # [80], [80]
    split = int(ev["train_points"])
    first = split - data.seq_len
    preset = train.get("preset") or ""
    color = PRESET_COLORS.get(preset, COLORS["multi"])
    measured = collapse(ev["multi"], ev["truth"])
    who = word("sine.who", lang, model=word(f"model.{meta['model']['kind']}", lang),
               preset=word(preset_key(preset), lang, preset=preset or "—"))
    ax.set_title(word("results.multi.panel", lang, who=who, verdict=verdict(measured, lang)), loc="left", fontsize=15,
                 color=color)
    ax.axvspan(x[0] - 0.5 * (x[1] - x[0]), x[-1] + 0.2, color=COLORS["test_region"], zorder=0)
    ax.plot(data.x[first:split + 1], data.y[first:split + 1], color=COLORS["data"], lw=2.0, marker="o", ms=3.5,
            zorder=1, label=word("results.multi.window", lang))
    ax.plot(x, truth, color=COLORS["truth"], lw=1.2, marker="o", ms=2.5, zorder=2,
            label=word("results.label.truth_short", lang))
    ax.plot(x, single, color=COLORS["single"], lw=2.0, zorder=3,
            label=word("results.multi.single_mse", lang, mse=reading.mse(float(metrics["mse_single"]))))
    ax.plot(x, multi, color=color, lw=2.8, zorder=4,
            label=word("results.multi.multi_mse", lang, mse=reading.mse(float(metrics["mse_multi"]))))
    if measured.collapsed:
        k = measured.settled_by - 1  # the first point from which the forecast stays at its constant
        ax.hlines(measured.value, x[k], x[-1], color="white", lw=1.4, ls=(0, (4, 4)), zorder=5)  # dashes on the line
        ax.plot([x[k]], [measured.value], "o", ms=7, color=color, markeredgecolor="white", zorder=6)
        ax.annotate(word("results.multi.constant", lang, v=number(measured.value), k=measured.settled_by),
                    xy=(x[k], measured.value), xytext=(-40, 50), textcoords="offset points", ha="center", va="bottom",
                    fontsize=13, color=color, arrowprops=dict(arrowstyle="-|>", color=color, lw=1.2),
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85), zorder=6)
    shown = np.concatenate([truth, single, multi, data.y[first:split]])
    lo, hi = np.nanmin(shown), np.nanmax(shown)
    pad = 0.12 * (hi - lo)
    ax.set_ylim(lo - 2.4 * pad, hi + 2.4 * pad)  # room for the note below and the legend above
    ax.set_xlim(data.x[first] - 0.1, x[-1] + 0.2)
    ax.set_ylabel(word("results.axis.y", lang))
    ax.legend(loc="upper left", ncols=4 if legend else 2, fontsize=11.5, handlelength=1.6, columnspacing=1.0)
    return count_nonfinite(*(np.asarray([np.nan if v is None else v for v in ev[k]], float)
                             for k in ("truth", "single", "multi")))
