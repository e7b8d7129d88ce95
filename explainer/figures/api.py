"""Making and saving figures by name (what `explainer figure` calls)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ExplainerError
from ..files import atomic_output
from ..ownership import FIGURE_METADATA
from ..style import check_lang
from .registry import FigureSpec, get, load_source, specs

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def names() -> list[str]:
    """Every figure name, in lecture order."""
    return list(specs())


def describe() -> list[tuple[str, str]]:
    """(name, one-line description) of every figure."""
    return [(s.name, s.description) for s in specs().values()]


def make(name: str, source: Any = None, *, lang: str = "en", step: int | None = None, focus: str | None = None,
         layer: int | None = None, units: Sequence[int] | None = None, row: int | None = None,
         unit: str | None = None, feature: str | None = None):
    """A matplotlib Figure by name, from a trace / checkpoint (path or object) or the shipped default.

    `step`, `focus`, `layer`, `units` (original unit numbers), `row`, `unit` (one unit as
    L.KIND.N, e.g. "1.c.98") and `feature` (a discovered feature's best unit) go to the figures
    that take them (`FigureSpec.options`); giving one to a figure that does not is an error.

    >>> from explainer.figures import make
    >>> fig = make("gates", lang="zh", units=[5, 7, 22])      # doctest: +SKIP
    >>> fig = make("text", "code.safetensors", feature="indent")   # doctest: +SKIP
    """
    spec = get(name)
    check_lang(lang)
    given = {"step": step, "focus": focus, "layer": layer, "units": units, "row": row, "unit": unit, "feature": feature}
    _check_options(spec, **given)
    data = load_source(spec, source)
    if spec.source == "trace" and not spec.padded:
        from ..reading.lengths import one_row

        data, given["row"] = one_row(data, given["row"])  # a padded trace: the row drawn, its real steps only
    kwargs: dict[str, Any] = {"lang": lang, **{k: v for k, v in given.items() if k in spec.options}}
    return spec.draw(data, **kwargs)


def _check_options(spec: FigureSpec, **given: Any) -> None:
    """Refuse, in one line, an option the figure does not take."""
    for option, value in given.items():
        if value is not None and option not in spec.options:
            takes = ", ".join(f"--{o}" for o in spec.options)
            takers = [s.name for s in specs().values() if option in s.options]
            raise ExplainerError(f"figure {spec.name} takes no --{option} (it takes {'only ' + takes if takes else 'no options'});"
                                 f" figures that do: {', '.join(takers)}")


def save(fig, path: str | os.PathLike, dpi: int = 100) -> Path:
    """Write a figure; the format follows the suffix (.png with dpi, .svg, .pdf), atomically, with explainer's mark."""
    from ..style import mpl_style

    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExplainerError(f"cannot tell the format of '{path}'; use one of: {', '.join(FORMATS)}")
    if not 10 <= dpi <= 1200:
        raise ExplainerError(f"--dpi must be between 10 and 1200, got {dpi}")
    meta = FIGURE_METADATA[fmt]  # explainer's mark (what lets a later run replace the file without --force), no date
    with mpl_style(getattr(fig, "explainer_lang", "en")), atomic_output(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
        if fmt == "svg":
            _stable_svg_ids(tmp)
    return path


def _stable_svg_ids(path: Path) -> None:
    """matplotlib names some clip paths after Python object ids; number them in order instead,
    so the same figure always gives the same bytes."""
    import re

    text = path.read_text(encoding="utf-8")
    order: dict[str, str] = {}
    for found in re.findall(r'id="(p[0-9a-f]{10})"', text):
        order.setdefault(found, f"clip{len(order)}")
    if order:
        text = re.sub(r"\b(p[0-9a-f]{10})\b", lambda m: order.get(m.group(1), m.group(1)), text)
        path.write_text(text, encoding="utf-8")
