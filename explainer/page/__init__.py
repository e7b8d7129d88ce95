"""The interactive trace page: one self-contained HTML file to explore a trace in a browser.

The steps (characters, tokens or x values) coloured by a chosen unit; controls for the
sequence, layer, quantity (h, c, each gate) and unit; every vector of a hovered step as
colour strips with its numbers; a heatmap of units × steps; LSTMVis's two tools (the units on
over a selected range of steps, and a match search for where they are on together again,
`explainer.reading.lstmvis`); the discovered feature units of a text trace; the difference of
an intervened trace from its baseline. It works offline (no library, nothing fetched).

Files: `payload.py` (the trace as the page's data), `quantize.py` (8 or 16 bits per value),
`html.py` (the page), `inline.py` (the page in a notebook), `assets/` (its script and style).

    >>> from explainer.trace import Trace
    >>> from explainer import page
    >>> text = page.build(Trace.load("assets/traces/language-lstm.safetensors"), lang="zh")
    >>> text.startswith("<!DOCTYPE html>") and '<meta name="generator" content="explainer">' in text
    True
    >>> page.save("assets/traces/text-lstm.safetensors", "trace.html")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..trace import Trace
from .html import html
from .payload import MOST_STEPS, payload


def build(trace: Trace, *, baseline: Trace | None = None, lang: str = "en", **options: Any) -> str:
    """The page's HTML for a trace (or its difference from `baseline`).

    `options`: `module` (one recurrent module of a trace of several: 'encoder.lstm'), `row`, `start`, `steps`
    (default the first MOST_STEPS), `unit` ('1.c.98'), `feature`, `bits` (8 or 16).
    """
    return html(payload(trace, baseline=baseline, lang=lang, **options))


def _trace(source: Trace | str | os.PathLike) -> Trace:
    return source if isinstance(source, Trace) else Trace.load(source)


def save(source: Trace | str | os.PathLike, path: str | os.PathLike, *,
         baseline: Trace | str | os.PathLike | None = None, lang: str = "en", **options: Any) -> Path:
    """Write the page of a trace (a Trace or a trace file) to `path`, atomically."""
    from ..files import atomic_output

    name = None if isinstance(source, Trace) else Path(source).name
    if baseline is not None and not isinstance(baseline, Trace):
        name = f"{name} − {Path(baseline).name}"
    text = build(_trace(source), baseline=None if baseline is None else _trace(baseline), lang=lang, name=name,
                 **options)
    path = Path(path)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


__all__ = ["MOST_STEPS", "build", "save"]
