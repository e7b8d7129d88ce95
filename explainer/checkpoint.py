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
(`explainer/tasks/registry.py`); the fields every reader relies on are declared in
`explainer/schema.py`, and checked on every save and every read.

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

from . import schema
from .errors import ExplainerError
from .files import SCHEMAS, open_artifact, write_artifact

#: Version of the checkpoint layout (kept in `files.SCHEMAS`); files with a larger number are refused.
SCHEMA = SCHEMAS["checkpoint"]


def read_meta(path: str | os.PathLike) -> dict[str, Any]:
    """The metadata of a checkpoint file, checked against the schema (no torch needed, no weight read)."""
    return read_header(path)[1]


def read_header(path: str | os.PathLike) -> tuple[dict[str, tuple[str, tuple[int, ...]]], dict[str, Any]]:
    """({weight name: (dtype, shape)}, meta) of a checkpoint file, checked; no weight is read."""
    with open_artifact(path, "checkpoint", SCHEMA) as artifact:
        return artifact.shapes, _check_meta(path, artifact.meta, artifact.shapes)


def check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Checkpoint metadata given in Python (e.g. `ckpt.meta`), checked against the schema as a file's is
    (NaN and Inf predictions allowed: figures leave them out, and this metadata is not saved)."""
    try:
        return schema.check_checkpoint(meta, finite=False)
    except schema.MetaError as e:
        raise ExplainerError(f"the given checkpoint metadata is damaged: {e}") from None


def _check_meta(path, meta: dict[str, Any], shapes: dict[str, tuple[str, tuple[int, ...]]] | None = None) -> dict[str, Any]:
    """The metadata as the schema declares it (`explainer/schema.py`), or a one-line error naming the field."""
    try:
        return schema.check_checkpoint(meta, shapes)
    except schema.MetaError as e:
        raise ExplainerError(f"'{path}' is a damaged checkpoint: {e}") from None


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

    def __repr__(self) -> str:
        from .notebook import checkpoint_summary

        return f"<{checkpoint_summary(self)}>"

    def _repr_html_(self) -> str:
        """In a notebook: task, model, parameters, metrics and the discovered units."""
        from .notebook import checkpoint_html

        return checkpoint_html(self)

    def save(self, path: str | os.PathLike) -> Path:
        """Write atomically, after checking the metadata against the schema; the same model and meta give the same bytes."""
        arrays = {name: t.detach().cpu().numpy() for name, t in self.model.state_dict().items()}
        try:
            meta = schema.check_checkpoint(self.meta, {n: (a.dtype.name, a.shape) for n, a in arrays.items()})
        except schema.MetaError as e:
            raise ExplainerError(f"not writing '{path}': it would be a damaged checkpoint: {e}") from None
        return write_artifact(path, "checkpoint", SCHEMA, arrays, meta)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Checkpoint:
        """Read a checkpoint and rebuild its model (in eval mode)."""
        import torch

        from .models.task_models import build_model

        with open_artifact(path, "checkpoint", SCHEMA) as artifact:
            shapes = artifact.shapes
            meta = _check_meta(path, artifact.meta, shapes)
            try:
                model = build_model(meta["model"])
            except ExplainerError as e:
                raise ExplainerError(f"'{path}': {e}") from None
            except (TypeError, ValueError, AttributeError, RuntimeError, OverflowError) as e:
                raise ExplainerError(f"'{path}' is a damaged checkpoint: its model config cannot be built ({e})") from None
            expected = model.state_dict()
            if set(shapes) != set(expected):
                missing = sorted(set(expected) - set(shapes))[:3]
                extra = sorted(set(shapes) - set(expected))[:3]
                raise ExplainerError(f"'{path}' does not match its model config (missing {missing}, unexpected {extra}); it is damaged")
            for name, (_, shape) in shapes.items():
                if tuple(shape) != tuple(expected[name].shape):
                    raise ExplainerError(
                        f"'{path}': weight {name} has shape {list(shape)} but the model needs {list(expected[name].shape)}; it is damaged"
                    )
            arrays = artifact.read()  # only now: the weights are what the model needs, so their size is bounded
        for name, array in arrays.items():
            if not np.isfinite(array).all():
                raise ExplainerError(f"'{path}': weight {name} holds NaN or Inf values; retrain the model (try --clip 1.0)")
        model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in arrays.items()})
        model.eval()
        return cls(model, meta)
