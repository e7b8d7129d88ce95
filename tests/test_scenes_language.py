"""The language scenes show what the traces hold: PronounMemory and LongRange.

Cheap checks of what the scenes compute from the shipped traces (where they slow down,
which numbers they show, what they conclude), the one-line refusals of wrong traces
before anything renders, and one real render per scene at a tiny resolution.
"""

from __future__ import annotations

import numpy as np
import pytest

from animations import render
from animations.long_range import COIN, LongRange, verdict
from explainer.reading import number as fmt
from animations.pronoun_memory import MOST, PACE, BeltValues, PronounMemory, beats, pace
from animations.units import followed
from explainer import assets, reading
from explainer.errors import ExplainerError
from explainer.reading import Passage
from explainer.tasks.language import p_she
from explainer.trace import Trace


def shipped(name: str) -> Trace:
    return Trace.load(assets.trace_path(name))


@pytest.fixture
def make(tmp_path):
    """Build a scene (its words become Text) with Manim's caches in a temporary folder."""
    from manim import tempconfig

    def build(cls, traces=None, **kwargs):
        with tempconfig({"media_dir": str(tmp_path / "media")}):
            return cls.of(traces, **kwargs)
    return build


@pytest.fixture(scope="module")
def lstm():
    return shipped("language-lstm")


@pytest.fixture(scope="module")
def lstm_long():
    return shipped("language-lstm-long")


@pytest.fixture(scope="module")
def rnn_long():
    return shipped("language-rnn-long")


# -- the passage ---------------------------------------------------------------------------

def test_the_source_passage_has_two_pronoun_slots_with_their_clues(lstm):
    for lang, she, he, female, male in (("en", "she", "he", "female", "male"), ("zh", "她", "他", "女", "男")):
        p = Passage.of(lstm, lang)
        assert [(s.t, s.at, s.answer, s.distance) for s in p.slots] == [(4, 5, she, 3), (12, 13, he, 3)]
        assert [p.words[s.clue] for s in p.slots] == [female, male]
        assert [p.words[s.at] for s in p.slots] == [she, he]


def test_p_she_is_the_softmax_of_the_first_two_answer_scores(lstm):
    p = Passage.of(lstm, "en")
    scores = lstm["output"][0].astype(float)
    expected = np.exp(scores[:, 0]) / (np.exp(scores[:, 0]) + np.exp(scores[:, 1]))
    np.testing.assert_allclose(p.p_she, expected, rtol=1e-9)
    assert p_she(np.array([[1000.0, 0.0]]))[0] == pytest.approx(1.0)  # no overflow
    assert [s.right for s in p.slots] == [True, True]
    assert p.slots[0].p_she > 0.99 and p.slots[1].p_she < 0.01


def test_numbers_on_screen_use_a_real_minus_and_never_minus_zero():
    assert reading.number(-0.5) == "−0.50"
    assert reading.number(-0.004) == "−4e−3", "a small value keeps its sign and magnitude"
    assert reading.number(-0.0) == "0.00"
    assert reading.number(0.456) == "0.46"


# -- PronounMemory ---------------------------------------------------------------------------

def test_pronoun_memory_slows_down_at_the_clue_the_new_subject_its_gender_word_and_the_pronouns(lstm):
    p = Passage.of(lstm, "en")
    assert [(b.t, p.words[b.t], b.why) for b in beats(p)] == [
        (2, "female", "first"), (4, ",", "predict"), (5, "she", "pronoun"), (8, "Bob", "subject"),
        (10, "male", "gender"), (12, ",", "predict"), (13, "he", "pronoun")]
    assert pace(p) == PACE["short"]
    # the measured explained step is the new subject's name ("Bob"), so the first subject is met at its name too
    assert reading.default_step(lstm) == 8
    assert [(b.t, b.why) for b in beats(p, 8)][:1] == [(0, "first")]


def test_the_long_passage_runs_through_the_filler_quickly_and_stops_at_the_same_events(lstm_long):
    p = Passage.of(lstm_long, "en")
    plan = [(b.t, b.why) for b in beats(p)]
    ev = p.events
    expected = {ev.new_subjects[0]: "subject", ev.new_gender_words[0]: "gender", p.slots[0].clue: "first"}
    for slot in p.slots:  # every pronoun is predicted, the subjects' she/he and the objects' her/him
        expected[slot.t] = "predict"
        expected.setdefault(slot.at, "pronoun")
    assert plan == sorted(expected.items())
    assert {p.words[s.at] for s in p.slots} == {"she", "he", "her", "him"}
    # the filler between the subject's first and second pronoun is run through, at the quick pace
    assert max(b.t - a.t for a, b in zip(beats(p), beats(p)[1:])) >= 30
    assert pace(p) == PACE["long"] < PACE["short"] / 3


