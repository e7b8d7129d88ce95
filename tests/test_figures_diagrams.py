"""The diagram figures: the unrolled RNN, colah's LSTM cell, the gate unit.

Each draws real values from a trace (checked against the arrays), in either language,
and refuses wrong kinds, steps and focus names with a one-line ExplainerError.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import numpy as np
import pytest
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text

from explainer import assets, figures, reading
from explainer.errors import ExplainerError
from explainer.style import COLORS
from explainer.trace import Trace


def trace_path(name: str) -> str:
    return str(assets.root() / "traces" / f"{name}.safetensors")


def load(name: str) -> Trace:
    return Trace.load(trace_path(name))


def texts(fig) -> list[str]:
    """Every string on the figure (all axes and the figure itself)."""
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts]
    return found


def diagram_texts(fig) -> list[Text]:
    return list(fig.axes[0].texts)


#: the shipped language LSTM: its discovered gender units (numbers in the model, in the measurement's order)
#: and the step the pictures explain by default (the measured one: the new subject's name or gender word)
SHIPPED = Trace.load(str(assets.root() / "traces" / "language-lstm.safetensors"))
GENDER = SHIPPED.meta["units_found"]["gender"]["units"]
STEP = reading.default_step(SHIPPED)
WORD = {lang: SHIPPED.meta["words"][lang][STEP] for lang in ("en", "zh")}
OTHERS = [u for u in range(32) if u not in GENDER]


def listed(units) -> str:
    return ", ".join(map(str, units))


def fmt(v: float) -> str:
    """A number as the figures write it (the reading layer's box format)."""
    return reading.number(v)


# ---------------------------------------------------------------------------- unrolled
def test_unrolled_draws_each_steps_real_hidden_state_as_a_column_of_numbers():
    trace = load("sine-rnn-seed")
    h = trace["layers.0.h"][0]  # [10, 12]
    fig = figures.make("unrolled")
    columns: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for t in diagram_texts(fig):
        x, y = t.get_position()
        strip = t.get_horizontalalignment() == "center"  # not the unit numbers left of the first strip
        if 31 <= y <= 55 and x > 25 and strip:  # the h strips, above the boxes, right of the folded cell
            columns[round(x, 3)].append((y, t.get_text()))
    assert len(columns) == 10
    for k, x in enumerate(sorted(columns)):
        top_to_bottom = [s for _, s in sorted(columns[x], reverse=True)]
        assert top_to_bottom == [fmt(v) for v in h[k]]


def test_unrolled_is_one_cell_reused_at_every_step():
    fig = figures.make("unrolled")
    boxes = [t for t in diagram_texts(fig) if t.get_text() == "A"]
    assert len(boxes) == 1 + 10  # the folded cell and the same cell once per step
    assert any("Not 10 layers" in s for s in texts(fig))


def test_unrolled_labels_inputs_and_shows_the_prediction_and_the_true_next_value():
    trace = load("sine-rnn-seed")
    all_texts = texts(figures.make("unrolled"))
    for v in trace["input"][0, :, 0]:
        assert fmt(v) in all_texts
    assert any(fmt(trace["output"][0, -1, 0]) in s for s in all_texts)
    assert any(fmt(trace.meta["next_y"]) in s for s in all_texts)


def test_unrolled_shows_a_window_of_a_long_trace_and_says_which():
    fig = figures.make("unrolled", trace_path("language-lstm-long"), step=70)
    all_texts = texts(fig)
    assert "$h_{65}$" in all_texts and "$h_{74}$" in all_texts and "$h_{64}$" not in all_texts
    n = load("language-lstm-long").num_steps
    assert any(f"steps 65–74 of 0–{n - 1} (around step 70)" in s for s in all_texts)
    last = texts(figures.make("unrolled", trace_path("language-lstm-long")))
    assert f"$h_{{{n - 10}}}$" in last and f"$h_{{{n - 1}}}$" in last
    assert any("(the last 10)" in s for s in last)


def test_unrolled_highlights_the_chosen_step():
    fig = figures.make("unrolled", step=4)
    bold = [t.get_text() for t in diagram_texts(fig) if t.get_fontweight() == "bold"]
    assert "$x_{4}$" in bold and "$h_{4}$" in bold and "$x_{3}$" not in bold


def test_unrolled_labels_language_steps_with_words_in_the_chosen_language():
    trace = load("language-rnn")
    zh = texts(figures.make("unrolled", trace_path("language-rnn"), lang="zh"))
    for word in ("男", "司机", "他", "。"):
        assert word in zh
    assert any("RNN 按时间展开" in s for s in zh)
    scores = trace["output"][0, -1, :2]
    p_he = np.exp(scores[1]) / np.exp(scores).sum()
    assert f"P(他) = {reading.number(p_he)}" in zh


@pytest.mark.parametrize("name", ["sine-rnn-seed", "sine-lstm-tuned", "sine-gru-seed", "language-rnn"])
def test_unrolled_accepts_every_kind(name):
    fig = figures.make("unrolled", trace_path(name), lang="en")
    assert fig.get_size_inches().tolist() == [12.8, 7.2]


@pytest.mark.parametrize("step", [10, -1])
def test_unrolled_rejects_a_step_outside_the_trace(step):
    with pytest.raises(ExplainerError, match=r"--step .* out of range: this trace has 10 steps; choose 0 to 9") as err:
        figures.make("unrolled", step=step)
    assert "\n" not in str(err.value)


def test_unrolled_takes_no_focus():
    with pytest.raises(ExplainerError, match="takes no --focus"):
        figures.make("unrolled", focus="forget")


# ---------------------------------------------------------------------------- lstm-cell
def layer_boxes_lit(fig) -> int:
    """How many yellow layer boxes are drawn in full colour."""
    from matplotlib.colors import to_rgba

    yellow = to_rgba(COLORS["layer"])
    return sum(1 for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch) and p.get_facecolor() == yellow)


