"""Figure `text`: Karpathy's picture, the text a model read with each character coloured by one unit.

Karpathy, Johnson and Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks":
each character of the text sits on a cell whose background is one unit's value after the
model read that character, so a unit that follows indentation, a string or the depth of
brackets shows it at a glance. Signed values (h, c, C̃) use the diverging colours, symmetric
around 0 at the largest |value| of the text (that value gets the end colour); a gate's
values (0 to 1) go from white to the gate's colour. Line breaks are kept (the line break is
a character the model read too: its cell shows `↵` at the end of its line), long lines are
wrapped (the continuation marked `↪` in the margin), and a text longer than the slide holds
is cut after whole rows, saying how much is drawn (`explainer.reading.text_rows`).

Which unit (`explainer.reading.one_unit`): `--unit L.KIND.N` (e.g. `1.c.98`), `--feature
NAME` (the best unit discovery stored for it, its r in the title), else the best unit of
the first stored feature, else the first unit of the top layer's cell state; the title says
which, and why. `-o text.html` writes the same picture as a web page (`text_html.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure

from .. import reading
from ..reading.one_unit import ShownUnit, choose_unit, r_means, unit_limits, unit_title, unit_values, unit_why
from ..reading.text import require_text, text_of
from ..reading.text_rows import TextRows, cells, glyph, text_rows
from ..style import CJK_FONT, COLORS, LATIN_FONT, SLIDE, value_cmap, value_colours, word
from ..trace import Trace
from ..reading.shown import many_rows
from .draw import count_nonfinite, shown_line, slide, text_color, tick, warn_nonfinite
from .registry import figure

#: The font the characters are drawn in (CJK characters fall back to the CJK font).
MONO = "DejaVu Sans Mono"
#: Character cells: the widest row and the narrowest, in cells; the font's size limits, in points.
MAX_COLUMNS, MIN_COLUMNS = 100, 24
LARGEST, SMALLEST = 15.0, 10.0
#: A cell is this many font sizes wide and tall (DejaVu Sans Mono advances 0.602 of its size).
CELL_WIDTH, CELL_HEIGHT = 0.64, 1.42
#: The slide's area for the text, as fractions of the slide: left, bottom, width, height.
AREA = (0.03, 0.12, 0.94, 0.69)
#: Cells kept left of the text for the wrap marks.
MARGIN = 2


@dataclass(frozen=True)
class Colouring:
    """The text, the unit and each character's colour: what the PNG and the HTML page draw alike."""

    text: str
    shown: ShownUnit
    values: np.ndarray  # [characters]: the unit's value after each character
    limits: tuple[float, float]  # the colour range
    cmap: Colormap
    rgba: np.ndarray  # [characters, 4]: each character's background

    @property
    def nonfinite(self) -> int:
        return count_nonfinite(self.values)


def colouring(trace: Trace, *, unit: str | None = None, feature: str | None = None, row: int | None = None,
              by: str = "figure text") -> Colouring:
    """Which unit, its values over the text's real steps, and the colours they get."""
    reading.needs(trace, by=by)  # a batch row and a step at least
    require_text(trace, by)
    row = reading.check_row(trace, row)
    text = text_of(trace, row)
    shown = choose_unit(trace, unit, feature, by)
    values = unit_values(trace, shown, row)[: len(text)]  # [characters]
    limits = unit_limits(values, shown.letter)
    cmap = value_cmap(shown.letter)
    return Colouring(text, shown, values, limits, cmap, value_colours(values, limits, cmap))


