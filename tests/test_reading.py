"""The reading layer answers each question about a trace once, the same for every cut of it."""

from __future__ import annotations

import numpy as np
import pytest

from explainer import reading
from explainer.errors import ExplainerError
from explainer.names import gate, state
from explainer.trace import Trace

LSTM = "assets/traces/language-lstm.safetensors"


@pytest.fixture(scope="module")
def lstm() -> Trace:
    return Trace.load(LSTM)


def test_found_units_follow_a_unit_cut_to_their_new_columns(lstm):
    whole = reading.found_units(lstm)
    numbers = lstm.meta["units_found"]["gender"]["units"]
    assert whole.numbers == numbers and whole.columns == numbers
    low = min(numbers)
    cut = lstm.select(units=range(low, 32))
    found = reading.found_units(cut)
    assert found.numbers == numbers
    assert found.columns == [n - low for n in numbers]
    # the same values, read through the new columns
    np.testing.assert_array_equal(cut[found.name][..., found.columns], lstm[whole.name][..., whole.columns])


def test_a_cut_that_drops_a_found_unit_keeps_the_others_and_their_correlations(lstm):
    a, _, c = lstm.meta["units_found"]["gender"]["units"][:3]
    others = [u for u in range(32) if u not in lstm.meta["units_found"]["gender"]["units"]]
    cut = lstm.select(units=[c, others[0], a])
    found = reading.found_units(cut)
    assert found.numbers == [a, c]
    assert found.columns == [2, 0]
    corr = dict(zip(lstm.meta["units_found"]["gender"]["units"], lstm.meta["units_found"]["gender"]["correlation"]))
    assert found.correlation == [corr[a], corr[c]]
    assert reading.found_units(lstm.select(units=others[:2])) is None


def test_unit_numbers_and_units_option_speak_original_numbers(lstm):
    cut = lstm.select(units=[30, 3, 9])
    assert reading.unit_numbers(cut) == [30, 3, 9]
    assert reading.check_units(cut, [9, 30]) == [2, 0]
    assert reading.check_units(cut, None) is None
    with pytest.raises(ExplainerError, match=r"--units 4 is not a unit of this trace; it holds units 30, 3, 9"):
        reading.check_units(cut, [4])
    with pytest.raises(ExplainerError, match=r"it holds units 0 to 31"):
        reading.check_units(lstm, [32])


def test_step_labels_are_the_words_of_the_language_else_the_recorded_labels(lstm):
    assert reading.step_labels(lstm, "zh")[10] == "男"
    assert reading.step_labels(lstm, "en")[10] == "male"
    cut = lstm.select(steps=slice(8, 12))
    assert reading.step_labels(cut, "en") == ["Bob", "is a", "male", "driver"]  # words are cut with the steps
    plain = Trace({"layers.0.h": np.zeros((1, 3, 2), np.float32)}, {"steps": ["x=0.1", "x=0.2", "x=0.3"]})
    assert reading.step_labels(plain, "zh") == ["x=0.1", "x=0.2", "x=0.3"]


@pytest.fixture(scope="module")
def sliding() -> Trace:
    """The seed sine RNN on 4 windows from point 100, one point apart: batch row k is the window at point 100 + k."""
    from explainer import assets
    from explainer.checkpoint import Checkpoint
    from explainer.explain import trace_checkpoint

    return trace_checkpoint(Checkpoint.load(assets.checkpoint_path("sine", "rnn", "seed")), start=100, windows=4)


def test_each_sliding_window_is_labelled_with_the_x_values_of_its_own_points(sliding):
    from explainer.tasks.sine import make_data

    x = make_data(seed=0).x
    for row in range(4):
        assert reading.step_labels(sliding, "en", row) == [f"{v:.2f}" for v in x[100 + row:110 + row]]
    assert reading.step_label(sliding, 0, "zh", row=3) == f"{x[103]:.2f}"
    kept = sliding.select(batch=[2, 3], steps=slice(4, 8))  # a trace cut to some rows and steps keeps its windows
    assert reading.step_labels(kept, "en", 1) == [f"{v:.2f}" for v in x[107:111]]
    assert reading.window_x(Trace({"layers.0.h": np.zeros((2, 3, 1), np.float32)}, {}), 1) is None


def test_the_passage_events_have_one_definition(lstm):
    ev = reading.events(lstm)
    assert ev.new_subjects == [8]  # "Bob"
    assert ev.new_gender_words == [10]  # "male": the new subject's gender word
    assert ev.gender_words == [2, 10]  # every clue: "female" and "male"
    assert ev.pronouns == [5, 13]
    assert [s[:3] for s in ev.subjects] == [(0, 7, 1), (8, 15, -1)]
    passage = reading.Passage.of(lstm, "en")
    assert [(s.t, s.answer, s.clue, s.right) for s in passage.slots] == [(4, "she", 2, True), (12, "he", 10, True)]


