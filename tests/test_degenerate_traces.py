"""Degenerate but valid traces, and very long ones: every picture draws something honest or refuses in one line.

A degenerate trace loads fine and holds little: no batch rows, no steps, no units, one unit,
an LSTM recorded with `proj_size` (h narrower than C), only the forget gate (the README's
`names=[...]`), discovered units that are not in the arrays, no cell kind in its metadata.
Every trace figure and every trace scene is tried on every one of them: the outcome is a
Figure (or a constructed scene) or an `ExplainerError` of one line, never another exception.
The readings behind the refusals live in `explainer.reading` (`needs`, `require_found`,
`check_step`, `check_row`). Long traces: `figure gates` bins its time axis (and says so), the
scenes that play every token refuse a passage longer than they can show.
"""

from __future__ import annotations

import functools
import time
import warnings

import numpy as np
import pytest
import torch

import explainer
from explainer import assets, figures, reading
from explainer.errors import ExplainerError
from explainer.figures.registry import specs as figure_specs
from explainer.trace import Trace

TRACE_FIGURES = [name for name, spec in figure_specs().items() if spec.source == "trace"]


@functools.cache
def shipped(name: str) -> Trace:
    return Trace.load(assets.trace_path(name))


def _proj(t: Trace) -> Trace:
    """The trace as an LSTM with proj_size=2 would hold it: h of 2 units beside C of all of them."""
    arrays = {n: (t[n][:, :, :2] if n.endswith(".h") else t[n]) for n in t.names}
    return Trace(arrays, {**t.meta, "proj_size": 2})


def _found_elsewhere(t: Trace) -> Trace:
    """Discovered gender units that name a unit beyond the arrays (the schema refuses it, as loading would)."""
    gender = dict(t.meta["units_found"]["gender"], units=[999])
    return Trace(dict(t), {**t.meta, "units_found": {"gender": gender}})


#: name -> how to make it from a shipped trace (its kind and task kept, so the pictures get past their checks)
FROM_SHIPPED = {
    "0 batch rows": lambda t: t.select(batch=[]),
    "0 steps": lambda t: t.select(steps=[]),
    "1 step": lambda t: t.select(steps=[0]),
    "hidden size 0": lambda t: t.select(units=[]),
    "1 unit": lambda t: t.select(units=[0]),
    "only the forget gate": lambda t: t.select(["layers.0.gates.f"]) if "layers.0.gates.f" in t else t.select(["input"]),
    "projected h": lambda t: _proj(t) if t.kind == "lstm" else t,
    "discovered units cut away": lambda t: t.select(units=[0, 1]),
    "discovered units beyond the arrays": lambda t: _found_elsewhere(t) if reading.found_units(t) else t,
}


def _plain() -> dict[str, Trace]:
    """Recorded from plain torch modules, as a user of the Python API would."""
    torch.manual_seed(0)
    x = torch.randn(5, 2, 3)
    return {
        "nn.LSTM with proj_size": explainer.record(torch.nn.LSTM(3, 4, proj_size=2), x),
        "README: names=['layers.0.gates.f']": explainer.record(torch.nn.LSTM(3, 4), x, names=["layers.0.gates.f"]),
        "nn.LSTM of 1 unit": explainer.record(torch.nn.LSTM(3, 1), x),
        "nn.GRU of 1 unit": explainer.record(torch.nn.GRU(3, 1), x),
        "no cell kind": Trace({"layers.0.h": np.zeros((1, 4, 3), np.float32)}),
    }


@functools.cache
def degenerate(base: str) -> dict[str, Trace | ExplainerError]:
    """Every degenerate trace made from the shipped trace `base`, and the plain ones; a trace that cannot even be
    made (refused by the metadata schema, as it would be on loading) is the ExplainerError that refused it."""
    out: dict[str, Trace | ExplainerError] = {}
    for name, make in FROM_SHIPPED.items():
        try:
            out[name] = make(shipped(base))
        except ExplainerError as e:
            out[name] = e
    return {**out, **_plain()}


def one_line(e: ExplainerError) -> str:
    message = str(e)
    assert message and "\n" not in message, message
    return message


