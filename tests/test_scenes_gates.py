"""The gate scenes (ForgetGate, InputGate, CellUpdate, OutputGate, LSTMStep) and the scene contract.

What a gate scene shows is computed in `prepare()` when the scene is built, so these tests
build scenes (their words become Text, nothing is rendered) and read what they chose: the
step, layer, row and units, the units' labels and values. The contract: a scene reads
only the options it declares and refuses any other in one line; the environment is read
only when the plain `manim` command builds a scene with no arguments.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import explainer
from animations import render
from animations.inputs import from_environment
from animations.lstm_gates import SHOWN, ForgetGate, LSTMStep, OutputGate
from animations.registry import get, specs
from animations.sine_prediction import SinePrediction
from explainer import assets
from explainer.errors import ExplainerError
from explainer.trace import Trace

ENV = ("EXPLAINER_TRACE", "EXPLAINER_LANG", "EXPLAINER_STEP", "EXPLAINER_LAYER", "EXPLAINER_UNITS", "EXPLAINER_ROW")


@pytest.fixture(scope="module")
def lstm() -> Trace:
    return Trace.load(assets.trace_path("language-lstm"))


@pytest.fixture(scope="module")
def two_layers() -> Trace:
    """A 2-layer LSTM read on 3 random sequences, with step labels of its own."""
    torch.manual_seed(0)
    model = torch.nn.LSTM(4, 10, num_layers=2, batch_first=True)
    return explainer.record(model, torch.randn(3, 6, 4), steps=["the", "cat", "sat", "on", "a", "mat"])


@pytest.fixture
def build(tmp_path):
    """Build a scene with Manim's caches in a temporary folder (no rendering): `Scene.of(...)`, the
    explicit call, or with `bare=True` `Scene()`, what the plain `manim` command does."""
    from manim import tempconfig

    def make(cls, traces=None, *, bare=False, **kwargs):
        with tempconfig({"media_dir": str(tmp_path / "media")}):
            return cls() if bare else cls.of(traces, **kwargs)
    return make


def said(text_mobject) -> str:
    """What a Text says (Manim keeps its characters without the spaces)."""
    return text_mobject.text


def _shipped() -> Trace:
    return Trace.load(str(assets.root() / "traces" / "language-lstm.safetensors"))


#: the shipped language LSTM: its discovered gender units (in the measurement's order), the others, and the
#: step the scenes explain by default (the measured one: the new subject's name, "Bob")
GENDER = _shipped().meta["units_found"]["gender"]["units"]
OTHERS = [u for u in range(32) if u not in GENDER]
STEP = explainer.reading.default_step(_shipped())
WORD = _shipped().meta["words"]["en"][STEP]



@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# -- what a gate scene shows ---------------------------------------------------------------------

def test_the_default_is_the_measured_explained_step_and_the_gender_units_first(lstm, build):
    scene = build(ForgetGate)
    assert (scene.layer, scene.row, scene.t) == (0, 0, STEP)
    assert scene.step_text() == f"step {STEP}: “{WORD}”"
    assert scene.numbers[:3] == GENDER and scene.marked == [0, 1, 2] and len(scene.numbers) == SHOWN
    np.testing.assert_array_equal(scene.values["f"], lstm["layers.0.gates.f"][0, STEP, scene.columns])


def test_on_a_cut_trace_the_scene_finds_the_units_by_column_and_labels_them_by_number(lstm, build):
    low = max(GENDER)  # the other gender units are cut away; this one is now column 0
    cut = lstm.select(units=range(low, 32))
    scene = build(ForgetGate, [cut])
    assert scene.numbers[0] == low and scene.columns[0] == 0 and scene.marked == [0]
    assert all(low <= u < 32 for u in scene.numbers)
    for key, name in (("f", "layers.0.gates.f"), ("c", "layers.0.c")):
        np.testing.assert_array_equal(scene.values[key], lstm[name][0, STEP, scene.numbers], err_msg=key)
    shuffled = build(ForgetGate, [lstm.select(units=GENDER[::-1] + [OTHERS[0]])])
    assert shuffled.numbers[:3] == GENDER and shuffled.columns[:3] == [2, 1, 0]
    np.testing.assert_array_equal(shuffled.values["c"][:3], lstm["layers.0.c"][0, STEP, GENDER])


def test_units_are_chosen_by_their_numbers_in_the_model(lstm, build):
    g, a, b = GENDER[0], OTHERS[0], OTHERS[-1]
    scene = build(ForgetGate, units=[g, a, b])
    assert scene.numbers == [g, a, b] and scene.marked == [0], f"only unit {g} is a discovered gender unit"
    assert scene.verdict_units() == [0]
    top = max(GENDER)
    cut = build(ForgetGate, [lstm.select(units=range(top - 2, 32))], units=[top, top - 2])
    assert cut.numbers == [top, top - 2] and cut.columns == [2, 0]
    with pytest.raises(ExplainerError, match=rf"--units {top - 3} is not a unit of this trace; it holds units "
                                              rf"{top - 2}, {top - 1}, .*31"):
        build(ForgetGate, [lstm.select(units=range(top - 2, 32))], units=[top - 3])
    with pytest.raises(ExplainerError, match=f"shows at most {SHOWN} units; --units gave 7"):
        build(ForgetGate, units=list(range(7)))


def test_layer_row_and_step_choose_what_is_drawn_and_the_scene_says_so(two_layers, build):
    top = build(LSTMStep, [two_layers])
    assert (top.layer, top.row, top.t) == (1, 0, 5), "top layer, first row, last step"
    scene = build(ForgetGate, [two_layers], layer=0, row=2, step=1, units=[3, 9])
    assert (scene.layer, scene.row, scene.t, scene.numbers) == (0, 2, 1, [3, 9])
    np.testing.assert_array_equal(scene.values["f"], two_layers["layers.0.gates.f"][2, 1, [3, 9]])
    np.testing.assert_array_equal(scene.values["c_prev"], two_layers["layers.0.c"][2, 0, [3, 9]])
    assert said(scene.shown_line(scene.layer, scene.row)) == "layer0of2·sequence2of3"
    for bad, message in (({"layer": 2}, "--layer 2 is not in this trace; it holds layer"),
                         ({"row": 3}, "--row 3 is out of range"), ({"step": 6}, "--step 6 is out of range")):
        with pytest.raises(ExplainerError, match=message):
            build(ForgetGate, [two_layers], **bad)


def test_a_recorded_traces_step_labels_are_the_captions_and_the_input_chip(two_layers, build):
    for lang in ("en", "zh"):
        scene = build(OutputGate, [two_layers], step=2, lang=lang)
        assert "“sat”" in scene.step_text()
        assert said(scene.x_chip()[1]) == "sat"


def test_an_intervened_trace_is_marked(build):
    torch.manual_seed(0)
    trace = explainer.record(torch.nn.LSTM(2, 4), torch.randn(5, 2), intervene={"layers.0.gates.f": 1.0})
    scene = build(ForgetGate, [trace])
    assert said(scene.shown_line(scene.layer, scene.row)) == "layer0of1·sequence0of1·intervened:layers.0.gates.f=constant1"


# -- the contract: declared options, refused ones -------------------------------------------------

def test_every_scene_declares_the_options_it_reads():
    takes = {name: spec.options for name, spec in specs().items()}
    for gate in ("ForgetGate", "InputGate", "CellUpdate", "OutputGate", "LSTMStep"):
        assert takes[gate] == ("step", "layer", "units", "row")
    assert takes["UnrolledRNN"] == ("layer", "row")
    assert takes["PronounMemory"] == ("layer", "units")
    assert takes["SinePrediction"] == () and takes["LongRange"] == ()


def test_an_option_a_scene_does_not_read_is_refused_in_one_line_naming_those_it_does(tmp_path):
    with pytest.raises(ExplainerError) as info:
        render("ForgetGate", output=tmp_path / "x.png", focus="forget")
    assert str(info.value) == "scene ForgetGate takes no --focus; it takes: --step, --layer, --units, --row"
    with pytest.raises(ExplainerError, match=r"^scene SinePrediction takes no --row; it takes: \(none\)$"):
        render("SinePrediction", output=tmp_path / "x.png", options={"row": 1})
    assert list(tmp_path.iterdir()) == [], "refused before anything was rendered"


# -- the environment: the plain-manim path only ------------------------------------------------------

def test_render_and_the_python_api_ignore_the_environment(clean_env, tmp_path, build):
    clean_env.setenv("EXPLAINER_STEP", "999")
    clean_env.setenv("EXPLAINER_LANG", "zh")
    clean_env.setenv("EXPLAINER_UNITS", "1,2")
    clean_env.setenv("EXPLAINER_TRACE", str(tmp_path / "nothing.safetensors"))
    scene = build(ForgetGate, lang="en")
    assert (scene.t, scene.lang, scene.numbers[:3]) == (STEP, "en", GENDER)
    out = render("OutputGate", output=tmp_path / "x.png", resolution=(160, 90))
    assert out.exists()


def test_a_scene_built_with_no_arguments_reads_the_environment(clean_env, lstm, tmp_path, build):
    cut = lstm.select(units=range(8, 32)).save(tmp_path / "cut.safetensors")
    clean_env.setenv("EXPLAINER_TRACE", str(cut))
    clean_env.setenv("EXPLAINER_LANG", "zh")
    clean_env.setenv("EXPLAINER_STEP", "5")
    clean_env.setenv("EXPLAINER_UNITS", "22, 9")
    clean_env.setenv("EXPLAINER_LAYER", "0")
    clean_env.setenv("EXPLAINER_ROW", "0")
    scene = build(ForgetGate, bare=True)  # what `manim animations/lstm_gates.py ForgetGate` does: ForgetGate()
    assert (scene.t, scene.lang, scene.numbers, scene.columns) == (5, "zh", [22, 9], [14, 1])
    assert scene.step_text() == "第 5 步：“她”"
    clean_env.delenv("EXPLAINER_TRACE")
    sine = build(SinePrediction, bare=True)  # takes no options: the variables of those it does not read are left alone
    assert sine.lang == "zh" and sine.options == {}
    clean_env.setenv("EXPLAINER_STEP", "five")
    with pytest.raises(ExplainerError, match="EXPLAINER_STEP must be an integer, got 'five'"):
        build(ForgetGate, bare=True)


def test_from_environment_reads_a_mapping_and_the_defaults():
    spec = get("LSTMStep")
    assert from_environment(spec, {}).options == {"step": None, "layer": None, "units": None, "row": None}
    inputs = from_environment(spec, {"EXPLAINER_UNITS": "7 5", "EXPLAINER_ROW": "0"})
    assert inputs.options["units"] == [7, 5] and inputs.options["row"] == 0 and inputs.lang == "en"
    with pytest.raises(ExplainerError, match="EXPLAINER_UNITS must be a list of unit numbers"):
        from_environment(spec, {"EXPLAINER_UNITS": "seven"})
