"""A chapter of a lecture, and the built-in lectures' chapter lists.

Each chapter is a card (text), a figure (a still, from `explainer figure`), a scene (an
animation, from `explainer animate`) or a code panel. The chapters and their words live in
the lecture files (`documents/*.toml`, read by `document.py`), not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ExplainerError


@dataclass(frozen=True)
class Chapter:
    id: str
    kind: str  # "card", "figure" or "scene"
    content: str  # card style ("title", "summary"), figure name or scene name
    options: dict = field(default_factory=dict)  # e.g. {"focus": "forget"} for a figure, {"step": 5} for a scene
    assets: tuple[str, ...] = ()  # shipped traces a scene reads (default: the scene's own)
    sources: tuple[str, ...] = ()  # trace or checkpoint paths a lecture file gives (default: the shipped ones)
    text: str | None = None  # a scene's own sentence, traced through `checkpoint` (a language model)
    checkpoint: str | None = None  # the language checkpoint `text` goes through (default: the shipped LSTM)
    code: str | None = None  # a code panel's source text (content: its language)
    titles: dict = field(default_factory=dict)  # {lang: its title in the chapter marks} (default: the built-in words)


def __getattr__(name: str):
    """FULL and SHORT: the chapters of the built-in lecture files (`documents/full.toml`, `short.toml`),
    read when first asked for (they name scenes, whose registry imports Manim)."""
    if name in ("FULL", "SHORT"):
        from .document import built_in

        return list(built_in(name.lower()).chapters)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PLANS = ("full", "short")


def chapters(plan: str = "full") -> list[Chapter]:
    if plan not in PLANS:
        raise ExplainerError(f"unknown lecture plan {plan!r}; valid: {', '.join(PLANS)}")
    from .document import built_in

    return list(built_in(plan).chapters)
