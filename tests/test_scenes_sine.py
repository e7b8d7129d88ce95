"""The sine scenes, specified from the traces they read: UnrolledRNN and SinePrediction.

What each scene shows is computed by plain functions (`windows`, `evaluation`) that
these tests call without rendering; wrong traces are refused by `render` before any
frame is drawn; each scene is rendered once, as a tiny last frame.
"""

from __future__ import annotations

import numpy as np
import pytest

from animations import render
from animations.sine_prediction import evaluation, same_series
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
    assert ev.mse_single == trace.meta["metrics"]["mse_single"] and ev.mse_multi == trace.meta["metrics"]["mse_multi"]
    assert (ev.preset, ev.hidden_size) == ("seed", 12)
    assert (evaluation(load("sine-rnn-tuned")).preset, evaluation(load("sine-rnn-tuned")).hidden_size) == ("tuned", 64)


def test_multi_step_windows_fill_up_with_the_models_own_predictions():
    ev = evaluation(load("sine-rnn-seed"))
    assert ev.inputs_of(0)[1].sum() == 0  # the last true window
    assert ev.inputs_of(3)[1].sum() == 3
    assert ev.inputs_of(10)[1].all()  # after 10 steps: only predictions
    np.testing.assert_allclose(ev.inputs_of(1)[0][-1], ev.x[0])


def test_what_each_forecast_does_is_measured_the_seed_collapses_and_the_tuned_holds_the_phase():
    from explainer.probes.horizon import collapse

    seed, tuned = evaluation(load("sine-rnn-seed")), evaluation(load("sine-rnn-tuned"))
    assert seed.forecast == collapse(seed.multi, seed.truth)  # the probe's criterion, not the scene's own
    assert seed.forecast.verdict == "collapses" and round(seed.forecast.value, 2) == -0.14
    assert seed.forecast.settled_by == 13
    assert tuned.forecast.verdict == "holds" and tuned.forecast.corr > 0.99
    assert same_series(seed, tuned)


def said_by(monkeypatch, tmp_path, traces=None, lang="en") -> list[tuple[str, dict]]:
    """Every caption key a tiny render of SinePrediction says, with its values."""
    from animations.base import TraceScene

    said: list[tuple[str, dict]] = []
    original = TraceScene.caption
    monkeypatch.setattr(TraceScene, "caption", lambda self, key, *a, **k: said.append((key, k)) or original(self, key, *a, **k))
    render("SinePrediction", traces, lang=lang, output=tmp_path / "s.png", resolution=(160, 90))
    return said


def test_the_captions_name_the_collapse_with_its_value_and_compare_the_tuned_preset(monkeypatch, tmp_path):
    said = said_by(monkeypatch, tmp_path)
    keys = [k for k, _ in said]
    values = dict(said)
    assert values["scene.sine.forecast.collapses"]["v"] == "−0.14" and values["scene.sine.forecast.collapses"]["k"] == 13
    assert "scene.sine.compare.holds" in keys and values["scene.sine.compare.holds"]["r"] == "0.99"
    assert keys.index("scene.sine.forecast.collapses") < keys.index("scene.sine.compare.holds")
    assert not [k for k in keys if "verdict" in k or "drifts" in k]  # no claim the lines do not show
    close = values["scene.sine.close"]
    assert (close["a"], close["b"]) == ("0.5128", "0.0110")


def test_every_verdict_has_its_words_and_tuned_traces_are_not_said_to_collapse():
    from explainer.style import word

    for verdict in ("collapses", "holds", "drifts"):
        for lang in ("en", "zh"):
            for key in (f"scene.sine.forecast.{verdict}", f"scene.sine.compare.{verdict}", f"scene.sine.tag.{verdict}"):
                assert word(key, lang, v="−0.14", k=13, r="0.99", who="x")
    for name in ("sine-lstm-tuned", "sine-gru-tuned"):
        assert evaluation(load(name)).forecast.verdict == "holds"
    for name in ("sine-lstm-seed", "sine-gru-seed"):
        assert evaluation(load(name)).forecast.verdict == "collapses"


def test_traces_of_different_series_are_refused_before_rendering(tmp_path):
    seed = load("sine-rnn-seed")
    other = load("sine-rnn-tuned")
    meta = {**other.meta, "eval": {**other.meta["eval"], "truth": [v + 0.5 for v in other.meta["eval"]["truth"]]}}
    shifted = Trace({n: other[n] for n in other.names}, meta)
    with pytest.raises(ExplainerError, match="different series"):
        render("SinePrediction", traces=[seed, shifted], output=tmp_path / "x.png")
    with pytest.raises(ExplainerError, match="reads 2 trace"):
        render("SinePrediction", traces=[seed], output=tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


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
    from animations.registry import get

    with pytest.raises(ExplainerError) as info:
        render(name, traces=[assets.trace_path("language-lstm")] * len(get(name).default), output=tmp_path / "x.png")
    assert "sine" in str(info.value) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_trace_without_its_test_range_evaluation_is_refused_before_rendering(tmp_path):
    trace = load("sine-rnn-seed")
    bare = Trace({n: trace[n] for n in trace.names}, {k: v for k, v in trace.meta.items() if k != "eval"})
    with pytest.raises(ExplainerError, match="test-range evaluation"):
        render("SinePrediction", traces=[bare, load("sine-rnn-tuned")], output=tmp_path / "x.png")
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
