"""Figure `windows`: the source's tables of windows for single-step and multi-step prediction.

The source writes them as tables of input windows and the prediction each one gives:

    single-step                              multi-step
    y[310], y[311], ..., y[319]  pred[320]   y[310], y[311], ..., y[319]          pred[320]
    y[311], y[312], ..., y[320]  pred[321]   y[311], y[312], ..., pred[320]       pred[321]
    y[312], y[313], ..., y[321]  pred[322]   y[312], y[313], ..., pred[320], pred[321]  pred[322]

Single-step reads true values only; multi-step feeds each prediction back, so after
`seq_len` steps its window holds nothing but its own predictions. This figure draws both
tables with the real numbers: the checkpoint's noisy sine (`explainer.tasks.sine`, its
seed) and its recorded predictions (`eval.single`, `eval.multi`), three rows as in the
source, then the row where the difference is complete (the last test point for
single-step, the first all-prediction window for multi-step). Cells holding a prediction
are coloured; the truth at each predicted point stands beside it. Metadata only, no torch.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..reading import number
from ..style import COLORS, LATIN_FONT, word
from ..words.sine import preset_key
from .draw import canvas, finite, slide, text_width
from .read import series
from .registry import figure

W, H = 12.8, 7.2  # the slide, in inches = diagram units
CELL_W, CELL_H = 0.86, 0.44
LEFT = 0.45  # x of the first window cell
MAX_CELLS = 10  # a longer window shows its first three and last six values around an ellipsis
FIRST_ROWS = 3  # as in the source


def shown(seq_len: int) -> list[int | None]:
    """Which window offsets get a cell (None: the ellipsis cell)."""
    if seq_len <= MAX_CELLS:
        return list(range(seq_len))
    return [0, 1, 2, None] + list(range(seq_len - MAX_CELLS + 4, seq_len))


@figure("windows", "The source's tables of windows: single-step reads true values, multi-step feeds its predictions back.",
        source="checkpoint", default="sine-rnn-seed", rank=4.5, tasks=("sine",))
def draw(meta: dict, *, lang: str = "en"):
    ev, train = meta["eval"], meta["train"]
    data = series(meta)
    split, n = int(ev["train_points"]), data.seq_len
    preds = {"single": finite(ev["single"]), "multi": finite(ev["multi"])}  # [test] each
    test = len(preds["single"])
    preset = train.get("preset") or ""
    who = word("sine.who", lang, model=word(f"model.{meta['model']['kind']}", lang),
               preset=word(preset_key(preset), lang, preset=preset or "—"))
    with slide(lang, layout=None) as fig:
        ax = canvas(fig, W, H)
        ax.text(W / 2, H - 0.3, word("sine.windows.title", lang), ha="center", va="center", fontsize=21,
                fontweight="bold")
        ax.text(W / 2, H - 0.7, word("sine.windows.subtitle", lang, who=who, c=split), ha="center", va="center",
                fontsize=13, color="#555555")
        tables = (("single", [0, 1, 2, test - 1]), ("multi", [0, 1, 2, min(n, test - 1)]))
        top = H - 0.95
        for kind, rows in tables:
            top = _table(ax, kind, rows, top, data, split, preds, lang) - 0.12
        _legend(ax, lang)
    return fig


def _table(ax, kind: str, rows: list[int], top: float, data, split: int, preds: dict, lang: str) -> float:
    """One table, from y = top down; returns the y of its bottom."""
    n, color = data.seq_len, COLORS[kind]
    offsets = shown(n)
    head = top - 0.2
    ax.text(LEFT, head, word(f"sine.windows.{kind}", lang), ha="left", va="center", fontsize=16,
            fontweight="bold", color=color)
    x_arrow = LEFT + len(offsets) * CELL_W + 0.12
    x_pred = x_arrow + 0.62
    ax.text(x_pred + CELL_W * 0.6, head, word("sine.windows.prediction", lang), ha="center", va="center", fontsize=12,
            color="#555555")
    ax.text(x_pred + CELL_W * 1.2 + 0.2, head, word("sine.windows.truth", lang), ha="left", va="center", fontsize=12,
            color="#555555")
    y = head - 0.2
    for r, k in enumerate(rows):
        if r == FIRST_ROWS:  # the source's "..." row, then the row that completes the story
            ax.text(LEFT + len(offsets) * CELL_W / 2, y - 0.13, "⋮", ha="center", va="center", fontsize=15,
                    color="#777777", fontfamily=LATIN_FONT)
            ax.text(LEFT + len(offsets) * CELL_W / 2 + 0.25, y - 0.13, word(f"sine.windows.gap.{kind}", lang, n=n),
                    ha="left", va="center", fontsize=11.5, color="#666666")
            y -= 0.26
        row_top = y
        for c, off in enumerate(offsets):
            x = LEFT + c * CELL_W
            if off is None:
                ax.text(x + CELL_W / 2, row_top - CELL_H / 2, "…", ha="center", va="center", fontsize=14)
                continue
            pos = split - n + k + off  # the point this cell holds
            own = kind == "multi" and pos >= split
            value = preds["multi"][pos - split] if own else data.y[pos]
            _cell(ax, x, row_top, word("sine.windows.pred" if own else "sine.windows.y", lang, i=pos), value,
                  COLORS["multi"] if own else None)
        target = split + k
        ax.add_patch(FancyArrowPatch((x_arrow, row_top - CELL_H / 2), (x_pred - 0.06, row_top - CELL_H / 2),
                                     arrowstyle="-|>", mutation_scale=14, color="#555555", lw=1.4))
        _cell(ax, x_pred, row_top, word("sine.windows.pred", lang, i=target), preds[kind][k], color, width=CELL_W * 1.2)
        ax.text(x_pred + CELL_W * 1.2 + 0.2, row_top - CELL_H / 2,
                word("sine.windows.truth_value", lang, i=target, v=number(data.y[target])), ha="left", va="center",
                fontsize=11, color="#555555")
        y -= CELL_H + 0.05
    return y


def _cell(ax, x: float, top: float, label: str, value: float, color: str | None, width: float = CELL_W) -> None:
    """A cell: which point (y[310] or pred[320]) above its value; coloured when it holds a prediction."""
    face = "#FFFFFF" if color is None else _tint(color)
    ax.add_patch(Rectangle((x + 0.02, top - CELL_H), width - 0.04, CELL_H, facecolor=face,
                           edgecolor=color or "#BBBBBB", linewidth=1.6 if color else 1.0))
    ax.text(x + width / 2, top - 0.125, label, ha="center", va="center", fontsize=10,
            color=color or "#777777")
    ax.text(x + width / 2, top - 0.31, number(value) if np.isfinite(value) else "—", ha="center", va="center",
            fontsize=12.5, fontweight="bold", color="#222222")


def _tint(color: str, amount: float = 0.82) -> tuple[float, float, float]:
    """The colour mixed with white (a light cell background)."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _legend(ax, lang: str) -> None:
    y = 0.24
    x = LEFT
    for color, key in ((None, "sine.windows.legend.true"), (COLORS["multi"], "sine.windows.legend.own")):
        ax.add_patch(Rectangle((x, y - 0.12), 0.36, 0.24, facecolor="#FFFFFF" if color is None else _tint(color),
                               edgecolor=color or "#BBBBBB", linewidth=1.4))
        text = word(key, lang)
        ax.text(x + 0.48, y, text, ha="left", va="center", fontsize=12, color="#444444")
        x += 0.9 + 0.095 * text_width(text)  # about one Latin character per 0.095 inch at 12 pt
