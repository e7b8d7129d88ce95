"""Every number a user gives has a declared range, checked before any work starts.

The ranges live in the option declarations (`Option(low=, high=)` in
`explainer/training/config.py` for the common training options and in each task module for
its own), so `explainer train` and `preset_config` refuse the same values with the same one
line: seeds 0 to 2**32 - 1 (what numpy and torch take), at most a million updates, at most
10,000 epochs, a finite positive clipping norm, fractions from 0 to 1. `explainer demo
--jobs` is checked before it records or draws anything.
"""

from __future__ import annotations

import math
import time

import pytest
from click.testing import CliRunner

from explainer.cli.main import cli
from explainer.errors import ExplainerError
from explainer.tasks.registry import Option, tasks
from explainer.training import preset_config
from explainer.training.config import COMMON, MAX_SEED, MAX_UPDATES, TrainConfig
from explainer.training.sine import window_schedule


def test_every_number_a_task_or_training_takes_declares_its_range():
    options = list(COMMON) + [o for t in tasks().values() for o in t.options]
    numbers = [o for o in options if o.type in (int, float) and o.parse is None]
    assert numbers, "there are numeric options"
    assert all(o.low is not None for o in numbers), [o.name for o in numbers if o.low is None]
    bounded = {o.name for o in numbers if o.high is not None}
    assert {"seed", "iters", "batch_size", "lr", "epochs", "embed_size", "max_filler", "min_filler", "short", "distractors",
            "forget_bias"} <= bounded


@pytest.mark.parametrize("given,message", [
    ({"seed": -1}, "seed must be an integer from 0 to 4294967295, got -1"),
    ({"seed": 2**64}, "seed must be an integer from 0 to 4294967295, got 18446744073709551616"),
    ({"seed": 1.5}, "seed must be an integer from 0 to 4294967295, got 1.5"),
    ({"seed": True}, "seed must be an integer from 0 to 4294967295, got True"),
    ({"iters": 10**12, "strategy": "random"}, "iterations must be a positive integer up to 1000000, got 1000000000000"),
    ({"iters": 0}, "iterations must be a positive integer up to 1000000, got 0"),
    ({"epochs": 10**7, "strategy": "epochs"}, "epochs must be a positive integer up to 10000, got 10000000"),
    ({"clip": math.inf}, "gradient clipping norm must be a positive number, got inf (not a finite number)"),
    ({"clip": math.nan}, "gradient clipping norm must be a positive number, got nan (not a finite number)"),
    ({"clip": -1.0}, "gradient clipping norm must be a positive number, got -1.0"),
    ({"lr": 0.0}, "learning rate must be a positive number up to 100, got 0.0"),
    ({"lr": "fast"}, "learning rate must be a positive number up to 100, got 'fast'"),
    ({"batch_size": -1}, "batch size must be an integer from 0 to 10000, got -1"),
    ({"hidden_size": 0}, "hidden size must be a positive integer, got 0"),
    ({"seq_len": 0}, "sequence length must be a positive integer, got 0"),
    ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'; valid: sgd, adam"),
    ({"strategy": "shuffle"}, "unknown strategy 'shuffle'; valid: sequential, epochs, random"),
])
def test_preset_config_refuses_what_the_declarations_refuse(given, message):
    with pytest.raises(ExplainerError) as excinfo:
        preset_config("sine", "rnn", "seed", **given)
    assert str(excinfo.value) == message


@pytest.mark.parametrize("given,message", [
    ({"embed_size": 0}, "embedding size must be a positive integer up to 4096, got 0"),
    ({"max_filler": 1001}, "max filler must be an integer from 0 to 1000, got 1001"),
    ({"short": 1.5}, "short must be a number from 0 to 1, got 1.5"),
    ({"distractors": math.nan}, "distractors must be a number from 0 to 1, got nan (not a finite number)"),
])
def test_the_language_tasks_own_ranges(given, message):
    with pytest.raises(ExplainerError) as excinfo:
        preset_config("language", "lstm", **given)
    assert str(excinfo.value) == message


def test_the_largest_values_allowed_are_accepted():
    assert preset_config("sine", "rnn", "seed", seed=MAX_SEED).seed == MAX_SEED
    assert preset_config("sine", "rnn", "seed", strategy="random", iters=MAX_UPDATES).iters == MAX_UPDATES
    assert preset_config("language", "lstm", short=1.0, distractors=0.0).short == 1.0


def test_a_config_built_by_hand_is_checked_the_same_way():
    with pytest.raises(ExplainerError, match="seed must be an integer from 0 to 4294967295, got -5"):
        TrainConfig(task="sine", kind="rnn_tanh", seed=-5, options=preset_config("sine", "rnn").options).check()


def test_a_million_random_updates_are_drawn_as_they_are_used_not_held():
    config = preset_config("sine", "rnn", "seed", strategy="random", iters=MAX_UPDATES, batch_size=0)
    schedule = window_schedule(config, 310)
    assert len(schedule) == MAX_UPDATES and not isinstance(schedule, list)
    first = [w.copy() for _, w in zip(range(3), schedule)]
    again = [w.copy() for _, w in zip(range(3), schedule)]
    assert all((a == b).all() for a, b in zip(first, again)), "every pass draws the same windows"


def test_the_option_check_explains_its_range_in_words():
    assert Option("n", "", low=1).allowed == "a positive integer"
    assert Option("n", "", low=0, high=9).allowed == "an integer from 0 to 9"
    assert Option("x", "", float, low=0, above=True, high=100).allowed == "a positive number up to 100"
    assert Option("x", "", float, low=0.5).allowed == "a number of at least 0.5"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("args,message", [
    (["--seed", "-1"], "error: seed must be an integer from 0 to 4294967295, got -1"),
    (["--seed", "18446744073709551616"], "error: seed must be an integer from 0 to 4294967295"),
    (["--strategy", "random", "--iters", "1000000000000"], "error: iterations must be a positive integer up to 1000000"),
    (["--clip", "inf"], "error: gradient clipping norm must be a positive number, got inf"),
])
def test_train_refuses_a_number_out_of_range_at_once_and_writes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    result = run("train", "sine", *args, "-o", "c.safetensors")
    assert result.exit_code == 1 and result.output.strip().startswith(message), result.output
    assert time.perf_counter() - start < 5, "refused before any training"
    assert list(tmp_path.iterdir()) == []


def test_train_help_states_the_maxima():
    text = " ".join(run("train", "--help").output.split())
    assert "at most 1,000,000" in text and "at most 10,000" in text and "0 to 4294967295" in text


def test_demo_refuses_zero_jobs_before_recording_anything(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo", "--jobs", "0", "-o", "out")
    assert result.exit_code == 1 and result.output.strip() == "error: --jobs must be between 1 and 64, got 0"
    assert not (tmp_path / "out").exists()
