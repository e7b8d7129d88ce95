"""Figure `gates`: every gate and state of an LSTM or GRU as heatmaps of units × time.

One panel per recorded quantity (LSTM: f, i, g, o, c, h; GRU: r, z, n, h), each unit a
row, each step a column, the columns labelled with the tokens (or x values). Gates live
in [0, 1] and are drawn white -> their own colour, so "open" is saturated colour and
"closed" is white; signed quantities (C̃, c, h, n) use the diverging map, symmetric around 0.
The units that discovery found to carry the subject's gender are marked on the unit axis,
so a lecturer can point at the rows that hold the memory.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ..style import COLORS, word
from ..trace import Trace
from .draw import cmap_for, count_nonfinite, slide, sparse_token_axis, warn_nonfinite
from .read import found_units, last_layer, nice_limit, passage_events
from .registry import figure

#: Panels in reading order: LSTM gates first (colah's order f, i, C̃, o), then the states.
PANELS = {"lstm": ("f", "i", "g", "o", "c", "h"), "gru": ("r", "z", "n", "h")}


@figure("gates", "Heatmaps of every gate and state (units × time) with the discovered units marked.",
        source="trace", default="language-lstm", rank=8, kinds=("lstm", "gru"))
def draw(trace: Trace, *, lang: str = "en") -> Figure:
    layer = last_layer(trace)
    letters = PANELS[trace.kind]
    names = [f"layers.{layer}.{'gates.' + q if q not in ('c', 'h') else q}" for q in letters]
    trace.require(*names, why="(the gates figure draws every gate and state)")
    row = 0  # the shipped traces hold one passage / window
    arrays = {q: np.asarray(trace[n][row], dtype=float).T for q, n in zip(letters, names)}  # [units, time]
    units, steps = arrays[letters[0]].shape
    labels, keep, axis_key = _step_labels(trace, lang)
    found = found_units(trace, layer, units)  # rows of the heatmaps
    numbers = trace.meta.get("units") or list(range(units))  # the unit number of each row

    with slide(lang) as fig:
        nrows, ncols = (2, 3) if len(letters) > 4 else (2, 2)
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        clipped: list[str] = []
        for ax, q in zip(axes.flat, letters):
            cmap, lim = _colours(q, arrays[q])
            data = np.where(np.isfinite(arrays[q]), arrays[q], np.nan)
            im = ax.imshow(data, aspect="auto", interpolation="nearest", cmap=cmap,
                           vmin=0.0 if lim is None else -lim, vmax=1.0 if lim is None else lim)
            extend = "neither"
            if lim is not None and np.nanmax(np.abs(data), initial=0.0) > lim * 1.001:
                extend = "both"
                clipped.append(q)
            bar = fig.colorbar(im, ax=ax, fraction=0.06, pad=0.035, aspect=14, extend=extend)
            bar.ax.tick_params(labelsize=10)
            bar.set_ticks([0, 0.5, 1] if lim is None else [-lim, -lim / 2, 0, lim / 2, lim])
            bar.set_ticklabels([_fmt(v) for v in bar.get_ticks()])
            ax.set_title(word("traces.panel", lang, symbol=q, name=_name(q, lang)),
                         fontsize=14, color=COLORS["text"])
            for u in found:
                ax.plot([1.0], [u], marker="<", ms=7, color=COLORS["highlight"], mec=COLORS["line"], mew=0.6,
                        transform=blended_transform_factory(ax.transAxes, ax.transData), clip_on=False, zorder=5)
        for ax in list(axes.flat)[len(letters):]:
            ax.set_visible(False)

        # unit axis: every 4th unit (every 8th with 64), time axis: tokens, thinned when long
        every = 8 if units > 32 else 4 if units > 16 else 2 if units > 8 else 1
        axes[0, 0].set_yticks(np.arange(0, units, every))
        if trace.meta.get("units"):  # a trace cut down with select(units=...): its own unit numbers
            axes[0, 0].set_yticklabels([str(numbers[u]) for u in range(0, units, every)])
        axes[0, 0].set_ylim(units - 0.5, -0.5)
        width_per_panel = 1180 / ncols  # px on the slide, for the label budget
        budget = max(6, int(width_per_panel / 16))
        for ax in axes[-1]:
            sparse_token_axis(ax, labels, keep=keep, max_labels=budget, fontsize=10 if steps > 12 else 11)
        for ax in axes[:, 0]:
            ax.set_ylabel(word("axis.unit", lang))
        for ax in axes.flat:
            ax.tick_params(axis="both", labelsize=10)
        for ax in axes[-1]:
            ax.set_xlabel(word(axis_key, lang), fontsize=13)

        model = word(f"model.{trace.kind}", lang)
        fig.suptitle(word("traces.gates.title", lang, model=model))
        notes = [word("traces.gates.subtitle", lang, steps=steps, units=units)]
        if trace.batch_size > 1:
            notes.append(word("traces.gates.row", lang, b=trace.batch_size))
        if clipped:
            notes += [word("traces.gates.clipped", lang, q=q, v=_fmt(_colours(q, arrays[q])[1])) for q in clipped]
        handles, texts = [], []
        if found:
            state = trace.meta["units_found"]["gender"].get("state", "c")
            handles.append(Line2D([], [], ls="none", marker="<", ms=9, color=COLORS["highlight"], mec=COLORS["line"]))
            texts.append(word("traces.found_units", lang, state=state, units=", ".join(str(numbers[u]) for u in found)))
        handles.append(Line2D([], [], ls="none"))
        texts.append(" · ".join(notes))
        wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in "".join(texts)) > 120  # one row would not fit: stack
        fig.legend(handles, texts, loc="outside lower center", ncols=1 if wide else len(handles), fontsize=12,
                   handlelength=1.0, handletextpad=0.4, columnspacing=2.0)
        warn_nonfinite(fig, count_nonfinite(*(trace[n] for n in names)), lang)
    return fig


def _colours(q: str, values: np.ndarray) -> tuple[Colormap | str, float | None]:
    """(colormap with grey for NaN, symmetric limit or None for [0, 1] gates)."""
    import matplotlib

    cmap, _, _ = cmap_for(q)
    cm = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    cm = cm.with_extremes(bad=COLORS["dim"])
    if q in ("i", "f", "o", "r", "z"):
        return cm, None
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size:
        return cm, 1.0
    # symmetric and fitted to the data, so small states stay visible; the unbounded cell
    # state is fitted to its 95th percentile (a few huge values would wash out the rest),
    # the tanh-bounded ones (C̃, h, n) never beyond their range ±1
    if q == "c":
        return cm, nice_limit(float(np.percentile(finite, 95)))
    return cm, min(1.0, nice_limit(float(np.percentile(finite, 99))))


def _fmt(v: float) -> str:
    return f"{v:g}".replace("-", "−")


def _name(q: str, lang: str) -> str:
    """The quantity's name (C̃ is written as mathtext in the words, for the CJK font's sake)."""
    return word(f"state.{q}" if q in ("c", "h") else f"gate.{q}", lang)


def _step_labels(trace: Trace, lang: str) -> tuple[list[str], list[int], str]:
    """Tick labels (words in `lang`, or x values), the steps worth labelling first, the axis name."""
    meta = trace.meta
    words = (meta.get("words") or {}).get(lang)
    if words and len(words) == trace.num_steps:
        events = passage_events(meta)
        keep = [s[0] for s in events["subjects"]] + events["gender_words"] + events["pronouns"]
        return [_short(w) for w in words], keep, "axis.token"
    if meta.get("task") == "sine":
        return trace.steps, [], "axis.x"
    return trace.steps, [], "axis.step"


def _short(label: str, limit: int = 14) -> str:
    """A long token ("is addicted to drinking") shortened so the rotated labels fit under a panel."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
