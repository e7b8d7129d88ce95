"""The `learning` figure: accuracy by distance over training, and the sentence it says about each model.

What a bucket "learned from update u" means (≥ 0.95 at u and at every later measurement),
and the captions, are specified on synthetic histories whose answers are known; the
figure is also drawn from a real (tiny) training run, in both languages, and refuses a
checkpoint that carries no learning history.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from explainer import figures
from explainer.errors import ExplainerError
from explainer.reading.learning import Learning, spans

BUCKETS = [f"{lo}-{lo + 9}" for lo in range(1, 100, 10)]
UPDATES = [0, 25, 50, 75, 100, 125]


def history(rows: list[list[float]]) -> dict:
    return {"updates": UPDATES[: len(rows)], "buckets": BUCKETS, "accuracy": rows, "passages": 200}


#: An RNN that learns 1-10 (from 50) and stays at chance beyond; an LSTM that learns 1-10 first, all from 100.
RNN = [[0.5] * 10, [0.8] + [0.5] * 9, [0.96] + [0.52] * 9, [0.99] + [0.5] * 9, [1.0, 0.7] + [0.48] * 8,
       [1.0, 0.6] + [0.45] * 7 + [0.55]]
LSTM = [[0.5] * 10, [0.9] + [0.5] * 9, [0.97] + [0.6] * 9, [1.0] + [0.9] * 9, [1.0] * 10, [1.0] * 9 + [0.99]]


@pytest.fixture
def tiny():
    from tiny_language import tiny_language_run

    return tiny_language_run("rnn")


def with_history(meta: dict, rows: list[list[float]], kind: str | None = None) -> dict:
    out = copy.deepcopy(meta)
    out["history"]["accuracy_by_distance"] = history(rows)
    if kind:
        out["model"]["kind"] = kind
    return out


def test_a_bucket_is_learned_from_the_update_after_which_it_stays_at_095():
    run = Learning.of({"history": {"accuracy_by_distance": history(LSTM)}})
    assert run.learned_at() == [50] + [100] * 9
    assert run.every_from() == 100 and run.first() == (["1-10"], 50)
    dip = Learning.of({"history": {"accuracy_by_distance": history([[0.96] * 10, [0.5] * 10, [0.97] * 10])}})
    assert dip.learned_at() == [50] * 10, "a dip below 0.95 restarts the count"
    late = Learning.of({"history": {"accuracy_by_distance": history([[0.97] * 10, [0.97] * 9 + [0.9]])}})
    assert late.learned_at()[-1] is None and late.every_from() is None, "not learned if it is not held to the end"


def test_an_empty_bucket_neither_breaks_nor_makes_learning():
    nan = float("nan")
    run = Learning.of({"history": {"accuracy_by_distance": history([[0.5] * 9 + [nan], [0.99] * 9 + [nan],
                                                                    [0.99] * 9 + [nan]])}})
    assert run.learned_at() == [25] * 9 + [None]
    assert run.every_from() == 25, "every bucket that has answers"
    gap = Learning.of({"history": {"accuracy_by_distance": history([[0.5] * 10, [nan] * 10, [0.99] * 10])}})
    assert gap.learned_at() == [50] * 10, "learned from a measurement that saw the bucket"


def test_buckets_are_named_as_distance_ranges():
    assert spans(["1-10"]) == ["1–10"]
    assert spans(["1-10", "11-20", "21-30", "61-70", "91-100"]) == ["1–30", "61–70", "91–100"]


def test_each_panel_has_one_sentence_from_its_numbers(tiny):
    _, ckpt = tiny
    rnn = with_history(ckpt.meta, RNN)
    lstm = with_history(ckpt.meta, LSTM, kind="lstm")
    fig = figures.make("learning", [rnn, lstm], lang="en")
    said = [t.get_text() for t in fig.texts]
    assert "RNN: ≥ 0.95 only at 1–10 (from update 50); at the end 0.45–0.60 elsewhere" in said
    assert "LSTM: ≥ 0.95 at every distance from update 100 on; 1–10 first (from update 50)" in said
    zh = [t.get_text() for t in figures.make("learning", [rnn, lstm], lang="zh").texts]
    assert "LSTM：从第 100 次参数更新起，每个距离都 ≥ 0.95；最先学会 1–10（从第 50 次起）" in zh


def test_a_model_that_learns_nothing_or_everything_at_once_is_said_so(tiny):
    _, ckpt = tiny
    nothing = with_history(ckpt.meta, [[0.5] * 10, [0.6] * 10, [0.7] * 9 + [0.55]])
    at_once = with_history(ckpt.meta, [[0.5] * 10, [0.5] * 10, [0.99] * 10], kind="gru")
    said = [t.get_text() for t in figures.make("learning", [nothing, at_once], lang="en").texts]
    assert "RNN: ≥ 0.95 at no distance by the end; at the end 0.55–0.70" in said
    assert "GRU: ≥ 0.95 at every distance from update 50 on, all at once" in said


def test_the_heatmaps_share_one_colour_scale_from_chance_to_one(tiny):
    _, ckpt = tiny
    fig = figures.make("learning", [with_history(ckpt.meta, RNN), with_history(ckpt.meta, LSTM, kind="lstm")])
    meshes = [c for ax in fig.axes[:2] for c in ax.collections]
    assert len(meshes) == 2
    assert all((m.norm.vmin, m.norm.vmax) == (0.5, 1.0) for m in meshes)
    assert np.allclose(np.asarray(meshes[0].get_array()).reshape(6, 10), RNN)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_figure_renders_a_real_training_run(tiny, lang, tmp_path):
    path, ckpt = tiny
    fig = figures.make("learning", [path], lang=lang)
    run = fig.learning[0]
    recorded = ckpt.meta["history"]["accuracy_by_distance"]
    assert list(run.updates) == recorded["updates"] and run.buckets == tuple(recorded["buckets"])
    assert figures.save(fig, tmp_path / f"learning-{lang}.png").stat().st_size > 10_000


def test_a_checkpoint_without_a_learning_history_is_refused_in_one_line(tiny, tmp_path):
    _, ckpt = tiny
    old = copy.deepcopy(ckpt.meta)
    del old["history"]["accuracy_by_distance"]
    with pytest.raises(ExplainerError, match=r"figure learning needs a learning history: .* has none .*retrain it "
                                             r"with explainer ≥ .*explainer train language --model rnn") as e:
        figures.make("learning", [old])
    assert "\n" not in str(e.value)
