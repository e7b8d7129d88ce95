"""The CLI's first commands through click's CliRunner: exit codes, outputs, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from explainer.assets import checkpoint_path
from explainer.cli.main import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def assert_one_line_error(result, pattern: str):
    assert result.exit_code == 1, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    import re
    assert re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in result.output


def test_help_lists_every_command_with_one_line(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in ("train", "trace", "inspect", "demo"):
        line = next(l for l in result.output.splitlines() if l.strip().startswith(name + " "))
        assert "..." not in line, f"the help line of {name} is cut: {line}"


def test_train_sine_seed_then_inspect_json(run, tmp_path):
    out = tmp_path / "a.safetensors"
    result = run("train", "sine", "--model", "rnn", "--preset", "seed", "-o", out)
    assert result.exit_code == 0, result.output
    assert "single-step MSE" in result.output and f"wrote {out}" in result.output
    info = json.loads(run("inspect", out, "--json").output)
    assert info["kind"] == "checkpoint" and info["model"]["kind"] == "rnn_tanh"
    m = info["metrics"]
    assert 0.02 < m["mse_single"] < 0.12 and 0.3 < m["mse_multi"] < 0.8 and 0.002 < m["noise_floor"] < 0.005
    assert info["history"]["updates"] == 310


def test_train_strategy_options(run, tmp_path):
    out = tmp_path / "r.safetensors"
    result = run("train", "sine", "--model", "gru", "--strategy", "random", "--iters", "40", "--seed", "3", "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads(run("inspect", out, "--json").output)
    assert info["train"]["strategy"] == "random" and info["history"]["updates"] == 40 and info["train"]["seed"] == 3


def test_inspect_tables(run):
    result = run("inspect", checkpoint_path("sine", "lstm", "tuned"))
    assert result.exit_code == 0 and "mse_single" in result.output and "core.weight_hh_l0" in result.output


def test_trace_sine_default_window_and_whole_test_range(run, tmp_path):
    out = tmp_path / "t.safetensors"
    result = run("trace", checkpoint_path("sine", "lstm", "tuned"), "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads(run("inspect", out, "--json").output)
    assert info["kind"] == "trace" and info["meta"]["positions"] == list(range(310, 320))
    assert [a["name"] for a in info["arrays"]][:3] == ["input", "layers.0.h", "layers.0.c"]
    result = run("trace", checkpoint_path("sine", "rnn", "seed"), "--start", 320, "--steps", 80,
                 "--names", "layers.*.h", "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads(run("inspect", out, "--json").output)
    assert [a["name"] for a in info["arrays"]] == ["layers.0.h"] and info["arrays"][0]["shape"] == [1, 80, 12]


def test_trace_language_source_and_own_text_in_both_languages(run, tmp_path):
    out = tmp_path / "l.safetensors"
    ckpt = checkpoint_path("language", "lstm")
    assert run("trace", ckpt, "-o", out).exit_code == 0
    meta = json.loads(run("inspect", out, "--json").output)["meta"]
    assert "".join(meta["words"]["zh"]).startswith("Alice是一名女教师，她")
    assert meta["steps"][:3] == ["Alice", "is a", "female"]
    result = run("trace", ckpt, "--lang", "zh", "--text", "Carol是一名女医生，她热爱音乐", "-o", out)
    assert result.exit_code == 0, result.output
    meta = json.loads(run("inspect", out, "--json").output)["meta"]
    assert meta["steps"][:4] == ["Carol", "是一名", "女", "医生"] and meta["words"]["en"][3] == "doctor"


def test_bad_input_is_one_line_and_writes_nothing(run, tmp_path):
    out = tmp_path / "x.safetensors"
    assert_one_line_error(run("trace", checkpoint_path("language", "lstm"), "--text", "Zed drives", "-o", out),
                          r"unknown word 'Zed' .* vocabulary \(en\) is: Alice")
    assert_one_line_error(run("trace", checkpoint_path("sine", "rnn", "seed"), "--text", "hi", "-o", out),
                          "--text is for language checkpoints")
    assert_one_line_error(run("trace", checkpoint_path("sine", "rnn", "seed"), "--start", 395, "-o", out),
                          "runs past the end: at most 5 steps fit")
    assert_one_line_error(run("trace", tmp_path / "missing.safetensors", "-o", out), "no such file")
    assert_one_line_error(run("train", "sine", "--hidden", 0, "-o", out), "hidden size must be a positive integer")
    assert_one_line_error(run("train", "sine", "--hidden", 50_000_000, "-o", out), "of memory to train")
    assert_one_line_error(run("train", "sine", "--features", "wind", "-o", out), "unknown feature 'wind'")
    assert_one_line_error(run("train", "sine", "-o", tmp_path / "no" / "dir.safetensors"), "does not exist")
    assert_one_line_error(run("inspect", tmp_path), "is a directory")
    assert not out.exists()
    garbage = tmp_path / "g.safetensors"
    garbage.write_bytes(b"\x00" * 64)
    assert_one_line_error(run("inspect", garbage), "not a readable explainer file")


def test_inspect_of_a_safetensors_file_that_is_not_ours(run, tmp_path):
    import numpy as np
    from safetensors.numpy import save_file

    path = tmp_path / "weights.safetensors"
    save_file({"weight": np.zeros((2, 2), np.float32)}, path)
    result = run("inspect", path)
    assert_one_line_error(result, r"is a safetensors file but not an explainer file; give a trace or a checkpoint made by explainer$")
    assert "explainer explainer" not in result.output


@pytest.mark.parametrize("task,args,refused", [
    ("language", ["--seq-len", 5], "--seq-len"),
    ("language", ["--features", "cos"], "--features"),
    ("language", ["--strategy", "random", "--epochs", 3], "--strategy, --epochs"),
    ("sine", ["--embed-size", 8], "--embed-size"),
])
def test_train_refuses_an_option_its_task_does_not_take(run, tmp_path, task, args, refused):
    out = tmp_path / "c.safetensors"
    result = run("train", task, *args, "-o", out)
    takes = {"language": "--embed-size, --max-filler, --min-filler, --short, --distractors, --forget-bias",
             "sine": "--seq-len, --strategy, --epochs, --features"}[task]
    assert_one_line_error(result, f"the {task} task does not take {refused}; it takes --model, --preset, .*--hidden, .*{takes}$")
    assert not out.exists()


def test_usage_errors_exit_2(run):
    result = CliRunner().invoke(cli, ["train", "poetry", "-o", "x"])
    assert result.exit_code == 2 and "poetry" in result.output
