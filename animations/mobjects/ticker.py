"""A token ticker: a passage on one line that scrolls smoothly under a reading cursor.

The ticker is driven by a continuous playhead `s` (token position; -1 is before the first
token), so a scene can run through a long passage at several tokens a second and still
look calm: the line glides left, the cursor stays near `anchor` of the width, tokens fade
at both edges, words already read are ink and words still ahead are grey. A background band under each token shows
which subject it belongs to (its span colour). When the whole passage fits, nothing
scrolls and only the cursor moves.

Only tokens near the view exist as Text mobjects (made on first need, in reading
order), so a passage of hundreds of tokens costs what a window of a dozen does. Words
sit on one baseline (PIL's metrics of the same font), so commas and words with
descenders line up as in print.

    >>> ticker = TokenTicker(words, lang="zh", width=13).move_to(UP * 2.5)      # doctest: +SKIP
    >>> self.play(UpdateFromAlphaFunc(ticker, lambda m, a: m.show_at(4 * a)))   # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import lru_cache

import matplotlib
import numpy as np
from manim import Rectangle, RoundedRectangle, VGroup
from PIL import ImageFont

from explainer.style import COLORS, cjk_font_path

from ..text import font_for, label

FUTURE = "#A6A6A6"  # words not read yet


@lru_cache(maxsize=8)
def _pil_font(cjk: bool, bold: bool) -> ImageFont.FreeTypeFont:
    if cjk:
        return ImageFont.truetype(cjk_font_path(), 100)
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), 100)


def _descent(text: str, cjk: bool, bold: bool) -> float:
    """How far the ink goes below the baseline, as a fraction of the ink's height."""
    _, top, _, bottom = _pil_font(cjk, bold).getbbox(text, anchor="ls")
    return bottom / max(bottom - top, 1e-9)


class _Shared(dict):
    """The ticker's cache of laid-out words: shared, not copied, when Manim copies the ticker."""

    def __deepcopy__(self, memo):
        return self


