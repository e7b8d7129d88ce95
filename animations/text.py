"""Text for scenes: words from explainer.style in the right font, at sizes readable at 720p.

Latin text uses DejaVu Sans and Chinese uses Noto Sans CJK SC, as in the figures. Words
written as matplotlib mathtext in the word tables ($\\tilde{C}$) become plain Unicode here.

How big text is, once for every scene: the lecture's default quality is 720p30, where the
frame's 8 units are 720 px (90 px a unit), and every letter or digit on screen is at least
`MIN_PX` = 14 px tall there. "Tall" is the cap height: the height of a capital H (the same
as a digit's) in the text's font at its size as drawn now, whatever letters the text holds,
so "ace" is not penalised for having no ascenders and "Hg" not favoured for its descender.
`cap_height(mobject)` measures it for every kind of text a scene draws (Text, MarkupText,
Paragraph and Code lines, an `Equation`, the numbers inside a `StateVector`).
`MIN_SIZE` is the smallest font size that meets it (16: a cap height of 14.6 px);
scenes use the named sizes below.

    >>> round(cap_height(label("ace", size=MIN_SIZE)) * PX_PER_UNIT, 1)      # pixels at 720p
    14.6
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from manim import MarkupText, Mobject, Paragraph, Text

from explainer.style import CJK_FONT, COLORS, LATIN_FONT

_MATH = {r"$\tilde{C}$": "C̃", r"\tilde{C}": "C̃"}
INK = COLORS["text"]

#: Pixels per scene unit at 720p (the lecture's default quality): 720 px over the frame's 8 units.
PX_PER_UNIT = 720 / 8
#: The least cap height of any letter or digit on screen at 720p, in pixels.
MIN_PX = 14
#: Font sizes (Manim's font_size): the smallest readable one, and the sizes scenes use.
MIN_SIZE = 16
TITLE_SIZE = 38
SUBTITLE_SIZE = 22
CAPTION_SIZE = 26
LABEL_SIZE = 20
SMALL_SIZE = 18


def plain(s: str) -> str:
    """Mathtext bits of a word as Unicode (Pango draws text, not mathtext)."""
    for k, v in _MATH.items():
        s = s.replace(k, v)
    return re.sub(r"\$([^$]*)\$", r"\1", s)


def font_for(lang: str, s: str = "") -> str:
    return CJK_FONT if lang == "zh" or re.search(r"[\u3000-\u9fff\uff00-\uffef]", s) else LATIN_FONT


def label(s: str, lang: str = "en", size: float = 28, color: str = INK, weight: str = "NORMAL", **kw) -> Text:
    """A Text in the font for `lang` (or for the characters it holds)."""
    s = plain(s)
    font = font_for(lang, s)
    if "\u0303" in s and font != LATIN_FONT:
        # the CJK font has no combining tilde: draw letters that carry one (C̃) in the Latin font
        parts = re.split(r"(\w\u0303)", s)
        markup = "".join(f'<span font_family="{LATIN_FONT}">{escape(p)}</span>' if p.endswith("\u0303") else escape(p)
                         for p in parts)
        return MarkupText(markup, font=font, font_size=size, color=color, weight=weight, **kw)
    return Text(s, font=font, font_size=size, color=color, weight=weight, **kw)


@lru_cache(maxsize=16)
def cap_per_size(font: str) -> float:
    """Scene units of cap height per unit of Manim font size, in `font` (a capital H, measured)."""
    return float(Text("H", font=font or LATIN_FONT, font_size=100).height) / 100


def cap_height(mob: Mobject) -> float | None:
    """The cap height of the text `mob` draws, in scene units, as it is now (None: `mob` draws no text).

    Text and MarkupText: its font size now (Manim's font_size follows every scaling) times the
    cap height per size of its font. Paragraph (Code's lines): the size of its text times how
    much it was scaled since it was made (`initial_height` when recorded, else its own text's
    height). Anything else that draws glyphs answers `glyph_height()` (Equation, StateVector).
    """
    if isinstance(mob, (Text, MarkupText)):
        return float(mob.font_size) * cap_per_size(getattr(mob, "font", "") or LATIN_FONT) if mob.height > 0 else None
    if isinstance(mob, Paragraph):
        inner = mob.lines_text
        start = getattr(mob, "initial_height", None) or inner.height
        if not start or not mob.height:
            return None
        return float(inner.font_size) * mob.height / start * cap_per_size(getattr(inner, "font", "") or LATIN_FONT)
    glyphs = getattr(mob, "glyph_height", None)
    if callable(glyphs):
        return glyphs()
    return None
