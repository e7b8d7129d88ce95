"""`train(config)`: run a configuration of any task and return its checkpoint.

The task's declaration names its recipe (`Task.recipe`, a function in this package), so
adding a task never means editing this file.

Training runs on `THREADS` torch threads (`explainer/models/threads.py`), whatever the
machine or `OMP_NUM_THREADS` says (a float sum split over another number of threads rounds
differently: weights would differ in their last bits), and the checkpoint says so
(`train.threads`). The caller's thread count is restored afterwards.

    >>> from explainer.training import preset_config, train
    >>> ckpt = train(preset_config("sine", "rnn", "seed", seed=0))     # doctest: +SKIP
    >>> round(ckpt.meta["metrics"]["mse_single"], 2)                   # doctest: +SKIP
    0.06
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checkpoint import Checkpoint
from ..models.threads import THREADS, pinned_threads
from ..tasks import registry
from .config import TrainConfig

if TYPE_CHECKING:
    from .loop import Progress


def train(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    """Train a model as `config` says, on `THREADS` threads. Same config and seed, same bytes, on any machine."""
    config.check()
    recipe = registry.get(config.task).train_function()
    with pinned_threads():
        ckpt = recipe(config, progress)
    ckpt.meta["train"] = {**ckpt.meta["train"], "threads": THREADS}
    return ckpt