class TokenTicker(VGroup):
    """A line of tokens with a cursor, placed for a (fractional) reading position."""

    def __init__(self, items: Sequence[str], *, lang: str = "en", width: float = 13.0, size: float = 26,
                 gap: float = 0.2, height: float = 0.6, spans: Sequence[str | None] | None = None,
                 bold: Sequence[int] = (), anchor: float = 0.62, fade: float = 1.0) -> None:
        super().__init__()
        self.items, self.lang, self.size, self.gap = [str(i) for i in items], lang, size, gap
        self.view_width, self.row_height, self.anchor, self.edge = width, height, anchor, fade
        self.spans = list(spans) if spans is not None else [None] * len(self.items)
        self.bold = {int(b) for b in bold}
        self.box = Rectangle(width=width, height=height, stroke_opacity=0, fill_opacity=0)
        self.tokens = VGroup()
        self.cursor = RoundedRectangle(corner_radius=0.08, width=0.5, height=height - 0.04,
                                       stroke_color=COLORS["highlight"], stroke_width=4, fill_opacity=0)
        self.add(self.box, self.tokens, self.cursor)
        self._mobs: dict[int, VGroup] = _Shared()
        self._layout = _Shared(left=[], width=[])  # line coordinates of each measured token's left edge, width
        self._left: list[float] = self._layout["left"]
        self._width: list[float] = self._layout["width"]
        self._shown: dict[int, tuple[float, bool]] = {}  # k -> (opacity, read) as last drawn
        self.cap = label("H", lang, size).height
        # does the passage fit? (measures at most one view's worth of tokens)
        total = 0.0
        for k in range(len(self.items)):
            self._measure(k)
            total = self._left[k] + self._width[k]
            if total > width:
                break
        self.fits = total <= width and len(self._width) == len(self.items)
        self.total = total
        self.s = -1.0
        self.show_at(-1.0)

    # -- layout ------------------------------------------------------------------------------
    def _measure(self, k: int) -> None:
        while len(self._width) <= k:
            m = len(self._width)
            mob = self._make(m)
            self._mobs[m] = mob
            self._left.append(self._left[-1] + self._width[-1] + self.gap if self._left else 0.0)
            self._width.append(mob.word_width)

    def _make(self, k: int) -> VGroup:
        item = self.items[k]
        bold = k in self.bold
        txt = label(item, self.lang, self.size, COLORS["text"], weight="BOLD" if bold else "NORMAL")
        txt.descent = _descent(item, font_for(self.lang, item) != font_for("en"), bold) * txt.height
        span = self.spans[k]
        bg = Rectangle(width=txt.width + self.gap + 0.01, height=self.row_height, stroke_width=0,
                       fill_color=COLORS.get(f"{span}_span", COLORS["background"]), fill_opacity=1 if span else 0)
        mob = VGroup(bg, txt)
        mob.word_width, mob.txt, mob.bg, mob.has_span = txt.width, txt, bg, bool(span)
        return mob

    def center_line(self, s: float) -> tuple[float, float]:
        """(centre, width) of the cursor in line coordinates at position s."""
        s = min(max(s, 0.0), len(self.items) - 1)
        k = int(math.floor(s))
        frac = s - k
        self._measure(min(k + 1, len(self.items) - 1))
        c0, w0 = self._left[k] + self._width[k] / 2, self._width[k]
        if frac == 0 or k + 1 >= len(self.items):
            return c0, w0
        c1, w1 = self._left[k + 1] + self._width[k + 1] / 2, self._width[k + 1]
        return c0 + (c1 - c0) * frac, w0 + (w1 - w0) * frac

    def offset(self, s: float) -> float:
        """Line coordinate shown at the view's left edge."""
        if self.fits:
            return -(self.view_width - self.total) / 2
        centre, _ = self.center_line(s)
        return max(0.0, centre - self.anchor * self.view_width)

    def place(self, point) -> TokenTicker:
        """Centre the view at `point` (use this, not move_to: tokens beyond the view fade out)."""
        self.box.move_to(np.asarray(point, dtype=float))
        return self.show_at(self.s)

    # -- drawing ---------------------------------------------------------------------------
    def show_at(self, s: float) -> TokenTicker:
        """Lay the line out for playhead s: scroll, fade the edges, colour read words, move the cursor."""
        self.s = s
        left, right = self.box.get_left()[0], self.box.get_right()[0]
        baseline = self.box.get_center()[1] - self.cap / 2
        o = self.offset(s)
        # tokens overlapping the view
        k = 0
        lo = 0
        if not self.fits:
            while True:
                self._measure(lo)
                if self._left[lo] + self._width[lo] >= o - self.gap or lo == len(self.items) - 1:
                    break
                lo += 1
        visible = []
        k = lo
        while k < len(self.items):
            self._measure(k)
            if self._left[k] > o + self.view_width:
                break
            visible.append(k)
            k += 1
        keep = set(visible)
        # fade an edge only where the line goes on beyond it (the passage's own ends stay crisp)
        left_factor = float(np.clip(o / self.edge, 0, 1))
        last = visible[-1] if visible else 0
        beyond = self._left[last] + self._width[last] - (o + self.view_width)
        right_factor = 1.0 if last < len(self.items) - 1 else float(np.clip(beyond / self.edge, 0, 1))
        for gone in [m for m in list(self._shown) if m not in keep]:
            # invisible first: Manim keeps drawing what was in the group when the animation began
            self._mobs[gone].txt.set_fill(opacity=0)
            self._mobs[gone].bg.set_fill(opacity=0)
            self.tokens.remove(self._mobs[gone])
            del self._shown[gone]
        for k in visible:
            mob = self._mobs[k]
            x = left + self._left[k] + self._width[k] / 2 - o
            txt = mob.txt
            txt.move_to(np.array([x, 0, 0]) + txt.get_center() * np.array([0, 1, 0]))
            txt.shift(np.array([0, baseline - (txt.get_bottom()[1] + txt.descent), 0]))
            mob.bg.move_to(np.array([x, self.box.get_center()[1], 0]))
            # a token shows as long as a bit of it (up to 0.6) is inside: long phrases leave no gap at the edges
            bit = min(self._width[k], 0.6)
            inside_left = x + self._width[k] / 2 - bit - left
            inside_right = right - (x - self._width[k] / 2 + bit)
            fade_left = 1 - (1 - np.clip(inside_left / self.edge, 0, 1)) * left_factor
            fade_right = 1 - (1 - np.clip(inside_right / self.edge, 0, 1)) * right_factor
            alpha = 1.0 if self.fits else round(float(min(fade_left, fade_right)), 3)
            read = s >= 0 and k <= s + 0.5
            if k not in self._shown:
                self.tokens.add(mob)
            if self._shown.get(k) != (alpha, read):
                txt.set_fill(COLORS["text"] if read else FUTURE, opacity=alpha)
                mob.bg.set_fill(opacity=alpha if mob.has_span else 0)
                self._shown[k] = (alpha, read)
        # the cursor
        if s < 0:
            self.cursor.set_stroke(opacity=0)
        else:
            centre, width = self.center_line(s)
            target = RoundedRectangle(corner_radius=0.08, width=width + 0.18, height=self.row_height - 0.04)
            self.cursor.set_points(target.points)
            self.cursor.move_to(np.array([left + centre - o, self.box.get_center()[1], 0]))
            self.cursor.set_stroke(opacity=1)
        return self
