"""`explainer animate` through CliRunner: the list, a real (last-frame) render, one-line errors."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner
from PIL import Image

from animations import scene_names
from explainer.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["animate", *map(str, args)], catch_exceptions=False)


def test_list_names_every_scene_with_one_line():
    result = run("--list")
    assert result.exit_code == 0
    assert [l.split()[0] for l in result.output.strip().splitlines()] == scene_names()
    assert {"UnrolledRNN", "ForgetGate", "InputGate", "CellUpdate", "OutputGate", "LSTMStep", "PronounMemory",
            "SinePrediction", "LongRange"} <= set(scene_names())


def test_a_png_output_renders_the_last_frame(tmp_path):
    out = tmp_path / "last.png"
    result = run("OutputGate", "--lang", "zh", "--step", "5", "-o", out)
    assert result.exit_code == 0, result.output
    frame = np.asarray(Image.open(out).convert("RGB"))
    assert frame.shape == (480, 854, 3)
    assert frame.mean() > 200, "a white background with a drawing on it"
    assert [p.name for p in tmp_path.iterdir()] == ["last.png"], "no media directory left behind"


def test_a_scene_that_needs_an_lstm_given_an_rnn_trace(tmp_path):
    result = run("LSTMStep", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.mp4")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: scene LSTMStep needs an LSTM trace")
