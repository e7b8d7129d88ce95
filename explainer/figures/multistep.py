"""Figure `multistep`: single-step against multi-step prediction, and how the error accumulates.

The source: 多步预测会导致误差的累积. Single-step prediction reads a window of true values
at every point of the test range; multi-step prediction starts from the last true window
(points 310..319) and feeds each prediction back as input, so every error is read again.
Top: the truth and both predictions. Bottom: the squared error at each test point (thin)
and its running mean (thick), which ends at the MSE; the noise floor gives the scale. A
poorly trained model drifts away (the running mean keeps climbing); a good one stays
close, and the figure says by how much with the ratio of the two MSEs.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import reading
from ..style import COLORS, word
from .draw import count_nonfinite, finite, slide, warn_nonfinite
from .read import series
from .registry import figure


def running_mean(values: np.ndarray) -> np.ndarray:
    """Mean of values[0..k] at every k, over the finite ones seen so far (NaN before the first)."""
    ok = np.isfinite(values)
    total = np.cumsum(np.where(ok, values, 0.0))
    count = np.cumsum(ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


@figure("multistep", "Single-step against multi-step prediction on the test range, and the accumulated error.",
        source="checkpoint", default="sine-rnn-seed", rank=5, tasks=("sine",))
def draw(meta: dict, *, lang: str = "en"):
    ev, train, metrics = meta["eval"], meta["train"], meta["metrics"]
    data = series(meta)
    x, truth = np.asarray(ev["x"], dtype=float), finite(ev["truth"])  # [80]
    single, multi = finite(ev["single"]), finite(ev["multi"])  # [80], [80]
    split = int(ev["train_points"])
    first = split - data.seq_len
    mse_single, mse_multi = float(metrics["mse_single"]), float(metrics["mse_multi"])
    floor = float(metrics["noise_floor"])
    bad = count_nonfinite(*(np.asarray(ev[k], float) for k in ("truth", "single", "multi")))
    colors = {"single": COLORS["single"], "multi": COLORS["multi"]}
    with slide(lang) as fig:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1.35, 1])
        ratio = mse_multi / mse_single if mse_single > 0 and np.isfinite(mse_multi / mse_single) else float("nan")
        fig.suptitle(word("results.multi.title", lang))
        top.set_title(word("results.multi.subtitle", lang, model=word(f"model.{meta['model']['kind']}", lang),
                           preset=train.get("preset") or "—", ratio=f"{ratio:.1f}" if np.isfinite(ratio) else "—"),
                      fontsize=14, fontweight="normal", color="#555555")

        # top: the last true window, the truth and both predictions
        top.axvspan(x[0] - 0.5 * (x[1] - x[0]), x[-1] + 0.2, color=COLORS["test_region"], zorder=0)
        top.plot(data.x[first:split + 1], data.y[first:split + 1], color=COLORS["data"], lw=2.2, marker="o", ms=4,
                 zorder=1)
        mid = first + (data.seq_len - 1) // 2
        top.annotate(word("results.multi.window", lang), xy=(data.x[mid], data.y[mid]),
                     xytext=(14, 44), textcoords="offset points", ha="left", va="bottom", fontsize=12, color="#666666",
                     arrowprops=dict(arrowstyle="-", color="#999999"))
        top.plot(x, truth, color=COLORS["truth"], lw=1.4, marker="o", ms=3, zorder=2,
                 label=word("results.label.truth_short", lang))
        top.plot(x, single, color=colors["single"], lw=2.4, zorder=3,
                 label=word("results.multi.single_mse", lang, mse=reading.mse(mse_single)))
        top.plot(x, multi, color=colors["multi"], lw=2.4, zorder=4,
                 label=word("results.multi.multi_mse", lang, mse=reading.mse(mse_multi)))
        shown = np.concatenate([truth, single, multi, data.y[first:split]])
        lo, hi = np.nanmin(shown), np.nanmax(shown)
        pad = 0.1 * (hi - lo)
        top.set_ylim(lo - pad, hi + 2.4 * pad)  # headroom for the legend
        top.set_ylabel(word("results.axis.y", lang))
        top.legend(loc="upper left", ncols=3, fontsize=12, handlelength=1.6, columnspacing=1.2)

        # bottom: squared error at each point, and its running mean (the MSE so far)
        for name, pred in (("single", single), ("multi", multi)):
            err = (pred - truth) ** 2  # [80]
            bottom.plot(x, err, color=colors[name], lw=1.0, alpha=0.45, zorder=2)
            bottom.plot(x, running_mean(err), color=colors[name], lw=3.0, zorder=3)
        bottom.axhline(floor, color=COLORS["truth"], lw=1.2, ls=":", zorder=1)
        bottom.set_ylim(bottom=0)
        bottom.set_xlim(data.x[first] - 0.1, x[-1] + 0.2)
        bottom.set_xlabel(word("results.axis.x", lang))
        bottom.set_ylabel(word("results.multi.axis.sq_error", lang))
        proxies = [Line2D([], [], color="#777777", lw=1.0, alpha=0.6), Line2D([], [], color="#777777", lw=3.0),
                   Line2D([], [], color=COLORS["truth"], lw=1.2, ls=":")]
        bottom.legend(proxies, [word("results.multi.sq_error", lang), word("results.multi.running", lang),
                                word("results.label.floor_line", lang)], loc="upper left", fontsize=12)
        warn_nonfinite(fig, bad, lang)
    return fig
