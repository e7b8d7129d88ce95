"""Drawing pieces the figures share: slides, value strips, colah's boxes, arrows, tokens, the shown line.

Figures are drawn on `matplotlib.figure.Figure` objects (no pyplot, no global backend),
inside `slide(lang)`, which applies the style of `explainer/style.py`. What they draw
(which layer, units, step, what a value means, how a number is written) comes from
`explainer.reading`; this module only says how it looks.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from matplotlib.text import Annotation, Text

from .. import reading
from ..names import is_sigmoid
from ..reading import number
from ..style import COLORS, SIGNED_CMAP, SLIDE, mpl_style, value_cmap, word
from ..trace import Trace


@contextmanager
def slide(lang: str, figsize: tuple[float, float] = SLIDE, layout: str | None = "constrained") -> Iterator[Figure]:
    """A slide-sized Figure drawn in the house style for `lang`."""
    with mpl_style(lang):
        fig = Figure(figsize=figsize, layout=layout)
        fig.explainer_lang = lang  # save() draws text in the same style
        yield fig


def canvas(fig: Figure, width: float, height: float) -> Axes:
    """One axes over the whole figure, in diagram units (0..width, 0..height), equal aspect, no frame."""
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def cmap_for(letter: str) -> tuple[Colormap, float, float]:
    """(colormap, vmin, vmax) for a quantity letter: sigmoid gates in [0, 1] in their colour, the rest signed."""
    return value_cmap(letter), *((0.0, 1.0) if is_sigmoid(letter) else (-1.0, 1.0))


def plain(text: str) -> str:
    r"""User text (a step label, a word, a file name) as matplotlib shows it literally: `$` is not mathtext.

    >>> plain("costs $5 or $6")
    'costs \\$5 or \\$6'
    """
    return str(text).replace("$", r"\$")


def finite(values) -> np.ndarray:
    """Float array with NaN where a value is not finite (matplotlib leaves a gap there)."""
    a = np.asarray(values, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def text_color(rgba) -> str:
    r, g, b = rgba[:3]
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#111111"


def tick(v: float) -> str:
    """A colour-bar tick, as short as it can be: '0', '0.5', '−2.5', '1e−4' (`reading.number`, trailing zeros dropped).

    >>> [tick(v) for v in (0.0, 0.5, -2.5, 1.25, 5.0, 0.001, 0.0001)]
    ['0', '0.5', '−2.5', '1.25', '5', '0.001', '1e−4']
    """
    text = number(v)
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def value_strip(ax: Axes, values: Sequence[float], x0: float, y0: float, cell: float, *, height: float | None = None,
                cmap: Colormap | str = SIGNED_CMAP, vmin: float = -1.0, vmax: float = 1.0, numbers: bool = True,
                vertical: bool = False, fontsize: float = 9, edge: str = "#FFFFFF",
                highlight: Sequence[int] = (), zorder: float = 3) -> list[Rectangle]:
    """A vector as a strip of cells coloured by value, numbers inside when asked.

    Cells run left to right from (x0, y0) (or top to bottom when `vertical`); each is
    `cell` wide and `height` (default `cell`) tall. NaN cells are grey with a cross.
    Numbers are written as `reading.number` fits them into a box, whatever their size.
    `highlight` outlines the given positions (e.g. discovered units).
    """
    import matplotlib

    cm = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = Normalize(vmin, vmax)
    height = cell if height is None else height
    cells = []
    for k, v in enumerate(values):
        x, y = (x0, y0 - k * height) if vertical else (x0 + k * cell, y0)
        w, h = cell, height
        finite = np.isfinite(v)
        face = cm(norm(v)) if finite else (0.8, 0.8, 0.8, 1.0)
        rect = Rectangle((x, y), w, h, facecolor=face, edgecolor=edge, linewidth=0.8, zorder=zorder)
        ax.add_patch(rect)
        cells.append(rect)
        if k in highlight:
            ax.add_patch(Rectangle((x, y), w, h, fill=False, edgecolor=COLORS["highlight"], linewidth=2.5, zorder=zorder + 1))
        if not finite:
            ax.plot([x, x + w], [y, y + h], color="#555555", lw=1, zorder=zorder + 1)
            ax.plot([x, x + w], [y + h, y], color="#555555", lw=1, zorder=zorder + 1)
        elif numbers:
            ax.text(x + w / 2, y + h / 2, number(v), ha="center", va="center", fontsize=fontsize,
                    color=text_color(face), zorder=zorder + 2)
    return cells


def layer_box(ax: Axes, center: tuple[float, float], text: str, *, width: float = 0.9, height: float = 0.55,
              color: str | None = None, dim: bool = False, fontsize: float = 15, zorder: float = 4) -> FancyBboxPatch:
    """colah's yellow box: a learned layer (σ, tanh)."""
    x, y = center
    face = COLORS["dim"] if dim else (color or COLORS["layer"])
    box = FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.02,rounding_size=0.08",
                         facecolor=face, edgecolor=COLORS["dim"] if dim else COLORS["layer_edge"], linewidth=1.5, zorder=zorder)
    ax.add_patch(box)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color="#999999" if dim else "#222222", zorder=zorder + 1)
    return box