def outcome(make) -> str:
    """'drawn', or the one-line error; anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = make()
        except ExplainerError as e:
            return one_line(e)
    if hasattr(result, "savefig"):
        import matplotlib.pyplot as plt

        plt.close(result)
    return "drawn"


FIGURE_CASES = [(f, t) for f in TRACE_FIGURES for t in degenerate(figure_specs()[f].default[0])]


@pytest.mark.parametrize("figure,trace", FIGURE_CASES, ids=[f"{f}|{t}" for f, t in FIGURE_CASES])
def test_every_trace_figure_draws_or_refuses_every_degenerate_trace(figure, trace):
    source = degenerate(figure_specs()[figure].default[0])[trace]
    if isinstance(source, ExplainerError):
        one_line(source)  # refused before any figure saw it
        return
    outcome(lambda: figures.make(figure, source))


def _scene_cases() -> list[tuple[str, str]]:
    from animations.registry import specs

    return [(s, t) for s, spec in specs().items() for t in degenerate(spec.default[-1])]


SCENE_CASES = _scene_cases()


@pytest.mark.parametrize("scene,trace", SCENE_CASES, ids=[f"{s}|{t}" for s, t in SCENE_CASES])
def test_every_trace_scene_is_built_or_refuses_every_degenerate_trace(scene, trace):
    from animations.registry import get

    spec = get(scene)
    source = degenerate(spec.default[-1])[trace]
    if isinstance(source, ExplainerError):
        one_line(source)
        return
    traces = [shipped(name) for name in spec.default[:-1]] + [source]  # LongRange: the degenerate one second
    outcome(lambda: spec.cls.of(traces))  # construction runs prepare(): the reading, no rendering
    if len(traces) == 2:
        outcome(lambda: spec.cls.of(traces[::-1]))


def test_a_one_unit_lstm_renders_its_output_gate(tmp_path):
    """Construction passes for a trace of one unit: the scene then renders (one tiny render)."""
    from animations import render

    one = shipped("language-lstm").select(units=[7])
    out = render("OutputGate", [one], output=tmp_path / "one.png", resolution=(160, 90))
    assert out.exists() and out.stat().st_size > 0


# -- the cases of the issue, one by one -----------------------------------------------------------------
def refused(make) -> str:
    with pytest.raises(ExplainerError) as excinfo:
        make()
    return one_line(excinfo.value)


def test_zero_rows_zero_steps_and_zero_units_are_refused_by_name():
    lstm = shipped("language-lstm")
    assert refused(lambda: figures.make("gates", lstm.select(batch=[]))) == (
        "figure gates has nothing to draw: this trace has no batch rows; record it on an input of at least one row")
    assert "figure lstm-cell has nothing to draw: this trace has no steps" in refused(
        lambda: figures.make("lstm-cell", lstm.select(steps=[])))
    assert "figure unrolled has nothing to draw: this trace has no steps" in refused(
        lambda: figures.make("unrolled", lstm.select(steps=[])))
    assert "has no units (hidden size 0)" in refused(lambda: figures.make("gate-unit", lstm.select(units=[])))


def test_a_projected_lstm_is_refused_where_h_and_c_are_drawn_side_by_side_and_drawn_where_not():
    t = explainer.record(torch.nn.LSTM(3, 4, proj_size=2), torch.randn(5, 2, 3))
    message = refused(lambda: figures.make("lstm-cell", t))
    assert message.startswith("figure lstm-cell draws an LSTM without projection: this trace's layers.0.h has 2 "
                              "units and layers.0.c has 4")
    assert "draws an LSTM without projection" in refused(lambda: figures.make("gates", t))
    assert outcome(lambda: figures.make("gate-unit", t)) == "drawn"
    assert outcome(lambda: figures.make("saturation", t)) == "drawn"


def test_the_readme_names_example_is_refused_by_forget_gate_in_one_line():
    from animations.registry import get

    t = explainer.record(torch.nn.LSTM(3, 4), torch.randn(5, 2, 3), names=["layers.0.gates.f"])
    assert "this lstm trace has no layers.0.c, layers.0.h" in refused(lambda: get("ForgetGate").cls.of([t]))


def test_discovered_units_beyond_the_arrays_or_cut_away_are_named_not_mistaken_for_none():
    with pytest.raises(ExplainerError, match="units_found.gender.units names unit 999"):
        _found_elsewhere(shipped("language-lstm"))  # the schema refuses such a trace (at load as at save)
    lstm = shipped("language-lstm")
    found = lstm.meta["units_found"]["gender"]["units"]
    kept = [u for u in range(32) if u not in found][1:8:2]  # not a run, so listed one by one
    message = refused(lambda: figures.make("forget-reset", lstm.select(units=kept)))
    assert message == (f"figure forget-reset: the discovered gender units ({', '.join(map(str, found))}) are not in "
                       f"this trace's layers.0.c (it holds units {', '.join(map(str, kept))}); give --units")


def test_gate_unit_on_one_step_says_it_needs_two_never_choose_1_to_0():
    message = refused(lambda: figures.make("gate-unit", shipped("language-lstm").select(steps=[4])))
    assert message.startswith("figure gate-unit needs at least 2 steps")
    assert "1 to 0" not in message


def test_a_default_step_is_never_reported_as_an_option_the_user_gave():
    cut = shipped("language-lstm").select(steps=[10, 11])  # its telling step, "male", is now step 0
    assert reading.default_step(cut) == 0
    fig = figures.make("gate-unit", cut)  # no C_{t-1} at step 0: the default moves on, nothing refused
    assert any("step 1:" in t.get_text() for t in fig.axes[0].texts)
    assert "--step 0" in refused(lambda: figures.make("gate-unit", cut, step=0)), "a step the user gave is named"
    first = explainer.record(torch.nn.LSTM(3, 4), torch.randn(3, 3))  # its default step: the last
    assert reading.check_step(first, None) == 2


def test_a_trace_without_a_cell_kind_is_called_an_rnn_in_titles_never_model_none():
    bare = Trace({"layers.0.h": np.zeros((1, 4, 3), np.float32)})
    assert reading.model_name(bare, "en") == "RNN"
    fig = figures.make("unrolled", bare)
    assert any("An RNN unrolled" in t.get_text() for t in fig.texts), [t.get_text() for t in fig.texts]
    assert "does not say which cell kind it records" in refused(lambda: figures.make("lstm-cell", bare))


def _long(steps: int) -> Trace:
    """An LSTM trace of `steps` steps and 32 units (random gates and states)."""
    rng = np.random.default_rng(0)
    arrays = {f"layers.0.{'gates.' if q in 'figo' else ''}{q}": rng.random((1, steps, 32), dtype=np.float32)
              for q in "figoch"}
    return Trace(arrays, {"kind": "lstm"})


def test_figure_gates_on_50000_steps_is_binned_fast_and_says_so():
    trace = _long(50_000)
    start = time.perf_counter()
    fig = figures.make("gates", trace)
    seconds = time.perf_counter() - start
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert any("binned: 25 steps per column (2000 columns" in t for t in texts), texts
    assert fig.axes[0].images[0].get_array().shape == (32, 2000)
    assert seconds < 10, f"{seconds:.1f} s"


def test_a_long_but_unbinned_time_axis_keeps_every_column():
    fig = figures.make("gates", _long(1500))
    assert fig.axes[0].images[0].get_array().shape == (32, 1500)
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert not any("binned" in t for t in texts)


def test_binning_means_the_finite_values_of_each_bin():
    values = np.array([[1.0], [3.0], [np.nan], [5.0], [np.nan]])
    np.testing.assert_array_equal(reading.bin_mean(values, 2)[:, 0], [2.0, 5.0, np.nan])
    assert reading.steps_per_column(100_000) == 50 and reading.steps_per_column(2000) == 1


def _long_passage(times: int) -> Trace:
    t = shipped("language-lstm-long")
    meta = dict(t.meta)
    for key in ("steps", "targets", "distances", "gender", "new_subject", "new_gender", "token_ids"):
        meta[key] = list(meta[key]) * times
    meta["words"] = {lang: list(w) * times for lang, w in meta["words"].items()}
    return Trace({n: np.tile(t[n], (1, times, 1)) for n in t.names}, meta)


def test_scenes_that_play_every_token_refuse_a_passage_too_long_to_play_and_say_so():
    from animations.registry import get

    long = _long_passage(3)  # over 400 tokens
    assert refused(lambda: get("PronounMemory").cls.of([long])).startswith(
        f"scene PronounMemory shows every step, at most 400; this trace has {long.num_steps}")
    rnn = shipped("language-rnn-long")
    assert "scene LongRange shows every step, at most 400" in refused(lambda: get("LongRange").cls.of([rnn, long]))
    assert "at most 400" in refused(lambda: figures.make("forget-reset", long))
