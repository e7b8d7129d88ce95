"""The task registry: each task declares itself once, and everything that lists tasks reads it.

For every registered task: its declaration is complete, a tiny configuration of it trains,
its checkpoint carries the metrics and sections it declares, it is explained on its own
inputs, and an option it does not take is refused, in Python and on the command line.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from explainer import ExplainerError
from explainer.assets import checkpoint_path
from explainer.checkpoint import Checkpoint, read_meta
from explainer.cli.main import cli
from explainer.explain import default_traces, trace_checkpoint
from explainer.tasks.registry import Option, get, tasks, trainable
from explainer.training import preset_config, train
from explainer.training.config import FIELDS

NAMES = list(trainable())  # the imported task is not trained here: tests of its own in test_import.py
TINY = dict(hidden_size=4, iters=5, batch_size=4)


def test_the_shipped_tasks_are_registered():
    assert NAMES == ["sine", "language", "text"] and list(tasks()) == NAMES + ["imported"]
    with pytest.raises(ExplainerError, match="unknown task 'poetry'; valid: sine, language, text, imported"):
        get("poetry")


@pytest.mark.parametrize("name", NAMES)
def test_every_task_declares_itself_completely(name):
    task = tasks()[name]
    assert task.description and "\n" not in task.description
    assert task.presets and set(task.shipped_presets()) <= set(task.presets)
    assert set(task.option_names) == set(task.defaults), "every option has a default"
    assert not set(task.option_names) & set(FIELDS), "a task's options are its own, not the common fields"
    for values in task.presets.values():
        assert set(values) <= set(FIELDS) | set(task.option_names), "presets set only what the task takes"
    assert callable(task.train_function())
    assert all(isinstance(o, Option) and o.flag.startswith("--") and o.help for o in task.options + task.trace_options)


def test_options_shared_by_name_are_declared_alike():
    for which in ("options", "trace_options"):
        seen: dict[str, Option] = {}
        for task in tasks().values():
            for option in getattr(task, which):
                assert seen.setdefault(option.name, option) == option, f"{option.name} differs between tasks"


@pytest.mark.parametrize("name", NAMES)
def test_every_task_trains_a_tiny_config_and_is_explained(name, tmp_path):
    task = tasks()[name]
    ckpt = train(preset_config(name, "gru", **TINY))
    meta = read_meta(ckpt.save(tmp_path / "c.safetensors"))
    assert set(task.metrics) <= set(meta["metrics"]) and all(isinstance(meta[s], dict) for s in task.sections)
    assert meta["train"]["task"] == name and set(task.option_names) <= set(meta["train"])
    assert all(isinstance(line, str) and line for line in task.summary(meta))
    traces = default_traces("x", Checkpoint.load(tmp_path / "c.safetensors"))
    assert list(traces)[0] == "x" and all(t.meta["task"] == name and t.kind == "gru" for t in traces.values())
    assert all(len(t.steps) == t.num_steps for t in traces.values())


def test_a_checkpoint_of_an_unknown_task_or_without_its_metrics_is_damaged(tmp_path):
    ckpt = train(preset_config("sine", "rnn", **TINY))
    ckpt.meta["train"]["task"] = "poetry"
    with pytest.raises(ExplainerError, match="damaged checkpoint: the task cannot be read"):
        read_meta(ckpt.save(tmp_path / "a.safetensors"))
    ckpt.meta["train"]["task"] = "sine"
    del ckpt.meta["metrics"]["noise_floor"], ckpt.meta["eval"]
    with pytest.raises(ExplainerError, match=r"damaged checkpoint: the sine metrics \(noise_floor\), the eval section"):
        read_meta(ckpt.save(tmp_path / "b.safetensors"))


def test_an_option_the_task_does_not_take_is_refused_in_python():
    with pytest.raises(ExplainerError, match=r"^the language task does not take seq_len, strategy; it takes seed, "
                                             r"hidden_size, .*, embed_size, max_filler, min_filler, short, distractors, forget_bias$"):
        preset_config("language", "lstm", seq_len=5, strategy="random")
    with pytest.raises(ExplainerError, match="the sine task does not take embed_size"):
        preset_config("sine", "lstm", embed_size=4)
    assert preset_config("language", "lstm", seq_len=None).task == "language", "None means: keep the preset"


def test_trace_options_of_another_task_are_refused():
    language = Checkpoint.load(checkpoint_path("language", "rnn"))
    with pytest.raises(ExplainerError, match=r"^--start, --windows are for sine checkpoints; a language checkpoint "
                                             r"takes --text, --passage, --lang$"):
        trace_checkpoint(language, start=3, windows=2)
    assert trace_checkpoint(language, passage="long").num_steps > 100


def test_the_cli_offers_what_the_tasks_declare():
    train_help = CliRunner().invoke(cli, ["train", "--help"]).output
    trace_help = CliRunner().invoke(cli, ["trace", "--help"]).output
    for task in tasks().values():
        assert (task.name in train_help) == task.trainable
        assert not task.trainable or task.description.split(":")[0] in " ".join(train_help.split())
        for option in task.options:
            assert option.flag in train_help
        for option in task.trace_options:
            assert option.flag in trace_help
    assert "[sine] Window length" in " ".join(train_help.split())


def test_a_cli_option_reaches_the_config(tmp_path):
    out = tmp_path / "l.safetensors"
    args = ["train", "language", "--model", "gru", "--hidden", 4, "--iters", 3, "--batch-size", 2,
            "--embed-size", 5, "--short", 0.5, "-o", out]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    info = json.loads(CliRunner().invoke(cli, ["inspect", str(out), "--json"]).output)
    assert info["train"]["embed_size"] == 5 and info["train"]["short"] == 0.5 and info["model"]["embed_size"] == 5
    assert np.isfinite(info["metrics"]["pronoun_accuracy"])
