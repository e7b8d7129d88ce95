"""Checkpoint files: read without torch for figures, refused clearly when wrong."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors.numpy import save_file

from explainer import ExplainerError
from explainer.assets import checkpoint_path
from explainer.checkpoint import Checkpoint, read_meta


def test_the_shipped_checkpoints_load_and_carry_their_metrics():
    for task, kind, preset in [("sine", "rnn", "seed"), ("sine", "lstm", "tuned"), ("language", "lstm", None)]:
        ckpt = Checkpoint.load(checkpoint_path(task, kind, preset))
        assert ckpt.task == task
        meta = read_meta(checkpoint_path(task, kind, preset))
        assert meta == ckpt.meta
    assert set(read_meta(checkpoint_path("sine", "gru", "seed"))["metrics"]) == {"mse_single", "mse_multi", "noise_floor"}


def _rewrite(src, dst, mutate_arrays=None, mutate_meta=None):
    from safetensors import safe_open

    with safe_open(str(src), "numpy") as f:
        document = json.loads(f.metadata()["explainer"])
        arrays = {k: f.get_tensor(k) for k in f.keys()}
    if mutate_arrays:
        mutate_arrays(arrays)
    if mutate_meta:
        mutate_meta(document["meta"])
    save_file(arrays, dst, metadata={"explainer": json.dumps(document)})
    return dst


def test_a_trace_is_not_a_checkpoint():
    from explainer.assets import trace_path

    with pytest.raises(ExplainerError, match="is an explainer trace, not a checkpoint"):
        Checkpoint.load(trace_path("sine-rnn-seed"))


def test_weights_that_do_not_fit_the_config(tmp_path):
    src = checkpoint_path("sine", "rnn", "seed")
    bad = _rewrite(src, tmp_path / "a.safetensors", mutate_arrays=lambda a: a.__setitem__("readout.weight", np.zeros((1, 5), np.float32)))
    with pytest.raises(ExplainerError, match=r"weight readout.weight has shape \[1, 5\] but the model needs \[1, 12\]"):
        Checkpoint.load(bad)
    missing = _rewrite(src, tmp_path / "b.safetensors", mutate_arrays=lambda a: a.pop("readout.bias"))
    with pytest.raises(ExplainerError, match="does not match its model config"):
        Checkpoint.load(missing)


def test_nan_weights_are_refused(tmp_path):
    def poison(a):
        a["core.weight_hh_l0"] = a["core.weight_hh_l0"].copy()
        a["core.weight_hh_l0"][0, 0] = np.nan
    bad = _rewrite(checkpoint_path("sine", "rnn", "seed"), tmp_path / "n.safetensors", mutate_arrays=poison)
    with pytest.raises(ExplainerError, match="holds NaN or Inf values"):
        Checkpoint.load(bad)


def test_damaged_metadata_sections(tmp_path):
    bad = _rewrite(checkpoint_path("sine", "rnn", "seed"), tmp_path / "m.safetensors", mutate_meta=lambda m: m.pop("train"))
    with pytest.raises(ExplainerError, match="damaged checkpoint: its metadata has no 'train' section"):
        read_meta(bad)
    odd = _rewrite(checkpoint_path("sine", "rnn", "seed"), tmp_path / "o.safetensors",
                   mutate_meta=lambda m: m["model"].update(model="transformer"))
    with pytest.raises(ExplainerError, match="unknown model type"):
        Checkpoint.load(odd)


def test_torch_save_files_are_refused(tmp_path):
    path = tmp_path / "model.pt"
    torch.save(torch.nn.LSTM(1, 2).state_dict(), path)
    with pytest.raises(ExplainerError, match="pickle or torch.save file; explainer never unpickles"):
        Checkpoint.load(path)
