"""`explainer figure` through CliRunner: formats, the list, and its one-line errors."""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from explainer import figures
from explainer.cli.main import cli
from cli_checks import one_line_error


def run(*args):
    return CliRunner().invoke(cli, ["figure", *map(str, args)], catch_exceptions=False)


def test_list_names_every_figure_with_one_line():
    result = run("--list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [l.split()[0] for l in lines] == figures.names()
    assert len(lines) == len(figures.names()) >= 17


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
    one_line_error(run("data", "--focus", "forget", "-o", tmp_path / "x.png"),
                   r"figure data takes no --focus \(it takes no options\); figures that do: lstm-cell$")
    one_line_error(run("unrolled", "--focus", "forget", "-o", tmp_path / "x.png"),
                   r"figure unrolled takes no --focus \(it takes only --step, --layer, --units, --row\)")
    one_line_error(run("loss", "--layer", 0, "-o", tmp_path / "x.png"),
                   r"figure loss takes no --layer .*; figures that do: unrolled, lstm-cell, gate-unit, gates, saturation")
    one_line_error(run("forget-reset", "--row", 0, "-o", tmp_path / "x.png"), "figure forget-reset takes no --row")
    one_line_error(run("loss", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.png"),
                   "figure loss reads a checkpoint, not a trace; use --checkpoint")
    one_line_error(run("distance", "--trace", "assets/traces/sine-rnn-seed.safetensors", "-o", tmp_path / "x.png"),
                   "figure distance reads checkpoints, not a trace; use --checkpoint")
    assert not (tmp_path / "x.png").exists()


def test_bad_output(tmp_path):
    one_line_error(run("data", "-o", tmp_path / "x.gif"), r"cannot tell the format of .*\.png, \.svg, \.pdf")
    one_line_error(run("data", "-o", tmp_path / "missing" / "x.png"), "does not exist")
    one_line_error(run("data"), "give an output file with -o")


@pytest.fixture(scope="module")
def two_layer_trace(tmp_path_factory):
    """A trace file of a plain 2-layer LSTM: 3 sequences of 12 steps, 10 units, layer 0's forget gate held at 1."""
    import torch

    import explainer

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 10, num_layers=2, batch_first=True)
    path = tmp_path_factory.mktemp("traces") / "two-layers.safetensors"
    explainer.record(lstm, torch.randn(3, 12, 3), intervene={"layers.0.gates.f": 1.0}).save(path)
    return path


@pytest.mark.parametrize("name", ["gates", "saturation", "lstm-cell", "gate-unit", "unrolled"])
def test_layer_units_and_row_reach_the_trace_figures(tmp_path, two_layer_trace, name):
    out = tmp_path / f"{name}.png"
    result = run(name, "--trace", two_layer_trace, "--layer", 0, "--units", "9,1", "--row", 2, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_layer_units_and_row_are_checked_against_the_trace(tmp_path, two_layer_trace):
    out = tmp_path / "x.png"
    one_line_error(run("gates", "--trace", two_layer_trace, "--layer", 2, "-o", out),
                   r"--layer 2 is not in this trace; it holds layer\(s\) 0, 1")
    one_line_error(run("gates", "--trace", two_layer_trace, "--units", "3 12", "-o", out),
                   "--units 12 is not a unit of this trace; it holds units 0 to 9")
    one_line_error(run("unrolled", "--trace", two_layer_trace, "--row", 3, "-o", out),
                   "--row 3 is out of range: this trace has 3 batch rows; choose 0 to 2")
    assert not out.exists()


def test_units_must_be_a_list_of_numbers(tmp_path):
    result = run("gates", "--units", "five", "-o", tmp_path / "x.png")
    assert result.exit_code == 2 and "'five' is not a list of unit numbers; write e.g. --units 0,3,7" in result.output


def test_list_names_the_options_each_figure_takes():
    lines = {l.split()[0]: l for l in run("--list").output.strip().splitlines()}
    assert lines["gates"].endswith("[--layer --units --row]")
    assert lines["lstm-cell"].endswith("[--step --focus --layer --units --row]")
    assert "[" not in lines["loss"]
