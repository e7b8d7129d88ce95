"""The explanation inputs: what `explainer trace` records from a checkpoint.

Each task says what its checkpoints are explained on (`Task.explain` in its module under
`explainer/tasks/`: a window of the sine, a passage of the toy language, ...) and which
options choose it; this module records the model on that input. The trace's metadata says
what was recorded, so figures and animations can label it in either language without the
checkpoint: step labels (x values or words in both languages), targets and predictions,
and the units discovered in training. It records on the pinned thread count of
`explainer/models/threads.py`, so a trace is the same on any machine.

    >>> from explainer.checkpoint import Checkpoint
    >>> trace = trace_checkpoint(Checkpoint.load("assets/language-lstm.safetensors"))  # doctest: +SKIP
    >>> trace.meta["words"]["zh"][:4]                                                     # doctest: +SKIP
    ['Alice', '是一名', '女', '教师']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from .checkpoint import Checkpoint
from .errors import ExplainerError
from .models.threads import pinned_threads
from .recorder import record
from .tasks import registry
from .trace import Trace


def trace_checkpoint(ckpt: Checkpoint, *, names: str | Iterable[str] | None = None, dtype: str = "float32",
                     **options: Any) -> Trace:
    """Record a checkpoint's model on its task's explanation input.

    `options` choose the input and depend on the task (None = the task's default): sine takes
    `start`, `steps`, `windows`; language takes `text`, `passage`, `lang`. An option of another
    task is refused in one line.
    """
    task = registry.get(ckpt.task)
    given = {k: v for k, v in options.items() if v is not None}
    takes = [o.name for o in task.trace_options]
    refused = [k for k in given if k not in takes]
    if refused:
        flags = ", ".join(f"--{k.replace('_', '-')}" for k in refused)
        owners = [t.name for t in registry.tasks().values() if any(o.name in refused for o in t.trace_options)]
        verb = "are" if len(refused) > 1 else "is"
        where = f" {verb} for {' and '.join(owners)} checkpoints" if owners else f" {verb} not a trace option"
        raise ExplainerError(f"{flags}{where}; a {task.name} checkpoint takes "
                             f"{', '.join(o.flag for o in task.trace_options) or 'no options'}")
    explanation = task.explain(ckpt.meta, **given)
    train = ckpt.meta["train"]
    meta = {"task": task.name, "seed": train.get("seed"), "preset": train.get("preset"),
            "units_found": ckpt.meta.get("units", {}), "metrics": ckpt.meta.get("metrics", {}), **explanation.meta}
    x = torch.from_numpy(np.ascontiguousarray(explanation.x))
    with pinned_threads():  # the same values on any machine (and those of the shipped traces)
        return record(ckpt.model, x, names=names, steps=explanation.steps, meta=meta, dtype=dtype)


def default_traces(name: str, ckpt: Checkpoint) -> dict[str, Trace]:
    """The traces shipped for a checkpoint, by file name: its explanation input and the extra
    inputs its task's pictures use (a long passage for language, consecutive windows for a seed sine)."""
    task = registry.get(ckpt.task)
    out = {name: trace_checkpoint(ckpt, dtype=task.shipped_dtype)}
    for suffix, options in task.extra_traces(ckpt.meta["train"]).items():
        out[name + suffix] = trace_checkpoint(ckpt, dtype=task.shipped_dtype, **options)
    return out
