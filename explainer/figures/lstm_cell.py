"""Figure `lstm-cell`: colah's LSTM cell, with the real vectors of one step beside its parts.

The picture of colah's "Understanding LSTM Networks" that the source walks through: yellow
boxes are the four learned layers (σ, σ, tanh, σ), pink circles the pointwise operations
(×, +, ×, tanh), the cell state runs along the top like a conveyor belt, h_{t-1} and x_t
merge at the bottom left (concatenation) and the merged line forks (copies) into the
layers. Each gate's line and label is drawn in its own colour (style.GATE_COLORS).

The real vectors of the chosen step sit beside the parts they belong to: f_t, i_t, C̃_t,
o_t, C_{t-1}, C_t and h_t, as small strips of three units with their values (the units
that discovery found to carry the subject's gender, or else the three largest |C_t|), and
all units as vertical strips on the right, with the colour scales. `--focus` lights one
path (forget, input, cell update, output) and dims the rest, vectors included. The
default step is the new subject's gender word ("male" in the source's passage: the
moment the forget gate should drop the old gender), else the last step. `--units` (up to
three, by their numbers in the model) chooses the units written out, `--layer` and `--row`
the layer (default: the top one) and the batch row (default: 0). Units are always named by
their original numbers, also on a trace cut down with `select(units=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from .. import reading
from ..errors import ExplainerError
from ..names import name_of
from ..style import COLORS, GATE_COLORS, SIGNED_CMAP, gate_cmap, word
from ..trace import Trace
from .draw import plain
from .draw import (
    arrow,
    canvas,
    count_nonfinite,
    layer_box,
    pointwise,
    shown_line,
    slide,
    tick,
    value_strip,
    warn_nonfinite,
)
from .registry import figure

FOCUS = ("forget", "input", "cell", "output")
SHOWN = 3  # units whose numbers are written in the diagram
DIM_ALPHA = 0.22  # vectors off the lit path

# Layout in slide units: the axes span the figure, 1 unit = 10 px (128 x 72).
W, H = 128.0, 72.0
BELT, BOTTOM, LAYER = 47.0, 17.0, 27.0  # y of the belt, the h/x line, the layers
XF, XI, XG, XO, XT, XH = 20.0, 35.0, 49.0, 63.0, 72.0, 78.5  # x of f, i, C̃, o, tanh(C), h fork
XIN, XX, XOUT = 2.0, 14.0, 90.0  # where lines enter, where x_t joins, where lines leave
CELL = (9.0, 9.0, 84.0, 56.0)  # the cell's outline: x0, y0, x1, y1
BOX_W, BOX_H, R = 5.6, 4.2, 2.1
IX_Y, T_Y = 37.5, 38.0  # the input × and the tanh(C_t) circle
CW, CH = 3.4, 2.0  # one cell of a small strip
PANEL = (94.0, 52.0, 13.0)  # right panel: x0, top, bottom
BASE = frozenset({"forget", "input", "output"})  # parts that read [h_{t-1}, x_t]
TITLE_Y = 0.985  # the title's top (figure fraction); the shown line sits right under it
SUBTITLE_Y = (63.9, 60.9)  # the step line and the units line


@figure("lstm-cell", "colah's LSTM cell with the real gate and state vectors of one step; --focus lights one path.",
        source="trace", default="language-lstm", rank=6, kinds=("lstm",),
        options=("step", "focus", "layer", "units", "row"))
def draw(trace: Trace, *, lang: str = "en", step: int | None = None, focus: str | None = None,
         layer: int | None = None, units: Sequence[int] | None = None, row: int | None = None) -> Figure:
    if focus is not None and focus not in FOCUS:
        raise ExplainerError(f"unknown --focus {focus!r}; valid: {', '.join(FOCUS)}")
    layer = reading.check_layer(trace, layer)
    names = {q: name_of(layer, q) for q in "fighoc"}
    reading.needs(trace, *names.values(), by="figure lstm-cell", why="(the lstm-cell figure draws every gate and state)",
                  same_units=True)
    row = reading.check_row(trace, row)
    t = reading.check_step(trace, step)
    vec = {q: np.asarray(trace[n][row, t], dtype=float) for q, n in names.items()}  # each [units]
    prev = np.asarray(trace[names["c"]][row, t - 1], dtype=float) if t > 0 else None  # C_{t-1}
    size = vec["c"].size
    numbers = reading.unit_numbers(trace, size)  # the unit number of each column
    chosen = reading.check_units(trace, units, size)
    if chosen is not None and len(chosen) > SHOWN:
        raise ExplainerError(f"figure lstm-cell writes out at most {SHOWN} units; give up to {SHOWN} with --units "
                             f"(the panel on the right shows all {size})")
    found = reading.found_units(trace, layer=layer)
    if chosen is not None:
        shown, why = sorted(chosen), "cell.units.given"
    elif found:
        shown, why = sorted(found.columns[:SHOWN]), "cell.units.found"
    else:
        shown, why = sorted(reading.largest_units(vec["c"], SHOWN)), "cell.units.largest"
    # shown: columns, top to bottom as in the panel
    lim_c = reading.cell_limit(trace[names["c"]])
    lim_s = min(1.0, reading.nice_limit(max(reading.signed_limit(trace[names[q]], floor=1e-6) for q in "gh")))

    with slide(lang, layout=None) as fig:
        ax = canvas(fig, W, H)
        pen = _Pen(ax, focus, lang)
        _diagram(pen)

        # the step's vectors beside their parts (numbers for the shown units)
        scale = {"f": "f", "i": "i", "o": "o", "g": lim_s, "h": lim_s, "c": lim_c}
        pen.strip([vec["f"][u] for u in shown], XF + 1.0, 39.5, scale["f"], {"forget"}, vertical=True)
        pen.strip([vec["i"][u] for u in shown], XI + 1.0, 35.5, scale["i"], {"input"}, vertical=True)
        pen.strip([vec["g"][u] for u in shown], XG + 1.0, 35.0, scale["g"], {"input"}, vertical=True)
        pen.strip([vec["o"][u] for u in shown], XO + BOX_W / 2, 24.6, scale["o"], {"output"}, vertical=True)
        pen.strip([vec["h"][u] for u in shown], XH + 1.0, 56.2, scale["h"], {"output"}, vertical=True)
        pen.strip([vec["c"][u] for u in shown], 59.0, BELT + 3.6, scale["c"], {"cell"})
        pen.label((58.4, BELT + 2.6), word("cell.sym.c", lang), COLORS["cell"], {"cell"}, ha="right", fontsize=14)
        if prev is not None:
            pen.strip([prev[u] for u in shown], CELL[0] - 0.6, BELT + 3.6, scale["c"], {"forget", "cell"})
        else:
            pen.label((CELL[0] + 5.9, BELT + 3.8), word("cell.initial", lang), COLORS["text"], {"forget", "cell"},
                      fontsize=9.5)
        for q, xy, paths in (("f", (XF + 5.2, 36.5), {"forget"}), ("i", (XI + 5.2, 32.5), {"input"}),
                             ("g", (XG + 5.2, 32.0), {"input"}), ("o", (XO + BOX_W / 2 + 4.0, 21.6), {"output"})):
            pen.label(xy, word(f"cell.sym.{q}", lang), GATE_COLORS[q], paths, ha="left", va="bottom", fontsize=17)
            pen.label((xy[0], xy[1] - 0.2), word(f"cell.name.{q}", lang), GATE_COLORS[q], paths, ha="left", va="top",
                      fontsize=10.5)

        _panel(fig, ax, pen, vec, prev, shown, numbers, scale, lang)
        clipped = bool(np.nanmax(np.abs(np.asarray(trace[names["c"]], dtype=float)), initial=0.0) > lim_c)
        _scales(fig, lim_s, lim_c, lang, clipped)

        # titles, the layer and row, the step, the units, the equations of the lit part
        title = word("cell.title.focus", lang, part=word(f"cell.part.{focus}", lang)) if focus else word("cell.title", lang)
        heading = fig.text(0.5, TITLE_Y, title, ha="center", va="top", fontsize=22, fontweight="bold")
        shown_line(fig, heading, trace, lang, layer=layer, row=row)
        where = step_words(trace, t, lang, row)
        if step is None and t in reading.events(trace).new_gender_words:
            where += word("cell.step.why", lang)
        hidden = trace.meta.get("hidden_size") if isinstance(trace.meta.get("hidden_size"), int) else size
        ax.text(W / 2, SUBTITLE_Y[0], word("cell.subtitle", lang, model=word("model.lstm", lang), units=hidden, step=where),
                ha="center", va="center", fontsize=14, color=COLORS["text"], alpha=0.8)
        ax.text(W / 2, SUBTITLE_Y[1], word(why, lang, units=word("cell.list_sep", lang).join(str(numbers[u]) for u in shown)),
                ha="center", va="center", fontsize=12, color=COLORS["text"], alpha=0.7)
        eq_color = {"forget": GATE_COLORS["f"], "input": GATE_COLORS["i"], "cell": COLORS["cell"],
                    "output": GATE_COLORS["o"]}.get(focus, COLORS["text"])
        ax.text(50.0, 6.0, word(f"cell.eq.{focus or 'none'}", lang), ha="center", va="center", fontsize=14,
                color=eq_color)
        ax.text(50.0, 2.4, word(f"cell.say.{focus or 'none'}", lang), ha="center", va="center", fontsize=12.5,
                color=COLORS["text"], alpha=0.8)
        finite = [vec[q] for q in vec] + ([prev] if prev is not None else [])
        warn_nonfinite(fig, count_nonfinite(*finite), lang)
    return fig


def step_words(trace: Trace, t: int, lang: str, row: int = 0) -> str:
    """'step 10: “male”', 'step 9: x = 28.78, input y = −0.31', or the step's own label where it has one."""
    label = plain(reading.step_label(trace, t, lang, row))  # user text: no mathtext
    if trace.meta.get("task") == "sine" and "input" in trace.names:
        return word("cell.step.sine", lang, t=t, x=label, y=reading.number(trace["input"][row, t, 0]))
    if reading.has_words(trace, lang) or label != str(t):
        return word("cell.step.language", lang, t=t, token=label)
    return word("cell.step.other", lang, t=t)


