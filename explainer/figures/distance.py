"""Figure `distance`: pronoun accuracy against dependency distance, one line per model.

The source's 长期依赖问题: as the distance between the clue (the subject's name or gender
word) and the pronoun grows, a plain RNN finds the dependency hard to learn. Each model
was trained on the toy language with the same budget (stated on the figure) and tested on
pronouns in buckets of dependency distance 1-10 … 91-100; the lines are exactly the
measured accuracies (`metrics.accuracy_by_distance`), with chance (0.5: she or he) dashed.
Lines that coincide (LSTM and GRU at 1.0) stay distinguishable by marker and line style.

With the shipped budget the RNN has not learned the task at all: it sits near chance at
every distance, short ones included, while LSTM and GRU are at 1.0. The figure shows that
as measured, not the gradual decline of textbook pictures.
"""

from __future__ import annotations

import numpy as np

from ..kinds import KIND
from ..reading import number
from ..style import COLORS, word
from .draw import count_nonfinite, plain, slide, warn_nonfinite
from .read import OPTIMIZERS
from .registry import figure

#: How each model family is drawn: wide and hollow under, narrow and filled on top, so that
#: coinciding lines (LSTM and GRU at 1.0) both stay visible.
LOOK = {
    "rnn": dict(color="rnn", marker="^", ls="-.", ms=10, lw=2.6, hollow=False, z=4),
    "lstm": dict(color="lstm", marker="o", ls="-", ms=16, lw=5.0, hollow=True, z=3),
    "gru": dict(color="gru", marker="s", ls="--", ms=7, lw=2.4, hollow=False, z=5),
}


def family(kind: str) -> str:
    """rnn_tanh / rnn_relu -> rnn; lstm; gru (the kinds table's family)."""
    return KIND[kind].family if kind in KIND else kind


@figure("distance", "Pronoun accuracy against dependency distance, one line per model (the long-term dependency problem).",
        source="checkpoints", default=("language-rnn", "language-lstm", "language-gru"), rank=10, tasks=("language",))
def draw(metas: list[dict], *, lang: str = "en"):
    buckets = list(metas[0]["metrics"]["accuracy_by_distance"])  # "1-10", ..., "91-100"
    names = [word(f"model.{m['model']['kind']}", lang) for m in metas]
    if len(set(names)) < len(names):  # two checkpoints of one kind: tell them apart by file
        names = [f"{n} ({_stem(m)})" for n, m in zip(names, metas)]
    with slide(lang) as fig:
        ax = fig.add_subplot()
        pos = np.arange(len(buckets))
        chance = ax.axhline(0.5, color=COLORS["line"], lw=1.4, ls=(0, (6, 4)), zorder=1,
                            label=word("results.distance.chance", lang))
        bad = 0
        lines: dict[int, object] = {}
        for k, meta in enumerate(metas):
            by = meta["metrics"]["accuracy_by_distance"]
            acc = np.array([np.nan if by.get(b) is None else float(by[b]) for b in buckets])  # [buckets]
            bad += count_nonfinite(acc)
            look = LOOK.get(family(meta["model"]["kind"]), LOOK["rnn"])
            color = COLORS[look["color"]]
            label = word("results.distance.model", lang, model=names[k], acc=_overall(meta))
            lines[k], = ax.plot(pos, acc, color=color, ls=look["ls"], lw=look["lw"], marker=look["marker"], ms=look["ms"],
                                zorder=look["z"] + k / 10, markerfacecolor="white" if look["hollow"] else color,
                                markeredgecolor=color, markeredgewidth=2.2, label=label)
        ax.set_xticks(pos)
        ax.set_xticklabels([b.replace("-", "–") for b in buckets])
        ax.set_xlim(-0.4, len(buckets) - 0.6)
        ax.set_ylim(0, 1.05)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_xlabel(word("results.distance.axis.x", lang))
        ax.set_ylabel(word("results.distance.axis.y", lang))
        fig.suptitle(word("results.distance.title", lang))
        ax.set_title(_budget(metas, names, lang), fontsize=14, fontweight="normal", color="#555555")
        handles = [lines[k] for k in range(len(metas))] + [chance]  # models in the given order, chance last
        ax.legend(handles=handles, loc="center right", bbox_to_anchor=(1.0, 0.72), markerscale=0.8,
                  handlelength=3.2, fontsize=14)
        warn_nonfinite(fig, bad, lang)
    return fig


def _overall(meta: dict) -> str:
    overall = meta["metrics"].get("pronoun_accuracy")
    return number(overall) if overall is not None and np.isfinite(overall) else "—"


def _stem(meta: dict) -> str:
    from pathlib import Path

    return plain(Path(str(meta.get("path", "?"))).stem)


def _budget(metas: list[dict], names: list[str], lang: str) -> str:
    """The training budget: one sentence when every model had the same, else one per model."""
    budgets = [(m["train"]["iters"], m["train"]["batch_size"], m["train"]["optimizer"], m["train"]["lr"]) for m in metas]
    if len(set(budgets)) == 1:
        iters, batch, optimizer, lr = budgets[0]
        return word("results.distance.budget", lang, iters=iters, batch=batch,
                    optimizer=OPTIMIZERS.get(optimizer, optimizer), lr=lr)
    return word("results.distance.budget_each", lang, budgets=" · ".join(
        word("results.distance.budget_one", lang, model=n, iters=b[0], batch=b[1]) for n, b in zip(names, budgets)))
