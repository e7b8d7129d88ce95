"""Where a scene's traces, language and step come from.

Explicit arguments first (what `explainer animate` passes), then the environment (what the
plain `manim` command can pass), then the shipped defaults:

    EXPLAINER_TRACE   path of the trace (several, for scenes that read more, joined by ':')
    EXPLAINER_LANG    en | zh
    EXPLAINER_STEP    the time step to explain (gate scenes)

Read when a scene is built, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from explainer import assets
from explainer.errors import ExplainerError
from explainer.style import check_lang
from explainer.trace import Trace

from .registry import SceneSpec, check_traces


def resolve(spec: SceneSpec, traces: Sequence | None = None, lang: str | None = None,
            step: int | None = None) -> tuple[list[Trace], str, int | None]:
    lang = check_lang(lang or os.environ.get("EXPLAINER_LANG") or "en")
    if step is None and os.environ.get("EXPLAINER_STEP"):
        try:
            step = int(os.environ["EXPLAINER_STEP"])
        except ValueError:
            raise ExplainerError(f"EXPLAINER_STEP must be an integer, got {os.environ['EXPLAINER_STEP']!r}") from None
    given = list(traces) if traces else []
    if not given and os.environ.get("EXPLAINER_TRACE"):
        given = [p for p in os.environ["EXPLAINER_TRACE"].split(os.pathsep) if p]
    if not given:
        given = [assets.trace_path(name) for name in spec.default]
    loaded = [t if isinstance(t, Trace) else Trace.load(t) for t in given]
    labels = [str(t) if not isinstance(t, Trace) else "the given trace" for t in given]
    check_traces(spec, loaded, labels)
    return loaded, lang, step


def check_step(trace: Trace, step: int | None, default: int) -> int:
    """The step to explain, with a one-line error when it is out of range."""
    t = default if step is None else step
    if not isinstance(t, int) or not 0 <= t < trace.num_steps:
        raise ExplainerError(f"--step {t} is out of range: this trace has {trace.num_steps} steps (0 to {trace.num_steps - 1})")
    return t
