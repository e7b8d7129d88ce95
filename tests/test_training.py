"""Training: the source's recipe reproduces the source, strategies do what the FAQ says,
the same seed gives the same bytes, and a diverging run stops with a message."""

from __future__ import annotations

import numpy as np
import pytest

from explainer import ExplainerError
from explainer.checkpoint import Checkpoint
from explainer.training import preset_config, train
from explainer.training.sine import window_schedule


def test_seed_preset_is_the_sources_setup():
    c = preset_config("sine", "rnn", "seed")
    assert (c.kind, c.hidden_size, c.optimizer, c.lr, c.strategy, c.epochs, c.batch_size, c.seq_len) == \
        ("rnn_tanh", 12, "sgd", 0.01, "sequential", 1, 1, 10)


def test_seed_preset_reproduces_the_sources_behaviour():
    """Single-step about 0.06, multi-step about 0.5: the error accumulation the source describes."""
    ckpt = train(preset_config("sine", "rnn", "seed", seed=0))
    m = ckpt.meta["metrics"]
    assert 0.02 < m["mse_single"] < 0.12
    assert 0.3 < m["mse_multi"] < 0.8
    assert len(ckpt.meta["history"]["loss"]) == 310, "one update per training window"
    assert ckpt.meta["eval"]["untrained_metrics"]["mse_single"] > m["mse_single"]


def test_tuned_preset_gets_close_to_the_noise_floor():
    ckpt = train(preset_config("sine", "lstm", "tuned", seed=0))
    m = ckpt.meta["metrics"]
    assert m["mse_single"] <= 1.6 * m["noise_floor"]
    assert m["mse_multi"] <= 0.03
    assert len(ckpt.meta["history"]["epoch_loss"]) == 500


@pytest.mark.parametrize("strategy,expected", [("sequential", 310), ("epochs", 3 * 310), ("random", 50)])
def test_strategies_schedule_the_windows_the_faq_describes(strategy, expected):
    c = preset_config("sine", "rnn", "seed", strategy=strategy, epochs=3, iters=50)
    schedule = window_schedule(c, 310)
    assert len(schedule) == expected
    if strategy != "random":
        np.testing.assert_array_equal(np.concatenate(schedule[:310]), np.arange(310)), "in order"
    else:
        assert len({int(s[0]) for s in schedule}) > 20, "random windows"
        assert all(0 <= s[0] < 310 for s in schedule)


def test_full_batch_is_one_update_per_epoch():
    c = preset_config("sine", "gru", "tuned", epochs=4)
    assert [len(s) for s in window_schedule(c, 310)] == [310] * 4


def test_every_strategy_trains_and_keeps_every_loss():
    for strategy in ("sequential", "epochs", "random"):
        ckpt = train(preset_config("sine", "gru", "seed", strategy=strategy, epochs=2, iters=100))
        assert len(ckpt.meta["history"]["loss"]) == {"sequential": 310, "epochs": 620, "random": 100}[strategy]
        assert all(np.isfinite(ckpt.meta["history"]["loss"]))


def test_input_size_above_one_trains_and_records(tmp_path):
    ckpt = train(preset_config("sine", "lstm", "seed", features=("cos", "lag3")))
    assert ckpt.model.config()["input_size"] == 3
    from explainer.explain import trace_checkpoint

    trace = trace_checkpoint(ckpt)
    assert trace["input"].shape == (1, 10, 3)


def test_same_seed_same_bytes(tmp_path):
    paths = []
    for k in range(2):
        ckpt = train(preset_config("sine", "rnn", "seed", seed=4))
        paths.append(ckpt.save(tmp_path / f"{k}.safetensors"))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    other = train(preset_config("sine", "rnn", "seed", seed=5)).save(tmp_path / "other.safetensors")
    assert other.read_bytes() != paths[0].read_bytes()


