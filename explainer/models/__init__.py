"""Instrumented recurrent models (torch): the cores and the task models built on them."""

from .cells import LayerWeights
from .recurrent import GRU, LSTM, RNN, Recurrent, from_torch
from .spec import CoreSpec
from .task_models import SequenceModel, TaskModel, TokenModel, build_model

__all__ = ["RNN", "LSTM", "GRU", "Recurrent", "from_torch", "CoreSpec", "LayerWeights",
           "TaskModel", "SequenceModel", "TokenModel", "build_model"]
