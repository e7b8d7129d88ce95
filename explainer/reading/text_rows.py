"""A text laid out as rows of character cells: line breaks kept, long lines wrapped, how much fits.

Karpathy's pictures draw one cell per character, coloured by the character's value, so a
space is a cell like any other and a line break is one too (the model read it: its value is
drawn, at the end of its line, as `↵`). A line longer than the picture is wide is wrapped
onto the next row, marked as a continuation (a line break never wraps: it hangs in one more
cell at the row's end, so a row holds up to `width` characters and its line break); a text
longer than the picture is tall is cut after whole rows, and `shown` / `total` say how much
is drawn. The figure, its HTML form and
the CellText scene lay a text out with this one function, so they break and cut it alike.

A character is one cell wide, two for a wide (CJK) character; `glyph` is what a cell shows:
the character itself, `↵` for a line break, `⇥` for a tab, `·` for another control character.

    >>> rows = text_rows("def f(x):\\n    return x\\n", width=8)
    >>> [(r.line, r.continued, "".join(glyph(rows.text[s]) for s in r.steps)) for r in rows.rows]
    [(0, False, 'def f(x)'), (0, True, ':↵'), (1, False, '    retu'), (1, True, 'rn x↵')]
    >>> [len(r.steps) for r in text_rows("abcd\\nef\\n", width=4).rows]     # the line break hangs
    [5, 3]
    >>> cut = text_rows("a\\nb\\nc\\n", width=8, max_rows=2)
    >>> cut.shown, cut.total, cut.lines, cut.total_lines, cut.cut
    (4, 6, 2, 3, True)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: What a cell shows for characters that draw nothing themselves.
GLYPHS = {"\n": "↵", "\t": "⇥"}  # as step labels show them (`explainer.reading.text.VISIBLE`)


def glyph(ch: str) -> str:
    """What a character's cell shows: itself, or a visible sign for a line break, a tab, a control character."""
    if ch in GLYPHS:
        return GLYPHS[ch]
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return "·"
    return ch


def cells(ch: str) -> int:
    """How many cells a character takes: 2 for a wide (CJK) character, else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@dataclass(frozen=True)
class Row:
    """One row of the picture: some characters of one line of the text."""

    steps: tuple[int, ...]  # the text's positions (time steps) drawn in this row, in order
    columns: tuple[int, ...]  # the first cell of each
    line: int  # the text's line it belongs to (0 first)
    continued: bool  # a wrapped continuation of the row above


@dataclass(frozen=True)
class TextRows:
    text: str
    rows: tuple[Row, ...]
    width: int  # cells per row (and one more for a line break hanging at its end: `cells_per_row`)
    start: int  # the first step drawn
    shown: int  # characters drawn
    total: int  # characters in the text
    lines: int  # lines of the text drawn (the last one maybe in part)
    total_lines: int  # lines in the text

    @property
    def cells_per_row(self) -> int:
        """The cells a picture draws per row: `width`, and one for a hanging line break."""
        return self.width + 1

    @property
    def cut(self) -> bool:
        """Whether some of the text is not drawn."""
        return self.shown < self.total


def line_count(text: str) -> int:
    """Lines of a text: a last line without a line break counts too."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def line_start(text: str, step: int) -> int:
    """The first position of the line holding position `step`."""
    return text.rfind("\n", 0, max(0, step)) + 1 if step > 0 else 0


def text_rows(text: str, width: int, max_rows: int | None = None, start: int = 0) -> TextRows:
    """`text` from position `start` as rows of at most `width` cells, at most `max_rows` of them."""
    if width < 2:
        raise ValueError(f"a row needs at least 2 cells, got {width}")
    rows: list[Row] = []
    steps: list[int] = []
    columns: list[int] = []
    column, line, continued = 0, text.count("\n", 0, start), False
    first_line = line
    t = start
    while t < len(text):
        ch = text[t]
        wide = cells(ch)
        if column + wide > width and ch != "\n":  # wrap: the rest of the line continues on the next row
            rows.append(Row(tuple(steps), tuple(columns), line, continued))
            steps, columns, column, continued = [], [], 0, True
            if max_rows is not None and len(rows) >= max_rows:
                break
        steps.append(t)
        columns.append(column)
        column += wide
        t += 1
        if ch == "\n":
            rows.append(Row(tuple(steps), tuple(columns), line, continued))
            steps, columns, column, continued, line = [], [], 0, False, line + 1
            if max_rows is not None and len(rows) >= max_rows:
                break
    if steps:
        rows.append(Row(tuple(steps), tuple(columns), line, continued))
    shown = sum(len(r.steps) for r in rows)
    drawn = len({r.line for r in rows})
    return TextRows(text, tuple(rows), width, start, shown, len(text) - start, drawn,
                    line_count(text) - first_line)
