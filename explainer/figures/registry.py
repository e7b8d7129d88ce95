"""How figures are declared, found and fed.

A figure is a function `(source, *, lang, **options) -> matplotlib Figure` declared
with `@figure(...)` in its own module under `explainer/figures/`. The decorator records
its name, a one-line description (for `explainer figure --list`), what it reads (a trace,
a checkpoint, several checkpoints), the shipped default and the options it takes (of
`OPTIONS`); it is called with exactly those. Modules are discovered, not listed: adding a
figure means adding a file.

Figures read traces and checkpoint metadata only; they never import torch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ExplainerError
from ..registry import Registry

#: What a figure reads.
SOURCES = ("trace", "checkpoint", "checkpoints")

#: The options a figure may take (`explainer figure --step/--focus/--layer/--units/--row/--unit/--feature`).
OPTIONS = ("step", "focus", "layer", "units", "row", "unit", "feature")


@dataclass(frozen=True)
class FigureSpec:
    name: str
    description: str  # one line, English (for --list)
    source: str  # one of SOURCES
    default: tuple[str, ...]  # shipped asset names: traces/<name> or checkpoints/<name>
    rank: int  # position in --list (the order of the lecture)
    draw: Callable[..., Any]
    kinds: tuple[str, ...] | None = None  # cell kinds it can draw (None: any)
    tasks: tuple[str, ...] | None = None  # tasks it can draw (None: any)
    options: tuple[str, ...] = field(default=())  # the options of OPTIONS it takes
    padded: bool = False  # reads every row of a padded trace itself (`reading.lengths`); else drawn one row at a time


FIGURES: Registry[FigureSpec] = Registry("figure", "explainer.figures", {"registry", "draw", "api", "read"})


def figure(name: str, description: str, *, source: str, default: str | tuple[str, ...], rank: int,
           kinds: tuple[str, ...] | None = None, tasks: tuple[str, ...] | None = None,
           options: tuple[str, ...] = (), padded: bool = False) -> Callable:
    """Declare a figure function (`padded`: it reads the rows of a padded trace to their ends itself)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        raise ValueError(f"unknown figure option {unknown[0]!r}; valid: {', '.join(OPTIONS)}")

    def register(fn: Callable) -> Callable:
        FIGURES.add(name, FigureSpec(name, description, source, (default,) if isinstance(default, str) else tuple(default),
                                     rank, fn, kinds, tasks, options, padded))
        return fn
    return register


def specs() -> dict[str, FigureSpec]:
    """Every figure, in lecture order (modules imported on first call)."""
    return FIGURES.all()


def get(name: str) -> FigureSpec:
    return FIGURES.get(name)


def load_source(spec: FigureSpec, given: Any = None) -> Any:
    """The figure's input: given paths / objects, or the shipped default. Checked for kind and task."""
    from .. import assets
    from ..checkpoint import check_meta, read_meta
    from ..trace import Trace

    items = list(given) if isinstance(given, (list, tuple)) else ([given] if given is not None else [])
    if not items:
        folder = "traces" if spec.source == "trace" else "checkpoints"
        items = [assets.root() / folder / f"{name}.safetensors" for name in spec.default]
        items = [assets._existing(p) for p in items]
    loaded = []
    for item in items:
        path = isinstance(item, (str, os.PathLike))
        label = str(item) if path else "the given source"
        if spec.source == "trace":
            if not path and not isinstance(item, Trace):
                raise ExplainerError(f"figure {spec.name} reads a trace: a path or a Trace, not {type(item).__name__}")
            obj = Trace.load(item) if path else item
            if obj.modules:
                raise ExplainerError(f"'{label}' records several recurrent modules ({', '.join(obj.modules)}); "
                                     f"a figure draws one: trace.module('{obj.modules[0]}'), or record it alone "
                                     "with modules=")
            kind, task = obj.kind, obj.meta.get("task")
        else:
            if not path and isinstance(getattr(item, "meta", None), Mapping) and not isinstance(item, Trace):
                item = item.meta  # a Checkpoint: its metadata is what figures read
            if not path and not (isinstance(item, Mapping) and all(isinstance(item.get(k), Mapping)
                                                                   for k in ("model", "train"))):
                raise ExplainerError(f"figure {spec.name} reads a checkpoint: a path, a Checkpoint or its metadata, "
                                     f"not {type(item).__name__}")
            obj = read_meta(item) if path else check_meta(item)  # the schema, for metadata given in Python too
            obj = dict(obj, path=label) if "path" not in obj else obj
            kind, task = obj["model"].get("kind"), obj["train"].get("task")
        _check(spec, kind, task, label)
        loaded.append(obj)
    if spec.source != "checkpoints":
        if len(loaded) != 1:
            raise ExplainerError(f"figure {spec.name} reads one {spec.source}, {len(loaded)} were given")
        return loaded[0]
    return loaded


def _check(spec: FigureSpec, kind: str | None, task: str | None, label: str) -> None:
    what = "trace" if spec.source == "trace" else "checkpoint"
    if spec.kinds and kind not in spec.kinds:
        need = " or ".join(k.upper().replace("_TANH", "").replace("_RELU", " (ReLU)") for k in spec.kinds)
        has = f"is a {kind} {what}" if kind else "does not say which cell kind it records (no meta kind)"
        raise ExplainerError(
            f"figure {spec.name} needs a {need} {what}; '{label}' {has}"
            f" (the shipped one is assets/{what}s/{spec.default[0]}.safetensors)"
        )
    if spec.tasks and task not in spec.tasks:
        has = f"is from the {task} task" if task else "does not say which task it comes from (no meta task)"
        raise ExplainerError(f"figure {spec.name} needs a {' or '.join(spec.tasks)} {what}; '{label}' {has}")
