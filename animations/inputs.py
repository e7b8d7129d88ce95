"""What a scene reads: its traces, its language and its options, resolved once.

Two ways in, kept apart on purpose:

- an explicit call (`explainer animate`, `animations.render`, the lecture, Python) passes
  a `SceneInputs` made by `resolve`: the given traces or the shipped defaults, the given
  language, the given options. The environment is never looked at, so a stale
  `export EXPLAINER_STEP=999` cannot change what `explainer animate ForgetGate` draws.
- the plain `manim` command constructs the Scene class with no arguments; only then does
  `from_environment` read

      EXPLAINER_TRACE   path of the trace (several, for scenes that read more, joined by ':')
      EXPLAINER_LANG    en | zh
      EXPLAINER_STEP    the time step to explain (gate scenes)
      EXPLAINER_LAYER   the layer to show
      EXPLAINER_UNITS   the units to show, by their numbers in the model: 7,5,22
      EXPLAINER_ROW     the batch row (sequence) to show
      EXPLAINER_UNIT    one unit as LAYER.STATE.UNIT, e.g. 1.c.98 (CellText)
      EXPLAINER_FEATURE the discovered feature whose best unit to follow, e.g. indent (CellText)

  An EXPLAINER_ variable of an option the scene does not read is left alone (one shell
  renders several scenes with the same environment); an explicit option it does not read
  is refused.

Read when a scene is built, never at import.

    >>> from animations.registry import get
    >>> inputs = resolve(get("ForgetGate"), lang="zh", options={"step": 5})
    >>> inputs.lang, inputs.options, inputs.traces[0].kind
    ('zh', {'step': 5, 'layer': None, 'units': None, 'row': None}, 'lstm')
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from explainer import assets
from explainer.errors import ExplainerError
from explainer.style import check_lang
from explainer.reading.lengths import is_padded, one_row
from explainer.trace import Trace

from .registry import OPTIONS, SceneSpec, check_options, check_traces


@dataclass(frozen=True)
class SceneInputs:
    """Everything a scene reads: loaded and checked traces, a language, and its options (None: not given)."""

    traces: tuple[Trace, ...]
    lang: str = "en"
    options: dict[str, Any] = field(default_factory=dict)


def resolve(spec: SceneSpec, traces: Sequence | None = None, lang: str = "en",
            options: Mapping[str, Any] | None = None) -> SceneInputs:
    """The inputs of an explicit call: given traces (paths or Trace objects) or the shipped ones."""
    chosen = check_options(spec, dict(options or {}))
    given = list(traces) if traces else [assets.trace_path(name) for name in spec.default]
    loaded = tuple(t if isinstance(t, Trace) else Trace.load(t) for t in given)
    labels = [str(t) if not isinstance(t, Trace) else "the given trace" for t in given]
    check_traces(spec, list(loaded), labels)
    if any(is_padded(t) for t in loaded):  # a padded trace: the row shown, its real steps only
        cut = [one_row(t, chosen.get("row")) for t in loaded]
        loaded = tuple(t for t, _ in cut)
        if chosen.get("row") is not None:
            chosen["row"] = 0
    return SceneInputs(loaded, check_lang(lang), chosen)


def from_environment(spec: SceneSpec, environ: Mapping[str, str] | None = None) -> SceneInputs:
    """The inputs of a plain `manim` run: the EXPLAINER_ variables, else the shipped defaults."""
    env = os.environ if environ is None else environ
    paths = [p for p in (env.get("EXPLAINER_TRACE") or "").split(os.pathsep) if p]
    options = {o: _parse(o, env[f"EXPLAINER_{o.upper()}"]) for o in OPTIONS
               if o in spec.options and env.get(f"EXPLAINER_{o.upper()}")}
    return resolve(spec, paths or None, env.get("EXPLAINER_LANG") or "en", options)


def _parse(option: str, text: str) -> int | list[int] | str:
    """EXPLAINER_STEP=5 -> 5; EXPLAINER_UNITS=7,5,22 -> [7, 5, 22]; EXPLAINER_UNIT=1.c.98 -> '1.c.98' (the scene checks it)."""
    name = f"EXPLAINER_{option.upper()}"
    if option in ("unit", "feature"):
        return text.strip()
    try:
        if option == "units":
            units = [int(p) for p in text.replace(",", " ").split()]
            if not units:
                raise ValueError
            return units
        return int(text)
    except ValueError:
        what = "a list of unit numbers, e.g. 7,5,22" if option == "units" else "an integer"
        raise ExplainerError(f"{name} must be {what}, got {text!r}") from None
