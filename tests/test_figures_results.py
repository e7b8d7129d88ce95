"""The result figures (predict, multistep, distance, shapes, strategies) draw the checkpoints' own numbers.

Each test reads like a sentence of the specification: the figure shows the measured
values (checked against the artists' data), states the numbers it promises, accepts both
languages and refuses sources it cannot draw with a one-line ExplainerError.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from explainer import assets, figures
from explainer.checkpoint import read_meta
from explainer.errors import ExplainerError
from explainer.style import word
from explainer.tasks.sine import make_data

RESULTS = ["predict", "multistep", "distance", "shapes", "strategies"]


def meta(name: str) -> dict:
    return read_meta(assets.root() / "checkpoints" / f"{name}.safetensors")


def lines_labelled(ax, label: str) -> list:
    return [line for line in ax.get_lines() if line.get_label() == label]


def all_texts(fig) -> str:
    """Every piece of text on the figure (titles, labels, annotations, legends, subfigures)."""
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


# --- every figure -------------------------------------------------------------------------

@pytest.mark.parametrize("name", RESULTS)
def test_each_figure_is_registered_in_lecture_order(name):
    ranks = {"predict": 4, "multistep": 5, "distance": 10, "shapes": 11, "strategies": 12}
    from explainer.figures.registry import get

    assert get(name).rank == ranks[name]


@pytest.mark.parametrize("name", RESULTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_figure_draws_its_shipped_default_in_both_languages(name, lang):
    fig = figures.make(name, lang=lang)
    assert fig.get_size_inches().tolist() == [12.8, 7.2]
    text = all_texts(fig)
    has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert has_chinese == (lang == "zh")


@pytest.mark.parametrize("name", ["predict", "multistep", "shapes", "strategies"])
def test_sine_figures_refuse_a_language_checkpoint_in_one_line(name):
    with pytest.raises(ExplainerError) as err:
        figures.make(name, assets.root() / "checkpoints" / "language-lstm.safetensors")
    assert "sine" in str(err.value) and "\n" not in str(err.value)


def test_distance_refuses_a_sine_checkpoint_in_one_line():
    with pytest.raises(ExplainerError) as err:
        figures.make("distance", [assets.root() / "checkpoints" / "sine-rnn-seed.safetensors"])
    assert "language" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("name", RESULTS)
def test_no_figure_takes_a_step_or_a_focus(name):
    with pytest.raises(ExplainerError, match="takes no --step"):
        figures.make(name, step=3)


# --- predict ------------------------------------------------------------------------------

def test_predict_shows_untrained_then_trained_single_step_predictions_and_their_mse():
    m = meta("sine-rnn-seed")
    fig = figures.make("predict", m)
    (_, left), (_, right) = (sub.axes for sub in fig.subfigs)
    label = word("results.label.single", "en")
    assert np.allclose(lines_labelled(left, label)[0].get_ydata(), m["eval"]["untrained_single"])
    assert np.allclose(lines_labelled(right, label)[0].get_ydata(), m["eval"]["single"])
    truth = lines_labelled(right, word("results.label.truth", "en"))[0]
    assert np.allclose(truth.get_xdata(), m["eval"]["x"]) and np.allclose(truth.get_ydata(), m["eval"]["truth"])
    left_text = "\n".join(t.get_text() for t in left.texts)
    right_text = "\n".join(t.get_text() for t in right.texts)
    assert f"{m['eval']['untrained_metrics']['mse_single']:.4f}" in left_text  # 0.7139
    assert f"{m['metrics']['mse_single']:.4f}" in right_text  # 0.0604
    assert f"{m['metrics']['noise_floor']:.4f}" in right_text
    assert left.get_ylim() == right.get_ylim()  # one scale for a fair comparison


def test_predict_overview_draws_the_whole_series_of_the_checkpoints_seed():
    m = meta("sine-rnn-seed")
    fig = figures.make("predict", m)
    overview = fig.subfigs[0].axes[0]
    data = make_data(m["train"]["seed"])
    whole = [line for line in overview.get_lines() if len(line.get_ydata()) == len(data.y)]
    assert whole and np.allclose(whole[0].get_ydata(), data.y)
    assert np.allclose(data.y[320:], m["eval"]["truth"], atol=1e-6)  # the test range is the series' end


def test_predict_leaves_nan_predictions_out_and_says_so():
    m = copy.deepcopy(meta("sine-rnn-seed"))
    m["eval"]["single"][5] = float("nan")
    m["eval"]["single"][6] = float("inf")
    with pytest.warns(RuntimeWarning, match="2 NaN/Inf"):
        fig = figures.make("predict", m)
    assert "2 NaN/Inf values not drawn" in all_texts(fig)


# --- multistep ----------------------------------------------------------------------------

def test_multistep_draws_each_checkpoint_in_its_own_panel_with_its_recorded_predictions():
    metas = [meta("sine-rnn-seed"), meta("sine-rnn-tuned")]
    fig = figures.make("multistep", metas)
    assert len(fig.axes) == 2, "one panel per checkpoint and no panel of running errors"
    for ax, m in zip(fig.axes, metas):
        ev, mse = m["eval"], m["metrics"]
        single = lines_labelled(ax, word("results.multi.single_mse", "en", mse=f"{mse['mse_single']:.4f}"))
        multi = lines_labelled(ax, word("results.multi.multi_mse", "en", mse=f"{mse['mse_multi']:.4f}"))
        assert np.allclose(single[0].get_ydata(), ev["single"]) and np.allclose(multi[0].get_ydata(), ev["multi"])
        assert np.allclose(lines_labelled(ax, word("results.label.truth_short", "en"))[0].get_ydata(), ev["truth"])


def test_multistep_names_the_seed_presets_collapse_with_the_measured_constant_and_the_tuned_presets_phase():
    from explainer.probes.horizon import collapse
    from explainer.reading import number

    seed, tuned = meta("sine-rnn-seed"), meta("sine-rnn-tuned")
    fig = figures.make("multistep", [seed, tuned])
    top, bottom = fig.axes
    c = collapse(seed["eval"]["multi"], seed["eval"]["truth"])
    assert c.collapsed and number(c.value) == "−0.14"
    assert f"collapses to a constant ≈ −0.14 within {c.settled_by} steps" in top.get_title("left")
    assert "holds the phase" in bottom.get_title("left") and "collapses" not in bottom.get_title("left")
    # the constant is drawn where it was measured, from the step by which the forecast has settled
    dashed = [seg for coll in top.collections for seg in getattr(coll, "get_segments", lambda: [])()]
    assert any(np.allclose(seg[:, 1], c.value) and np.isclose(seg[0, 0], seed["eval"]["x"][c.settled_by - 1])
               for seg in dashed)
    assert not [coll for coll in bottom.collections if getattr(coll, "get_segments", None) and coll.get_segments()]
    assert "≈ −0.14" in all_texts(fig)


def test_multistep_of_one_checkpoint_draws_one_panel():
    fig = figures.make("multistep", meta("sine-lstm-tuned"))
    assert len(fig.axes) == 1 and "holds the phase" in fig.axes[0].get_title("left")


# --- distance -----------------------------------------------------------------------------

def test_distance_draws_exactly_the_measured_accuracy_of_every_model():
    metas = [meta(f"language-{k}") for k in ("rnn", "lstm", "gru")]
    fig = figures.make("distance", metas)
    ax = fig.axes[0]
    for m in metas:
        name = word(f"model.{m['model']['kind']}", "en")
        line = [ln for ln in ax.get_lines() if ln.get_label().startswith(name + " ")][0]
        assert np.allclose(line.get_ydata(), list(m["metrics"]["accuracy_by_distance"].values()))
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{lo}–{lo + 9}" for lo in range(1, 100, 10)]
    assert ax.get_ylim() == (0, 1.05)
    chance = lines_labelled(ax, word("results.distance.chance", "en"))[0]
    assert set(chance.get_ydata()) == {0.5} and chance.get_linestyle() != "-"


def test_distance_gives_each_model_its_colour_and_a_distinct_marker_and_line_style():
    from matplotlib.colors import to_hex

    from explainer.style import COLORS

    fig = figures.make("distance")
    lines = {ln.get_label().split(" ")[0]: ln for ln in fig.axes[0].get_lines() if "·" in ln.get_label()}
    assert {k: to_hex(ln.get_color()) for k, ln in lines.items()} == {
        "RNN": COLORS["rnn"].lower(), "LSTM": COLORS["lstm"].lower(), "GRU": COLORS["gru"].lower()}
    assert len({ln.get_marker() for ln in lines.values()}) == 3
    assert len({ln.get_linestyle() for ln in lines.values()}) == 3


def test_distance_states_the_shared_training_budget():
    m = meta("language-lstm")
    fig = figures.make("distance")
    subtitle = fig.axes[0].get_title()
    assert f"{m['train']['iters']} updates × {m['train']['batch_size']} passages" in subtitle
    assert "长期依赖问题" in all_texts(figures.make("distance", lang="zh"))


def test_distance_leaves_an_empty_bucket_out_and_says_so():
    metas = [copy.deepcopy(meta("language-rnn"))]
    metas[0]["metrics"]["accuracy_by_distance"]["91-100"] = float("nan")
    with pytest.warns(RuntimeWarning, match="1 NaN/Inf"):
        figures.make("distance", metas)


# --- shapes -------------------------------------------------------------------------------

def test_shapes_takes_every_number_from_the_checkpoint():
    text = all_texts(figures.make("shapes"))
    assert "[B, 10, 1]" in text  # input [batch, seq_len, input_size]
    assert "seq_len = 10" in text and "input_size = 1" in text
    assert "hidden_size = 12" in text and "12 numbers" in text
    assert "output [B, 10, 12]" in text and "h_n [1, B, 12]" in text and "[B, 1]" in text


def test_shapes_follows_a_different_model_config():
    m = copy.deepcopy(meta("sine-lstm-tuned"))  # LSTM, hidden 64, full-batch training
    text = all_texts(figures.make("shapes", m))
    assert "nn.LSTM" in text and "hidden_size = 64" in text
    assert "h_n, c_n [1, B, 64]" in text and "output [B, 10, 64]" in text
    assert "B = 310" in text  # batch_size 0: every one of the 310 training windows
    m["model"]["input_size"] = 2
    m["train"]["features"] = m["eval"]["features"] = ["cos"]
    text = all_texts(figures.make("shapes", m))
    assert "[B, 10, 2]" in text and "input_size = 2" in text and "y, cos" in text


def test_shapes_front_slice_holds_the_first_training_window():
    text = all_texts(figures.make("shapes"))
    window = make_data(0).y[:10]
    assert all(f"{v:.2f}" in text for v in window)


# --- strategies ---------------------------------------------------------------------------

def test_the_strategy_checkpoints_are_the_faqs_three_strategies_with_equal_budgets():
    seq, epochs, rand = (meta(f"sine-rnn-{s}") for s in ("sequential", "epochs", "random"))
    assert [m["train"]["strategy"] for m in (seq, epochs, rand)] == ["sequential", "epochs", "random"]
    assert len(seq["history"]["loss"]) == 310
    assert len(epochs["history"]["loss"]) == len(rand["history"]["loss"]) == 5 * 310
    assert all(m["train"]["preset"] == "seed" and m["model"]["hidden_size"] == 12 for m in (seq, epochs, rand))


def test_strategies_draws_every_updates_loss_and_states_each_mse():
    metas = [meta(f"sine-rnn-{s}") for s in ("sequential", "epochs", "random")]
    fig = figures.make("strategies", metas)
    assert len(fig.axes) == 3
    low = fig.axes[0].get_ylim()[0]
    for ax, m in zip(fig.axes, metas):
        loss = np.asarray(m["history"]["loss"])
        dots = lines_labelled(ax, word("results.strat.dots", "en"))[0].get_ydata()
        assert np.allclose(np.where(loss >= low, loss, np.nan), dots, equal_nan=True)
        edge = [ln for ln in ax.get_lines() if ln.get_marker() == "v"]
        assert (len(edge[0].get_xdata()) if edge else 0) == int(np.sum(loss < low))  # every loss is accounted for
        text = "\n".join(t.get_text() for t in ax.texts)
        assert f"{m['metrics']['mse_single']:.4f}" in text and f"{m['metrics']['mse_multi']:.4f}" in text
        assert str(len(loss)) in ax.get_title()
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].get_shared_y_axes().joined(fig.axes[0], fig.axes[2])


def test_strategies_titles_name_each_strategy():
    titles = [ax.get_title() for ax in figures.make("strategies", lang="zh").axes]
    assert "顺序遍历一次" in titles[0] and "5" in titles[1] and "随机" in titles[2]


def test_strategies_moving_average_is_the_mean_of_the_window():
    from explainer.figures.strategies import moving_average

    values = np.array([1.0, 3.0, 5.0, np.nan, 7.0])
    assert np.allclose(moving_average(values, 2), [2.0, 4.0, 5.0, 7.0])
    assert math.isnan(moving_average(np.array([np.nan, np.nan]), 2)[0])
