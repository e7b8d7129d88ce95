"""Shared test helpers: torch reference modules in every configuration."""

from __future__ import annotations

import os
import tempfile

import pytest
import torch

os.environ.setdefault("MPLBACKEND", "Agg")
# spoken cues go to a cache of the test run's own, not the user's ~/.cache/explainer
os.environ.setdefault("EXPLAINER_CACHE", tempfile.mkdtemp(prefix="explainer-test-cache-"))

KINDS = ["rnn_tanh", "rnn_relu", "lstm", "lstm_proj", "gru"]


def torch_module(kind: str, input_size: int = 3, hidden_size: int = 5, **kw) -> torch.nn.RNNBase:
    """A torch.nn.RNN/LSTM/GRU for a kind name of the parity sweep."""
    if kind.startswith("rnn"):
        return torch.nn.RNN(input_size, hidden_size, nonlinearity=kind.split("_")[1], **kw)
    if kind == "gru":
        return torch.nn.GRU(input_size, hidden_size, **kw)
    return torch.nn.LSTM(input_size, hidden_size, proj_size=3 if kind == "lstm_proj" else 0, **kw)


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)
    yield
