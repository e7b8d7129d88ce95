"""The chapters of the lecture, in the order of the source's narrative.

Each chapter is a card (text), a figure (a still, from `explainer figure`) or a scene
(an animation, from `explainer animate`). Its words live in the narration files, not here.
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


FULL = [
    Chapter("title", "card", "title"),
    Chapter("sine", "figure", "data"),
    Chapter("unrolled", "scene", "UnrolledRNN"),
    Chapter("code", "scene", "SourceCode"),
    Chapter("training", "figure", "loss"),
    Chapter("predict", "figure", "predict"),
    Chapter("windows", "figure", "windows"),
    Chapter("multistep", "scene", "SinePrediction"),
    Chapter("horizon", "figure", "horizon"),
    Chapter("shapes", "figure", "shapes"),
    Chapter("strategies", "figure", "strategies"),
    Chapter("long-term", "figure", "distance"),
    Chapter("learning", "figure", "learning"),
    Chapter("gradient-flow", "figure", "gradient-flow"),
    Chapter("gradient", "scene", "GradientFlow"),
    Chapter("lstm-cell", "figure", "lstm-cell"),
    Chapter("forget", "scene", "ForgetGate"),
    Chapter("input", "scene", "InputGate"),
    Chapter("cell", "scene", "CellUpdate"),
    Chapter("output", "scene", "OutputGate"),
    Chapter("pronoun", "scene", "PronounMemory"),
    Chapter("long-range", "scene", "LongRange"),
    Chapter("summary", "card", "summary"),
]

#: The demo's short lecture: the story's spine in under two minutes of video.
SHORT = [c for c in FULL if c.id in ("title", "sine", "unrolled", "lstm-cell", "forget", "pronoun", "summary")]

PLANS = {"full": FULL, "short": SHORT}


def chapters(plan: str = "full") -> list[Chapter]:
    if plan not in PLANS:
        raise ExplainerError(f"unknown lecture plan {plan!r}; valid: {', '.join(PLANS)}")
    return list(PLANS[plan])
