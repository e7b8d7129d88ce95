"""`train(config)`: run a configuration of any task and return its checkpoint.

The task's declaration names its recipe (`Task.recipe`, a function in this package), so
adding a task never means editing this file.

    >>> from explainer.training import preset_config, train
    >>> ckpt = train(preset_config("sine", "rnn", "seed", seed=0))     # doctest: +SKIP
    >>> round(ckpt.meta["metrics"]["mse_single"], 2)                   # doctest: +SKIP
    0.06
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checkpoint import Checkpoint
from ..tasks import registry
from .config import TrainConfig

if TYPE_CHECKING:
    from .loop import Progress


def train(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    """Train a model as `config` says. Same config and seed, same bytes."""
    config.check()
    return registry.get(config.task).train_function()(config, progress)