def test_a_diverging_run_stops_with_a_message():
    with pytest.raises(ExplainerError, match=r"training diverged at update \d+ of 500 .*lower the learning rate"):
        train(preset_config("sine", "rnn", "tuned", optimizer="sgd", lr=60.0))


def test_clipping_tames_it():
    ckpt = train(preset_config("sine", "rnn", "seed", lr=0.5, clip=0.1))
    assert np.isfinite(ckpt.meta["metrics"]["mse_single"])


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_language_training_reports_accuracy_by_distance_and_units(kind):
    ckpt = train(preset_config("language", kind, iters=20, hidden_size=8, batch_size=4))
    m = ckpt.meta["metrics"]
    assert list(m["accuracy_by_distance"]) == [f"{lo}-{lo + 9}" for lo in range(1, 100, 10)]
    assert all(0.0 <= a <= 1.0 for a in m["accuracy_by_distance"].values())
    gender = ckpt.meta["units"]["gender"]
    assert len(gender["units"]) == 3 and len(gender["all_correlations"]) == 8
    assert gender["state"] == ("c" if kind == "lstm" else "h")
    assert ("forget_at_new_subject" in gender) == (kind == "lstm")


def test_bad_configurations():
    with pytest.raises(ExplainerError, match="unknown preset 'seed' for the language task; valid: tuned"):
        preset_config("language", "lstm", "seed")
    with pytest.raises(ExplainerError, match="unknown model 'cnn'"):
        preset_config("sine", "cnn")
    with pytest.raises(ExplainerError, match="learning rate must be a positive number"):
        preset_config("sine", "rnn", lr=-1.0)
    with pytest.raises(ExplainerError, match=r"hidden size 9000000 would make a model of .* parameters"):
        preset_config("sine", "rnn", hidden_size=9_000_000)


def test_checkpoint_round_trip_predicts_the_same(tmp_path):
    import torch

    ckpt = train(preset_config("sine", "gru", "seed"))
    back = Checkpoint.load(ckpt.save(tmp_path / "g.safetensors"))
    x = torch.randn(3, 10, 1)
    torch.testing.assert_close(back.model(x), ckpt.model(x))
    assert back.meta == ckpt.meta


# -- thread determinism: the same checkpoint and trace whatever the machine's thread count ----------
SAME_ON_ANY_MACHINE = """
import sys
from explainer.assets import checkpoint_path
from explainer.checkpoint import Checkpoint
from explainer.explain import trace_checkpoint
from explainer.training import preset_config, train
out = sys.argv[1]
# 20 full-batch updates of a 64-unit LSTM: unpinned, 1 and 2 threads differ in the last bits of the weights
train(preset_config("sine", "lstm", "seed", hidden_size=64, strategy="random", iters=20, batch_size=0)).save(
    out + "/c.safetensors")
trace_checkpoint(Checkpoint.load(checkpoint_path("sine", "lstm", "seed"))).save(out + "/t.safetensors")
"""


def test_training_and_recording_give_the_same_bytes_with_one_thread_or_two(tmp_path):
    import os
    import subprocess
    import sys

    runs = {}
    for threads in ("1", "2"):
        folder = tmp_path / threads
        folder.mkdir()
        env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        runs[threads] = subprocess.Popen([sys.executable, "-c", SAME_ON_ANY_MACHINE, str(folder)], env=env)
    assert all(run.wait(timeout=120) == 0 for run in runs.values())
    for name in ("c.safetensors", "t.safetensors"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
    from explainer.checkpoint import read_meta
    from explainer.models.threads import THREADS

    assert read_meta(tmp_path / "1" / "c.safetensors")["train"]["threads"] == THREADS


def test_training_gives_the_callers_thread_count_back():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        ckpt = train(preset_config("sine", "rnn", "seed", strategy="random", iters=3))
        assert torch.get_num_threads() == 1
        assert ckpt.meta["train"]["threads"] == 2
    finally:
        torch.set_num_threads(before)