def colorbar(fig: Figure, rect: tuple[float, float, float, float], lim: float, title: str, *,
             clipped: bool = False) -> None:
    """A small horizontal colour bar of the signed map on [-lim, lim]."""
    import matplotlib
    from matplotlib.colors import Normalize

    cax = fig.add_axes(rect)
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(Normalize(-lim, lim), SIGNED_CMAP), cax=cax,
                       orientation="horizontal", extend="both" if clipped else "neither", extendfrac=0.08)
    bar.set_ticks([-lim, 0, lim])
    bar.set_ticklabels([tick(-lim), "0", tick(lim)])
    bar.ax.tick_params(labelsize=9.5, length=2)
    bar.outline.set_linewidth(0.5)
    cax.set_title(title, fontsize=10.5, pad=3)


def colormap(scale: str | float) -> tuple[Colormap | str, float, float]:
    """A gate letter -> white to its colour on [0, 1]; a limit -> the signed map on [-limit, limit]."""
    if isinstance(scale, str):
        return gate_cmap(scale), 0.0, 1.0
    return SIGNED_CMAP, -scale, scale


# ---------------------------------------------------------------------------- drawing
class _Pen:
    """Draws the diagram's parts lit (full colour, thicker under --focus) or dimmed."""

    def __init__(self, ax: Axes, focus: str | None, lang: str) -> None:
        self.ax, self.focus, self.lang = ax, focus, lang

    def on(self, paths: Sequence[str] | frozenset) -> bool:
        return self.focus is None or self.focus in paths

    def width(self, paths, lw: float) -> float:
        return lw * 1.7 if self.focus is not None and self.on(paths) else lw

    def line(self, points: Sequence[tuple[float, float]], color: str, paths, lw: float = 2.2, head: bool = True,
             zorder: float = 2) -> None:
        lit = self.on(paths)
        c, w = (color if lit else COLORS["dim"]), self.width(paths, lw)
        z = zorder + (1 if lit and self.focus else 0)
        if len(points) > 2:
            xs, ys = zip(*points[:-1])
            self.ax.plot(xs, ys, color=c, lw=w, solid_capstyle="round", solid_joinstyle="round", zorder=z)
        arrow(self.ax, points[-2], points[-1], color=c, lw=w, head=head, zorder=z)

    def box(self, centre: tuple[float, float], text: str, paths) -> None:
        layer_box(self.ax, centre, text, width=BOX_W, height=BOX_H, dim=not self.on(paths), fontsize=16)
        if self.focus and self.on(paths):
            self.ax.add_patch(FancyBboxPatch((centre[0] - BOX_W / 2, centre[1] - BOX_H / 2), BOX_W, BOX_H,
                                             boxstyle="round,pad=0.02,rounding_size=0.08", fill=False,
                                             edgecolor=COLORS["layer_edge"], linewidth=3.0, zorder=6))

    def op(self, centre: tuple[float, float], text: str, paths) -> None:
        pointwise(self.ax, centre, text, radius=R, dim=not self.on(paths), fontsize=17 if len(text) == 1 else 10.5)
        if self.focus and self.on(paths):
            self.ax.add_patch(Circle(centre, R, fill=False, edgecolor=COLORS["pointwise_edge"], linewidth=3.0, zorder=6))

    def dot(self, xy: tuple[float, float], paths) -> None:
        self.ax.add_patch(Circle(xy, 0.45, color=COLORS["line"] if self.on(paths) else COLORS["dim"], zorder=3))

    def label(self, xy: tuple[float, float], text: str, color: str, paths, *, fontsize: float = 16,
              ha: str = "center", va: str = "center", **kw) -> None:
        lit = self.on(paths)
        self.ax.text(*xy, text, ha=ha, va=va, fontsize=fontsize, color=color if lit else COLORS["dim"],
                     fontweight="bold" if lit and self.focus else "normal", zorder=7, **kw)

    def strip(self, values: Sequence[float], x0: float, top: float, scale: str | float, paths, *,
              vertical: bool = False, cell: tuple[float, float] = (CW, CH), numbers: bool = True,
              highlight: Sequence[int] = (), fontsize: float = 7.5) -> None:
        """A small vector strip; `top` is its upper edge. Dimmed strips fade."""
        cmap, vmin, vmax = colormap(scale)
        before = len(self.ax.patches), len(self.ax.texts), len(self.ax.lines)
        w, h = cell
        value_strip(self.ax, values, x0, top - h, w, height=h, cmap=cmap, vmin=vmin, vmax=vmax, numbers=numbers,
                    vertical=vertical, fontsize=fontsize, highlight=highlight, zorder=5,
                    edge=COLORS["background"] if h >= 0.9 else "none")
        if not self.on(paths):
            for artist in (self.ax.patches[before[0]:] + self.ax.texts[before[1]:] + self.ax.lines[before[2]:]):
                artist.set_alpha(DIM_ALPHA)


