"""Figure `strategies`: the loss curves of the FAQ's training strategies, side by side.

The source's FAQ asks which data each update should use and how often to go over the
data set. Three answers, one panel each: `sequential` (one pass over the windows in
order, as the source trains), `epochs` (N passes in order) and `random` (N updates, each
on a randomly drawn window). Each panel shows the loss of every update (faint dots) and
its moving average, on one shared y axis (logarithmic when the averages span decades) and
one shared update axis, so the budgets compare at a glance; in each panel stand that
checkpoint's single-step and multi-step test MSE.

On a log axis the loss of a window the model happens to predict almost exactly (1e-10)
would stretch the axis over many decades; such losses are drawn as small marks on the
bottom edge instead, and the legend says so.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from .. import reading
from ..style import COLORS, word
from .draw import count_nonfinite, slide, warn_nonfinite
from .read import OPTIMIZERS
from .registry import figure



def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each `window` consecutive finite values ([len - window + 1]); NaN where none is finite."""
    ok = np.isfinite(values)
    total = np.convolve(np.where(ok, values, 0.0), np.ones(window), mode="valid")
    count = np.convolve(ok.astype(float), np.ones(window), mode="valid")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def strategy_title(meta: dict, lang: str) -> str:
    train, history = meta["train"], meta["history"]
    strategy = train.get("strategy", "sequential")
    if strategy == "epochs":
        return word("results.strat.epochs", lang, n=train["epochs"])
    if strategy == "random":
        return word("results.strat.random", lang, n=len(history["loss"]))
    return word("results.strat.sequential", lang)


def settings(meta: dict, lang: str) -> str:
    """Model, optimizer and batch of one checkpoint, in a line."""
    train, batch = meta["train"], int(meta["train"].get("batch_size", 1))
    per = (word("results.strat.batch_one", lang) if batch == 1 else word("results.strat.batch_all", lang) if batch == 0
           else word("results.strat.batch_n", lang, n=batch))
    return word("results.strat.settings", lang, model=word(f"model.{meta['model']['kind']}", lang),
                hidden=meta["model"]["hidden_size"], optimizer=OPTIMIZERS.get(train["optimizer"], train["optimizer"]),
                lr=train["lr"], batch=per)


def decade(value: float) -> str:
    """10^k as mathtext (renders the same in both languages' fonts)."""
    return f"$10^{{{int(round(math.log10(value)))}}}$"


@figure("strategies", "Loss curves of the FAQ's training strategies: one pass, N passes, N random windows.",
        source="checkpoints", default=("sine-rnn-sequential", "sine-rnn-epochs", "sine-rnn-random"), rank=12,
        tasks=("sine",))
def draw(metas: list[dict], *, lang: str = "en"):
    losses = [np.asarray(m["history"]["loss"], dtype=float) for m in metas]  # [updates] each
    bad = count_nonfinite(*losses)
    longest = max(len(loss) for loss in losses)
    window = max(5, longest // 40)  # one window for every panel, so the curves smooth alike
    smooths = [moving_average(loss, window) if len(loss) >= window else loss for loss in losses]
    smooth_pos = np.concatenate([s[np.isfinite(s) & (s > 0)] for s in smooths])
    top = max((float(np.nanmax(loss[np.isfinite(loss)])) for loss in losses if np.isfinite(loss).any()), default=1.0)
    log = smooth_pos.size > 0 and smooth_pos.max() / smooth_pos.min() > 30  # the averages span decades
    # on a log axis: two decades of room under the lowest average; lower single losses sit on the edge
    low = 10.0 ** math.floor(math.log10(smooth_pos.min() / 30)) if log else None
    lines = [settings(m, lang) for m in metas]
    shared = len(set(lines)) == 1  # one settings line for the figure, else one per panel
    floor = metas[0]["metrics"].get("noise_floor")
    with slide(lang) as fig:
        fig.suptitle(word("results.strat.title", lang))
        axes = fig.subplots(1, len(metas), sharey=True, sharex=True, squeeze=False)[0]
        legend: dict[str, object] = {}  # role -> handle, the first panel that draws it
        for k, (ax, meta, loss, smooth) in enumerate(zip(axes, metas, losses, smooths)):
            updates = np.arange(1, len(loss) + 1)
            shown = loss if low is None else np.where(loss >= low, loss, np.nan)
            legend.setdefault("dots", ax.plot(updates, shown, ls="none", marker="o", ms=2.2, mew=0, color=COLORS["data"],
                                              alpha=0.55, zorder=1,
                                              label=word("results.strat.dots", lang))[0])
            under = np.flatnonzero(np.isfinite(loss) & (loss < low)) if low is not None else np.array([], int)
            if under.size:
                legend.setdefault("below", ax.plot(updates[under], np.full(under.size, low), ls="none", marker="v", ms=4.5,
                                                   mew=0, color=COLORS["data"], zorder=2, clip_on=False,
                                                   label=word("results.strat.below", lang, low=decade(low)))[0])
            if len(smooth) < len(loss):
                legend.setdefault("smooth", ax.plot(updates[window - 1:], smooth, color=COLORS["single"], lw=2.8, zorder=3,
                                                    label=word("train.label.moving", lang, n=window))[0])
            per = meta["history"].get("updates_per_epoch")
            if meta["train"].get("strategy") == "epochs" and per and 1 < len(loss) / per <= 20:
                for e in range(per, len(loss), per):  # where each new pass over the data begins
                    ax.axvline(e + 0.5, color=COLORS["dim"], lw=1.2, ls="--", zorder=0)
            ax.set_title(strategy_title(meta, lang) + "\n" + word("results.strat.updates", lang, n=len(loss)),
                         fontsize=15, linespacing=1.4)
            if not shared:
                ax.text(0.5, 0.04, settings(meta, lang), transform=ax.transAxes, ha="center", va="bottom",
                        fontsize=11, color="#555555", zorder=5,
                        bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.9))
            metrics = meta["metrics"]
            ax.text(0.96, 0.97, word("results.strat.mse", lang, single=reading.mse(float(metrics["mse_single"])),
                                     multi=reading.mse(float(metrics["mse_multi"]))),
                    transform=ax.transAxes, ha="right", va="top", fontsize=13, linespacing=1.45, zorder=5,
                    bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor=COLORS["dim"], alpha=0.95))
            ax.set_xlabel(word("train.axis.update", lang))
            if k == 0:
                ax.set_ylabel(word("train.axis.loss", lang))
        if log:
            axes[0].set_yscale("log")
            axes[0].yaxis.set_minor_locator(NullLocator())  # decades are enough on a slide
            axes[0].set_ylim(low, top * 2.5)
        else:
            axes[0].set_ylim(0, top * 1.05)
        axes[0].set_xlim(0, longest * 1.02)
        handles = [legend[role] for role in ("dots", "below", "smooth") if role in legend]
        floor_text = reading.mse(float(floor)) if floor is not None else "—"
        subtitle = (word("results.strat.subtitle", lang, settings=lines[0], floor=floor_text) if shared
                    else word("results.strat.floor", lang, floor=floor_text))
        box = fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), markerscale=2.5, title=subtitle)
        box.get_title().set_color("#555555")
        warn_nonfinite(fig, bad, lang)
    return fig
