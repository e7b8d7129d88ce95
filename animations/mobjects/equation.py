"""An equation from matplotlib's mathtext (no LaTeX): parts that can take on values.

Each part (`"f_t"`, `"="`, `"\\sigma("`, ...) is rendered by matplotlib's mathtext to an
SVG file (cached by content) and loaded as an `SVGMobject`; parts sit on one baseline, so
any part can be swapped for the value it stands for:

    >>> eq = Equation([r"f_t", r"=", r"\\sigma(W_f\\cdot[h_{t-1}, x_t] + b_f)"])   # doctest: +SKIP
    >>> self.play(eq.take_value(0, strip_of_f))                                    # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from manim import DOWN, UP, AnimationGroup, FadeIn, FadeOut, Mobject, SVGMobject, VGroup

from explainer.style import COLORS

#: Points per scene unit: a 36 pt part is 0.5 units tall.
POINTS_PER_UNIT = 72.0
#: DejaVu Sans's cap height (a capital's, a digit's) as a fraction of the font size.
CAP_OF_SIZE = 0.729
#: A transparent frame drawn around each part, so the SVG's content box is the whole
#: layout box (height above and depth below the baseline), whatever the glyphs.
FRAME_COLOR = "#FF00FF"


def _cache_dir() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = root / "explainer" / "mathtext"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = Path(tempfile.gettempdir()) / "explainer-mathtext"
        path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=512)
def render_part(tex: str, size: float = 36.0) -> tuple[str, float, float, float]:
    """mathtext `tex` -> (svg path, width, height above the baseline, depth below), in points."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    source = tex if tex.startswith("$") else f"${tex}$"
    with matplotlib.rc_context({"mathtext.fontset": "dejavusans", "svg.fonttype": "path", "svg.hashsalt": "eq"}):
        prop = FontProperties(family="DejaVu Sans", size=size)
        width, height, depth = (float(v) for v in MathTextParser("path").parse(source, dpi=72, prop=prop)[:3])
        key = hashlib.sha256(f"{source}|{size}|{matplotlib.__version__}".encode()).hexdigest()[:20]
        path = _cache_dir() / f"{key}.svg"
        if not path.exists():
            from matplotlib.patches import Rectangle

            fig = Figure(figsize=(max(width, 1) / 72, max(height + depth, 1) / 72), dpi=72)
            fig.patch.set_visible(False)
            fig.add_artist(Rectangle((0, 0), 1, 1, transform=fig.transFigure, facecolor=FRAME_COLOR, alpha=0.004,
                                     edgecolor="none"))
            fig.text(0, depth / max(height + depth, 1e-9), source, fontproperties=prop, color="black")
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fig.savefig(tmp, format="svg", dpi=72, transparent=True)
            os.replace(tmp, path)
    return str(path), width, height, depth


class Part(SVGMobject):
    """One part of an equation; it knows how tall its letters are (each part may be faded out alone)."""

    size: float = 0.0
    initial_height: float = 0.0

    def generate_mobject(self) -> Part:
        """Manim's, except that the modified SVG is parsed from memory: Manim writes it beside the
        file as `NAME_.svg` and deletes it, and two processes rendering the same cached part (the
        lecture's dask workers) would delete each other's."""
        import svgelements as se
        from xml.etree import ElementTree

        tree = self.modify_xml_tree(ElementTree.parse(self.get_file_path()))
        buffer = io.BytesIO()
        tree.write(buffer)
        buffer.seek(0)
        mobjects, self.id_to_vgroup_dict = self.get_mobjects_from(se.SVG.parse(buffer))
        self.add(*mobjects)
        self.flip(np.array([1, 0, 0]))  # SVG's y points down
        return self

    def glyph_height(self) -> float | None:
        """The cap height of its letters now, in scene units (as `animations.text.cap_height` measures text)."""
        if not self.initial_height or not self.height:
            return None
        return CAP_OF_SIZE * self.size / POINTS_PER_UNIT * self.height / self.initial_height


class Equation(VGroup):
    """Parts of a formula on one baseline; `part(i)` is the i-th part."""

    def __init__(self, parts: list[str], *, size: float = 36.0, color: str = COLORS["text"],
                 colors: dict[int, str] | None = None, gap: float = 0.06) -> None:
        super().__init__()
        self.sources = list(parts)
        x = 0.0
        for k, tex in enumerate(parts):
            path, width, height, depth = render_part(tex, size)
            scale = 1 / POINTS_PER_UNIT
            mob = Part(path, height=(height + depth) * scale, stroke_width=0)
            ink = (colors or {}).get(k, color)
            for piece in mob.submobjects:
                frame = piece.get_fill_color().to_hex().upper() == FRAME_COLOR
                piece.set_fill(ink, opacity=0 if frame else 1).set_stroke(width=0)
            mob.move_to(np.array([x + width * scale / 2, (height - depth) * scale / 2, 0]))
            mob.remove(*[p for p in mob.submobjects if p.get_fill_opacity() == 0])  # the frame did its job
            x += width * scale + gap
            self.add(mob)
            mob.size, mob.initial_height = float(size), mob.height

    def part(self, i: int) -> Mobject:
        return self.submobjects[i]

    def take_value(self, i: int, value: Mobject, *, below: bool = False, left: bool = False,
                   **kwargs) -> AnimationGroup:
        """The symbol gives way to its value (placed where it was, just below it, or just left of the equation)."""
        symbol = self.part(i)
        if left:
            value.next_to(self, np.array([-1, 0, 0]), buff=0.25)
            return AnimationGroup(FadeIn(value, shift=np.array([0.2, 0, 0])), **kwargs)
        if below:
            value.next_to(symbol, DOWN, buff=0.12).align_to(symbol, np.array([-1, 0, 0]))
            return AnimationGroup(FadeIn(value, shift=DOWN * 0.2), **kwargs)
        value.move_to(symbol)
        return AnimationGroup(FadeOut(symbol, shift=UP * 0.2), FadeIn(value, shift=UP * 0.2), **kwargs)


__all__ = ["Equation", "Part", "render_part"]
