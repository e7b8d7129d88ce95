"""One row of a text, each character on a cell coloured by its value: Karpathy's picture, in a scene.

Like `StateVector`, the row is one image drawn with Pillow at the resolution being
rendered (a row of 50 characters as 50 squares and 50 glyphs would be 100 mobjects a row).
Characters are drawn in DejaVu Sans Mono (wide CJK characters in the CJK font, two cells
wide), centred in their cells; a sign that stands for an invisible character (`↵`, `→`)
is drawn in a quieter ink. `glyph_height()` is the characters' cap height as drawn now,
so the readability checks (`animations.text.cap_height`) measure it like any text.

    >>> row = CharRow(["d", "e", "f", "↵"], colours, [0, 1, 2, 3], cell=0.15, height=0.4, em=0.25)   # doctest: +SKIP
    >>> row.cell_center(2)                                                                       # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

import matplotlib
import numpy as np
from manim import ImageMobject, config
from PIL import Image, ImageDraw, ImageFont

MONO_FILE = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSansMono.ttf")
#: DejaVu Sans Mono: a capital's height as a fraction of the font size (measured: 0.73).
CAP_OF_EM = 0.73


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _wide_font_file() -> str:
    from explainer.style import cjk_font_path

    return cjk_font_path()


class CharRow(ImageMobject):
    """Characters on coloured cells, left to right.

    Args:
        glyphs: what each character's cell shows (`explainer.reading.text_rows.glyph`).
        colours: each cell's background, RGBA in 0..1.
        columns: each character's first cell; `spans` how many cells it takes (1, or 2 for a wide one).
        cell: a cell's width and `height` its height, in scene units; `em` the font size in scene units.
        quiet: positions whose glyph is a sign for an invisible character (drawn quieter).
        width: cells in the row (at least the last character's end).
    """

    def __init__(self, glyphs: Sequence[str], colours: Sequence[Sequence[float]], columns: Sequence[int], *,
                 cell: float, height: float, em: float, spans: Sequence[int] | None = None,
                 quiet: Sequence[int] = (), width: int | None = None, **kwargs) -> None:
        self.glyphs, self.columns = list(glyphs), [int(c) for c in columns]
        self.spans = [int(s) for s in spans] if spans is not None else [1] * len(self.glyphs)
        self.colours = np.asarray(colours, dtype=float).reshape(-1, 4)  # [characters, RGBA]
        self.cell, self.row_height, self.em = float(cell), float(height), float(em)
        self.quiet = set(int(q) for q in quiet)
        ends = [c + s for c, s in zip(self.columns, self.spans)]
        self.n_cells = max([width or 0, *ends, 1])
        super().__init__(self._pixels(), **kwargs)
        self.width = self.cell * self.n_cells
        self.drawn_width = self.width

    def glyph_height(self) -> float | None:
        """How tall the capitals are now, in scene units (None: no characters)."""
        if not self.glyphs:
            return None
        return CAP_OF_EM * self.em * self.width / self.drawn_width

    def cell_center(self, k: int) -> np.ndarray:
        """Scene coordinates of the centre of character k's cell(s)."""
        unit = self.width / self.n_cells
        left = self.get_left()
        return left + np.array([(self.columns[k] + self.spans[k] / 2) * unit, 0, 0])

    def cell_size(self) -> tuple[float, float]:
        """(width, height) of one cell as drawn now."""
        return self.width / self.n_cells, self.height

    def _pixels(self) -> np.ndarray:
        per_unit = config.pixel_height / config.frame_height  # pixels per scene unit
        cw = max(1.0, self.cell * per_unit)
        w, h = max(1, int(round(cw * self.n_cells))), max(1, int(round(self.row_height * per_unit)))
        img = Image.new("RGBA", (w, h), (255, 255, 255, 0))
        draw = ImageDraw.Draw(img)
        size = max(4, int(round(self.em * per_unit)))
        for k, (ch, col, span) in enumerate(zip(self.glyphs, self.columns, self.spans)):
            r, g, b, _ = self.colours[k]
            x0, x1 = int(round(col * cw)), int(round((col + span) * cw)) - 1
            draw.rectangle([x0, 0, max(x0, x1), h - 1], fill=(int(r * 255), int(g * 255), int(b * 255), 255))
            if ch.strip() == "":
                continue
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
            ink = (255, 255, 255, 255) if dark else (25, 25, 25, 255)
            if k in self.quiet:
                ink = (225, 225, 225, 255) if dark else (135, 135, 135, 255)
            path = _wide_font_file() if span == 2 else MONO_FILE
            draw.text(((x0 + x1 + 1) / 2, h / 2), ch, fill=ink, font=_font(path, size), anchor="mm")
        return np.asarray(img)