def fit(text: str, area: tuple[float, float] = (AREA[2] * SLIDE[0] * 72, AREA[3] * SLIDE[1] * 72)
        ) -> tuple[TextRows, float]:
    """The rows that fit the slide's text area legibly, and the font size (points) they are drawn at.

    The rows are as wide as the longest line (from MIN_COLUMNS to MAX_COLUMNS cells; longer lines wrap),
    the font as large as that width allows up to LARGEST; a text with more rows than fit gets a smaller
    font, down to SMALLEST, and is then cut after the last row that fits.
    """
    width_pt, height_pt = area
    longest = max((len(line) for line in text.split("\n")), default=1)
    columns = int(min(MAX_COLUMNS, max(MIN_COLUMNS, longest)))
    size = min(LARGEST, width_pt / ((columns + 1 + MARGIN) * CELL_WIDTH))  # + the hanging line break
    wanted = len(text_rows(text, columns).rows)
    if wanted * size * CELL_HEIGHT > height_pt:
        size = max(SMALLEST, min(size, height_pt / (wanted * CELL_HEIGHT)))
    max_rows = max(1, int(height_pt // (size * CELL_HEIGHT)))
    return text_rows(text, columns, max_rows), float(size)


def extent_note(rows: TextRows, lang: str) -> str:
    """'the first 1,200 of 5,000 characters (24 of 130 lines)' or '480 characters, 12 lines'."""
    def count(n: int) -> str:
        return f"{n:,}" if lang == "en" else str(n)  # a Chinese "1,200" would read as a list

    if rows.cut:
        return word("textpic.shown.cut", lang, n=count(rows.shown), total=count(rows.total), lines=count(rows.lines),
                    total_lines=count(rows.total_lines))
    key = "textpic.shown.one_line" if rows.total_lines == 1 else "textpic.shown.all"
    return word(key, lang, n=count(rows.total), lines=count(rows.total_lines))


@figure("text", "Karpathy's picture: the text, each character coloured by one unit (--unit L.KIND.N or --feature).",
        source="trace", default="text-lstm", rank=14, options=("unit", "feature", "row"))
def draw(trace: Trace, *, lang: str = "en", unit: str | None = None, feature: str | None = None,
         row: int | None = None) -> Figure:
    paint = colouring(trace, unit=unit, feature=feature, row=row)
    rows, size = fit(paint.text)
    shown = paint.shown
    with slide(lang, layout=None) as fig:
        title = fig.suptitle(unit_title(shown, lang), y=0.975, fontsize=21)
        shown_line(fig, title, trace, lang, layer=shown.layer, row=reading.check_row(trace, row) if many_rows(trace) else None)
        notes = [" · ".join(n for n in (extent_note(rows, lang), r_means(shown, lang)) if n), unit_why(shown, lang)]
        for k, note in enumerate(n for n in notes if n):
            fig.text(0.5, 0.878 - 0.03 * k, note, ha="center", va="center", fontsize=12, color="#555555")
        _draw_text(fig, paint, rows, size)
        _colour_bar(fig, paint, lang, marks=_marks(rows, lang))
        warn_nonfinite(fig, paint.nonfinite, lang)
    return fig


def _draw_text(fig: Figure, paint: Colouring, rows: TextRows, size: float) -> None:
    """One cell per character, coloured; the glyphs centred in them; `↪` before a wrapped row's rest."""
    cell_w, cell_h = size * CELL_WIDTH / 72, size * CELL_HEIGHT / 72  # inches
    n_rows, n_cols = len(rows.rows), rows.cells_per_row + MARGIN
    width, height = n_cols * cell_w / SLIDE[0], max(1, n_rows) * cell_h / SLIDE[1]  # figure fractions
    left = 0.5 - width / 2
    top = AREA[1] + AREA[3] - max(0.0, AREA[3] - height) / 2  # a short text sits in the middle of the area
    ax = fig.add_axes((left, top - height, width, height))
    ax.set_xlim(-MARGIN, rows.cells_per_row)
    ax.set_ylim(max(1, n_rows), 0)
    ax.axis("off")
    grid = np.zeros((max(1, n_rows), rows.cells_per_row, 4))  # [rows, cells, RGBA]: transparent where no character
    for k, r in enumerate(rows.rows):
        for t, c in zip(r.steps, r.columns):
            span = cells(paint.text[t])
            grid[k, c:c + span] = paint.rgba[t]
    ax.imshow(grid, extent=(0, rows.cells_per_row, max(1, n_rows), 0), interpolation="nearest", aspect="auto", zorder=1)
    family = [MONO, CJK_FONT]
    for k, r in enumerate(rows.rows):
        if r.continued:
            ax.text(-MARGIN / 2, k + 0.5, "↪", ha="center", va="center", fontsize=size * 0.9, color="#888888",
                    family=family)
        for t, c in zip(r.steps, r.columns):
            ch = paint.text[t]
            if ch == " ":
                continue
            shown = glyph(ch)
            ink = text_color(paint.rgba[t])
            if shown != ch:  # a sign standing for an invisible character: quieter than the text
                ink = "#DDDDDD" if ink == "#FFFFFF" else "#8A8A8A"
            span = cells(ch)
            ax.text(c + span / 2, k + 0.55, shown, ha="center", va="center", fontsize=size, color=ink,
                    family=family)


def _marks(rows: TextRows, lang: str) -> str:
    """What the signs mean, for those that appear."""
    shown = {rows.text[t] for r in rows.rows for t in r.steps}
    marks = [word("textpic.mark.newline", lang)] if "\n" in shown else []
    if any(r.continued for r in rows.rows):
        marks.append(word("textpic.mark.wrapped", lang))
    return "   ".join(marks)


def _colour_bar(fig: Figure, paint: Colouring, lang: str, marks: str) -> None:
    """The colour bar under the text, with what the values are; the signs' meanings beside it."""
    from matplotlib.cm import ScalarMappable

    ax = fig.add_axes((0.33, 0.055, 0.34, 0.025))
    lo, hi = paint.limits
    bar = fig.colorbar(ScalarMappable(Normalize(lo, hi), paint.cmap), cax=ax, orientation="horizontal")
    ticks = [lo, (lo + hi) / 2, hi] if lo == 0 else [lo, lo / 2, 0.0, hi / 2, hi]
    bar.set_ticks(ticks)
    bar.set_ticklabels([tick(v) for v in ticks])
    bar.ax.tick_params(labelsize=11)
    bar.outline.set_edgecolor("#999999")
    ax.set_title(word("textpic.bar", lang, unit=paint.shown.label), fontsize=12, color=COLORS["text"],
                 fontweight="normal", pad=4)
    if marks:
        fig.text(0.97, 0.06, marks, ha="right", va="center", fontsize=12, color="#666666",
                 family=[LATIN_FONT, CJK_FONT])  # the CJK font has no ↵
    if paint.nonfinite:
        fig.text(0.03, 0.06, word("textpic.nan", lang), ha="left", va="center", fontsize=12, color="#666666")
