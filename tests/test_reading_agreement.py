"""Figures and scenes read a trace the same way: the same step, the same units, the same labels.

For every shipped trace, and for cuts of them made with `select(units=...)` and
`select(steps=...)`, the figure of one step (`lstm-cell`, `gates`, `unrolled`) and the
scene of it (`ForgetGate`, `PronounMemory`, `UnrolledRNN`) are built without rendering
and compared on what they show.
"""

from __future__ import annotations

import matplotlib
import pytest

from explainer import assets, figures, reading
from explainer.style import word
from explainer.trace import Trace

from animations.lstm_gates import ForgetGate
from animations.units import followed

matplotlib.use("Agg")

LANGUAGE = ["language-lstm", "language-lstm-long"]
def _found(t) -> list[int]:
    return list(t.meta["units_found"]["gender"]["units"])


def _others(t) -> list[int]:
    return [u for u in range(len(reading.unit_numbers(t))) if u not in _found(t)]


#: Cuts of a trace, made from the units its model's discovery found (whatever they are).
CUTS = {
    "whole": lambda t: t,
    "units from the lowest found": lambda t: t.select(units=range(min(_found(t)), len(reading.unit_numbers(t)))),
    "units shuffled": lambda t: t.select(units=[_found(t)[2], _others(t)[0], _found(t)[0], _others(t)[1],
                                                _found(t)[1], _others(t)[2]]),
    "units without the second found": lambda t: t.select(units=[_found(t)[0], _found(t)[2], *_others(t)[:4]]),
    "steps 6..": lambda t: t.select(steps=slice(6, None)),
}


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


@pytest.fixture(scope="module")
def shipped() -> dict[str, Trace]:
    return {name: Trace.load(assets.trace_path(name)) for name in LANGUAGE}


@pytest.mark.parametrize("cut", list(CUTS))
@pytest.mark.parametrize("name", LANGUAGE)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lstm_cell_and_forget_gate_show_the_same_step_and_units(shipped, name, cut, lang):
    trace = CUTS[cut](shipped[name])
    scene = ForgetGate.of([trace], lang=lang)
    fig = figures.make("lstm-cell", trace, lang=lang)
    words = texts(fig)

    # the same default step, named by the same label
    assert scene.t == reading.default_step(trace)
    label = reading.step_label(trace, scene.t, lang)
    assert any(word("cell.step.language", lang, t=scene.t, token=label) in s for s in words)
    assert label in scene.step_text()

    # the same discovered units first, named by their numbers in the model
    found = reading.found_units(trace, layer=scene.layer)
    if found is not None:
        first = found.numbers[:3]
        assert scene.numbers[:len(first)] == first
        # they are the columns that hold those units' values
        columns = reading.columns_of(trace, first)
        assert scene.columns[:len(first)] == columns
        # the figure lists them top to bottom as its panel stacks the columns
        in_panel = [u for _, u in sorted(zip(columns, first))]
        units_line = word("cell.units.found", lang, units=word("cell.list_sep", lang).join(map(str, in_panel)))
        assert units_line in words
    else:
        assert not scene.marked


@pytest.mark.parametrize("cut", list(CUTS))
def test_gates_figure_and_pronoun_scene_follow_the_same_units(shipped, cut):
    trace = CUTS[cut](shipped["language-lstm"])
    found = reading.found_units(trace)
    if found is None:
        pytest.skip("this cut holds none of the discovered units")
    scene_units = followed(trace, "PronounMemory")
    assert scene_units.numbers == found.numbers and scene_units.columns == found.columns
    fig = figures.make("gates", trace)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    numbers = reading.unit_numbers(trace)
    # every row label of the heatmaps is a unit's number in the model, at that unit's row
    for tick, text in zip(ax.get_yticks(), labels):
        assert text == str(numbers[int(round(tick))])


@pytest.mark.parametrize("name", ["sine-rnn-seed", "sine-lstm-tuned", "sine-gru-tuned"])
def test_unrolled_figure_and_scene_read_the_same_layer_and_labels(name):
    from animations.unrolled_rnn import UnrolledRNN

    trace = Trace.load(assets.trace_path(name))
    scene = UnrolledRNN.of([trace])
    assert scene.layer == reading.top_layer(trace)
    fig = figures.make("unrolled", trace)
    words = texts(fig)
    shown = reading.shown(trace, layer=scene.layer, row=0)
    assert shown in words
