"""The sine scenes, specified from the traces they read: UnrolledRNN and SinePrediction.

What each scene shows is computed by plain functions (`windows`, `evaluation`) that
these tests call without rendering; wrong traces are refused by `render` before any
frame is drawn; each scene is rendered once, as a tiny last frame.
"""

from __future__ import annotations

import numpy as np
import pytest

from animations import render
from animations.sine_prediction import Evaluation, evaluation
from animations.unrolled_rnn import MAX_WINDOWS, colour_limit, strip_shape, windows
from explainer import assets
from explainer.errors import ExplainerError
from explainer.trace import Trace


def load(name: str) -> Trace:
    return Trace.load(assets.trace_path(name))


# -- UnrolledRNN -------------------------------------------------------------------------------

def test_the_first_window_is_the_first_row_with_its_true_next_point():
    trace = load("sine-rnn-seed-windows")
    first = windows(trace)[0]
    np.testing.assert_allclose(first.inputs, trace.meta["y"], rtol=1e-6)
    assert first.labels == trace.steps
    assert first.h.shape == (10, 12)
    np.testing.assert_array_equal(first.h, trace["layers.0.h"][0])
    assert first.prediction == pytest.approx(float(trace["output"][0, -1, 0]))
    assert first.truth == pytest.approx(trace.meta["next_y"])
    assert first.start == 310


def test_each_slide_starts_one_point_later_with_its_own_states_and_truth():
    trace = load("sine-rnn-seed-windows")
    ws = windows(trace)
    assert [w.start for w in ws] == [310, 311, 312, 313]
    truth = trace.meta["eval"]["truth"]
    for b, w in enumerate(ws):
        np.testing.assert_allclose(w.x, np.asarray(trace.meta["x"]) + b * (trace.meta["x"][1] - trace.meta["x"][0]))
        assert w.prediction == pytest.approx(float(trace["output"][b, -1, 0]))
        assert w.truth == pytest.approx(truth[b])  # the test range starts right after the first window
        if b + 1 < len(ws):
            assert w.truth == pytest.approx(float(trace["input"][b + 1, -1, 0]))  # = the next window's last input
    # recomputed from a zero state, the states of a slid window are not the old ones shifted
    assert not np.allclose(ws[1].h[:-1], ws[0].h[1:])
    assert MAX_WINDOWS == 3


def test_row_starts_the_slides_at_that_window_and_the_scene_says_which_layer_and_row(tmp_path):
    from manim import tempconfig

    from animations.unrolled_rnn import UnrolledRNN

    trace = load("sine-rnn-seed-windows")
    ws = windows(trace, row=2)
    assert [w.row for w in ws] == [2, 3] and [w.start for w in ws] == [312, 313]
    np.testing.assert_array_equal(ws[0].h, trace["layers.0.h"][2])
    with tempconfig({"media_dir": str(tmp_path / "media")}):
        scene = UnrolledRNN.of(row=1, lang="en")
        assert [w.row for w in scene.windows] == [1, 2, 3]
        assert scene.shown(scene.windows[0], scene.title("scene.unrolled.title", model="RNN")).text.replace(" ", "") \
            == "layer0of1·sequence1of4"
    with pytest.raises(ExplainerError, match="--row 4 is out of range"):
        windows(trace, row=4)
    with pytest.raises(ExplainerError, match="--layer 1 is not in this trace"):
        windows(trace, layer=1)


def test_a_trace_of_one_window_does_not_slide_and_any_cell_kind_shows_h():
    ws = windows(load("sine-lstm-tuned"))
    assert len(ws) == 1
    assert ws[0].h.shape == (10, 64)
    assert len(windows(load("sine-gru-seed-windows"))) == 4


def test_hidden_states_wrap_into_columns_that_fit_above_the_cell():
    assert strip_shape(12)[:2] == (1, 12)  # the source's 12 units: one column, numbers legible
    for units in (4, 12, 64, 200):
        columns, rows, cell = strip_shape(units)
        assert columns * rows >= units
        assert columns * cell <= 0.8 + 1e-9 and rows * cell <= 2.86 + 1e-9


def test_the_colour_limit_holds_the_values_and_is_a_round_number():
    assert colour_limit(np.array([0.61, -0.2])) == 0.75
    assert colour_limit(np.array([0.2])) == 0.25
    assert colour_limit(np.array([0.99, -1.0])) == 1.0


# -- SinePrediction ----------------------------------------------------------------------------

def test_the_evaluation_is_the_traces_test_range_and_metrics():
    trace = load("sine-rnn-seed")
    ev = evaluation(trace)
    assert len(ev.x) == len(ev.truth) == len(ev.single) == len(ev.multi) == 80
    np.testing.assert_allclose(ev.window_y, trace.meta["y"])  # the last training window, points 310-319
    assert ev.mse_single == trace.meta["metrics"]["mse_single"]
    # the running MSE shown while the curves grow ends at the recorded metric
    assert ev.running_single[-1] == pytest.approx(ev.mse_single, rel=1e-5)
    assert ev.running_multi[-1] == pytest.approx(ev.mse_multi, rel=1e-5)


