"""What a cue says aloud: its text with the symbols of the formulas written as words.

Captions and narration show `hₜ₋₁`, `σ`, `≈`, `−0.14`, `f ⊙ C`; a speech engine spells such
characters out by their Unicode names or skips them. Before synthesis they become what a
lecturer would say ("h t minus 1", "sigma", "about", "minus 0.14"); the subtitle keeps the
symbols. Only the spoken form is cached and voiced.

    >>> spoken_form("In: hₜ₋₁ and xₜ, joined", "en")
    'In: h t minus 1 and x t, joined'
    >>> spoken_form("f ≈ −0.14", "zh")
    'f 约 负0.14'
"""

from __future__ import annotations

import re

_SUB = str.maketrans({"ₜ": " t", "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7",
                      "₈": "8", "₉": "9", "ₓ": " x", "ₕ": " h", "ₙ": " n"})
WORDS = {
    "en": {"₋": " minus ", "₊": " plus ", "σ": "sigma", "≈": "about", "⊙": "times", "×": "times", "→": "to",
           "≤": "at most", "≥": "at least", "∂": "d", "‖": "", "Σ": "the sum of", "·": " "},
    "zh": {"₋": "减", "₊": "加", "σ": "西格玛", "≈": "约", "⊙": "乘", "×": "乘", "→": "到", "≤": "不超过",
           "≥": "至少", "∂": "d", "‖": "", "Σ": "求和", "·": " "},
}
_NEGATIVE = {"en": "minus ", "zh": "负"}


def spoken_form(text: str, lang: str) -> str:
    """`text` as it is said in `lang`: formula symbols as words, a minus sign before a number as "minus"."""
    words = WORDS.get(lang, WORDS["en"])
    out = re.sub(r"−(?=\d)", _NEGATIVE.get(lang, "minus "), text)  # U+2212 before a number
    out = out.replace("−", words["₋"].strip() if lang == "en" else "减")
    for symbol, said in words.items():
        out = out.replace(symbol, said)
    out = out.translate(_SUB)
    return re.sub(r"[ \t]{2,}", " ", out).strip()