def test_the_default_step_is_the_measured_explained_step_else_the_gender_word_else_the_last(lstm):
    ev = reading.events(lstm)
    explained = lstm.meta["units_found"]["gender"]["change"]["explained_step"]
    expected = ev.new_subjects[0] if explained == "name" else ev.new_gender_words[0]
    assert reading.default_step(lstm) == expected
    unmeasured = Trace({k: lstm[k] for k in lstm.names}, {k: v for k, v in lstm.meta.items() if k != "units_found"})
    assert reading.default_step(unmeasured) == ev.new_gender_words[0]
    plain = Trace({"layers.0.h": np.zeros((1, 5, 2), np.float32)})
    assert reading.default_step(plain) == 4
    assert reading.check_step(plain, 2) == 2


@pytest.mark.parametrize("step, message", [
    (5, r"--step 5 is out of range: this trace has 5 steps; choose 0 to 4"),
    (-1, r"--step -1 is out of range"),
    ("3", r"--step must be an integer"),
])
def test_a_step_out_of_range_is_one_line_that_says_what_to_choose(step, message):
    plain = Trace({"layers.0.h": np.zeros((1, 5, 2), np.float32)})
    with pytest.raises(ExplainerError, match=message):
        reading.check_step(plain, step)


def test_a_one_step_trace_says_its_only_step_and_an_empty_one_says_so():
    one = Trace({"layers.0.h": np.zeros((1, 1, 2), np.float32)})
    with pytest.raises(ExplainerError, match="the only step is 0"):
        reading.check_step(one, 1)
    empty = Trace({"layers.0.h": np.zeros((1, 0, 2), np.float32)})
    with pytest.raises(ExplainerError, match="has no steps"):
        reading.check_step(empty, None)


def test_layers_rows_and_their_errors():
    arrays = {state(l, "h"): np.zeros((3, 4, 2), np.float32) for l in (0, 1)}
    t = Trace(arrays, {"num_layers": 2})
    assert reading.layers(t) == [0, 1] and reading.top_layer(t) == 1
    assert reading.check_layer(t, None) == 1 and reading.check_layer(t, 0) == 0
    with pytest.raises(ExplainerError, match=r"--layer 2 is not in this trace; it holds layer\(s\) 0, 1"):
        reading.check_layer(t, 2)
    assert reading.check_row(t, None) == 0 and reading.check_row(t, 2) == 2
    with pytest.raises(ExplainerError, match=r"--row 3 is out of range: this trace has 3 batch rows; choose 0 to 2"):
        reading.check_row(t, 3)


def test_the_forget_verdict_has_one_pair_of_thresholds():
    assert reading.forget_verdict([reading.DROPPED - 0.01]) == "dropped"
    assert reading.forget_verdict([reading.KEPT + 0.01]) == "kept"
    assert reading.forget_verdict([reading.DROPPED + 0.01, reading.KEPT - 0.01]) == "partly"
    assert reading.forget_verdict([np.nan]) == "partly"


@pytest.mark.parametrize("value, text", [
    (0.003, "0.003"), (-0.70, "−0.70"), (123, "123"), (4.0e3, "4.0e3"), (float("nan"), "NaN"), (-0.004, "−4e−3"),
    (-0.0001, "−1e−4"), (0.0004, "4e−4"), (0.0, "0.00"), (-0.0, "0.00"), (0.996, "1.00"), (99.96, "100"), (-12345.0, "−1e4"), (12345.0, "1.2e4"), (-0.02, "−0.02"), (-99.4, "−99.4"),
    (float("-inf"), "−∞"),
])
def test_numbers_fit_a_small_box_at_any_magnitude(value, text):
    assert reading.number(value) == text
    assert len(reading.number(value)) <= 5


def test_what_is_shown_names_layer_row_and_any_intervention():
    arrays = {gate(0, "f"): np.zeros((2, 3, 2), np.float32)}
    t = Trace(arrays, {"num_layers": 1, "intervened": {"layers.0.gates.f": "constant 1"}})
    assert reading.shown(t, layer=0, row=1) == "layer 0 of 1 · sequence 1 of 2 · intervened: layers.0.gates.f = constant 1"
    assert "干预" in reading.shown(t, layer=0, lang="zh")
    assert reading.shown(Trace(arrays, {}), row=0) == "sequence 0 of 2"
