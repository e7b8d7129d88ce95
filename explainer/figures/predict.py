"""Figure `predict`: truth against single-step prediction, untrained beside trained.

The source's two pictures of 看看效果: what the model with its random initial weights
predicts on the test range, and what it predicts after training. Each panel shows the
whole noisy series faintly (a thin overview on top, so the test range is seen in place)
and, below, the test range (points 320..399) large: the true values and the single-step
predictions, each of which reads a window of true values. The MSE of each panel and the
noise floor (the MSE of the best possible predictor, sin(x) + 0.1) give the scale.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from .. import reading
from ..style import COLORS, word
from .draw import count_nonfinite, finite, slide, warn_nonfinite
from .read import OPTIMIZERS, series
from .registry import figure

@figure("predict", "Truth against single-step prediction on the test range, untrained beside trained.",
        source="checkpoint", default="sine-rnn-seed", rank=4, tasks=("sine",))
def draw(meta: dict, *, lang: str = "en"):
    ev, train = meta["eval"], meta["train"]
    data = series(meta)
    x, truth = np.asarray(ev["x"], dtype=float), finite(ev["truth"])  # [80], [80]
    split = int(ev["train_points"])
    floor = float(meta["metrics"]["noise_floor"])
    model = word(f"model.{meta['model']['kind']}", lang)
    panels = [
        (word("results.predict.untrained", lang, model=model), finite(ev["untrained_single"]),
         float(ev["untrained_metrics"]["mse_single"])),
        (word("results.predict.trained", lang, model=model, updates=len(meta["history"]["loss"]),
              optimizer=OPTIMIZERS.get(train["optimizer"], train["optimizer"]), lr=train["lr"]),
         finite(ev["single"]), float(meta["metrics"]["mse_single"])),
    ]
    bad = count_nonfinite(np.asarray(ev["untrained_single"], float), np.asarray(ev["single"], float),
                          np.asarray(ev["truth"], float))
    # one y range for both panels, so the two pictures compare fairly
    shown = np.concatenate([truth, panels[0][1], panels[1][1], data.y[split - data.seq_len:]])
    lo, hi = np.nanmin(shown), np.nanmax(shown)
    pad = 0.12 * (hi - lo)
    ylim = (lo - pad, hi + 2.6 * pad)  # headroom for the MSE box
    with slide(lang) as fig:
        fig.suptitle(word("results.predict.title", lang))
        for sub, (title, pred, mse) in zip(fig.subfigures(1, 2, wspace=0.03), panels):
            over, ax = sub.subplots(2, 1, height_ratios=[1, 4.2])
            sub.suptitle(title, fontsize=16, fontweight="bold")
            _overview(over, data, x, truth, pred, split)
            _detail(ax, data, x, truth, pred, split, ylim, lang)
            ax.text(0.03, 0.96, word("results.label.mse", lang, mse=reading.mse(mse)) + "\n"
                    + word("results.label.floor", lang, floor=reading.mse(floor)),
                    transform=ax.transAxes, ha="left", va="top", fontsize=14, linespacing=1.5,
                    bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor=COLORS["dim"]))
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
        warn_nonfinite(fig, bad, lang)
    return fig


def _overview(ax: Axes, data, x: np.ndarray, truth: np.ndarray, pred: np.ndarray, split: int) -> None:
    """The whole series, faint, with the test range in place."""
    ax.axvspan(data.x[split], data.x[-1], color=COLORS["test_region"], zorder=0)
    ax.plot(data.x, data.y, color=COLORS["data"], lw=0.9, alpha=0.8)
    ax.plot(x, truth, color=COLORS["truth"], lw=1.2)
    ax.plot(x, pred, color=COLORS["single"], lw=1.4)
    ax.set_xlim(data.x[0], data.x[-1])
    ax.set_yticks([])
    ax.tick_params(axis="x", labelsize=11)
    ax.spines["left"].set_visible(False)


def _detail(ax: Axes, data, x: np.ndarray, truth: np.ndarray, pred: np.ndarray, split: int,
            ylim: tuple[float, float], lang: str) -> None:
    """The test range, large: truth and single-step predictions."""
    first = split - data.seq_len  # the first prediction reads points 310..319
    ax.axvspan(data.x[split] - 0.5 * (data.x[1] - data.x[0]), data.x[-1] + 0.2, color=COLORS["test_region"], zorder=0)
    ax.plot(data.x[first:split + 1], data.y[first:split + 1], color=COLORS["data"], lw=1.2, zorder=1,
            label=word("results.label.data", lang))
    ax.plot(x, truth, color=COLORS["truth"], lw=1.6, marker="o", ms=3.5, zorder=2, label=word("results.label.truth", lang))
    ax.plot(x, pred, color=COLORS["single"], lw=2.6, zorder=3, label=word("results.label.single", lang))
    ax.set_xlim(data.x[first] - 0.1, data.x[-1] + 0.2)
    ax.set_ylim(*ylim)
    ax.text(0.6, 0.025, word("results.label.test", lang, a=split, b=len(data.y) - 1), transform=ax.transAxes,
            ha="center", va="bottom", fontsize=13, color=COLORS["forget"])
    ax.set_xlabel(word("results.axis.x", lang))
    ax.set_ylabel(word("results.axis.y", lang))
