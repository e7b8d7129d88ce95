"""A state vector: a strip of cells coloured by value, numbers where they are legible.

The whole strip is one image (drawn with Pillow at the resolution being rendered), not a
group of squares: Manim's cost grows with the number of mobjects, and a 64-unit vector
drawn as 64 squares plus 256 glyphs would dominate every frame.

Numbers are written in the cells when the cells are big enough for them to be read at the
lecture's quality: at least 14 px tall at 720p (`animations.text.MIN_PX`), which a cell of
`NUMBER_CELL` scene units or more gives. The choice depends on the cell's size in the
scene, not on the resolution being rendered, so every quality shows the same numbers.

    >>> v = StateVector([0.1, -0.8, 0.95], scale="signed")          # doctest: +SKIP
    >>> v.set_values([0.5, 0.2, -0.3])                              # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

import matplotlib
import numpy as np
from manim import ImageMobject, config
from PIL import Image, ImageDraw, ImageFont

from explainer.names import is_sigmoid
from explainer.reading import number
from explainer.style import COLORS, SIGNED_CMAP, gate_cmap

FONT_FILE = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
#: A number's font size as a fraction of its cell: five characters ("−0.70") fill 0.86 of it at two
#: decimals (inside a highlight outline of 1/16 of the cell), four at one; and a digit's height as a
#: fraction of the font size (DejaVu Sans: 0.75 em, measured).
FONT_OF_CELL, FONT_OF_CELL_ONE_DECIMAL = 0.28, 0.36
DIGIT_OF_FONT = 0.75
#: The smallest cell (scene units) whose numbers are 14 px tall at 720p: a 0.74 cell is 67 px, its font
#: round(0.28 * 67) = 19 px, its digits 0.75 * 19 = 14.25 px.
NUMBER_CELL = 0.74


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILE, size)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return tuple(int(h[k:k + 2], 16) for k in (0, 2, 4))


class StateVector(ImageMobject):
    """A vector as coloured cells.

    Args:
        values: the numbers (NaN cells are grey with a cross).
        scale: a gate letter ("i", "f", "o", "r", "z": white -> the gate's colour on [0, 1])
            or "signed" (blue - white - red on [-limit, limit]).
        cell: cell size in scene units.
        vertical: cells top to bottom instead of left to right.
        numbers: draw each value in its cell (None: when the cells are at least NUMBER_CELL, and
            at most 24 of them).
        highlight: positions outlined in the highlight colour (e.g. discovered units).
    """

    def __init__(self, values: Sequence[float], *, scale: str = "signed", limit: float = 1.0, cell: float = 0.45,
                 vertical: bool = False, numbers: bool | None = None, highlight: Sequence[int] = (),
                 decimals: int = 2, **kwargs) -> None:
        self.values = np.asarray(values, dtype=float).reshape(-1)
        self.scale_name, self.limit, self.cell, self.vertical = scale, float(limit), cell, vertical
        self.decimals = decimals
        self.highlight = tuple(int(h) for h in highlight)
        self.px = max(6, int(round(cell * config.pixel_height / config.frame_height)))
        self.numbers = (cell >= NUMBER_CELL - 1e-9 and len(self.values) <= 24) if numbers is None else numbers
        self.cmap = gate_cmap(scale) if is_sigmoid(scale) else matplotlib.colormaps[SIGNED_CMAP]
        super().__init__(self._pixels(self.values), **kwargs)
        n = len(self.values)
        if vertical:
            self.height = cell * n
        else:
            self.width = cell * n

    @property
    def font_px(self) -> int:
        """The numbers' font size in the image's pixels."""
        return max(6, round(self.px * (FONT_OF_CELL if self.decimals >= 2 else FONT_OF_CELL_ONE_DECIMAL)))

    def glyph_height(self) -> float | None:
        """How tall the digits in the cells are now, in scene units (None: no numbers drawn)."""
        if not self.numbers or not len(self.values):
            return None
        shown_cell = (self.height if self.vertical else self.width) / len(self.values)
        return DIGIT_OF_FONT * self.font_px / self.px * shown_cell

    # -- drawing -----------------------------------------------------------------------
    def _norm(self, v: np.ndarray) -> np.ndarray:
        if is_sigmoid(self.scale_name):
            return np.clip(v, 0, 1)
        return np.clip((v / self.limit + 1) / 2, 0, 1)

    def _pixels(self, values: np.ndarray) -> np.ndarray:
        n, px = len(values), self.px
        w, h = (px, px * n) if self.vertical else (px * n, px)
        img = Image.new("RGBA", (w, h), (255, 255, 255, 0))
        draw = ImageDraw.Draw(img)
        colors = self.cmap(self._norm(np.nan_to_num(values)))
        font = _font(self.font_px)
        edge = max(1, px // 18)
        for k, v in enumerate(values):
            x0, y0 = (0, k * px) if self.vertical else (k * px, 0)
            box = [x0, y0, x0 + px - 1, y0 + px - 1]
            if not np.isfinite(v):
                draw.rectangle(box, fill=(200, 200, 200, 255), outline=(255, 255, 255, 255), width=edge)
                draw.line(box, fill=(90, 90, 90, 255), width=edge)
                draw.line([box[0], box[3], box[2], box[1]], fill=(90, 90, 90, 255), width=edge)
                continue
            r, g, b, _ = colors[k]
            draw.rectangle(box, fill=(int(r * 255), int(g * 255), int(b * 255), 255), outline=(255, 255, 255, 255), width=edge)
            if self.numbers:
                dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
                text = number(v, self.decimals)
                draw.text((x0 + px / 2, y0 + px / 2), text, fill=(255, 255, 255, 255) if dark else (25, 25, 25, 255),
                          font=font, anchor="mm")
        for k in self.highlight:
            if 0 <= k < n:
                x0, y0 = (0, k * px) if self.vertical else (k * px, 0)
                draw.rectangle([x0, y0, x0 + px - 1, y0 + px - 1], outline=(*_rgb(COLORS["highlight"]), 255),
                               width=max(2, px // 16))
        return np.asarray(img)

    # -- animations --------------------------------------------------------------------
    def set_values(self, values: Sequence[float]) -> StateVector:
        self.values = np.asarray(values, dtype=float).reshape(-1)
        self.pixel_array = self._pixels(self.values)
        return self

    def cell_center(self, k: int) -> np.ndarray:
        """Scene coordinates of cell k's centre."""
        n = len(self.values)
        if self.vertical:
            return self.get_top() + (k + 0.5) * self.height / n * np.array([0, -1, 0])
        return self.get_left() + (k + 0.5) * self.width / n * np.array([1, 0, 0])
