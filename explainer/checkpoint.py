"""Checkpoints: a trained task model's weights plus everything known about it.

A checkpoint is a safetensors file: the model's weights under torch's parameter names,
and JSON metadata with a schema version:

    model     the architecture (`TaskModel.config()`), enough to rebuild it
    train     the training configuration (task, preset, seed, optimizer, ...)
    history   the loss of every update (and per epoch, where there are epochs)
    metrics   what the task measures (its `Task.metrics`): sine mse_single, ...; language accuracy_by_distance, ...
    eval      what the figures draw: predictions on the test range, ...
    units     discovered units (e.g. those whose cell state carries the subject's gender)

Which metrics and sections a checkpoint of a task must hold is declared by the task
(`explainer/tasks/registry.py`), and checked on every read.

No pickle anywhere. `read_meta` reads the metadata without torch, for figures;
`Checkpoint.load` rebuilds the model.

    >>> ckpt = Checkpoint.load("assets/sine-rnn-seed.safetensors")    # doctest: +SKIP
    >>> ckpt.meta["metrics"]["mse_single"]                              # doctest: +SKIP
    0.0604...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ExplainerError
from .files import SCHEMAS, read_artifact, write_artifact
from .kinds import KIND
from .tasks.registry import tasks

#: Version of the checkpoint layout (kept in `files.SCHEMAS`); files with a larger number are refused.
SCHEMA = SCHEMAS["checkpoint"]


def read_meta(path: str | os.PathLike) -> dict[str, Any]:
    """The metadata of a checkpoint file (no torch needed)."""
    _, meta = read_artifact(path, "checkpoint", SCHEMA)
    _check_meta(path, meta)
    return meta


def _check_meta(path, meta: dict[str, Any]) -> None:
    """The sections and fields every reader relies on, with the types they expect."""
    for key in ("model", "train", "metrics"):
        if not isinstance(meta.get(key), dict):
            raise ExplainerError(f"'{path}' is a damaged checkpoint: its metadata has no {key!r} section")
    problems = []
    kind = meta["model"].get("kind")
    if not (isinstance(kind, str) and kind in KIND):
        problems.append("the model's cell kind")
    task = tasks().get(meta["train"].get("task")) if isinstance(meta["train"].get("task"), str) else None
    if task is None:
        problems.append("the task")
    else:
        missing = [k for k in task.metrics if k not in meta["metrics"]]
        if missing:
            problems.append(f"the {task.name} metrics ({', '.join(missing)})")
        problems += [f"the {key} section" for key in task.sections if not isinstance(meta.get(key), dict)]
    history = meta.get("history", {})
    if not isinstance(history, dict) or not isinstance(history.get("loss", []), list) or not all(
            isinstance(v, (int, float)) for v in history.get("loss", [])):
        problems.append("the training history")
    for key in ("eval", "units"):
        if key in meta and not isinstance(meta[key], dict) and f"the {key} section" not in problems:
            problems.append(f"the {key} section")
    if problems:
        raise ExplainerError(f"'{path}' is a damaged checkpoint: {', '.join(problems)} cannot be read")


class Checkpoint:
    """A task model with its metadata."""

    def __init__(self, model, meta: dict[str, Any]) -> None:
        self.model = model
        self.meta = {**meta, "model": model.config()}

    @property
    def task(self) -> str:
        return self.meta["train"]["task"]

    @property
    def kind(self) -> str:
        return self.meta["model"]["kind"]

    def save(self, path: str | os.PathLike) -> Path:
        """Write atomically; the same model and meta always give the same bytes."""
        arrays = {name: t.detach().cpu().numpy() for name, t in self.model.state_dict().items()}
        return write_artifact(path, "checkpoint", SCHEMA, arrays, self.meta)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Checkpoint:
        """Read a checkpoint and rebuild its model (in eval mode)."""
        import torch

        from .models.task_models import build_model

        arrays, meta = read_artifact(path, "checkpoint", SCHEMA)
        _check_meta(path, meta)
        try:
            model = build_model(meta["model"])
        except ExplainerError as e:
            raise ExplainerError(f"'{path}': {e}") from None
        except (TypeError, ValueError, AttributeError, RuntimeError, OverflowError) as e:
            raise ExplainerError(f"'{path}' is a damaged checkpoint: its model config cannot be built ({e})") from None
        expected = model.state_dict()
        if set(arrays) != set(expected):
            missing = sorted(set(expected) - set(arrays))[:3]
            extra = sorted(set(arrays) - set(expected))[:3]
            raise ExplainerError(f"'{path}' does not match its model config (missing {missing}, unexpected {extra}); it is damaged")
        for name, array in arrays.items():
            if tuple(array.shape) != tuple(expected[name].shape):
                raise ExplainerError(
                    f"'{path}': weight {name} has shape {list(array.shape)} but the model needs {list(expected[name].shape)}; it is damaged"
                )
            if not np.isfinite(array).all():
                raise ExplainerError(f"'{path}': weight {name} holds NaN or Inf values; retrain the model (try --clip 1.0)")
        model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in arrays.items()})
        model.eval()
        return cls(model, meta)
