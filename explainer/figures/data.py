"""Figure `data`: the noisy sine with its train/test split and one window."""

from __future__ import annotations

import numpy as np

from ..style import COLORS, word
from ..tasks.sine import make_data
from .draw import slide
from .registry import figure


@figure("data", "The noisy sine with the train/test split and one training window.",
        source="checkpoint", default="sine-rnn-seed", rank=1, tasks=("sine",))
def draw(meta: dict, *, lang: str = "en"):
    train = meta["train"]
    data = make_data(train["seed"], train["seq_len"], tuple(train.get("features", ())))
    split = data.train_points
    with slide(lang) as fig:
        ax = fig.add_subplot()
        ax.axvspan(data.x[0], data.x[split - 1], color=COLORS["train_region"], zorder=0)
        ax.axvspan(data.x[split], data.x[-1], color=COLORS["test_region"], zorder=0)
        ax.plot(data.x, np.sin(data.x), color=COLORS["truth"], lw=1, ls="--", alpha=0.5, label="sin(x)")
        ax.plot(data.x, data.y, color=COLORS["data"], lw=1.2, zorder=2)
        ax.scatter(data.x, data.y, s=9, color=COLORS["truth"], zorder=3, label=word("sine.label.data", lang))
        top = 1.45
        ax.text((data.x[0] + data.x[split - 1]) / 2, top, word("sine.label.train", lang), ha="center", fontsize=15,
                color=COLORS["input"])
        ax.text((data.x[split] + data.x[-1]) / 2, top, word("sine.label.test", lang), ha="center", fontsize=15,
                color=COLORS["forget"])
        # one training window and the point it predicts, the source's table made visible
        start, n = 40, data.seq_len
        xs, ys = data.x[start:start + n], data.y[start:start + n]
        ax.scatter(xs, ys, s=60, color=COLORS["hidden"], edgecolor="#114466", zorder=4)
        ax.scatter([data.x[start + n]], [data.y[start + n]], s=110, marker="*", color=COLORS["highlight"],
                   edgecolor="#333333", zorder=5)
        ax.annotate(word("sine.label.window", lang, n=n), xy=(xs[n // 2], ys[n // 2]), xytext=(xs[0] - 3.0, -1.2),
                    fontsize=13, arrowprops=dict(arrowstyle="->", color="#114466"), color="#114466")
        ax.annotate(word("sine.label.next", lang), xy=(data.x[start + n], data.y[start + n]),
                    xytext=(data.x[start + n] + 1.2, -1.05), fontsize=13,
                    arrowprops=dict(arrowstyle="->", color="#333333"))
        ax.set_ylim(-1.45, 1.7)
        ax.set_xlim(data.x[0] - 0.3, data.x[-1] + 0.3)
        ax.set_xlabel(word("axis.x", lang))
        ax.set_ylabel(word("sine.axis.y", lang))
        ax.set_title(word("sine.title.data", lang))
        ax.legend(loc="lower left", ncols=2)
    return fig
