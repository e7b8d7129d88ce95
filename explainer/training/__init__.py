"""Training the task models: configurations and presets, the loop, and each task's recipe."""

from .config import TrainConfig, preset_config
from .run import train

__all__ = ["TrainConfig", "preset_config", "train"]
