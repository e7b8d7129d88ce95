"""Text for scenes: words from explainer.style in the right font.

Latin text uses DejaVu Sans and Chinese uses Noto Sans CJK SC, as in the figures. Words
written as matplotlib mathtext in the word tables ($\\tilde{C}$) become plain Unicode here.
"""

from __future__ import annotations

import re
from html import escape

from manim import MarkupText, Text

from explainer.style import CJK_FONT, COLORS, LATIN_FONT

_MATH = {r"$\tilde{C}$": "C̃", r"\tilde{C}": "C̃"}
INK = COLORS["text"]


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

