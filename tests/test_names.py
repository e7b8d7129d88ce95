"""Trace names are derived in one place and pinned here against a golden list.

If a change renames what is recorded, this test fails and the golden file must be
updated on purpose (`python tests/test_names.py --update`), with the figures and scenes
that read the names.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch

import explainer
from explainer.models import SequenceModel, TokenModel
from conftest import torch_module

GOLDEN = Path(__file__).parent / "golden" / "trace_names.json"


def recorded_names() -> dict[str, list[str]]:
    cases = {}
    for kind in ["rnn_tanh", "rnn_relu", "lstm", "lstm_proj", "gru"]:
        for layers, bi in [(1, False), (2, True)]:
            module = torch_module(kind, num_layers=layers, bidirectional=bi)
            cases[f"{kind} layers={layers} bidirectional={bi}"] = explainer.record(module, torch.randn(4, 3)).names
    cases["sequence model lstm"] = explainer.record(SequenceModel("lstm", 1, 4), torch.randn(1, 5, 1)).names
    cases["token model gru"] = explainer.record(TokenModel("gru", vocab_size=7, num_classes=2), torch.tensor([[1, 2, 3]])).names
    return cases


def test_names_match_the_golden_list():
    assert recorded_names() == json.loads(GOLDEN.read_text())


def test_the_issue_example_prints_the_documented_names():
    m = torch.nn.LSTM(3, 5, 2, bidirectional=True)
    names = explainer.record(m, torch.randn(7, 4, 3)).names
    per_layer = ["h", "c", "gates.i", "gates.f", "gates.g", "gates.o"]
    expected = ["input"] + [f"layers.{l}.{d}{s}" for l in range(2) for d in ("", "reverse.") for s in per_layer]
    assert names == expected


def test_names_glob_keeps_only_what_is_asked():
    m = torch.nn.LSTM(3, 5, 3)
    t = explainer.record(m, torch.randn(6, 3), names=["layers.*.gates.f", "layers.0.c"])
    assert t.names == ["layers.0.c", "layers.0.gates.f", "layers.1.gates.f", "layers.2.gates.f"]


def test_a_pattern_that_matches_nothing_is_an_error_listing_the_names():
    with pytest.raises(explainer.ExplainerError, match="no recorded name matches 'layers.0.gates.q'.*layers.0.h"):
        explainer.record(torch.nn.GRU(3, 5), torch.randn(6, 3), names=["layers.0.gates.q"])


if __name__ == "__main__" and "--update" in sys.argv:
    torch.manual_seed(0)
    GOLDEN.write_text(json.dumps(recorded_names(), indent=1) + "\n")
    print(f"wrote {GOLDEN}")
