"""The `text` figure as a web page: one self-contained HTML file, no script, to scroll and hover.

The same picture as the PNG (`text.py`): the same unit, the same title and notes, the same
colours (the colormap's 256 entries, one CSS class each, so a character's background here
is exactly its cell's there), the same rows (`explainer.reading.text_rows`: line breaks
kept, long lines wrapped and marked `↪`), but the whole text rather than what fits on a
slide (up to `MOST` characters, said when cut). Hovering a character shows its step and
value (the `title` attribute). Every character of the text is escaped; nothing is fetched.

    >>> from explainer.figures.text_html import save_html
    >>> save_html("text", "code.safetensors", "code.html", feature="indent")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import to_hex

from ..errors import ExplainerError
from ..files import atomic_output
from ..ownership import MARK
from ..reading import number, shown
from ..reading.one_unit import r_means, unit_title, unit_why
from ..reading.text import visible
from ..reading.text_rows import glyph, text_rows
from ..style import CJK_FONT, COLORS, LATIN_FONT, check_lang, word
from ..trace import Trace
from .draw import text_color, tick
from .text import MONO, Colouring, colouring, extent_note

#: The most characters a page holds (about 80 bytes each).
MOST = 200_000
#: Cells per row before a line wraps.
WIDTH = 120
#: Figures that have a page form, and what makes it.
PAGES = ("text",)


def page(trace: Trace, *, lang: str = "en", unit: str | None = None, feature: str | None = None,
         row: int | None = None) -> str:
    """The page's HTML."""
    check_lang(lang)
    paint = colouring(trace, unit=unit, feature=feature, row=row)
    rows = text_rows(paint.text, WIDTH)
    if rows.shown > MOST:
        rows = _first(paint.text, MOST)
    title = unit_title(paint.shown, lang)
    notes = [shown(trace, paint.shown.layer, 0 if row is None else row, lang),
             " · ".join(n for n in (extent_note(rows, lang), r_means(paint.shown, lang)) if n),
             unit_why(paint.shown, lang)]
    n = paint.cmap.N
    index = _entries(paint)  # [characters]: the colormap entry of each background (-1: not finite)
    lines = []
    for r in rows.rows:
        spans = ['<span class="w">↪</span>' if r.continued else '<span class="w"> </span>']
        for t in r.steps:
            ch = paint.text[t]
            tip = word("textpic.tooltip", lang, t=t, char=visible(ch), value=number(paint.values[t]))
            kind = f"c{index[t]}" if index[t] >= 0 else "nan"
            spans.append(f'<span class="{kind}" title="{escape(tip)}">{escape(glyph(ch))}</span>')
        lines.append("".join(spans))
    css = "\n".join(_css(paint, n))
    head = "\n".join(f'<p class="note">{escape(x)}</p>' for x in notes if x)
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="generator" content="{MARK}">
<title>{escape(title)}</title>
<style>
body {{ font-family: "{LATIN_FONT}", "{CJK_FONT}", sans-serif; color: {COLORS['text']}; margin: 2em; }}
h1 {{ font-size: 1.6em; margin: 0 0 0.3em; }}
p.note {{ color: #555; margin: 0.15em 0; }}
.legend {{ display: flex; align-items: center; gap: 0.6em; margin: 1em 0; color: #444; }}
.bar {{ width: 22em; height: 1em; border: 1px solid #999; background: linear-gradient(to right, {_gradient(paint)}); }}
pre {{ font-family: "{MONO}", Menlo, Consolas, "{CJK_FONT}", monospace; font-size: 14px; line-height: 1.5; }}
pre span {{ white-space: pre; }}
.w {{ color: #888; padding-right: 0.6em; user-select: none; }}
.nan {{ background: {COLORS['dim']}; }}
{css}
</style>
</head>
<body>
<h1>{escape(title)}</h1>
{head}
<div class="legend"><span>{escape(word("textpic.bar", lang, unit=paint.shown.label))}</span>
<span>{escape(tick(paint.limits[0]))}</span><span class="bar"></span><span>{escape(tick(paint.limits[1]))}</span></div>
<pre>
{chr(10).join(lines)}
</pre>
</body>
</html>
"""


def save_html(name: str, source: Any, path: str | os.PathLike, *, lang: str = "en", **options: Any) -> Path:
    """Write figure `name`'s page to `path` (atomically); the options as for `explainer.figures.make`."""
    from ..reading.lengths import one_row
    from .api import _check_options
    from .registry import get, load_source

    spec = get(name)
    if name not in PAGES:
        raise ExplainerError(f"figure {name} has no web page form (only {', '.join(PAGES)} has); "
                             "give -o with .png, .svg or .pdf")
    check_lang(lang)
    _check_options(spec, **options)
    trace = load_source(spec, source)
    trace, options["row"] = one_row(trace, options.get("row"))  # a padded trace: the row drawn, its real steps only
    given = {k: v for k, v in options.items() if k in spec.options}
    text = page(trace, lang=lang, **given)
    path = Path(path)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def _entries(paint: Colouring) -> np.ndarray:
    """[characters] the colormap entry each value falls in, as matplotlib picks it (-1 where not finite)."""
    from matplotlib.colors import Normalize

    v = np.asarray(paint.values, dtype=float)  # [characters]
    x = np.asarray(Normalize(*paint.limits, clip=True)(np.nan_to_num(v)), dtype=float)  # [characters] in [0, 1]
    index = np.clip((x * paint.cmap.N).astype(int), 0, paint.cmap.N - 1)  # as Colormap.__call__ bins a float
    return np.where(np.isfinite(v), index, -1)


def _css(paint: Colouring, n: int) -> list[str]:
    """One class per colormap entry used: its background and the ink that reads on it."""
    used = sorted({int(k) for k in _entries(paint) if k >= 0})
    rules = []
    for k in used:
        rgba = paint.cmap(k)  # an int picks the entry itself
        rules.append(f".c{k} {{ background: {to_hex(rgba)}; color: {text_color(rgba)}; }}")
    return rules


def _gradient(paint: Colouring) -> str:
    return ", ".join(to_hex(paint.cmap(x)) for x in np.linspace(0, 1, 11))


def _first(text: str, most: int):
    """The rows of the first `most` characters (their rows whole)."""
    rows = text_rows(text, WIDTH)
    count, keep = 0, 0
    for keep, r in enumerate(rows.rows):
        if count + len(r.steps) > most:
            break
        count += len(r.steps)
    else:
        keep = len(rows.rows)
    return text_rows(text, WIDTH, max_rows=max(1, keep))
