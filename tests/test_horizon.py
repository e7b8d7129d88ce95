"""Multi-step prediction, honestly: the error by horizon over every test start, the collapse criterion,
and the pictures that show them (figures horizon, windows; multistep and SinePrediction have their own tests).

Read as a specification: the h-step error is the mean over every start point of the test range
whose h-th step is still in the data; one step ahead it is the single-step MSE, and from the last
training window the forecast is the one the checkpoint records. For the source's seed preset the
error grows with the horizon and its forecast collapses to a constant; the tuned preset's does not
collapse, and its error does not grow steadily. Captions say what the probe measured.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from explainer import assets, figures
from explainer.checkpoint import read_meta
from explainer.errors import ExplainerError
from explainer.probes.horizon import (
    COLLAPSE_SPREAD,
    COLLAPSE_TAIL,
    HORIZON,
    collapse,
    collapse_in,
    collapse_of,
    error_by_horizon,
)
from explainer.reading import mse as fmt_mse
from explainer.reading import number

SINE = [f"sine-{kind}-{preset}" for kind in ("rnn", "lstm", "gru") for preset in ("seed", "tuned")]


def path(name: str):
    return assets.root() / "checkpoints" / f"{name}.safetensors"


@pytest.fixture(scope="module")
def measured() -> dict:
    """The probe on every shipped sine preset, once for the module."""
    return {name: error_by_horizon(path(name)) for name in SINE}


def texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


# -- error by horizon ----------------------------------------------------------------------------

def test_every_start_point_of_the_test_range_counts_while_its_horizon_fits_in_the_data(measured):
    e = measured["sine-rnn-seed"]
    assert e.horizons.tolist() == list(range(1, HORIZON + 1))
    assert e.starts.tolist() == list(range(320, 400))
    assert e.count.tolist() == [80 - h + 1 for h in range(1, HORIZON + 1)]  # 80 at h = 1 ... 51 at h = 30
    assert np.isnan(e.forecasts[-1, 1:]).all() and np.isfinite(e.forecasts[-1, 0])  # the last start: one step fits


@pytest.mark.parametrize("name", SINE)
def test_one_step_ahead_is_the_single_step_mse_and_the_first_start_is_the_recorded_forecast(measured, name):
    e, m = measured[name], read_meta(path(name))
    assert e.at(1) == pytest.approx(m["metrics"]["mse_single"], rel=1e-4)
    np.testing.assert_allclose(e.forecasts[0], m["eval"]["multi"][:HORIZON], atol=1e-5)


@pytest.mark.parametrize("name", ["sine-rnn-seed", "sine-gru-seed"])
def test_the_seed_presets_error_grows_with_every_step_of_the_horizon(measured, name):
    e = measured[name]
    assert e.monotone and np.all(np.diff(e.mse) > 0)
    assert e.growth > 10  # 0.0604 -> 0.6687 for the RNN
    assert e.shape() == "grows"


def test_the_seed_lstm_rises_but_not_at_every_step_and_says_where_it_peaks(measured):
    e = measured["sine-lstm-seed"]
    assert not e.monotone and e.growth >= 2 and e.shape() == "rises"
    assert e.peak[0] < HORIZON  # largest before the last horizon


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_the_tuned_presets_error_does_not_grow_steadily_and_stays_far_below_the_seed_presets(measured, kind):
    tuned, seed = measured[f"sine-{kind}-tuned"], measured[f"sine-{kind}-seed"]
    assert tuned.shape() == "stays" and not tuned.monotone
    assert tuned.mse.max() < 4 * tuned.noise_floor  # within 4x the best possible at every horizon
    assert np.all(tuned.mse < seed.mse / 5)


def test_the_horizon_is_checked_and_a_language_checkpoint_is_refused_in_one_line():
    for bad in (0, 81, 2.5, True):
        with pytest.raises(ExplainerError, match="horizon must be a whole number of steps from 1 to 80"):
            error_by_horizon(path("sine-rnn-seed"), bad)
    with pytest.raises(ExplainerError) as info:
        error_by_horizon(assets.root() / "checkpoints" / "language-lstm.safetensors")
    assert "sine task" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ExplainerError, match="needs a sine checkpoint .* or a SequenceModel, not list"):
        error_by_horizon(["a list"])


def test_a_model_built_in_python_is_measured_on_the_data_it_is_given():
    import torch

    from explainer.models import SequenceModel
    from explainer.tasks.sine import make_data

    torch.manual_seed(0)
    model = SequenceModel("gru", input_size=2, hidden_size=4)
    e = error_by_horizon(model, 5, data=make_data(features=("diff",)))
    assert e.kind == "gru" and e.preset == "" and e.mse.shape == (5,) and np.isfinite(e.mse).all()
    with pytest.raises(ExplainerError, match="reads 2 input columns but the data has 1"):
        error_by_horizon(model, 5)


# -- the collapse criterion ------------------------------------------------------------------------

@pytest.mark.parametrize("name", SINE)
def test_the_seed_presets_collapse_to_a_constant_and_the_tuned_presets_hold_the_phase(name):
    c = collapse_of(path(name))
    if name.endswith("seed"):
        assert c.collapsed and c.verdict == "collapses"
        assert c.spread < COLLAPSE_SPREAD * c.truth_spread and c.settled_by is not None
    else:
        assert not c.collapsed and c.holds_phase and c.verdict == "holds" and c.corr > 0.99
    recorded = collapse_in(read_meta(path(name)))  # the same criterion on the forecast the checkpoint records
    assert recorded.verdict == c.verdict and recorded.value == pytest.approx(c.value, abs=1e-5)


def test_the_source_rnn_collapses_to_minus_0_14_within_13_steps():
    c = collapse_of(path("sine-rnn-seed"))
    assert number(c.value) == "−0.14" and c.settled_by == 13


def test_the_criterion_on_made_up_forecasts():
    x = np.linspace(0, 7.2, 80)
    truth = np.sin(x)
    flat = np.concatenate([np.linspace(-0.5, -0.14, 10), np.full(70, -0.14)])
    c = collapse(flat, truth)
    assert c.collapsed and c.value == pytest.approx(-0.14) and c.settled_by == 10
    assert collapse(truth + 0.02, truth).verdict == "holds"
    assert collapse(np.sin(x + np.pi / 2), truth).verdict == "drifts"  # a wave, a quarter period off
    # a slowly decaying wave is no constant while its last values still spread
    assert not collapse(np.exp(-x / 8) * np.sin(x), truth).collapsed
    assert collapse([None] * 80, truth).verdict == "drifts"  # a forecast that blew up
    with pytest.raises(ExplainerError, match=f"last {COLLAPSE_TAIL} forecast values"):
        collapse(flat[:5], truth[:5])
    with pytest.raises(ExplainerError, match="two series of one length"):
        collapse(flat, truth[:40])


def test_the_probe_and_the_figures_that_use_its_criterion_import_no_torch():
    code = ("import sys, explainer.probes.horizon, explainer.figures.horizon, explainer.figures.multistep, "
            "explainer.figures.windows, animations.sine_prediction; assert 'torch' not in sys.modules, 'torch'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


# -- figure horizon ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def horizon_figures() -> dict:
    return {lang: figures.make("horizon", lang=lang) for lang in ("en", "zh")}


def test_the_horizon_figure_draws_the_probes_numbers_on_a_log_scale(horizon_figures, measured):
    fig = horizon_figures["en"]
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    drawn = [line.get_ydata() for line in ax.get_lines() if len(line.get_ydata()) == HORIZON]
    for name in SINE:
        assert any(np.allclose(y, measured[name].mse) for y in drawn), name
    thick = [line for line in ax.get_lines() if line.get_linewidth() > 3]
    assert len(thick) == 2  # the RNN's two presets; LSTM and GRU thin
    floor = measured["sine-rnn-seed"].noise_floor
    assert any(np.allclose(line.get_ydata(), floor) for line in ax.get_lines())


def test_the_horizon_captions_say_what_each_bold_line_does_with_the_measured_numbers(horizon_figures, measured):
    seed, tuned = measured["sine-rnn-seed"], measured["sine-rnn-tuned"]
    words = texts(horizon_figures["en"])
    grows = [t for t in words if "the error grows at every step" in t]
    assert grows == [f"RNN · seed preset: the error grows at every step, from {fmt_mse(seed.at(1))} (h = 1) to "
                     f"{fmt_mse(seed.at(HORIZON))} (h = {HORIZON}), {number(seed.growth, 1)}×"]
    stays = [t for t in words if t.startswith("RNN · tuned preset: no steady growth")]
    assert len(stays) == 1 and fmt_mse(tuned.mse.max()) in stays[0] and f"h = {tuned.peak[0]}" in stays[0]
    assert not [t for t in words if "grows" in t and "tuned" in t]
    assert any(f"{tuned.count[0]} starts at h = 1" in t and f"{tuned.count[-1]} at h = {HORIZON}" in t for t in words)


def test_the_horizon_figure_is_in_chinese_too(horizon_figures, measured):
    words = "\n".join(texts(horizon_figures["zh"]))
    assert "误差每一步都在增大" in words and "误差没有随步数稳定增大" in words
    assert fmt_mse(measured["sine-rnn-seed"].at(HORIZON)) in words


def test_the_horizon_figure_needs_checkpoint_files_not_metadata():
    with pytest.raises(ExplainerError) as info:
        figures.make("horizon", [read_meta(path("sine-rnn-seed"))])
    assert "needs checkpoint files" in str(info.value) and "\n" not in str(info.value)


# -- figure windows ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_windows_tables_hold_the_series_and_the_recorded_predictions(lang):
    from explainer.tasks.sine import make_data

    m = read_meta(path("sine-rnn-seed"))
    fig = figures.make("windows", lang=lang)
    words = texts(fig)
    y, multi, single = make_data(0).y, m["eval"]["multi"], m["eval"]["single"]
    # cells are a label above a number: read them as (label, number) pairs in drawing order
    pairs = [(a, b) for a, b in zip(words, words[1:]) if (a.startswith("y[") or a.startswith("pred[")) and "=" not in a]
    cells = [(label, value) for label, value in pairs if value and value[0] in "−0123456789"]
    assert ("y[310]", number(y[310])) in cells and ("y[319]", number(y[319])) in cells
    assert ("pred[399]", number(single[79])) in cells  # the single-step table's last row
    own = [label for label, _ in cells if label.startswith("pred[")]
    assert own.count("pred[320]") == 5  # the two tables' first predictions, then read in three multi-step windows
    assert ("pred[330]", number(multi[10])) in cells  # after 10 steps: the window is all predictions
    assert ("pred[329]", number(multi[9])) in cells
    assert any(lang == "zh" and "单步预测" in w or lang == "en" and "Single-step prediction" in w for w in words)
