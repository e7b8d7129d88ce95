"""The one source of colours, fonts and words for figures and animations alike.

colah's notation: yellow boxes are learned layers, pink circles are pointwise operations,
merging lines concatenate, forking lines copy. One colour per gate, the same in every
picture (figures and Manim scenes import these constants). Words (every label a person
reads) exist in English and Chinese: `word(key, lang)`; they live in `explainer/words/`,
one module per topic.

Nothing here touches matplotlib's global state at import; figures enter `mpl_style(lang)`.

    >>> word("gate.f", "zh")
    '遗忘门'
    >>> GATE_COLORS["f"] == COLORS["forget"]
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from .errors import ExplainerError

LANGS = ("en", "zh")

# Okabe-Ito based: distinguishable for colour-blind viewers and on a projector.
COLORS = {
    # colah's diagram
    "layer": "#F6D55C",  # yellow box: a learned layer (σ, tanh)
    "layer_edge": "#B8960C",
    "pointwise": "#F4A6B7",  # pink circle: a pointwise operation (×, +, tanh)
    "pointwise_edge": "#C2185B",
    "line": "#333333",
    "dim": "#D0D0D0",
    "belt": "#CC79A7",  # the cell-state conveyor belt
    # one colour per quantity
    "forget": "#D55E00",
    "input": "#0072B2",
    "candidate": "#E69F00",
    "output": "#009E73",
    "cell": "#CC79A7",
    "hidden": "#56B4E9",
    "x": "#7F7F7F",
    "reset": "#8C564B",
    "update": "#7F3C8D",
    "new": "#B8860B",
    # models
    "rnn": "#8A8A8A",
    "lstm": "#1B1B1B",
    "gru": "#117733",
    # sine pictures
    "truth": "#333333",
    "data": "#9E9E9E",
    "single": "#D55E00",
    "multi": "#0072B2",
    "tuned": "#009E73",  # the tuned preset beside the seed preset (whose multi-step line is "multi")
    "untrained": "#A0A0A0",
    "train_region": "#EEF3F8",
    "female_span": "#FBE9F0",  # background of a female subject's stretch of a passage
    "male_span": "#E6F0FA",
    "test_region": "#FFF3E0",
    "error": "#CC3311",
    "correct": "#228833",  # a right answer (✓); "error" marks a wrong one (✗)
    # emphasis
    "highlight": "#FFB000",
    "background": "#FFFFFF",
    "text": "#222222",
}

#: The colour of each recorded quantity, by gate letter or state name.
GATE_COLORS = {
    "i": COLORS["input"], "f": COLORS["forget"], "g": COLORS["candidate"], "o": COLORS["output"],
    "c": COLORS["cell"], "h": COLORS["hidden"], "x": COLORS["x"],
    "r": COLORS["reset"], "z": COLORS["update"], "n": COLORS["new"],
}

#: Diverging colormap for signed values (h, c, C~); gates get white -> their colour.
SIGNED_CMAP = "RdBu_r"

#: Fonts: DejaVu Sans for Latin text, Noto Sans CJK SC for Chinese (per-glyph fallback).
LATIN_FONT = "DejaVu Sans"
CJK_FONT = "Noto Sans CJK SC"
CJK_INSTALL = "sudo apt-get install -y fonts-noto-cjk (or run `make setup`)"

#: Slides are 16:9; at 100 dpi a figure is 1280 x 720 px.
SLIDE = (12.8, 7.2)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ExplainerError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}")
    return lang


def word(key: str, lang: str = "en", **fmt) -> str:
    """The words for `key` in `lang`, formatted with `fmt`."""
    from .words import WORDS

    check_lang(lang)
    try:
        text = WORDS[key][lang]
    except KeyError:
        raise ExplainerError(f"no words for {key!r} in {lang!r}") from None
    return text.format(**fmt) if fmt else text


def gate_cmap(letter: str):
    """White -> the gate's colour, for values in [0, 1]."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(f"gate_{letter}", ["#FFFFFF", GATE_COLORS[letter]])


def value_cmap(letter: str):
    """The colours of a quantity's values: white -> its colour for a sigmoid gate, else the diverging map."""
    import matplotlib

    from .names import is_sigmoid

    return gate_cmap(letter) if is_sigmoid(letter) else matplotlib.colormaps[SIGNED_CMAP]


def value_colours(values, limits: tuple[float, float], cmap):
    """[n, 4] RGBA: each value's colour on `limits` (clipped), grey (`COLORS["dim"]`) where it is not finite.

    The one mapping of Karpathy's coloured text, for the figure, its web page and the CellText scene alike.

    >>> c = value_colours([-2.0, 2.0, float("nan")], (-2.0, 2.0), value_cmap("c"))
    >>> c[1].tolist() == list(value_cmap("c")(1.0)), c[2].round(2).tolist()
    (True, [0.82, 0.82, 0.82, 1.0])
    """
    import numpy as np
    from matplotlib.colors import Normalize, to_rgba

    a = np.asarray(values, dtype=float).reshape(-1)  # [n]
    rgba = np.asarray(cmap(Normalize(*limits, clip=True)(np.nan_to_num(a))), dtype=float).reshape(-1, 4)  # [n, 4]
    rgba[~np.isfinite(a)] = to_rgba(COLORS["dim"])
    return rgba


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """Path of the CJK font, or a one-line error with the command that installs it."""
    from matplotlib import font_manager

    try:
        return font_manager.findfont(font_manager.FontProperties(family=CJK_FONT), fallback_to_default=False)
    except ValueError:
        raise ExplainerError(f"the Chinese font {CJK_FONT} is not installed; install it with: {CJK_INSTALL}") from None


def rc(lang: str = "en") -> dict:
    """matplotlib settings for slide-ready figures."""
    check_lang(lang)
    families = [LATIN_FONT, CJK_FONT] if lang == "en" else [CJK_FONT, LATIN_FONT]
    if lang == "zh":
        cjk_font_path()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "font.size": 15,
        "axes.titlesize": 18,
        "axes.titleweight": "bold",
        "axes.labelsize": 15,
        "xtick.labelsize": 13,
        "ytick.labelsize": 13,
        "legend.fontsize": 13,
        "legend.frameon": False,
        "figure.titlesize": 22,
        "figure.titleweight": "bold",
        "figure.dpi": 100,
        "figure.figsize": SLIDE,
        "figure.facecolor": COLORS["background"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#555555",
        "axes.labelcolor": COLORS["text"],
        "text.color": COLORS["text"],
        "axes.grid": False,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "explainer",  # deterministic SVG ids
        "pdf.fonttype": 42,
        "path.simplify": True,
        "mathtext.fontset": "dejavusans",
    }


@contextmanager
def mpl_style(lang: str = "en") -> Iterator[None]:
    """Use inside a figure function: `with mpl_style(lang): fig = plt.figure()`."""
    import matplotlib

    with matplotlib.rc_context(rc(lang)):
        yield