def pointwise(ax: Axes, center: tuple[float, float], text: str, *, radius: float = 0.24, dim: bool = False,
              fontsize: float = 15, zorder: float = 4) -> Circle:
    """colah's pink circle: a pointwise operation (×, +, tanh)."""
    circle = Circle(center, radius, facecolor=COLORS["dim"] if dim else COLORS["pointwise"],
                    edgecolor=COLORS["dim"] if dim else COLORS["pointwise_edge"], linewidth=1.5, zorder=zorder)
    ax.add_patch(circle)
    ax.text(*center, text, ha="center", va="center", fontsize=fontsize, color="#999999" if dim else "#222222", zorder=zorder + 1)
    return circle


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *, color: str = COLORS["line"], lw: float = 2.0,
          dim: bool = False, head: bool = True, connection: str = "arc3", zorder: float = 2, shrink: float = 0.0) -> None:
    """A line with an arrow head from `start` to `end` (data coordinates)."""
    ax.annotate("", xy=end, xytext=start, zorder=zorder,
                arrowprops=dict(arrowstyle="-|>" if head else "-", color=COLORS["dim"] if dim else color, lw=lw,
                                shrinkA=shrink, shrinkB=shrink, connectionstyle=connection, mutation_scale=16))


def count_nonfinite(*arrays: np.ndarray) -> int:
    return int(sum(a.size - np.count_nonzero(np.isfinite(a)) for a in arrays))


def warn_nonfinite(fig: Figure, count: int, lang: str) -> None:
    """Say on the figure (and as a Python warning) that NaN/Inf values were left out."""
    if count:
        message = word("warn.nonfinite", lang, n=count)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
        fig.text(0.995, 0.005, "⚠ " + message, ha="right", va="bottom", fontsize=11, color=COLORS["error"])


def text_width(text: str) -> int:
    """How many Latin characters wide a label is: a Chinese character counts two.

    >>> text_width("male"), text_width("喜欢给学生讲课")
    (4, 14)
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def keep_labelled(events: reading.Events) -> list[int]:
    """The steps a thinned token axis labels first, most telling first: the subjects, the gender words, the pronouns
    (`reading.Events.marked`, in the order in which they win when they crowd each other)."""
    return [s[0] for s in events.subjects] + events.gender_words + events.pronouns


#: Steps up to which a thinned token axis keeps a minor tick per step.
MINOR_TICKS = 200


def sparse_token_axis(ax: Axes, labels: Sequence[str], *, keep: Sequence[int] = (), max_labels: int = 24,
                      axis: str = "x", rotation: float | None = None, fontsize: float = 12) -> list[int]:
    """Label the steps with their tokens, thinned to about `max_labels` so they stay readable.

    With few steps every step is labelled (as `token_axis`). With many, every k-th step
    (k = 2, 5, 10, 20, ...) is labelled, plus the steps in `keep` (e.g. subjects, pronouns;
    earlier ones win when they crowd each other), which push aside regular labels nearby.
    Every step keeps a minor tick, up to MINOR_TICKS steps (beyond, they would merge into a
    band, and matplotlib makes one object per tick). Returns the labelled steps.
    """
    n = len(labels)
    if n <= max_labels:
        ticks = list(range(n))
    else:
        k = next(s for s in (2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 10**9) if n / s <= max_labels)
        gap = 0.6 * n / max_labels  # the closest two labels may be, in steps
        chosen: list[int] = []
        for t in [int(t) for t in keep if 0 <= t < n] + list(range(0, n, k)):
            if all(abs(t - c) >= gap for c in chosen):
                chosen.append(t)
        ticks = sorted(chosen)
    shown = [labels[t] for t in ticks]
    longest = max((text_width(s) for s in shown), default=0)
    rot = rotation if rotation is not None else (0 if longest <= 3 else 45 if longest <= 12 else 60)
    if axis == "x":
        ax.set_xticks(ticks)
        ax.set_xticklabels(shown, rotation=rot, ha="right" if rot else "center", rotation_mode="anchor", fontsize=fontsize)
        if len(ticks) < n <= MINOR_TICKS:
            ax.set_xticks(np.arange(n), minor=True)
    else:
        ax.set_yticks(ticks)
        ax.set_yticklabels(shown, fontsize=fontsize)
        if len(ticks) < n <= MINOR_TICKS:
            ax.set_yticks(np.arange(n), minor=True)
    return ticks


#: Height (a fraction of the slide) kept free under a constrained layout's title for the shown line.
SHOWN_BAND = 0.032


def shown_line(fig: Figure, title: Text, trace: Trace, lang: str, *, layer: int | None = None,
               row: int | None = None) -> Text | None:
    """The small line right under `title` that says which layer and row the figure shows.

    It also marks a trace recorded with `intervene=` (the whole line then in the error
    colour), so a picture of a "what if" is never taken for the model as it is. The words
    come from `reading.shown`. Under a constrained layout, room is kept for the line.
    """
    text = reading.shown(trace, layer, row, lang)
    if not text:
        return None
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
        engine.set(rect=(0, 0, 1, 1 - SHOWN_BAND))
    colour = COLORS["error"] if reading.intervened(trace, lang) else "#555555"
    line = Annotation(text, xy=(0.5, 0.0), xycoords=title, xytext=(0, -2), textcoords="offset points", ha="center",
                      va="top", fontsize=12, color=colour, fontweight="bold" if colour == COLORS["error"] else "normal")
    line.set_in_layout(False)
    fig.add_artist(line)
    return line