def test_the_belt_shows_the_recorded_lstm_update_of_the_gender_units(lstm):
    gender = lstm.meta["units_found"]["gender"]["units"]
    units = followed(lstm, "PronounMemory")
    assert units.numbers == gender and units.state == "c" and not units.chosen
    belt = BeltValues(lstm, units)
    c = lstm["layers.0.c"][0][:, gender]
    f = lstm["layers.0.gates.f"][0][:, gender]
    t = reading.default_step(lstm)  # the measured explained step
    np.testing.assert_allclose(belt.at("c_prev", t), c[t - 1], rtol=1e-6)
    np.testing.assert_allclose(belt.at("f", t), f[t], rtol=1e-6)
    # C_t = f ⊙ C_{t-1} + i ⊙ C̃ holds for the values the belt shows, at every step
    for k in range(lstm.num_steps):
        np.testing.assert_allclose(belt.at("fc", k) + belt.at("ig", k), belt.at("c", k), atol=1e-5)
    np.testing.assert_allclose(belt.at("c", -1), 0)  # before the first token: the initial state
    np.testing.assert_allclose(belt.at("c", 9.5), (c[9] + c[10]) / 2, rtol=1e-6)


def test_pronoun_memory_end_caption_gives_the_measured_forget_gate(lstm, make):
    from explainer.reading import forget

    found = lstm.meta["units_found"]["gender"]
    scene = make(PronounMemory, lang="en")
    said = forget.said(scene.measured, "en")
    step = found["change"]["explained_step"]
    assert said["selectivity"]["at"] == fmt(found["forget"]["units"][step])
    assert said["selectivity"]["elsewhere"] == fmt(found["forget"]["units"]["elsewhere"])
    assert said["selectivity"]["others"] == fmt(found["forget"]["others"][step])
    assert said["selectivity"]["n"] == str(found["forget"]["steps"]["name"])
    share = found["change"]["reset_share"][step]
    assert said["change"]["reset"] == forget.percent(share) and said["change"]["write"] == forget.percent(1 - share)
    text = scene.w("forget.say.selectivity", **said["selectivity"])
    assert said["selectivity"]["at"] in text and said["selectivity"]["elsewhere"] in text


def test_on_a_cut_trace_the_belt_carries_the_gender_units_it_still_holds_by_their_numbers(lstm, make):
    found = lstm.meta["units_found"]["gender"]
    top = max(found["units"])
    cut = lstm.select(units=range(top - 1, 32))  # every other gender unit is gone; this one is now column 1
    scene = make(PronounMemory, [cut])
    assert scene.units.numbers == [top] and scene.units.columns == [1]
    np.testing.assert_array_equal(scene.belt.steps["c"][:, 0], lstm["layers.0.c"][0, :, top])
    np.testing.assert_array_equal(scene.belt.steps["f"][:, 0], lstm["layers.0.gates.f"][0, :, top])
    sign = 1 if found["all_correlations"][top] > 0 else -1
    assert scene.units.sign_meaning() == sign, "the unit's sign is that of its correlation with gender"


def test_units_put_other_units_on_the_belt_and_the_words_do_not_call_them_gender_units(lstm, make):
    scene = make(PronounMemory, units=[1, 2, 3, 4])
    assert scene.units.chosen and scene.units.numbers == [1, 2, 3, 4]
    np.testing.assert_array_equal(scene.belt.steps["c"], lstm["layers.0.c"][0][:, [1, 2, 3, 4]])
    assert scene.units.sign_meaning() == 0, "no legend: these units were not found to follow gender"
    assert scene.cell * 4 <= 3 * 0.75 + 1e-9, "four units fit where three did"
    with pytest.raises(ExplainerError, match=f"at most {MOST} units"):
        make(PronounMemory, units=list(range(MOST + 1)))
    with pytest.raises(ExplainerError, match="--units 99 is not a unit of this trace"):
        make(PronounMemory, units=[99])
    with pytest.raises(ExplainerError, match="takes no --step; it takes: --layer, --units"):
        make(PronounMemory, step=3)


