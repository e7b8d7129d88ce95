"""The same seed and settings give the same bytes: checkpoints, traces, figures."""

from __future__ import annotations

import torch

from explainer.assets import checkpoint_path
from explainer.checkpoint import Checkpoint
from explainer.explain import trace_checkpoint
from explainer import figures
from explainer.training import preset_config, train


def test_training_twice_gives_byte_identical_checkpoints(tmp_path):
    for task, model, extra in [("sine", "lstm", {}), ("language", "gru", {"iters": 15, "hidden_size": 8, "batch_size": 4})]:
        a = train(preset_config(task, model, seed=3, **extra)).save(tmp_path / "a.safetensors").read_bytes()
        b = train(preset_config(task, model, seed=3, **extra)).save(tmp_path / "b.safetensors").read_bytes()
        assert a == b, task


def test_recording_twice_gives_byte_identical_traces(tmp_path):
    ckpt = Checkpoint.load(checkpoint_path("language", "lstm"))
    a = trace_checkpoint(ckpt, passage="long").save(tmp_path / "a.safetensors").read_bytes()
    b = trace_checkpoint(Checkpoint.load(checkpoint_path("language", "lstm")), passage="long").save(
        tmp_path / "b.safetensors").read_bytes()
    assert a == b
    lstm = torch.nn.LSTM(2, 3)
    x = torch.randn(5, 2)
    import explainer

    explainer.record(lstm, x).save(tmp_path / "c.safetensors")
    explainer.record(lstm, x).save(tmp_path / "d.safetensors")
    assert (tmp_path / "c.safetensors").read_bytes() == (tmp_path / "d.safetensors").read_bytes()


def test_drawing_twice_gives_identical_png_and_svg(tmp_path):
    for name in ("lstm-cell", "strategies", "forget-reset"):
        for suffix in (".png", ".svg"):
            a = figures.save(figures.make(name, lang="zh"), tmp_path / f"a{suffix}").read_bytes()
            b = figures.save(figures.make(name, lang="zh"), tmp_path / f"b{suffix}").read_bytes()
            assert a == b, f"{name}{suffix}"