def test_lstm_cell_default_step_is_the_measured_explained_step():
    en = texts(figures.make("lstm-cell"))
    zh = texts(figures.make("lstm-cell", lang="zh"))
    assert any(f"step {STEP}: “{WORD['en']}”" in s for s in en)
    assert any(f"第 {STEP} 步：“{WORD['zh']}”" in s for s in zh)


def test_lstm_cell_writes_the_steps_real_vectors_for_the_gender_units():
    trace = load("language-lstm")
    t, units = STEP, sorted(GENDER)
    all_texts = texts(figures.make("lstm-cell"))
    for name in ("gates.f", "gates.i", "gates.g", "gates.o", "c", "h"):
        values = trace[f"layers.0.{name}"][0, t, units]
        for v in values:
            assert fmt(v) in all_texts, (name, v)
    for v in trace["layers.0.c"][0, t - 1, units]:  # C_{t-1}
        assert fmt(v) in all_texts
    assert any(f"units {listed(units)} (the gender units)" in s for s in all_texts)


@pytest.mark.parametrize("focus,lit,title", [(None, 4, "Inside an LSTM cell"), ("forget", 1, "the forget gate"),
                                             ("input", 2, "the input gate"), ("cell", 0, "the cell-state update"),
                                             ("output", 1, "the output gate")])
def test_lstm_cell_focus_lights_one_path_and_names_it(focus, lit, title):
    fig = figures.make("lstm-cell", focus=focus)
    assert layer_boxes_lit(fig) == lit
    assert title in fig.texts[0].get_text()


@pytest.mark.parametrize("focus,zh", [("forget", "遗忘门"), ("input", "输入门"), ("cell", "单元状态更新"), ("output", "输出门")])
def test_lstm_cell_focus_title_in_chinese(focus, zh):
    fig = figures.make("lstm-cell", lang="zh", focus=focus)
    assert fig.texts[0].get_text() == f"LSTM 单元内部：{zh}"


def test_lstm_cell_with_focus_only_still_shows_the_default_steps_vectors():
    all_texts = texts(figures.make("lstm-cell", focus="forget"))
    assert any(f"step {STEP}: “{WORD['en']}”" in s for s in all_texts)
    assert fmt(SHIPPED["layers.0.gates.f"][0, STEP, GENDER[0]]) in all_texts


def test_lstm_cell_at_step_0_says_the_initial_state_is_not_recorded():
    all_texts = texts(figures.make("lstm-cell", step=0))
    assert any("initial state" in s for s in all_texts)


def test_lstm_cell_on_the_sine_lstm_shows_the_units_with_the_largest_cell_state():
    trace = load("sine-lstm-tuned")
    c = trace["layers.0.c"][0, 9]
    largest = sorted(np.argsort(-np.abs(c))[:3].tolist())
    all_texts = texts(figures.make("lstm-cell", trace_path("sine-lstm-tuned"), lang="zh"))
    assert any(f"神经元 {'、'.join(map(str, largest))}" in s for s in all_texts)
    for v in c[largest]:
        assert fmt(v) in all_texts


def test_lstm_cell_rejects_other_kinds_wrong_focus_and_steps():
    with pytest.raises(ExplainerError, match="needs a LSTM trace"):
        figures.make("lstm-cell", trace_path("language-gru"))
    with pytest.raises(ExplainerError, match="unknown --focus 'gate'; valid: forget, input, cell, output"):
        figures.make("lstm-cell", focus="gate")
    with pytest.raises(ExplainerError, match="out of range: this trace has 16 steps"):
        figures.make("lstm-cell", step=16)