def _diagram(pen: _Pen) -> None:
    """colah's LSTM cell: lines first, then layers and pointwise operations on top."""
    ax, lang = pen.ax, pen.lang
    x0, y0, x1, y1 = CELL
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=2.5",
                                facecolor=COLORS["dim"], alpha=0.22, edgecolor="none", zorder=0))
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=2.5",
                                fill=False, edgecolor=COLORS["dim"], linewidth=1.5, zorder=0))
    belt, line, hid = COLORS["belt"], COLORS["line"], COLORS["hidden"]
    cell_paths = frozenset({"cell"})
    # the conveyor belt: C_{t-1} -> × -> + -> C_t
    pen.line([(XIN, BELT), (XF - R, BELT)], belt, {"forget", "cell"}, lw=4.0, head=False, zorder=1)
    pen.line([(XF + R, BELT), (XG - R, BELT)], belt, cell_paths, lw=4.0, head=False, zorder=1)
    pen.line([(XG + R, BELT), (XOUT, BELT)], belt, cell_paths, lw=4.0, zorder=1)
    pen.line([(XT, BELT), (XT, T_Y + R)], belt, {"output"}, lw=2.2)  # copy of C_t into tanh
    # h_{t-1} and x_t merge (concatenate), the merged line forks (copies) into the layers
    pen.line([(XIN, BOTTOM), (XX, BOTTOM)], hid, BASE, head=False)
    pen.line([(XX, 5.5), (XX, BOTTOM)], COLORS["x"], BASE, head=False)
    pen.line([(XX, BOTTOM), (XF, BOTTOM)], line, BASE, head=False)
    pen.line([(XF, BOTTOM), (XG, BOTTOM)], line, {"input", "output"}, head=False)
    pen.line([(XG, BOTTOM), (XO, BOTTOM)], line, {"output"}, head=False)
    for x, paths in ((XF, {"forget"}), (XI, {"input"}), (XG, {"input"}), (XO, {"output"})):
        pen.line([(x, BOTTOM), (x, LAYER - BOX_H / 2)], line, paths)
    for x, paths in ((XX, BASE), (XF, BASE), (XI, {"input"}), (XG, {"input", "output"})):
        pen.dot((x, BOTTOM), paths)
    # the gates' lines, each in its colour
    pen.line([(XF, LAYER + BOX_H / 2), (XF, BELT - R)], GATE_COLORS["f"], {"forget"})
    pen.line([(XI, LAYER + BOX_H / 2), (XI, IX_Y), (XG - R, IX_Y)], GATE_COLORS["i"], {"input"})
    pen.line([(XG, LAYER + BOX_H / 2), (XG, IX_Y - R)], GATE_COLORS["g"], {"input"})
    pen.line([(XG, IX_Y + R), (XG, BELT - R)], line, {"input", "cell"})
    pen.line([(XO + BOX_W / 2, LAYER), (XT - R, LAYER)], GATE_COLORS["o"], {"output"})
    pen.line([(XT, T_Y - R), (XT, LAYER + R)], line, {"output"})
    # h_t: out to the right, and a copy out of the top
    pen.line([(XT + R, LAYER), (XH, LAYER), (XH, BOTTOM), (XOUT, BOTTOM)], hid, {"output"})
    pen.line([(XH, LAYER), (XH, 59.0)], hid, {"output"}, zorder=0.5)
    pen.dot((XH, LAYER), {"output"})
    # layers (yellow boxes) and pointwise operations (pink circles)
    sig, tanh = word("cell.sym.sigma", lang), word("cell.sym.tanh", lang)
    for x, text, q, paths in ((XF, sig, "f", {"forget"}), (XI, sig, "i", {"input"}), (XG, tanh, "g", {"input"}),
                              (XO, sig, "o", {"output"})):
        pen.box((x, LAYER), text, paths)
    times, plus = word("cell.sym.times", lang), word("cell.sym.plus", lang)
    pen.op((XF, BELT), times, {"forget", "cell"})
    pen.op((XG, IX_Y), times, {"input"})
    pen.op((XG, BELT), plus, {"cell"})
    pen.op((XT, T_Y), tanh, {"output"})
    pen.op((XT, LAYER), times, {"output"})
    # where the lines come from and go to
    pen.label((XIN, BELT + 0.8), word("cell.sym.c_prev", lang), COLORS["cell"], {"forget", "cell"}, ha="left",
              va="bottom", fontsize=15)
    pen.label((XOUT, BELT + 0.8), word("cell.sym.c", lang), COLORS["cell"], cell_paths, ha="right", va="bottom",
              fontsize=15)
    pen.label((XIN, BOTTOM + 0.6), word("cell.sym.h_prev", lang), hid, BASE, ha="left", va="bottom", fontsize=15)
    pen.label((XOUT, BOTTOM + 0.6), word("cell.sym.h", lang), hid, {"output"}, ha="right", va="bottom", fontsize=15)
    pen.label((XH + 0.9, 58.0), word("cell.sym.h", lang), hid, {"output"}, ha="left", fontsize=15)
    pen.label((XX, 4.9), word("cell.sym.x", lang), COLORS["x"], BASE, va="top", fontsize=15)


