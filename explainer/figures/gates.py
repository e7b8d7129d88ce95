"""Figure `gates`: every gate and state of an LSTM or GRU as heatmaps of units × time.

One panel per recorded quantity (LSTM: f, i, g, o, c, h; GRU: r, z, n, h), each unit a
row, each step a column, the columns labelled with the tokens (or x values). Gates live
in [0, 1] and are drawn white -> their own colour, so "open" is saturated colour and
"closed" is white; signed quantities (C̃, c, h, n) use the diverging map, symmetric around 0.
The units that discovery found to carry the subject's gender are marked on the unit axis,
so a lecturer can point at the rows that hold the memory.

`--layer` (default: the top layer), `--row` (default: batch row 0) and `--units` (by their
numbers in the model, in the order given) choose what is drawn; rows are always labelled
with the units' original numbers, also on a trace cut down with `select(units=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from .. import reading
from ..kinds import KIND
from ..names import is_sigmoid, name_of
from ..style import COLORS, word
from ..words import glossary
from ..trace import Trace
from ..reading.text import is_text, visible
from .draw import plain
from .draw import (
    cmap_for,
    count_nonfinite,
    keep_labelled,
    shown_line,
    slide,
    sparse_token_axis,
    text_width,
    tick,
    warn_nonfinite,
)
from .registry import figure


def panels(kind: str) -> tuple[str, ...]:
    """The quantities drawn, in reading order: the gates (colah's order: the forget gate first), then c and h.

    >>> panels("lstm"), panels("gru")
    (('f', 'i', 'g', 'o', 'c', 'h'), ('r', 'z', 'n', 'h'))
    """
    row = KIND[kind]
    gates = sorted(row.gates, key=lambda g: g != "f")  # stable: the others keep torch's order
    return (*gates, *(("c",) if row.has_cell else ()), "h")


@figure("gates", "Heatmaps of every gate and state (units × time) with the discovered units marked.",
        source="trace", default="language-lstm", rank=8, kinds=("lstm", "gru"), options=("layer", "units", "row"))
def draw(trace: Trace, *, lang: str = "en", layer: int | None = None, units: Sequence[int] | None = None,
         row: int | None = None) -> Figure:
    layer = reading.check_layer(trace, layer)
    letters = panels(trace.kind)
    names = [name_of(layer, q) for q in letters]
    reading.needs(trace, *names, by="figure gates", why="(the gates figure draws every gate and state)", same_units=True)
    row = reading.check_row(trace, row)
    size = trace[names[0]].shape[2]
    columns = reading.check_units(trace, units, size)
    columns = list(range(size)) if columns is None else columns  # the array column of each heatmap row
    numbers = [reading.unit_numbers(trace, size)[c] for c in columns]  # the unit number of each heatmap row
    steps = trace.num_steps
    per = reading.steps_per_column(steps)  # a long trace is binned: `per` steps (their mean) per column
    raw = {q: trace[n][row][:, columns] for q, n in zip(letters, names)}  # [time, units shown]
    arrays = {q: reading.bin_mean(raw[q], per).T for q in letters}  # [units shown, columns]
    shown, width = arrays[letters[0]].shape
    labels, keep, axis_key = _step_labels(trace, lang, per, row)
    found = reading.found_units(trace, layer=layer)
    marked = [columns.index(c) for c in (found.columns if found else []) if c in columns]  # heatmap rows

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
            bar.set_ticklabels([tick(v) for v in bar.get_ticks()])
            ax.set_title(word("traces.panel", lang, symbol=q, name=_name(q, lang)),
                         fontsize=14, color=COLORS["text"])
            for k in marked:
                ax.plot([1.0], [k], marker="<", ms=7, color=COLORS["highlight"], mec=COLORS["line"], mew=0.6,
                        transform=blended_transform_factory(ax.transAxes, ax.transData), clip_on=False, zorder=5)
        for ax in list(axes.flat)[len(letters):]:
            ax.set_visible(False)

        # unit axis: every unit up to 16 rows, else every 2nd, 4th (8th with more than 32); time axis: tokens
        every = 8 if shown > 32 else 4 if shown > 16 else 2 if shown > 12 else 1
        ticks = list(range(0, shown, every))
        axes[0, 0].set_yticks(ticks)
        axes[0, 0].set_yticklabels([str(numbers[k]) for k in ticks])
        axes[0, 0].set_ylim(shown - 0.5, -0.5)
        width_per_panel = 1180 / ncols  # px on the slide, for the label budget
        longest = max((text_width(s) for s in labels), default=1)
        # rotated labels take about a line each; unrotated ones (up to 3 characters: step numbers, characters)
        # their own width and a gap, within the axes (about 5/6 of a panel)
        budget = max(6, int(width_per_panel / 16))
        if longest <= 3:
            budget = max(4, int(width_per_panel * 5 / 6 / (8 + 7 * longest)))
        if per > 1:  # the labels are step numbers, five or six digits wide: fewer of them
            budget = max(4, int(width_per_panel / (10 + 8 * longest)))
        for ax in axes[-1]:
            sparse_token_axis(ax, labels, keep=keep, max_labels=budget, fontsize=10 if width > 12 else 11)
        for ax in axes[:, 0]:
            ax.set_ylabel(word("axis.unit", lang))
        for ax in axes.flat:
            ax.tick_params(axis="both", labelsize=10)
        for ax in axes[-1]:
            ax.set_xlabel(word(axis_key, lang), fontsize=13)

        model = reading.model_name(trace, lang)
        title = fig.suptitle(word("traces.gates.title", lang, model=model))
        shown_line(fig, title, trace, lang, layer=layer, row=row)
        if shown == size:
            notes = [word("traces.gates.subtitle", lang, steps=steps, units=size)]
        else:
            notes = [word("traces.gates.subtitle_some", lang, steps=steps, k=shown, units=size)]
        clip_notes = [word("traces.gates.clipped", lang, q=q, v=tick(_colours(q, arrays[q])[1])) for q in clipped]
        handles, texts = [], []
        if marked:
            handles.append(Line2D([], [], ls="none", marker="<", ms=9, color=COLORS["highlight"], mec=COLORS["line"]))
            texts.append(word("traces.found_units", lang, state=found.state,
                              units=glossary.join((numbers[k] for k in marked), lang)))
        handles.append(Line2D([], [], ls="none"))
        texts.append(" · ".join(notes))
        if clip_notes:  # a line of their own when the legend is stacked
            handles.append(Line2D([], [], ls="none"))
            texts.append(" · ".join(clip_notes))
        if per > 1:  # said on a line of its own: the columns are not steps
            handles.append(Line2D([], [], ls="none"))
            texts.append(word("traces.gates.binned", lang, per=per, columns=width))
        wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in "".join(texts)) > 120  # one row would not fit: stack
        fig.legend(handles, texts, loc="outside lower center", ncols=1 if wide else len(handles), fontsize=12,
                   handlelength=1.0, handletextpad=0.4, columnspacing=2.0)
        warn_nonfinite(fig, count_nonfinite(*raw.values()), lang)
    return fig


def _colours(q: str, values: np.ndarray) -> tuple[Colormap | str, float | None]:
    """(colormap with grey for NaN, symmetric limit or None for [0, 1] gates)."""
    cmap, _, _ = cmap_for(q)
    cm = cmap.with_extremes(bad=COLORS["dim"])
    if is_sigmoid(q):
        return cm, None
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size:
        return cm, 1.0
    # symmetric and fitted to the data, so small states stay visible; the unbounded cell
    # state is fitted to its 95th percentile (a few huge values would wash out the rest),
    # the tanh-bounded ones (C̃, h, n) never beyond their range ±1
    if q == "c":
        return cm, reading.cell_limit(values)
    return cm, min(1.0, reading.nice_limit(float(np.percentile(finite, 99))))


def _name(q: str, lang: str) -> str:
    """The quantity's name (C̃ is written as mathtext in the words, for the CJK font's sake)."""
    return word(f"state.{q}" if q in ("c", "h") else f"gate.{q}", lang)


def _step_labels(trace: Trace, lang: str, per: int = 1, row: int = 0) -> tuple[list[str], list[int], str]:
    """Tick labels of the columns (words in `lang`, or the trace's step labels), the columns worth labelling first,
    the axis name. Binned columns are labelled with the number of their first step (a word would stand for a
    column of many)."""
    if per > 1:
        return [str(t) for t in reading.first_steps(trace.num_steps, per)], [], "axis.step"
    labels = [plain(s) for s in reading.step_labels(trace, lang, row)]  # user text: no mathtext
    if is_text(trace):  # characters: a line break, a space and a tab are labelled with visible marks
        labels = [visible(s) for s in labels]
    if reading.has_words(trace, lang):
        return [_short(w) for w in labels], keep_labelled(reading.events(trace)), "axis.token"
    if trace.meta.get("task") == "sine":
        return labels, [], "axis.x"
    return [_short(w) for w in labels], [], "axis.step"


def _short(label: str, limit: int = 14) -> str:
    """A long token ("is addicted to drinking", "喜欢给学生讲课") shortened so the rotated labels fit under a panel."""
    if text_width(label) <= limit:
        return label
    while text_width(label) > limit - 1:
        label = label[:-1]
    return label.rstrip() + "…"
