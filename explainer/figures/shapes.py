"""Figure `shapes`: the source's FAQ about tensor shapes, as one conceptual slide.

Four cards, each answering a question beginners ask (the source's FAQ):

* what goes in: a batch of windows is a [batch, seq_len, input_size] block, drawn as a 3-D
  box with the checkpoint's seq_len and input_size (the front slice holds the values of
  the first training window);
* why input_size is not 10: 10 is the sequence length; input_size counts the features of
  one step, e.g. temperature with wind speed and pressure gives 3;
* what hidden_size is: only the width of the hidden state h_t, a hyperparameter like the
  hidden layer of an MLP;
* what comes out: output [B, seq_len, hidden] (h_t of every step), h_n [layers, B, hidden]
  (the last h_t) and the readout's prediction [B, 1].

Every number comes from the checkpoint's model and training configuration.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

from ..reading import number
from ..style import COLORS, word
from ..words import glossary
from .draw import arrow, layer_box, slide
from .read import series
from .registry import figure

MODULES = {"rnn_tanh": "RNN", "rnn_relu": "RNN", "lstm": "LSTM", "gru": "GRU"}
DEPTH = (0.2, 0.16)  # one batch slice back, in data units
SLICES = 3  # batch slices drawn behind the front one
CARD = "#F7F7F7"  # card background (a light neutral, not a quantity's colour)
H = 8.1  # canvas height in data units (width 16)


def block(ax: Axes, x0: float, y0: float, cols: int, rows: int, w: float, h: float, color: str, *,
          slices: int = SLICES, values: np.ndarray | None = None, fontsize: float = 10,
          highlight_col: int | None = None) -> tuple[float, float]:
    """A [batch, cols, rows] block: a front grid of cells and `slices` batch slices behind it.

    Returns the (dx, dy) of the whole depth. `values` [rows, cols] are written in the front cells.
    """
    W, Hh = cols * w, rows * h
    dx, dy = DEPTH[0] * slices, DEPTH[1] * slices
    style = dict(edgecolor=color, linewidth=1.0)
    ax.add_patch(Polygon([(x0, y0 + Hh), (x0 + W, y0 + Hh), (x0 + W + dx, y0 + Hh + dy), (x0 + dx, y0 + Hh + dy)],
                         facecolor=color, alpha=0.30, zorder=2, **style))
    ax.add_patch(Polygon([(x0 + W, y0), (x0 + W + dx, y0 + dy), (x0 + W + dx, y0 + Hh + dy), (x0 + W, y0 + Hh)],
                         facecolor=color, alpha=0.42, zorder=2, **style))
    for s in range(1, slices):  # the slice edges on the top and right faces
        ox, oy = DEPTH[0] * s, DEPTH[1] * s
        ax.plot([x0 + ox, x0 + W + ox, x0 + W + ox], [y0 + Hh + oy, y0 + Hh + oy, y0 + oy], color=color, lw=0.7, zorder=2)
    fine = rows <= 24  # draw every cell edge only while cells are tall enough to see
    for c in range(cols):
        ax.plot([x0 + c * w, x0 + c * w + dx], [y0 + Hh, y0 + Hh + dy], color=color, lw=0.7, zorder=2)
        for r in range(rows if fine else 1):
            top = y0 + Hh - (r + 1) * h if fine else y0
            ax.add_patch(Rectangle((x0 + c * w, top), w, h if fine else Hh, facecolor="white", zorder=3, **style))
            ax.add_patch(Rectangle((x0 + c * w, top), w, h if fine else Hh, facecolor=color, alpha=0.16, zorder=3))
            if values is not None:
                ax.text(x0 + (c + 0.5) * w, top + h / 2, number(values[r, c]), ha="center", va="center",
                        fontsize=fontsize, color=COLORS["text"], zorder=4)
    if highlight_col is not None:
        ax.add_patch(Rectangle((x0 + highlight_col * w, y0), w, Hh, fill=False, edgecolor=COLORS["highlight"],
                               linewidth=3, zorder=5))
    return dx, dy


def span(ax: Axes, a: tuple[float, float], b: tuple[float, float], color: str = COLORS["line"]) -> None:
    """A double-headed dimension arrow."""
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="<|-|>", mutation_scale=11, color=color, lw=1.3, zorder=5))


def card(ax: Axes, x0: float, y0: float, x1: float, y1: float, title: str) -> None:
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.15",
                                facecolor=CARD, edgecolor=COLORS["dim"], linewidth=1.2, zorder=0))
    ax.text(x0 + 0.22, y1 - 0.22, title, ha="left", va="top", fontsize=15, fontweight="bold", zorder=6)


def column(ax: Axes, x0: float, y0: float, n: int, w: float, height: float, color: str) -> None:
    """A vector of n cells standing upright (h_n), cell edges drawn while they are visible."""
    h = height / n
    for r in range(n if n <= 24 else 1):
        y = y0 + height - (r + 1) * h if n <= 24 else y0
        ax.add_patch(Rectangle((x0, y), w, h if n <= 24 else height, facecolor="white", edgecolor=color, lw=1.0, zorder=3))
        ax.add_patch(Rectangle((x0, y), w, h if n <= 24 else height, facecolor=color, alpha=0.16, zorder=3))


def row(ax: Axes, x0: float, y0: float, n: int, w: float, h: float, color: str, alpha: float = 0.16) -> None:
    for c in range(n):
        ax.add_patch(Rectangle((x0 + c * w, y0), w, h, facecolor="white", edgecolor=color, lw=1.0, zorder=3))
        ax.add_patch(Rectangle((x0 + c * w, y0), w, h, facecolor=color, alpha=alpha, zorder=3))


@figure("shapes", "The FAQ as a picture: input [batch, seq_len, input_size], hidden_size, output and h_n shapes.",
        source="checkpoint", default="sine-rnn-seed", rank=11, tasks=("sine",))
def draw(meta: dict, *, lang: str = "en"):
    model, train = meta["model"], meta["train"]
    kind = model["kind"]
    seq_len, input_size = int(train["seq_len"]), int(model["input_size"])
    hidden = int(model["hidden_size"])
    dirs = 2 if model.get("bidirectional") else 1
    h_size = int(model.get("proj_size") or 0) or hidden  # an LSTM with projection outputs proj_size
    layers = int(model.get("num_layers", 1)) * dirs
    data = series(meta)
    batch = int(train.get("batch_size", 1)) or len(data.train_windows()[1])  # 0 = every training window
    first = data.columns[:seq_len].T  # [input_size, seq_len]: the first training window

    with slide(lang, layout=None) as fig:
        fig.suptitle(word("results.shapes.title", lang, module=MODULES.get(kind, kind)), y=0.975)
        ax = fig.add_axes((0.01, 0.0, 0.98, 0.9))
        ax.set_xlim(0, 16)
        ax.set_ylim(0, H)
        ax.set_aspect("equal")
        ax.axis("off")
        _input_card(ax, seq_len, input_size, batch, first, lang)
        _why_card(ax, seq_len, input_size, list(data.features), lang)
        _hidden_card(ax, kind, hidden, input_size, lang)
        _output_card(ax, kind, seq_len, h_size * dirs, h_size, layers, int(model.get("output_size", 1)), lang)
    return fig


def _input_card(ax: Axes, seq_len: int, input_size: int, batch: int, values: np.ndarray, lang: str) -> None:
    """Top left: the batch of windows as a 3-D block with its three axes."""
    card(ax, 0.1, 4.1, 7.9, 8.05, word("results.shapes.card.input", lang, seq_len=seq_len, input_size=input_size))
    w = min(0.48, 4.8 / seq_len)
    h = min(0.6, 1.2 / input_size)
    x0, y0 = 2.3, 6.45 - input_size * h  # the top stays put; more features grow the block downwards
    show = values if (w >= 0.45 and input_size <= 3) else None
    dx, dy = block(ax, x0, y0, seq_len, input_size, w, h, COLORS["x"], values=show, fontsize=9.5)
    W, Hh = seq_len * w, input_size * h
    span(ax, (x0, y0 - 0.22), (x0 + W, y0 - 0.22))
    ax.text(x0 + W / 2, y0 - 0.36, word("results.shapes.axis.seq_len", lang, n=seq_len), ha="center", va="top", fontsize=13)
    span(ax, (x0 - 0.18, y0), (x0 - 0.18, y0 + Hh))
    ax.text(x0 - 0.32, y0 + Hh / 2, word("results.shapes.axis.input_size", lang, n=input_size), ha="right", va="center",
            fontsize=13)
    span(ax, (x0 - 0.12, y0 + Hh + 0.1), (x0 - 0.12 + dx, y0 + Hh + 0.1 + dy))
    ax.text(x0 - 0.3, y0 + Hh + 0.1 + dy / 2, word("results.shapes.axis.batch", lang), ha="right", va="center",
            fontsize=13)
    ax.text(0.35, 4.35, word("results.shapes.batch_note", lang, b=batch), ha="left", va="bottom", fontsize=12.5,
            color="#555555")


def _why_card(ax: Axes, seq_len: int, input_size: int, features: list[str], lang: str) -> None:
    """Bottom left: seq_len is not input_size; the input_size > 1 case (temperature, wind, pressure)."""
    card(ax, 0.1, 0.05, 7.9, 3.95, word("results.shapes.card.why", lang, seq_len=seq_len, input_size=input_size))
    why = (word("results.shapes.why_features", lang, seq_len=seq_len, features=glossary.join(["y", *features], lang)) if features
           else word("results.shapes.why", lang, seq_len=seq_len))
    ax.text(0.35, 3.35, why, ha="left", va="top", fontsize=13,
            linespacing=1.45)
    ax.text(0.35, 2.25, word("results.shapes.more", lang), ha="left", va="top", fontsize=13, linespacing=1.45)
    names = [word(f"results.shapes.feature.{f}", lang) for f in ("temperature", "wind", "pressure")]
    w, h = min(0.4, 4.0 / seq_len), 0.3
    x0, y0 = 2.45, 0.3
    block(ax, x0, y0, seq_len, len(names), w, h, COLORS["x"], slices=2)
    for r, name in enumerate(names):
        ax.text(x0 - 0.12, y0 + (len(names) - r - 0.5) * h, name, ha="right", va="center", fontsize=12)


def _hidden_card(ax: Axes, kind: str, hidden: int, input_size: int, lang: str) -> None:
    """Top right: x_t -> the recurrent layer -> h_t, a vector of hidden_size numbers."""
    card(ax, 8.1, 4.1, 15.9, 8.05, word("results.shapes.card.hidden", lang, n=hidden))
    y = 6.3
    # x_t: input_size cells, upright
    cell = 0.34
    xin = 8.55
    column(ax, xin, y - input_size * cell / 2, input_size, cell, input_size * cell, COLORS["x"])
    ax.text(xin + cell / 2, y + input_size * cell / 2 + 0.12, word("results.shapes.x_t", lang), ha="center", va="bottom",
            fontsize=14)
    box_x = 9.95
    layer_box(ax, (box_x, y), word(f"model.{kind}", lang), width=1.2, height=0.7, fontsize=14)
    arrow(ax, (xin + cell + 0.05, y), (box_x - 0.62, y))
    # h_t: hidden_size cells in a row (wide models get thinner cells)
    w = min(0.36, 4.2 / hidden)
    hx = 11.2
    row(ax, hx, y - 0.2, hidden, w, 0.4, COLORS["hidden"], alpha=0.45)
    arrow(ax, (box_x + 0.62, y), (hx - 0.05, y))
    span(ax, (hx, y + 0.38), (hx + hidden * w, y + 0.38))
    ax.text(hx + hidden * w / 2, y + 0.52, word("results.shapes.h_t", lang, n=hidden), ha="center", va="bottom", fontsize=14)
    # the recurrence: h_t goes back into the layer at the next step
    ax.add_patch(FancyArrowPatch((hx + hidden * w / 2, y - 0.22), (box_x, y - 0.37), connectionstyle="arc3,rad=-0.35",
                                 arrowstyle="-|>", mutation_scale=14, color=COLORS["hidden"], lw=2, zorder=2))
    ax.text((hx + hidden * w / 2 + box_x) / 2, y - 1.0, word("results.shapes.h_prev", lang), ha="center", va="top", fontsize=12.5,
            color=COLORS["hidden"])
    ax.text(8.35, 4.22, word("results.shapes.hidden_note", lang, n=hidden), ha="left", va="bottom", fontsize=12.5,
            linespacing=1.45, color="#555555")


def _output_card(ax: Axes, kind: str, seq_len: int, out_hidden: int, h_size: int, layers: int, out: int,
                 lang: str) -> None:
    """Bottom right: output (every step), h_n (the last step) and the readout's prediction."""
    card(ax, 8.1, 0.05, 15.9, 3.95, word("results.shapes.card.out", lang))
    height = 1.8
    w = min(0.24, 2.4 / seq_len)
    x0, y0 = 8.5, 1.2
    block(ax, x0, y0, seq_len, out_hidden, w, height / out_hidden, COLORS["hidden"], slices=2, highlight_col=seq_len - 1)
    ax.text(x0 + seq_len * w / 2, y0 - 0.12, word("results.shapes.output", lang, seq_len=seq_len, hidden=out_hidden),
            ha="center", va="top", fontsize=12.5, linespacing=1.35)
    hn = 12.15
    column(ax, hn, y0, h_size, 0.26, height, COLORS["hidden"])
    ax.add_patch(Rectangle((hn, y0), 0.26, height, fill=False, edgecolor=COLORS["highlight"], linewidth=3, zorder=5))
    arrow(ax, (x0 + seq_len * w + 0.55, y0 + height / 2), (hn - 0.08, y0 + height / 2), color=COLORS["highlight"])
    key = "results.shapes.hc_n" if kind == "lstm" else "results.shapes.h_n"
    ax.text(hn + 0.13, y0 - 0.12, word(key, lang, layers=layers, hidden=h_size), ha="center", va="top", fontsize=12.5,
            linespacing=1.35)
    lin = 13.65
    layer_box(ax, (lin, y0 + height / 2), word("results.shapes.linear", lang), width=0.95, height=0.55, fontsize=13)
    arrow(ax, (hn + 0.34, y0 + height / 2), (lin - 0.5, y0 + height / 2))
    px = 14.75
    ax.add_patch(Rectangle((px, y0 + height / 2 - 0.2), 0.4, 0.4, facecolor=COLORS["single"], edgecolor=COLORS["single"],
                           alpha=0.85, zorder=3))
    arrow(ax, (lin + 0.5, y0 + height / 2), (px - 0.06, y0 + height / 2))
    ax.text(px + 0.2, y0 + height / 2 - 0.35, word("results.shapes.pred", lang, out=out), ha="center", va="top",
            fontsize=12.5, linespacing=1.35)

