"""A listing of the source's code: Manim's `Code` (Pygments colours), lines found by file line number.

The text is given as it is shown (`explainer.sourcecode.listing.shown`) with the file line
it starts on, so the line numbers on screen are the file's and an error message's
"line 22" is the 22nd line. A panel lights whole lines (a bar behind the text, the line
that runs) and marks single names (a box around their glyphs, e.g. a typo); both return
Animations, so a scene reads like a storyboard:

    >>> panel = CodePanel("def f(x):\\n    return x", first_line=7)       # doctest: +SKIP
    >>> scene.play(panel.light(8))                  # the bar moves onto "return x"  # doctest: +SKIP
    >>> scene.play(Create(panel.box(8, "x")))       # a box around that x            # doctest: +SKIP

Size: `font_size` 16 gives capitals and digits 0.162 scene units tall (14.6 px at 720p,
where the frame's 8 units are 720 px), the smallest size the lecture allows; `cap_height`
measures it on the glyphs themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from manim import Animation, Code, Rectangle, SurroundingRectangle, Transform, VGroup, VMobject, config
from pygments.style import Style
from pygments.token import Comment, Keyword, Name, Number, Operator, String, Text

from explainer.style import COLORS

#: The monospace font of listings (DejaVu Sans Mono; CJK comments fall back to Noto Sans CJK).
MONO_FONT = "DejaVu Sans Mono"
#: The smallest font size whose capitals are at least 14 px tall at 720p (0.156 units).
FONT_SIZE = 16
#: Pango draws a listing on a canvas of the frame's size in pixels and drops the glyphs that fall off
#: it; a whole listing needs at least this canvas (a test's 160 x 90 frame is far too small).
CANVAS = (1920, 1080)


@contextmanager
def _canvas() -> Iterator[None]:
    """Pixel size at least CANVAS while a listing is drawn (the frame's size in units is not touched)."""
    width, height = config.pixel_width, config.pixel_height
    config.pixel_width, config.pixel_height = max(width, CANVAS[0]), max(height, CANVAS[1])
    try:
        yield
    finally:
        config.pixel_width, config.pixel_height = width, height


class Light(Style):
    """Pygments colours for a white slide: dark ink, one colour per kind of token, grey comments."""

    background_color = "#F6F6F6"
    line_number_color = "#9A9A9A"
    styles = {
        Text: "#222222",
        Keyword: "bold #7F3C8D",
        Name: "#222222",
        Name.Class: "bold #0B5394",
        Name.Function: "#0B5394",
        Name.Builtin: "#117733",
        Name.Builtin.Pseudo: "#8C564B",
        Number: "#B8560B",
        String: "#117733",
        Operator: "#444444",
        Comment: "italic #6F6F6F",
    }


class CodePanel(VGroup):
    """A highlighted listing whose rows are addressed by file line number.

    Args:
        source: the text shown (one row per line).
        first_line: the file line of its first row.
        font_size: Pango font size (FONT_SIZE: the smallest allowed).
        numbers: show the file's line numbers left of the rows.
        bars: how many line highlights the panel can show at once.
        language: the Pygments lexer that colours it.
    """

    def __init__(self, source: str, first_line: int = 1, *, font_size: float = FONT_SIZE, numbers: bool = True,
                 bars: int = 1, language: str = "python") -> None:
        super().__init__()
        self.source_lines = source.splitlines()
        self.first_line = first_line
        with _canvas():
            self.code = Code(code_string=source, language=language, formatter_style=Light, add_line_numbers=numbers,
                             line_numbers_from=first_line, background="rectangle",
                             background_config={"buff": 0.14, "corner_radius": 0.08, "stroke_color": "#D4D4D4",
                                                "stroke_width": 1.5},
                             paragraph_config={"font": MONO_FONT, "font_size": font_size, "line_spacing": 0.5})
        self.code._code_html = None  # Pygments' HTML, needed only to colour the glyphs: not copied with every Transform
        self.rows = self.code.code_lines  # one VGroup of glyphs per row (no glyphs for spaces)
        self.bars = [self._bar(0).set_fill(opacity=0) for _ in range(bars)]
        self.code.submobjects[1:1] = self.bars  # behind the text, in front of the background
        self.add(self.code)

    # -- where things are -------------------------------------------------------------------
    def row(self, line: int) -> VMobject:
        """The glyphs of file line `line`."""
        k = line - self.first_line
        if not 0 <= k < len(self.source_lines):
            raise IndexError(f"line {line} is not shown (lines {self.first_line}–{self.first_line + len(self.source_lines) - 1})")
        return self.rows[k]

    def glyphs(self, line: int, name: str, nth: int = 0) -> VGroup:
        """The glyphs of the `nth` occurrence of `name` on file line `line`."""
        text = self.source_lines[line - self.first_line]
        at = -1
        for _ in range(nth + 1):
            at = text.find(name, at + 1)
            if at < 0:
                raise ValueError(f"line {line} has no {name!r} (occurrence {nth})")
        before = sum(1 for c in text[:at] if not c.isspace())
        count = sum(1 for c in name if not c.isspace())
        return VGroup(*self.row(line)[before:before + count])

    def _bar(self, first: int, last: int | None = None) -> Rectangle:
        """A bar behind rows first..last (indices), as wide as the listing's text."""
        last = first if last is None else last
        pitch = self._pitch()
        top = self.rows[first].get_y() + pitch / 2
        bottom = self.rows[last].get_y() - pitch / 2
        left = self.rows.get_left()[0] - 0.08
        right = max(self.rows.get_right()[0], left + 1) + 0.08
        return Rectangle(width=right - left, height=top - bottom, stroke_width=0, fill_color=COLORS["highlight"],
                         fill_opacity=0.28).move_to([(left + right) / 2, (top + bottom) / 2, 0])

    def _pitch(self) -> float:
        if len(self.rows) > 1:
            return float(self.rows[0].get_y() - self.rows[1].get_y())
        return float(self.rows[0].height * 1.5)

    # -- animations -------------------------------------------------------------------------
    def light(self, first: int, last: int | None = None, bar: int = 0) -> Animation:
        """Move highlight `bar` onto file lines first..last."""
        k0 = first - self.first_line
        k1 = (last if last is not None else first) - self.first_line
        self.row(first), self.row(last if last is not None else first)  # refuse lines that are not shown
        return Transform(self.bars[bar], self._bar(k0, k1))

    def dark(self, bar: int = 0) -> Animation:
        """Fade highlight `bar` out where it is."""
        return Transform(self.bars[bar], self.bars[bar].copy().set_fill(opacity=0))

    def box(self, line: int, name: str, nth: int = 0, color: str = COLORS["error"]) -> SurroundingRectangle:
        """A box around `name` on file line `line` (add it, or Create it)."""
        return SurroundingRectangle(self.glyphs(line, name, nth), color=color, buff=0.045, stroke_width=3,
                                    corner_radius=0.03)

    # -- measures ---------------------------------------------------------------------------
    def cap_height(self) -> float:
        """Height in scene units of the listing's capitals and digits (the smallest of them)."""
        heights = []
        for k, text in enumerate(self.source_lines):
            glyph_chars = [c for c in text if not c.isspace()]
            heights += [float(g.height) for c, g in zip(glyph_chars, self.rows[k]) if c.isupper() or c.isdigit()]
        numbers = getattr(self.code, "line_numbers", None)
        if numbers is not None:
            heights += [float(g.height) for row in numbers for g in row]
        return min(heights) if heights else float("nan")


__all__ = ["CodePanel", "FONT_SIZE", "MONO_FONT", "Light"]