def test_pronoun_memory_refuses_a_non_lstm_trace_before_rendering(tmp_path):
    out = tmp_path / "x.png"
    with pytest.raises(ExplainerError) as err:
        render("PronounMemory", traces=[assets.trace_path("language-rnn")], output=out)
    assert "LSTM" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ExplainerError, match="language"):
        render("PronounMemory", traces=[assets.trace_path("sine-lstm-seed")], output=out)
    assert list(tmp_path.iterdir()) == []


# -- LongRange --------------------------------------------------------------------------------

def test_long_range_puts_the_rnn_on_top_and_shows_the_distances_at_the_pronouns(rnn_long, make):
    scene = make(LongRange, lang="en")
    assert scene.names == ["RNN", "LSTM"]
    assert [u.state for u in scene.units] == ["h", "c"]
    assert scene.units[0].numbers == rnn_long.meta["units_found"]["gender"]["units"]
    slots = scene.passage.slots
    far = [s for s in slots if s.distance > 50]
    assert [(s.distance, scene.passage.words[s.clue], s.answer) for s in far] == [(63, "she", "she"), (63, "he", "he")], \
        "each subject's later pronoun, 60 filler tokens after its first"
    assert all(s.distance <= 3 for s in slots if s not in far), "the first pronouns and the objects' her/him are close"
    rnn, lstm = (p.slots for p in scene.passages)
    assert all(s.right for s in lstm)
    assert all(s.right for s in rnn if s.distance <= 10), "the RNN is right when the clue is close"
    she, he = (s.p_she for s in rnn if s.distance > 50)
    assert abs(she - he) < 0.1, "far from the clue the RNN says the same whoever the subject is: a guess"


def test_long_range_concludes_from_the_measured_accuracy_by_distance(rnn_long, lstm_long, make):
    rnn = verdict(rnn_long.meta["metrics"])
    assert rnn.key == "short"
    far = list(rnn_long.meta["metrics"]["accuracy_by_distance"].values())[1:]
    assert (rnn.lo, rnn.hi) == (min(far), max(far)), "the range said is that of the far buckets"
    assert verdict(lstm_long.meta["metrics"]).key == "carries"
    assert verdict({"accuracy_by_distance": {"1-10": 0.55, "91-100": 0.5}}).key == "chance"
    assert verdict({"accuracy_by_distance": {"1-10": 0.95, "11-20": 0.8, "91-100": 0.55}}).key == "fades"
    assert verdict({}) is None
    scene = make(LongRange, lang="en")
    text = scene.verdict_text([verdict(t.meta["metrics"]) for t in scene.traces])
    assert text.startswith("Same training budget (tuned preset): ")
    assert (f"RNN is right when the clue is close (1.00 at 1–10), at chance beyond it "
            f"({fmt(min(far))}–{fmt(max(far))})") in text
    near = list(lstm_long.meta["metrics"]["accuracy_by_distance"].values())
    lo, hi = fmt(min(near)), fmt(max(near))
    assert f"LSTM carries the subject over every distance up to 100 ({lo}–{hi})" in text or (
        lo == hi and f"LSTM carries the subject over every distance up to 100 ({lo})" in text)
    zh = make(LongRange, lang="zh").verdict_text([verdict(t.meta["metrics"]) for t in scene.traces])
    assert "随机猜测" in zh and "100" in zh


def test_long_range_refuses_wrong_traces_in_one_line(tmp_path, make):
    out = tmp_path / "x.png"
    with pytest.raises(ExplainerError, match="different passages"):
        make(LongRange, traces=[assets.trace_path("language-rnn"), assets.trace_path("language-lstm-long")])
    with pytest.raises(ExplainerError, match="reads 2 trace"):
        render("LongRange", traces=[assets.trace_path("language-lstm-long")], output=out)
    with pytest.raises(ExplainerError, match="language"):
        sine = [assets.trace_path("sine-rnn-seed"), assets.trace_path("sine-lstm-seed")]
        render("LongRange", traces=sine, output=out)
    assert [p.name for p in tmp_path.iterdir()] in ([], ["media"])


# -- one real render each ------------------------------------------------------------------------

@pytest.mark.parametrize("name,lang", [("PronounMemory", "zh"), ("LongRange", "en")])
def test_the_scene_renders_its_last_frame(name, lang, tmp_path):
    from PIL import Image

    out = render(name, lang=lang, output=tmp_path / f"{name}.png", resolution=(192, 108))
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (108, 192, 3)
    assert (image < 128).mean() > 0.01, "something is drawn on the white background"
    assert list(tmp_path.iterdir()) == [out]