def _panel(fig: Figure, ax: Axes, pen: _Pen, vec: dict, prev: np.ndarray | None, shown: list[int],
           unit_ids: list[int], scale: dict, lang: str) -> None:
    """Every unit of the step's vectors as vertical strips, the shown units outlined and numbered."""
    x0, top, bottom = PANEL
    units = vec["c"].size
    cols = [("c_prev", prev, scale["c"], {"forget", "cell"}), ("f", vec["f"], scale["f"], {"forget"}),
            ("i", vec["i"], scale["i"], {"input"}), ("g", vec["g"], scale["g"], {"input"}),
            ("c", vec["c"], scale["c"], {"cell"}), ("o", vec["o"], scale["o"], {"output"}),
            ("h", vec["h"], scale["h"], {"output"})]
    colour = {"c_prev": COLORS["cell"], "c": COLORS["cell"], "h": COLORS["hidden"]}
    pitch, width = 4.6, 3.8
    cell_h = (top - bottom) / units
    numbers = cell_h >= 1.6
    cut = unit_ids != list(range(units))  # a trace cut down with select(units=...)
    ax.text(x0 + 3.5 * pitch - (pitch - width) / 2, top + 4.6, word("cell.panel.cut" if cut else "cell.panel", lang, n=units),
            ha="center", va="center",
            fontsize=12.5, color=COLORS["text"], alpha=0.8)
    for k, (q, values, s, paths) in enumerate(cols):
        x = x0 + k * pitch
        pen.label((x + width / 2, top + 1.6), word(f"cell.sym.{q}", lang), colour.get(q, GATE_COLORS.get(q, COLORS["text"])),
                  paths, fontsize=12)
        if values is None:  # t = 0: the initial cell state is not in the trace
            ax.add_patch(FancyBboxPatch((x, bottom), width, top - bottom, boxstyle="round,pad=0,rounding_size=0.3",
                                        fill=False, edgecolor=COLORS["dim"], linestyle="--", linewidth=1.0))
            continue
        pen.strip(values, x, top, s, paths, vertical=True, cell=(width, cell_h), numbers=numbers,
                  highlight=shown, fontsize=7)
    # unit numbers (as in the model): the shown units, and the first and last
    marks = sorted(set(shown) | {0, units - 1})
    placed: list[float] = []
    size = 9.5 if units <= 40 else 8.5
    for u in marks:
        y = top - (u + 0.5) * cell_h
        if any(abs(y - p) < size / 8.0 for p in placed):
            continue
        placed.append(y)
        ax.text(x0 - 0.5, y, str(unit_ids[u]), ha="right", va="center", fontsize=size,
                color=COLORS["text"], fontweight="bold" if u in shown else "normal", alpha=1.0 if u in shown else 0.6)


