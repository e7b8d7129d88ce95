"""`explainer animate` through CliRunner: the list, a real (last-frame) render, the scene options,
the environment left alone, one-line errors."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner
from PIL import Image

from animations import scene_names
from explainer.cli.main import cli


def run(*args, env=None):
    return CliRunner().invoke(cli, ["animate", *map(str, args)], catch_exceptions=False, env=env)


def test_list_names_every_scene_with_one_line():
    result = run("--list")
    assert result.exit_code == 0
    assert [l.split()[0] for l in result.output.strip().splitlines()] == scene_names()
    assert {"UnrolledRNN", "ForgetGate", "InputGate", "CellUpdate", "OutputGate", "LSTMStep", "PronounMemory",
            "SinePrediction", "LongRange"} <= set(scene_names())


def test_list_says_which_options_each_scene_reads():
    lines = {l.split()[0]: l for l in run("--list").output.strip().splitlines()}
    assert lines["ForgetGate"].endswith("[--step --layer --units --row]")
    assert lines["UnrolledRNN"].endswith("[--layer --row]")
    assert not lines["SinePrediction"].endswith("]")


def test_a_png_output_renders_the_last_frame_and_a_second_run_replaces_it(tmp_path):
    out = tmp_path / "last.png"
    result = run("OutputGate", "--lang", "zh", "--step", "5", "-o", out)
    assert result.exit_code == 0, result.output
    frame = np.asarray(Image.open(out).convert("RGB"))
    assert frame.shape == (480, 854, 3)
    assert frame.mean() > 200, "a white background with a drawing on it"
    assert [p.name for p in tmp_path.iterdir()] == ["last.png"], "no media directory left behind"
    assert Image.open(out).info.get("Software") == "explainer", "the frame carries explainer's mark"
    again = run("OutputGate", "--step", "4", "-o", out)  # no --force: it is our own file
    assert again.exit_code == 0, again.output
    assert not np.array_equal(np.asarray(Image.open(out).convert("RGB")), frame), "replaced by the new frame"


def test_a_gif_carries_explainers_mark_too(tmp_path):
    from animations import render
    from explainer.files import check_output

    out = render("SinePrediction", output=tmp_path / "sine.gif", resolution=(64, 36), fps=2)
    assert check_output(out) == out, "a second run may replace it without --force"
    assert Image.open(out).info.get("comment") == b"explainer"
    assert Image.open(out).n_frames > 10


def test_the_environment_is_not_read(tmp_path):
    out = tmp_path / "x.png"
    env = {"EXPLAINER_STEP": "999", "EXPLAINER_LANG": "zh", "EXPLAINER_TRACE": "nothing.safetensors"}
    result = run("ForgetGate", "-o", out, env=env)
    assert result.exit_code == 0, result.output


def test_an_option_the_scene_does_not_read_is_refused_in_one_line(tmp_path):
    result = run("SinePrediction", "--step", "3", "-o", tmp_path / "x.png")
    assert result.exit_code == 1
    assert result.output.strip() == "error: scene SinePrediction takes no --step; it takes: (none)"
    result = run("UnrolledRNN", "--units", "1,2", "-o", tmp_path / "x.png")
    assert result.output.strip() == "error: scene UnrolledRNN takes no --units; it takes: --layer, --row"
    assert list(tmp_path.iterdir()) == []


def test_a_scene_that_needs_an_lstm_given_an_rnn_trace(tmp_path):
    result = run("LSTMStep", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.mp4")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: scene LSTMStep needs an LSTM trace")