# ---------------------------------------------------------------------------- gate-unit
def test_gate_unit_multiplies_the_real_forget_gate_with_the_previous_cell_state():
    trace = load("language-lstm")
    f, c_prev = trace["layers.0.gates.f"][0, STEP], trace["layers.0.c"][0, STEP - 1]
    all_texts = texts(figures.make("gate-unit"))
    for u in GENDER:
        for v in (c_prev[u], f[u], f[u] * c_prev[u]):
            assert fmt(v) in all_texts
    shown = sorted(GENDER)  # the gender units first, in unit order
    verdict = {"dropped": "mostly dropped", "partly": "partly kept", "kept": "mostly kept"}[
        reading.forget_verdict(f[shown])]
    assert any(f"gender units: $f_t$ = {', '.join(fmt(f[u]) for u in shown)} → {verdict}" in s for s in all_texts)
    assert any("A value near 1 keeps that position, near 0 drops it" in s for s in all_texts)


def test_gate_unit_shows_the_gender_units_first_then_says_which_others():
    fig = figures.make("gate-unit")
    header = [t.get_text() for t in diagram_texts(fig) if t.get_text().isdigit() and t.get_position()[1] > 50]
    assert header[:3] == [str(u) for u in sorted(GENDER)] and len(header) == 12
    assert any("12 of 32 units" in s for s in texts(fig))


def test_gate_unit_in_chinese_and_on_the_sine_lstm():
    zh = texts(figures.make("gate-unit", lang="zh"))
    assert "门控单元：一个 sigmoid 层和一次按位相乘" in zh
    assert "接近 1 的位置保留信息，接近 0 的位置丢弃信息" in zh
    sine = texts(figures.make("gate-unit", trace_path("sine-lstm-tuned")))
    assert any("12 of 64 units: those with the largest" in s for s in sine)


def test_gate_unit_rejects_step_0_and_other_kinds():
    with pytest.raises(ExplainerError, match=r"--step 0 has no C_\{t-1\} in the trace .*; choose --step 1 to 15$"):
        figures.make("gate-unit", step=0)
    with pytest.raises(ExplainerError, match="needs a LSTM trace"):
        figures.make("gate-unit", trace_path("sine-rnn-seed"))


# ---------------------------------------------------------------------------- all three
def test_nan_values_are_left_out_and_reported():
    trace = load("sine-lstm-tuned")
    arrays = {n: np.array(trace[n]) for n in trace.names}
    arrays["layers.0.h"][0, 3, :5] = np.nan
    arrays["layers.0.gates.f"][0, 9, 0] = np.inf
    broken = Trace(arrays, trace.meta)
    with pytest.warns(RuntimeWarning, match="NaN/Inf"):
        figures.make("unrolled", broken)
    with pytest.warns(RuntimeWarning, match="NaN/Inf"):
        figures.make("gate-unit", broken)


def test_the_diagram_figures_save_as_png_and_svg(tmp_path):
    for name in ("unrolled", "lstm-cell", "gate-unit"):
        for suffix in (".png", ".svg"):
            path = figures.save(figures.make(name, lang="zh"), tmp_path / f"{name}{suffix}")
            assert path.stat().st_size > 10_000


def test_the_diagram_figures_never_import_torch():
    code = ("import sys; import explainer.figures.unrolled, explainer.figures.lstm_cell, explainer.figures.gate_unit; "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------- layers, units, rows
def two_layers(intervene: dict | None = None) -> Trace:
    """A plain trace of a 2-layer LSTM, 3 sequences of 12 steps, 10 units (no task, no discovered units)."""
    import torch

    import explainer

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 10, num_layers=2, batch_first=True)
    return explainer.record(lstm, torch.randn(3, 12, 3), intervene=intervene)


def line_under_title(fig) -> str:
    from matplotlib.text import Annotation

    return " ".join(a.get_text() for a in fig.artists if isinstance(a, Annotation))


def unit_header(fig) -> list[str]:
    """gate-unit: the unit numbers above the columns, left to right."""
    header = [t for t in diagram_texts(fig) if t.get_text().isdigit() and 52 < t.get_position()[1] < 56]
    return [t.get_text() for t in sorted(header, key=lambda t: t.get_position()[0])]


def panel_numbers(fig) -> list[str]:
    """lstm-cell: the unit numbers beside the panel of all units, top to bottom."""
    marks = [t for t in diagram_texts(fig) if t.get_text().isdigit() and t.get_position()[0] == 93.5]
    return [t.get_text() for t in sorted(marks, key=lambda t: -t.get_position()[1])]