def test_multi_step_windows_fill_up_with_the_models_own_predictions():
    ev = evaluation(load("sine-rnn-seed"))
    assert ev.inputs_of(0)[1].sum() == 0  # the last true window
    assert ev.inputs_of(3)[1].sum() == 3
    assert ev.inputs_of(10)[1].all()  # after 10 steps: only predictions
    np.testing.assert_allclose(ev.inputs_of(1)[0][-1], ev.x[0])


def test_the_closing_words_follow_the_measured_ratio():
    seed = evaluation(load("sine-rnn-seed"))
    assert seed.ratio == pytest.approx(8.49, abs=0.01)
    assert seed.verdict() == "drifts"
    assert seed.flat_value() == pytest.approx(float(np.mean(seed.multi[40:])))
    tuned = evaluation(load("sine-lstm-tuned"))  # multi-step stays close: the words must not say it drifts
    assert tuned.verdict() == "close"
    assert tuned.flat_value() is None


@pytest.mark.parametrize("multi_scale,expected", [(1.0, "same"), (0.5, "better"), (1.3, "grows")])
def test_the_closing_words_for_other_ratios(multi_scale, expected):
    x = np.linspace(0, 6, 60)
    truth = np.sin(x)
    single = truth + 0.3
    multi = truth + 0.3 * np.sqrt(multi_scale)
    mse = float(np.mean((single - truth) ** 2))
    ev = Evaluation(x, truth, single, multi, x[:10] - 1, truth[:10], mse, mse * multi_scale, 0.003)
    assert ev.verdict() == expected


# -- refusals and one tiny render per scene ----------------------------------------------------

def test_sine_prediction_takes_no_options_and_says_so(tmp_path):
    with pytest.raises(ExplainerError) as info:
        render("SinePrediction", output=tmp_path / "x.png", step=3)
    assert str(info.value) == "scene SinePrediction takes no --step; it takes: (none)"
    with pytest.raises(ExplainerError, match="scene UnrolledRNN takes no --units; it takes: --layer, --row"):
        render("UnrolledRNN", output=tmp_path / "x.png", options={"units": [1]})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["UnrolledRNN", "SinePrediction"])
def test_a_language_trace_is_refused_in_one_line(name, tmp_path):
    with pytest.raises(ExplainerError) as info:
        render(name, traces=[assets.trace_path("language-lstm")], output=tmp_path / "x.png")
    assert "sine" in str(info.value) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_trace_without_its_test_range_evaluation_is_refused_before_rendering(tmp_path):
    trace = load("sine-rnn-seed")
    bare = Trace({n: trace[n] for n in trace.names}, {k: v for k, v in trace.meta.items() if k != "eval"})
    with pytest.raises(ExplainerError, match="test-range evaluation"):
        render("SinePrediction", traces=[bare], output=tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["UnrolledRNN", "SinePrediction"])
def test_the_scene_renders_to_its_last_frame(name, tmp_path):
    from PIL import Image

    out = render(name, output=tmp_path / f"{name}.png", resolution=(160, 90))
    frame = np.asarray(Image.open(out).convert("RGB"))
    assert frame.shape == (90, 160, 3)
    assert frame.mean() > 200  # a white slide with a drawing on it
    assert frame.min() < 100


@pytest.mark.parametrize("layer, said_keys, unsaid_keys", [
    (0, {"scene.unrolled.readout_lower", "scene.unrolled.step1.rnn"}, {"scene.unrolled.readout"}),
    (1, {"scene.unrolled.readout", "scene.unrolled.step1.deep"}, {"scene.unrolled.readout_lower", "scene.unrolled.step1.rnn"}),
])
def test_a_lower_layer_is_not_said_to_feed_the_readout_and_an_upper_one_is_not_said_to_read_x(
        tmp_path, monkeypatch, layer, said_keys, unsaid_keys):
    from animations.base import TraceScene

    base = load("sine-rnn-seed-windows")
    arrays = {n: base[n] for n in base.names}
    arrays["layers.1.h"] = base["layers.0.h"]  # a second layer, for the words only
    deep = Trace(arrays, {**base.meta, "num_layers": 2})
    said: list[str] = []
    original = TraceScene.caption
    monkeypatch.setattr(TraceScene, "caption", lambda self, key, *a, **k: said.append(key) or original(self, key, *a, **k))
    render("UnrolledRNN", [deep], layer=layer, output=tmp_path / "u.png", resolution=(160, 90))
    assert said_keys <= set(said)
    assert not unsaid_keys & set(said)
