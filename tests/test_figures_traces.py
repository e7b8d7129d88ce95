"""The trace figures `gates`, `saturation` and `forget-reset` draw what the trace holds.

Each test reads the shipped trace itself and checks the drawn artists against it, so a
figure that plots the wrong array, the wrong units or invented numbers fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D

from explainer import assets, figures, reading
from explainer.errors import ExplainerError
from explainer.style import GATE_COLORS
from explainer.figures.draw import sparse_token_axis
from explainer.figures.saturation import saturation
from explainer.tasks.language import p_she
from explainer.trace import Trace


def _shipped_gender() -> list[int]:
    return Trace.load(str(assets.root() / "traces" / "language-lstm.safetensors")).meta["units_found"]["gender"]["units"]


#: the shipped language LSTM's discovered gender units (numbers in the model) and the others
GENDER = _shipped_gender()
OTHERS = [u for u in range(32) if u not in GENDER]


def load(name: str) -> Trace:
    return Trace.load(assets.root() / "traces" / f"{name}.safetensors")


def path(name: str) -> str:
    return str(assets.root() / "traces" / f"{name}.safetensors")


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def one_line(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    return message


# -- gates ---------------------------------------------------------------------------------

def heatmaps(fig) -> list:
    return [ax for ax in fig.axes if ax.images]


def test_gates_draws_one_heatmap_per_lstm_quantity_with_the_traced_values():
    trace = load("language-lstm")
    fig = figures.make("gates")
    panels = heatmaps(fig)
    assert [ax.get_title().split(":")[0] for ax in panels] == ["f", "i", "g", "o", "c", "h"]
    for ax, name in zip(panels, ["gates.f", "gates.i", "gates.g", "gates.o", "c", "h"]):
        drawn = np.asarray(ax.images[0].get_array())  # [units, time]
        np.testing.assert_allclose(drawn, trace[f"layers.0.{name}"][0].T, rtol=1e-6)


def test_gates_uses_gate_colours_for_gates_and_a_symmetric_signed_map_for_states():
    from matplotlib.colors import to_rgba

    from explainer.style import GATE_COLORS

    fig = figures.make("gates")
    images = {ax.get_title().split(":")[0]: ax.images[0] for ax in heatmaps(fig)}
    for q in ("f", "i", "o"):
        assert images[q].get_clim() == (0.0, 1.0)
        np.testing.assert_allclose(images[q].cmap(1.0), to_rgba(GATE_COLORS[q]), atol=1e-2)  # open = its colour
    for q in ("g", "c", "h"):
        low, high = images[q].get_clim()
        assert low == -high and high > 0


def test_gates_of_a_gru_has_four_panels_r_z_n_h():
    fig = figures.make("gates", path("language-gru"), lang="zh")
    assert [ax.get_title().split("：")[0] for ax in heatmaps(fig)] == ["r", "z", "n", "h"]


def test_gates_marks_the_discovered_units_on_every_panel():
    trace = load("language-lstm")
    units = trace.meta["units_found"]["gender"]["units"]
    fig = figures.make("gates")
    for ax in heatmaps(fig):
        marked = sorted(int(line.get_ydata()[0]) for line in ax.lines if line.get_marker() == "<")
        assert marked == sorted(units)
    assert any(", ".join(map(str, units)) in t for t in texts(fig))


def test_gates_labels_time_with_the_words_of_the_chosen_language():
    trace = load("language-lstm")
    fig = figures.make("gates", lang="zh")
    bottom = heatmaps(fig)[-1]
    labels = [t.get_text() for t in bottom.get_xticklabels()]
    assert labels == trace.meta["words"]["zh"]


def test_gates_thins_the_labels_of_the_long_passage_but_keeps_the_new_subject():
    trace = load("language-lstm-long")
    fig = figures.make("gates", path("language-lstm-long"))
    bottom = heatmaps(fig)[-1]
    ticks = list(bottom.get_xticks())
    assert 8 <= len(ticks) <= 30 < trace.num_steps
    new_subject = trace.meta["new_subject"].index(True)
    assert new_subject in ticks


def test_gates_of_the_sine_lstm_labels_every_8th_of_64_units_and_the_x_values():
    trace = load("sine-lstm-tuned")
    fig = figures.make("gates", path("sine-lstm-tuned"))
    first = heatmaps(fig)[0]
    assert list(first.get_yticks()) == list(range(0, 64, 8))
    assert [t.get_text() for t in heatmaps(fig)[-1].get_xticklabels()] == trace.steps


def test_gates_refuses_an_rnn_trace_in_one_line():
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("gates", path("language-rnn"))
    assert "LSTM or GRU" in one_line(excinfo)


# -- saturation ----------------------------------------------------------------------------

def test_saturation_fractions_count_finite_values_over_rows_and_steps():
    gate = np.array([[[0.05, 0.5], [0.95, np.nan]], [[0.0, 0.99], [0.5, 0.91]]])  # [batch 2, time 2, units 2]
    closed, opened = saturation(gate)
    np.testing.assert_allclose(closed, [2 / 4, 0 / 3])
    np.testing.assert_allclose(opened, [1 / 4, 2 / 3])


def test_saturation_plots_each_units_closed_and_open_fractions_per_gate():
    trace = load("language-lstm-long")
    fig = figures.make("saturation")
    panels = [ax for ax in fig.axes if ax.collections]
    assert len(panels) == 3
    for ax, q in zip(panels, "ifo"):
        gate = trace[f"layers.0.gates.{q}"]
        dots = ax.collections[0].get_offsets()
        np.testing.assert_allclose(dots[:, 0], (gate < 0.1).mean(axis=(0, 1)), atol=1e-12)
        np.testing.assert_allclose(dots[:, 1], (gate > 0.9).mean(axis=(0, 1)), atol=1e-12)
        rings = [c for c in ax.collections[1:] if isinstance(c, PathCollection)]
        assert len(rings) == len(trace.meta["units_found"]["gender"]["units"])


def test_saturation_states_the_number_of_steps_in_both_languages():
    n = load("language-lstm-long").num_steps
    for lang, needle in (("en", f"{n} steps"), ("zh", f"{n} 个时间步")):
        assert any(needle in t for t in texts(figures.make("saturation", lang=lang)))


def test_saturation_of_a_gru_has_the_reset_and_update_gates():
    fig = figures.make("saturation", path("language-gru"))
    titles = [ax.get_title() for ax in fig.axes if ax.collections]
    assert [t.split(":")[0] for t in titles] == ["r", "z"]


# -- forget-reset --------------------------------------------------------------------------

def unit_lines(ax) -> list[Line2D]:
    return [line for line in ax.lines if not line.get_label().startswith("_")]


@pytest.mark.parametrize("name", ["language-lstm", "language-lstm-long"])
def test_forget_reset_draws_the_evidence_and_the_gender_units_c_and_f_from_the_trace(name):
    from explainer.probes.forget import evidence
    from explainer.tasks.language import PRONOUN_CLASSES

    trace = load(name)
    found = trace.meta["units_found"]["gender"]
    units = found["units"]
    fig = figures.make("forget-reset", path(name))
    ax_e, ax_c, ax_f = fig.axes[:3]
    for ax, array in ((ax_c, "layers.0.c"), (ax_f, "layers.0.gates.f")):
        lines = [line for line in ax.lines if line.get_label().lstrip("_").startswith("unit ")]
        assert [line.get_label().lstrip("_").split(" (")[0] for line in lines] == [f"unit {u}" for u in units]
        for line, u in zip(lines, units):
            np.testing.assert_allclose(line.get_ydata(), trace[array][0, :, u], rtol=1e-6)
    # each C line says its unit's own sign, from its correlation with the subject's gender (+1 female)
    for line, r in zip(unit_lines(ax_c), found["correlation"]):
        assert line.get_label().endswith("“he”)" if r < 0 else "“she”)")
    # the evidence is the readout's logit difference he − she, the number the model itself decides by
    she, he = PRONOUN_CLASSES
    e = trace["output"][0, :, he].astype(float) - trace["output"][0, :, she]
    drawn = [line for line in ax_e.lines if line.get_label() == "e"][0]
    np.testing.assert_allclose(drawn.get_ydata(), e, rtol=1e-5, atol=1e-5)
    read = found["readout"]
    np.testing.assert_allclose(evidence(trace["layers.0.h"][0], read["direction"], read["bias"]), e, rtol=1e-4, atol=1e-4)
    # and the model's own decision: P(she) over the two pronouns is σ(−e)
    np.testing.assert_allclose(p_she(trace["output"][0]), 1 / (1 + np.exp(e)), rtol=1e-5, atol=1e-6)


def test_forget_reset_title_box_and_arrow_point_at_the_measured_explained_step():
    from explainer.figures.forget_reset import ARROW, BOX
    from explainer.reading import forget

    trace = load("language-lstm")
    t = forget.explained_step(trace)
    assert t == reading.default_step(trace)
    fig = figures.make("forget-reset")
    word = trace.meta["words"]["en"][t]
    assert f"New subject “{word}”" in fig.texts[0].get_text() or any(f"“{word}”" in s for s in texts(fig))
    for ax in fig.axes[:3]:
        boxes = [p for p in ax.patches if p.get_gid() == BOX]
        assert len(boxes) == 1
        box = boxes[0]
        assert box.get_x() < t < box.get_x() + box.get_width() and box.get_width() < 1
    arrows = [a for a in fig.axes[2].texts if a.get_gid() == ARROW]
    assert len(arrows) == 1 and arrows[0].xy[0] == t and arrows[0].get_text().startswith(f"“{word}”: f = ")


def test_forget_reset_shows_the_measured_means_and_chinese_words():
    found = load("language-lstm").meta["units_found"]["gender"]
    fig = figures.make("forget-reset", lang="zh")
    drawn = set(texts(fig))
    for group in ("units", "others"):
        for place, value in found["forget"][group].items():
            assert reading.number(value) in drawn, (group, place)
    assert any("主语：Bob（男）" in s for s in texts(fig))
    assert any(s.startswith("新主语“Bob”") for s in texts(fig))
    words = [t.get_text().replace("\n", "") for t in fig.axes[2].get_xticklabels()]
    assert words == load("language-lstm").meta["words"]["zh"]


def test_forget_reset_refuses_a_gru_a_sine_trace_and_a_step_in_one_line():
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("forget-reset", path("language-gru"))
    assert "LSTM" in one_line(excinfo)
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("forget-reset", path("sine-lstm-tuned"))
    assert "language" in one_line(excinfo)
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("forget-reset", step=3)
    assert "step" in one_line(excinfo)


def test_forget_reset_needs_discovered_units():
    trace = load("language-lstm")
    bare = Trace({n: trace[n] for n in trace}, {**trace.meta, "units_found": {}})
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("forget-reset", bare)
    assert "units_found" in one_line(excinfo)


# -- the shared helpers --------------------------------------------------------------------

def test_forget_reset_marks_the_new_subjects_name_not_the_first_subject():
    events = reading.events(load("language-lstm"))
    assert events.new_gender_words == [10] and events.gender_words == [2, 10]  # "male"; "female" and "male"
    assert events.new_subjects == [8]  # "Bob"
    fig = figures.make("forget-reset")
    dashed = {float(line.get_xdata()[0]) for line in fig.axes[1].lines
              if len(set(line.get_xdata())) == 1 and line.get_linestyle() == "--"}
    assert dashed == {8.0}


def test_sparse_token_axis_labels_all_short_sequences_and_thins_long_ones():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    assert sparse_token_axis(ax, list("abcdefgh"), max_labels=10) == list(range(8))
    ticks = sparse_token_axis(ax, [str(t) for t in range(136)], keep=[68, 70, 65], max_labels=24)
    assert 68 in ticks and 70 not in ticks  # kept steps win, but not when they crowd each other
    assert len(ticks) <= 30 and min(np.diff(ticks)) >= 0.6 * 136 / 24


def test_a_trace_cut_to_some_units_keeps_their_numbers_in_gates_and_saturation():
    kept = sorted(GENDER + OTHERS[:3])
    cut = load("language-lstm").select(units=kept)
    panels = heatmaps(figures.make("gates", cut))
    assert [t.get_text() for t in panels[0].get_yticklabels()] == [str(u) for u in kept]
    marked = sorted(int(line.get_ydata()[0]) for line in panels[0].lines if line.get_marker() == "<")
    assert marked == [kept.index(u) for u in sorted(GENDER)]
    fig = figures.make("saturation", cut)
    labelled = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {str(u) for u in GENDER} <= labelled


# -- layers, units, rows, interventions ------------------------------------------------------

def two_layers(kind: str = "lstm", intervene: dict | None = None) -> Trace:
    """A plain trace of a 2-layer cell, 3 sequences of 12 steps, 10 units (no task, no discovered units)."""
    import torch

    import explainer

    torch.manual_seed(0)
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](3, 10, num_layers=2, batch_first=True)
    return explainer.record(module, torch.randn(3, 12, 3), intervene=intervene)


def line_under_title(fig) -> str:
    """The small line under the title that says which layer and row are shown."""
    from matplotlib.text import Annotation

    return " ".join(a.get_text() for a in fig.artists if isinstance(a, Annotation))


def all_texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def test_gates_draws_the_top_layer_by_default_and_any_layer_with_layer():
    trace = two_layers()
    top = heatmaps(figures.make("gates", trace))
    np.testing.assert_allclose(top[0].images[0].get_array(), trace["layers.1.gates.f"][0].T, rtol=1e-6)
    first = figures.make("gates", trace, layer=0)
    np.testing.assert_allclose(heatmaps(first)[0].images[0].get_array(), trace["layers.0.gates.f"][0].T, rtol=1e-6)
    assert "layer 0 of 2 · sequence 0 of 3" in line_under_title(first)
    assert "layer 1 of 2" in line_under_title(figures.make("gates", trace, lang="en"))


def test_gates_draws_the_chosen_units_in_the_given_order_and_the_chosen_row():
    trace = two_layers("gru")
    fig = figures.make("gates", trace, units=[9, 1, 3], row=2)
    panels = heatmaps(fig)
    np.testing.assert_allclose(panels[0].images[0].get_array(), trace["layers.1.gates.r"][2][:, [9, 1, 3]].T, rtol=1e-6)
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["9", "1", "3"]
    assert "sequence 2 of 3" in line_under_title(fig)
    assert any("3 of 10 units" in t for t in all_texts(fig))


def test_gates_units_are_the_models_unit_numbers_also_on_a_cut_trace():
    gone, kept = min(GENDER), max(GENDER)
    cut = load("language-lstm").select(units=[u for u in range(32) if u != gone])
    chosen = [kept, OTHERS[-1]]
    fig = figures.make("gates", cut, units=chosen)
    panels = heatmaps(fig)
    np.testing.assert_allclose(panels[0].images[0].get_array(), load("language-lstm")["layers.0.gates.f"][0][:, chosen].T,
                               rtol=1e-6)
    assert [t.get_text() for t in panels[0].get_yticklabels()] == [str(u) for u in chosen]
    marked = [int(line.get_ydata()[0]) for line in panels[0].lines if line.get_marker() == "<"]
    assert marked == [0]  # the one gender unit among the chosen
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("gates", cut, units=[gone])  # cut away
    assert f"--units {gone} is not a unit of this trace" in one_line(excinfo)


@pytest.mark.parametrize("options,message", [
    ({"layer": 2}, "--layer 2 is not in this trace; it holds layer(s) 0, 1"),
    ({"row": 3}, "--row 3 is out of range: this trace has 3 batch rows; choose 0 to 2"),
    ({"units": [10]}, "--units 10 is not a unit of this trace; it holds units 0 to 9"),
    ({"step": 3}, "figure gates takes no --step (it takes only --layer, --units, --row)"),
])
def test_gates_refuses_a_layer_row_or_unit_the_trace_lacks_and_a_step_in_one_line(options, message):
    with pytest.raises(ExplainerError) as excinfo:
        figures.make("gates", two_layers(), **options)
    assert message in one_line(excinfo)


def test_saturation_shows_every_layer_as_a_row_of_panels_or_only_the_chosen_layer():
    trace = two_layers()
    fig = figures.make("saturation", trace)
    panels = [ax for ax in fig.axes if ax.collections]
    assert len(panels) == 2 * 3
    for ax, (layer, q) in zip(panels, [(l, q) for l in (0, 1) for q in "ifo"]):
        gate = trace[f"layers.{layer}.gates.{q}"]
        np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 0], (gate < 0.1).mean(axis=(0, 1)), atol=1e-12)
    assert [ax.get_ylabel() for ax in panels[::3]] == ["layer 0", "layer 1"]
    one = figures.make("saturation", trace, layer=1)
    assert len([ax for ax in one.axes if ax.collections]) == 3
    assert "layer 1 of 2" in line_under_title(one)


def test_saturation_counts_over_the_chosen_row_and_units_only():
    trace = two_layers()
    fig = figures.make("saturation", trace, layer=0, row=1, units=[4, 2])
    forget = [ax for ax in fig.axes if ax.collections][1]
    gate = trace["layers.0.gates.f"][1][:, [4, 2]]  # [time, units]
    np.testing.assert_allclose(forget.collections[0].get_offsets()[:, 1], (gate > 0.9).mean(axis=0), atol=1e-12)
    assert any("counted over 12 steps (1 × 12)" in t for t in all_texts(fig))
    assert "layer 0 of 2 · sequence 1 of 3" in line_under_title(fig)


def test_saturation_rings_the_gender_units_by_their_numbers_after_a_cut():
    gone = min(GENDER)
    cut = load("language-lstm-long").select(units=[u for u in range(32) if u != gone])
    fig = figures.make("saturation", cut)
    labelled = {t.get_text() for ax in fig.axes for t in ax.texts}
    left = [u for u in GENDER if u != gone]
    assert {str(u) for u in left} <= labelled and str(gone) not in labelled
    assert any("gender units: " in t and all(str(u) in t for u in left) and str(gone) not in t.split(":")[-1]
               for t in all_texts(fig))


def test_forget_reset_follows_the_chosen_units_and_names_them():
    trace = load("language-lstm")
    chosen = [OTHERS[-1], OTHERS[0]]
    fig = figures.make("forget-reset", units=chosen)
    lines = unit_lines(fig.axes[1])
    assert [line.get_label().split(" (")[0] for line in lines] == [f"unit {u}" for u in chosen]
    np.testing.assert_allclose(lines[0].get_ydata(), trace["layers.0.c"][0, :, chosen[0]], rtol=1e-6)
    assert not any(t.startswith("Measured on") for t in all_texts(fig))  # those means are of the discovered units
    assert any("the measured means are of" in t for t in all_texts(fig))
    assert "layer 0 of 1 · sequence 0 of 1" in line_under_title(fig)


def intervened(trace: Trace) -> Trace:
    return Trace({n: trace[n] for n in trace}, {**trace.meta, "intervened": {"layers.0.gates.f": "constant 1"}})


@pytest.mark.parametrize("name,source", [("gates", "language-lstm"), ("saturation", "language-lstm-long"),
                                         ("forget-reset", "language-lstm")])
def test_a_trace_that_was_intervened_on_is_marked_in_red_under_the_title(name, source):
    from matplotlib.colors import to_hex
    from matplotlib.text import Annotation

    from explainer.style import COLORS

    plain = figures.make(name, path(source))
    assert "intervened" not in line_under_title(plain)
    fig = figures.make(name, intervened(load(source)), lang="zh")
    marks = [a for a in fig.artists if isinstance(a, Annotation) and "干预：layers.0.gates.f = constant 1" in a.get_text()]
    assert len(marks) == 1 and to_hex(marks[0].get_color()) == to_hex(COLORS["error"])
    assert "干预" in " ".join(all_texts(fig))


def test_forget_reset_refuses_a_passage_without_a_new_subject_rather_than_claim_one():
    from explainer.errors import ExplainerError
    from explainer.trace import Trace

    first_clause = Trace.load("assets/traces/language-lstm.safetensors").select(steps=slice(0, 7))  # Alice … only
    with pytest.raises(ExplainerError, match="has no second subject"):
        figures.make("forget-reset", first_clause)


# -- padded batches and character traces ------------------------------------------------------
def padded_two_layers() -> Trace:
    import torch

    import explainer

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 6, num_layers=2, batch_first=True)
    return explainer.record(lstm, torch.randn(3, 10, 3), lengths=[10, 7, 4])


def test_saturation_of_a_padded_batch_counts_every_rows_real_steps_and_no_padding():
    trace = padded_two_layers()
    fig = figures.make("saturation", trace)
    forget = [ax for ax in fig.axes if ax.collections][1]
    real = np.concatenate([trace["layers.0.gates.f"][r, :n] for r, n in enumerate([10, 7, 4])])  # [21, units]
    np.testing.assert_allclose(forget.collections[0].get_offsets()[:, 0], (real < 0.1).mean(axis=0), atol=1e-12)
    assert any("21 real steps of 3 rows (padding left out)" in t for t in all_texts(fig))


def test_a_figure_of_one_row_of_a_padded_batch_names_the_row_as_recorded():
    fig = figures.make("gates", padded_two_layers(), row=2)
    assert "sequence 2 of 3" in line_under_title(fig)
    assert fig.axes[0].images[0].get_array().shape == (6, 4), "row 2 drawn to its end: 4 steps"


def test_a_trace_cut_to_some_rows_keeps_their_numbers():
    cut = padded_two_layers().select(batch=[2, 0]).select(batch=[0])
    assert cut.meta["rows"] == [2] and cut.meta["rows_of"] == 3
    assert reading.shown(cut, row=0) == "sequence 2 of 3"


def test_gates_of_a_character_trace_labels_blank_characters_visibly():
    import torch

    import explainer

    text = "a b\n(c)"
    lstm = torch.nn.LSTM(2, 4)
    trace = explainer.record(lstm, torch.randn(len(text), 1, 2), steps=list(text))
    labels = [t.get_text() for t in [ax for ax in figures.make("gates", trace).axes if ax.images][-1].get_xticklabels()]
    assert labels == ["a", "␣", "b", "↵", "(", "c", ")"]
