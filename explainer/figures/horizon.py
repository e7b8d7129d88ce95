"""Figure `horizon`: the multi-step error against the horizon, from every start point of the test range.

The source says multi-step prediction accumulates error (多步预测会导致误差的累积). One
forecast from one start cannot show that (its error rises and falls with the wave), so
this figure runs each model from every true window of the test range, feeds its
predictions back, and plots the MSE h steps ahead for h = 1..30 (`explainer.probes.horizon`,
which runs the model: this figure reads checkpoint files, not only their metadata).
Log scale: the seed preset's error is a hundred times the tuned preset's. The noise floor
(the best possible MSE) and the error of always guessing the mean give the scale.

The first checkpoint's kind is drawn bold (the RNN by default), the others thin. Under
the plot, one sentence per bold line says what that line does, from the probe's numbers
(`HorizonError.shape`): it grows at every step, rises but not at every step, stays in a
band, or falls.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ExplainerError
from ..reading import mse as fmt_mse
from ..reading import number
from ..style import COLORS, word
from ..words.sine import preset_key
from .draw import slide
from .registry import figure

#: Line style of each model family (the colour says the preset).
STYLE = {"rnn": "-", "lstm": (0, (6, 3)), "gru": (0, (1.5, 2))}
#: The colour of each preset's line.
PRESET_COLORS = {"seed": COLORS["multi"], "tuned": COLORS["tuned"]}
OTHER_COLORS = ("#CC79A7", "#E69F00", "#56B4E9", "#8C564B")


def family(kind: str) -> str:
    return "rnn" if kind.startswith("rnn") else kind


def who(kind: str, preset: str, lang: str) -> str:
    """'RNN · seed preset', as every sine picture names a model."""
    return word("sine.who", lang, model=word(f"model.{kind}", lang), preset=word(preset_key(preset), lang, preset=preset))


def sentence(e, lang: str) -> str:
    """What the line of `e` (a probes.horizon.HorizonError) does, in words, from its numbers."""
    hp, p = e.peak
    _, lo = e.low
    H = int(e.horizons[-1])
    return word(f"sine.horizon.shape.{e.shape()}", lang, who=who(e.kind, e.preset, lang), a=fmt_mse(e.mse[0]),
                b=fmt_mse(e.mse[-1]), H=H, x=number(e.growth, 1), p=fmt_mse(p), hp=hp, lo=fmt_mse(lo), hi=fmt_mse(p),
                flo=number(lo / e.noise_floor, 1), fhi=number(p / e.noise_floor, 1))


def measure(meta: dict):
    """The probe's measurement of the checkpoint file `meta` was read from (cached while the file is unchanged)."""
    path = meta.get("path")
    if not path or not Path(path).is_file():
        raise ExplainerError(f"figure horizon runs each model, so it needs checkpoint files, not metadata "
                             f"({path or 'no path'}); give the .safetensors paths")
    stat = os.stat(path)
    return _measure(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _measure(path: str, mtime: int, size: int):
    from ..probes.horizon import error_by_horizon  # runs torch: imported only when a figure is drawn

    return error_by_horizon(path)


@figure("horizon", "Multi-step error against the horizon, from every test start point: seed preset against tuned preset.",
        source="checkpoints", rank=5.5, tasks=("sine",),
        default=("sine-rnn-seed", "sine-rnn-tuned", "sine-lstm-seed", "sine-lstm-tuned", "sine-gru-seed", "sine-gru-tuned"))
def draw(metas: list[dict], *, lang: str = "en"):
    errors = [measure(m) for m in metas]
    bold_kind = errors[0].kind
    bold = [e for e in errors if e.kind == bold_kind]
    first, H = errors[0], int(errors[0].horizons[-1])
    others = iter(OTHER_COLORS)
    colors = {}
    with slide(lang) as fig:
        ax = fig.add_subplot()
        fig.suptitle(word("sine.horizon.title", lang))
        ax.set_title(word("sine.horizon.subtitle", lang, first=int(first.count[0]), last=int(first.count[-1]), H=H),
                     fontsize=13, fontweight="normal", color="#555555", loc="left")
        handles = []
        for e in errors:
            color = PRESET_COLORS.get(e.preset) or colors.setdefault(e.preset, next(others, "#777777"))
            thick = e.kind == bold_kind
            line, = ax.plot(e.horizons, e.mse, color=color, ls=STYLE.get(family(e.kind), "-"),
                            lw=3.2 if thick else 1.6, alpha=1.0 if thick else 0.75, marker="o" if thick else None,
                            ms=4, zorder=4 if thick else 3,
                            label=word("sine.horizon.line", lang, who=who(e.kind, e.preset, lang), a=fmt_mse(e.mse[0]),
                                       b=fmt_mse(e.mse[-1])))
            handles.append(line)
        floor, mean = first.noise_floor, first.variance
        ax.axhline(floor, color=COLORS["truth"], lw=1.3, ls=":", zorder=2)
        ax.axhline(mean, color="#999999", lw=1.3, ls=(0, (8, 4)), zorder=2)
        ax.set_yscale("log")
        values = np.concatenate([e.mse for e in errors] + [[floor, mean]])
        ax.set_ylim(values.min() / 1.8, values.max() * 2.2)
        ax.set_xlim(0.5, H + 0.5)
        ax.text(H + 0.4, floor * 1.12, word("sine.horizon.floor", lang, v=fmt_mse(floor)), ha="right", va="bottom",
                fontsize=12, color=COLORS["truth"])
        ax.text(0.7, mean * 1.12, word("sine.horizon.mean", lang, v=fmt_mse(mean)), ha="left", va="bottom",
                fontsize=12, color="#777777")
        ax.set_xlabel(word("sine.horizon.axis.x", lang))
        ax.set_ylabel(word("sine.horizon.axis.y", lang))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, handlelength=3.0)
        ax.grid(True, which="major", axis="y", color="#EEEEEE", zorder=0)
        for k, e in enumerate(bold):  # one sentence per bold line, in its colour, under the plot
            color = PRESET_COLORS.get(e.preset) or colors.get(e.preset, "#777777")
            fig.text(0.01, 0.075 - 0.04 * k, sentence(e, lang), ha="left", va="bottom", fontsize=13, color=color)
        fig.get_layout_engine().set(rect=(0, 0.04 * len(bold) + 0.03, 1, 1 - (0.04 * len(bold) + 0.03)))
    fig.horizon_errors = errors  # what was drawn, for tests and callers
    return fig
