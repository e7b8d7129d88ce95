"""`train(config)`: run a configuration of either task and return its checkpoint.

    >>> from explainer.training import preset_config, train
    >>> ckpt = train(preset_config("sine", "rnn", "seed", seed=0))     # doctest: +SKIP
    >>> round(ckpt.meta["metrics"]["mse_single"], 2)                   # doctest: +SKIP
    0.06
"""

from __future__ import annotations

from ..checkpoint import Checkpoint
from .config import TrainConfig
from .loop import Progress


def train(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    """Train a model as `config` says. Same config and seed, same bytes."""
    config.check()
    if config.task == "sine":
        from .sine import train_sine

        return train_sine(config, progress)
    from .language import train_language

    return train_language(config, progress)