def _scales(fig: Figure, lim_s: float, lim_c: float, lang: str, clipped: bool) -> None:
    """Colour scales under the panel: the gates (0 to 1, each in its colour), h and C̃, C."""
    y, hgt = 6.2 / H, 1.0 / H
    gates = fig.add_axes((94.0 / W, y, 8.6 / W, hgt * 1.5))
    ramp = np.linspace(0, 1, 64)[None, :]
    for j, q in enumerate("foi"):
        gates.imshow(ramp, cmap=gate_cmap(q), aspect="auto", extent=(0, 1, j, j + 1), vmin=0, vmax=1)
    gates.set_ylim(0, 3)
    gates.set_yticks([])
    gates.set_xticks([0, 1], ["0", "1"])
    gates.tick_params(labelsize=9.5, length=2)
    gates.set_title(word("cell.scale.gates", lang), fontsize=10.5, pad=3)
    colorbar(fig, (105.8 / W, y, 8.6 / W, hgt * 1.5), lim_s, word("cell.scale.states", lang))
    colorbar(fig, (117.6 / W, y, 8.6 / W, hgt * 1.5), lim_c, word("cell.scale.cell", lang), clipped=clipped)
    for a in fig.axes[1:]:
        for spine in a.spines.values():
            spine.set_linewidth(0.5)

