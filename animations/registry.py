"""How scenes are declared and found.

A scene class is declared with `@scene(...)` in its own module of this package: its name
for `explainer animate`, a one-line description, what traces it reads (cell kinds, task),
the shipped defaults, and the options it reads (`step`, `layer`, `units`, `row`), like
`FigureSpec.options`. An option a scene does not declare is refused, never ignored.
Modules are discovered, not listed: a new scene is a new file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explainer.errors import ExplainerError
from explainer.registry import Registry


@dataclass(frozen=True)
class SceneSpec:
    name: str
    description: str
    cls: type
    rank: int
    default: tuple[str, ...]  # shipped trace names, one per trace the scene reads
    kinds: tuple[tuple[str, ...] | None, ...]  # allowed cell kinds of each trace (None: any)
    tasks: tuple[str, ...] | None = None
    options: tuple[str, ...] = ()  # the options it reads, in the order --help lists them

    @property
    def module(self) -> str:
        return self.cls.__module__


#: Every option a scene may declare (each is also an `explainer animate` flag and an EXPLAINER_ variable).
OPTIONS = ("step", "layer", "units", "row", "unit", "feature")

SCENES: Registry[SceneSpec] = Registry("scene", "animations", {"registry", "render", "base", "beats", "inputs", "text",
                                                               "mobjects", "slides", "playhead", "fast_camera", "units",
                                                               "rendered", "slide_scenes"})


def scene(name: str, description: str, *, rank: int, default: str | tuple[str, ...],
          kinds: tuple | None = None, tasks: tuple[str, ...] | None = None, options: tuple[str, ...] = ()):
    """Declare a Scene class. `kinds` is one tuple of kinds per trace (or None for any);
    `options` are the options it reads (a subset of OPTIONS)."""
    defaults = (default,) if isinstance(default, str) else tuple(default)
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        raise ValueError(f"scene {name} declares unknown options {unknown}; valid: {', '.join(OPTIONS)}")

    def register(cls):
        per_trace = kinds if kinds is not None else (None,) * len(defaults)
        if per_trace and not isinstance(per_trace[0], (tuple, type(None))):
            per_trace = (tuple(per_trace),) * len(defaults)
        SCENES.add(name, SceneSpec(name, description, cls, rank, defaults, tuple(per_trace), tasks, tuple(options)))
        cls.spec_name = name
        return cls
    return register


def specs() -> dict[str, SceneSpec]:
    """Every scene, in lecture order (modules imported on first call)."""
    return SCENES.all()


def get(name: str) -> SceneSpec:
    return SCENES.get(name)


def scene_names() -> list[str]:
    return list(specs())


def describe() -> list[tuple[str, str]]:
    return [(s.name, s.description) for s in specs().values()]


def check_traces(spec: SceneSpec, traces: list, labels: list[str]) -> None:
    """One-line errors when a trace is of the wrong kind or task for the scene."""
    if len(traces) != len(spec.default):
        raise ExplainerError(f"scene {spec.name} reads {len(spec.default)} trace(s), {len(traces)} were given")
    for trace, label, kinds in zip(traces, labels, spec.kinds):
        if kinds and trace.kind not in kinds:
            need = " or ".join(k.split("_")[0].upper() for k in kinds)
            has = f"is a {trace.kind} trace" if trace.kind else "does not say which cell kind it records (no meta kind)"
            raise ExplainerError(
                f"scene {spec.name} needs a{'n' if need[0] in 'AEIOLR' else ''} {need} trace; '{label}' {has}"
                f" (the shipped one is assets/traces/{spec.default[0]}.safetensors)"
            )
        task = trace.meta.get("task")
        if spec.tasks and task not in spec.tasks:
            has = f"is from the {task} task" if task else "does not say which task it comes from (no meta task)"
            raise ExplainerError(f"scene {spec.name} needs a {' or '.join(spec.tasks)} trace; '{label}' {has}")


def check_options(spec: SceneSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every option the scene reads, given or None; a one-line error for one it does not read.

    An option given as None counts as not given (what a CLI flag left out passes).
    """
    for option, value in given.items():
        if value is not None and option not in spec.options:
            takes = ", ".join(f"--{o}" for o in spec.options) or "(none)"
            raise ExplainerError(f"scene {spec.name} takes no --{option}; it takes: {takes}")
    return {o: given.get(o) for o in spec.options}
