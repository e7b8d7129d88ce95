"""Training the task models: the configuration, the shared loop, and each task's recipe (named by its task)."""

from .config import TrainConfig, preset_config
from .run import train

__all__ = ["TrainConfig", "preset_config", "train"]