def test_lstm_cell_names_the_units_of_a_cut_trace_by_their_original_numbers():
    a, b, c = sorted(GENDER)
    other = OTHERS[-1]
    cut = SHIPPED.select(units=[b, c, other])
    fig = figures.make("lstm-cell", cut)
    assert any(f"units {b}, {c} (the gender units)" in s for s in texts(fig))  # {a} was cut away
    assert panel_numbers(fig) == [str(u) for u in sorted([b, c, other])]
    assert any("the 3 units in the trace" in s for s in texts(fig))
    wide = SHIPPED.select(units=range(c, 32))
    assert any(f"units {c} (the gender units)" in s for s in texts(figures.make("lstm-cell", wide)))
    assert panel_numbers(figures.make("lstm-cell", wide))[0] == str(c)


def test_lstm_cell_writes_the_chosen_units_of_the_chosen_layer_row_and_step():
    trace = two_layers()
    fig = figures.make("lstm-cell", trace, layer=0, row=2, units=[9, 1], step=4)
    all_texts = texts(fig)
    for name in ("gates.f", "gates.i", "gates.g", "gates.o", "c", "h"):
        for v in trace[f"layers.0.{name}"][2, 4, [1, 9]]:
            assert fmt(v) in all_texts, (name, v)
    assert any("units 1, 9 (as chosen)" in s for s in all_texts)
    assert line_under_title(fig) == "layer 0 of 2 · sequence 2 of 3"
    assert "layer 1 of 2 · sequence 0 of 3" == line_under_title(figures.make("lstm-cell", trace))


def test_lstm_cell_writes_out_at_most_three_units():
    with pytest.raises(ExplainerError, match=r"at most 3 units; give up to 3 with --units") as err:
        figures.make("lstm-cell", units=[1, 2, 3, 4])
    assert "\n" not in str(err.value)


def test_gate_unit_heads_its_columns_with_the_original_unit_numbers():
    gone = min(GENDER)  # one gender unit is cut away
    cut = SHIPPED.select(units=[u for u in range(32) if u != gone])
    header = unit_header(figures.make("gate-unit", cut))
    kept = [str(u) for u in sorted(GENDER) if u != gone]
    assert header[:len(kept)] == kept and len(header) == 12 and str(gone) not in header
    chosen = [OTHERS[-1], OTHERS[0], OTHERS[3]]
    fig = figures.make("gate-unit", units=chosen)
    assert unit_header(fig) == [str(u) for u in chosen]
    f = SHIPPED["layers.0.gates.f"][0, STEP]
    assert any("3 of 32 units, as chosen" in s for s in texts(fig))
    assert any(f"mean $f_t$ = {fmt(f[chosen].mean())}" in s for s in texts(fig))


def test_gate_unit_multiplies_the_chosen_layers_row():
    trace = two_layers()
    fig = figures.make("gate-unit", trace, layer=0, row=1, step=6)
    f, c_prev = trace["layers.0.gates.f"][1, 6], trace["layers.0.c"][1, 5]
    all_texts = texts(fig)
    for u in range(10):
        assert fmt(f[u] * c_prev[u]) in all_texts
    assert line_under_title(fig) == "layer 0 of 2 · sequence 1 of 3"


def test_unrolled_draws_the_chosen_layer_units_and_row_and_numbers_the_units():
    trace = two_layers()
    fig = figures.make("unrolled", trace, layer=0, units=[9, 1, 3], row=2)
    numbers = [t.get_text() for t in diagram_texts(fig) if t.get_horizontalalignment() == "right"
               and t.get_text().isdigit()]
    assert numbers == ["9", "1", "3"]
    all_texts = texts(fig)
    for v in trace["layers.0.h"][2, 11, [9, 1, 3]]:
        assert fmt(v) in all_texts
    assert any("3 of 10 hidden units" in s for s in all_texts)
    assert line_under_title(fig) == "layer 0 of 2 · sequence 2 of 3"


def test_unrolled_draws_the_readout_only_beside_the_top_layer():
    trace = load("sine-rnn-seed")
    y = fmt(trace["output"][0, -1, 0])
    assert any(y in s for s in texts(figures.make("unrolled")))
    assert any(y in s for s in texts(figures.make("unrolled", layer=0)))  # layer 0 is the top one here
    two = two_layers()
    assert not any("readout" in s for s in texts(figures.make("unrolled", two, layer=0)))


@pytest.mark.parametrize("name", ["unrolled", "lstm-cell", "gate-unit"])
def test_a_diagram_of_an_intervened_trace_says_so_in_red(name):
    from matplotlib.colors import to_hex

    trace = two_layers(intervene={"layers.0.gates.f": 1.0})
    fig = figures.make(name, trace, lang="zh", step=5)
    assert "干预：layers.0.gates.f = constant 1" in line_under_title(fig)
    assert to_hex(fig.artists[-1].get_color()) == to_hex(COLORS["error"])
    assert "intervened" not in line_under_title(figures.make(name, two_layers(), step=5))
