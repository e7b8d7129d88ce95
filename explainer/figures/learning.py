"""Figure `learning`: pronoun accuracy by distance over training, one heatmap per model.

Rows are the updates at which training measured the accuracy (on a fixed set of
passages, `meta["history"]["accuracy_by_distance"]`), columns the distance buckets 1-10 …
91-100; the colour runs from chance (0.5, and anything below) to 1, the same scale for
every model, so the panels side by side show which distances each model learns first and
which it never learns. An orange bar in a column marks the update from which that bucket
stays at or above 0.95 to the end. Under each panel, one sentence from the same numbers
(`explainer.reading.learning`). A checkpoint without a learning history is refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize

from ..reading import number
from ..reading.learning import CHANCE, LEVEL, Learning, spans
from ..style import COLORS, word
from .draw import count_nonfinite, plain, slide, warn_nonfinite
from .registry import figure

#: The bar that marks where a bucket is learned (from there on ≥ LEVEL): visible on pale and on dark cells.
MARK = COLORS["highlight"]
#: Chance (and below) to certain: pale to dark, the same for every panel.
CMAP = LinearSegmentedColormap.from_list("learning", ["#F7F7F2", "#C7E3D4", "#5AAE8A", "#1B6E52", "#0B3B2C"])


def sentence(run: Learning, model: str, lang: str, level: float = LEVEL) -> str:
    """What the panel of `run` shows, in one sentence of the measured numbers."""
    lv = number(level)
    every, first = run.every_from(level), run.first(level)
    if every is not None and first is not None:
        buckets, u0 = first
        if u0 == every:
            return word("mechanism.learning.every_at_once", lang, model=model, level=lv, n=every)
        return word("mechanism.learning.every", lang, model=model, level=lv, n=every, first=", ".join(spans(buckets)),
                    a=u0)
    learned = run.learned(level)
    if learned:
        lo, hi = run.unlearned_range(level) or (float("nan"), float("nan"))
        return word("mechanism.learning.some", lang, model=model, level=lv, where=", ".join(spans(learned)),
                    a=first[1] if first else "?", lo=number(lo), hi=number(hi))
    final = run.final[np.isfinite(run.final)]
    return word("mechanism.learning.none", lang, model=model, level=lv,
                lo=number(final.min()) if final.size else "—", hi=number(final.max()) if final.size else "—")


@figure("learning", "Pronoun accuracy by distance over training, a heatmap per model: which distances each learns first.",
        source="checkpoints", default=("language-rnn", "language-lstm", "language-gru"), rank=10.2,
        tasks=("language",))
def draw(metas: list[dict], *, lang: str = "en"):
    runs = [Learning.of(m, str(m.get("path", "the given checkpoint")), by="figure learning") for m in metas]
    names = [word(f"model.{m['model']['kind']}", lang) for m in metas]
    if len(set(names)) < len(names):
        names = [f"{n} ({plain(Path(str(m.get('path', '?'))).stem)})" for n, m in zip(names, metas)]
    norm = Normalize(CHANCE, 1.0)
    cmap = CMAP.with_extremes(bad="#D9D9D9", under=CMAP(0.0))
    with slide(lang, layout=None) as fig:  # placed by hand: three panels, a colour bar, a sentence per model
        axes = fig.subplots(1, len(runs), sharey=True, squeeze=False,
                            gridspec_kw=dict(left=0.075, right=0.885, top=0.835, bottom=0.335, wspace=0.1))[0]
        bad = 0
        for ax, run, name, meta in zip(axes, runs, names, metas):
            bad += count_nonfinite(run.accuracy)
            x = np.arange(len(run.buckets) + 1) - 0.5  # column edges
            y = _edges(run.updates)
            mesh = ax.pcolormesh(x, y, np.ma.masked_invalid(run.accuracy), cmap=cmap, norm=norm, shading="flat")
            for b, u in enumerate(run.learned_at()):
                if u is not None:
                    row = int(np.flatnonzero(run.updates == u)[0])
                    ax.plot([b - 0.5, b + 0.5], [y[row], y[row]], color=MARK, lw=3.5, solid_capstyle="butt", zorder=4)
            ax.set_xticks(np.arange(len(run.buckets)))
            ax.set_xticklabels([b.replace("-", "–") for b in run.buckets], rotation=60, ha="right",
                               rotation_mode="anchor", fontsize=12)
            ax.set_xlim(x[0], x[-1])
            ax.set_ylim(y[0], y[-1])
            ax.set_title(name, fontsize=18, color=COLORS.get(meta["model"]["kind"].split("_")[0], COLORS["text"]))
            ax.set_xlabel(word("mechanism.learning.axis.x", lang))
        axes[0].set_ylabel(word("mechanism.learning.axis.y", lang))
        bar = fig.colorbar(mesh, cax=fig.add_axes((0.905, 0.335, 0.016, 0.5)), extend="min")
        bar.set_label(word("mechanism.learning.colorbar", lang))
        bar.set_ticks([0.5, 0.6, 0.7, 0.8, 0.9, LEVEL, 1.0])
        bar.ax.axhline(LEVEL, color=MARK, lw=3)
        fig.suptitle(word("mechanism.learning.title", lang), y=0.975)
        first = runs[0]
        fig.text(0.5, 0.915, word("mechanism.learning.subtitle", lang, every=first.every, p=first.passages,
                                  level=number(LEVEL)), ha="center", va="top", fontsize=13, color="#555555")
        for k, (run, name) in enumerate(zip(runs, names)):  # one sentence per model, under the panels
            fig.text(0.075, 0.145 - 0.045 * k, sentence(run, name, lang), ha="left", va="top", fontsize=14,
                     color="#222222")
        warn_nonfinite(fig, bad, lang)
    fig.learning = runs  # what was drawn, for tests and callers
    return fig


def _edges(updates: np.ndarray) -> np.ndarray:
    """Row edges around each measured update (halfway to its neighbours)."""
    u = np.asarray(updates, dtype=float)
    if len(u) == 1:
        return np.array([u[0] - 0.5, u[0] + 0.5])
    mid = (u[1:] + u[:-1]) / 2
    return np.concatenate([[u[0] - (mid[0] - u[0])], mid, [u[-1] + (u[-1] - mid[-1])]])
