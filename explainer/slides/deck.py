"""The slides as one offline reveal.js page and as a PowerPoint file, by manim-slides' own converters.

manim-slides writes the deck (`RevealJS` with `one_file`: every video and image inside the
page as a data URI) and the PPTX (`PowerPoint`: one slide per slide, its notes as the
slide's speaker notes). Its `offline` option would download reveal.js from a CDN at run
time; instead the page names reveal.js by a prefix that is no address, and each of its
files is put inline from the copy shipped with explainer (`reveal/`, reveal.js 6.0.1, the
version manim-slides 5.7 writes for; MIT, its LICENSE beside it). So the page loads with
no network, and refers to no other file. Its head carries explainer's mark
(`explainer/ownership.py`: `<meta name="generator" content="explainer">`).

Speaker notes are Markdown in the page (reveal.js' notes plugin, `S` opens the speaker
view) and manim-slides' template puts them in as they are, so the page gets them escaped
to show as written (`<`, `&` in a cue); the PPTX gets them as written.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ExplainerError

#: The shipped reveal.js files, by the names manim-slides' template gives them.
REVEAL = Path(__file__).parent / "reveal"
#: What the template's CDN address becomes: not a URL, so nothing can ever be fetched from it.
PREFIX = "explainer-reveal:"
_LINK = re.compile(r'<link rel="stylesheet" href="' + re.escape(PREFIX) + r'/[^"]*?([\w.-]+)"\s*/?>')
_SCRIPT = re.compile(r'<script src="' + re.escape(PREFIX) + r'/[^"]*?([\w.-]+)"></script>')
GENERATOR = '<meta name="generator" content="explainer">'


def slide_count(configs: Sequence) -> int:
    """How many slides the presentations hold together."""
    return sum(len(c.slides) for c in configs)


def write_html(configs: Sequence, path: Path, title: str) -> None:
    """One self-contained reveal.js page at `path`: the slides of `configs` in order."""
    from manim_slides.convert import RevealJS

    escaped = [c.model_copy(update={"slides": [s.model_copy(update={"notes": _as_markdown_text(s.notes)})
                                               for s in c.slides]}) for c in configs]
    RevealJS(presentation_configs=escaped, one_file=True, offline=False, cdn_url=PREFIX,
             title=title or "explainer").convert_to(path)
    page = inline_reveal(path.read_text(encoding="utf-8"))
    path.write_text(page, encoding="utf-8")


def _as_markdown_text(notes: str) -> str:
    """Notes as the page must hold them to be shown as written: the notes plugin reads the text of the
    HTML (one escape undone) and renders it as Markdown, which passes HTML through (so escape twice).

    >>> _as_markdown_text("a <b> & c")
    'a &amp;lt;b&amp;gt; &amp;amp; c'
    """
    return html.escape(html.escape(notes, quote=False), quote=False)


def inline_reveal(page: str) -> str:
    """`page` with each reveal.js file it names (`PREFIX/dist/...`) put inline, and explainer's mark in its head.

    >>> page = inline_reveal('<head>\\n<meta charset="utf-8">\\n<script src="explainer-reveal:/dist/plugin/notes.js"></script>')
    >>> 'name="generator"' in page, PREFIX in page, 'RevealNotes' in page
    (True, False, True)
    """
    def style(match: re.Match) -> str:
        return "<style>\n" + _asset(match.group(1)) + "\n</style>"

    def script(match: re.Match) -> str:
        code = re.sub(r"</(script)", r"<\\/\1", _asset(match.group(1)), flags=re.IGNORECASE)
        return "<script>\n" + code + "\n</script>"

    page = _SCRIPT.sub(script, _LINK.sub(style, page))
    if PREFIX in page:  # a template naming a file we do not ship
        raise ExplainerError(f"the slide template names a reveal.js file explainer does not ship "
                             f"({page[page.index(PREFIX):].split(chr(34))[0]})")
    return page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + GENERATOR, 1)  # a line of its own


def _asset(name: str) -> str:
    path = REVEAL / name
    if not path.is_file():
        raise ExplainerError(f"the slide template names reveal.js' {name}, which explainer does not ship "
                             f"(in {REVEAL}); reinstall explainer")
    return path.read_text(encoding="utf-8")


def write_pptx(configs: Sequence, path: Path) -> int:
    """A PowerPoint file at `path` with one slide per slide of `configs` (videos play on entering, the
    notes as speaker notes); returns its number of slides."""
    import pptx
    from manim_slides.convert import PowerPoint
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    width, height = configs[0].resolution  # PowerPoint's slide: 1280 px wide (13.3 in) at the deck's shape; videos fill it
    converter = PowerPoint(presentation_configs=list(configs), width=1280, height=round(1280 * height / width))
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bars, one a chapter
        converter.convert_to(path)
    deck = pptx.Presentation(str(path))
    for slide in deck.slides:  # manim-slides makes a still 1 % wider than the slide (9625 for 9525 EMU a pixel)
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                shape.left, shape.top, shape.width, shape.height = 0, 0, deck.slide_width, deck.slide_height
    deck.save(str(path))
    return len(deck.slides)
