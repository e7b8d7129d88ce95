"""`explainer figure` through CliRunner: formats, the list, and its one-line errors."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from explainer import figures
from explainer.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["figure", *map(str, args)], catch_exceptions=False)


def one_line_error(result, pattern):
    assert result.exit_code == 1, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and re.search(pattern, lines[0]), result.output


def test_list_names_every_figure_with_one_line():
    result = run("--list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [l.split()[0] for l in lines] == figures.names()
    assert len(lines) == 13


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_the_format_follows_the_suffix(tmp_path, suffix, magic):
    out = tmp_path / f"data{suffix}"
    result = run("data", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_dpi_sets_the_png_size(tmp_path):
    from matplotlib.image import imread

    run("loss", "--dpi", 50, "-o", tmp_path / "small.png")
    assert imread(tmp_path / "small.png").shape[:2] == (360, 640)


def test_unknown_figure_lists_the_valid_names(tmp_path):
    one_line_error(run("heatmap", "-o", tmp_path / "x.png"), r"unknown figure 'heatmap'; valid: data, unrolled, loss")
    assert not (tmp_path / "x.png").exists()


def test_a_trace_that_lacks_what_the_figure_needs(tmp_path):
    one_line_error(run("lstm-cell", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.png"),
                   r"figure lstm-cell needs a LSTM trace; '.*sine-rnn-seed.safetensors' is a rnn_tanh trace")
    one_line_error(run("predict", "--checkpoint", "assets/checkpoints/language-lstm.safetensors", "-o", tmp_path / "x.png"),
                   "figure predict needs a sine checkpoint")


def test_options_a_figure_does_not_take(tmp_path):
    one_line_error(run("data", "--focus", "forget", "-o", tmp_path / "x.png"), "figure data takes no --focus; figures that do: lstm-cell")
    one_line_error(run("loss", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.png"),
                   "reads checkpoints, not a trace; use --checkpoint")


def test_bad_output(tmp_path):
    one_line_error(run("data", "-o", tmp_path / "x.gif"), r"cannot tell the format of .*\.png, \.svg, \.pdf")
    one_line_error(run("data", "-o", tmp_path / "missing" / "x.png"), "does not exist")
    one_line_error(run("data"), "give an output file with -o")
