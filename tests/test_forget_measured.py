"""The forget gate, measured: what the pictures claim about the gender units is what the model does.

The measurement (`explainer.probes.forget`, stored with the discovered units) defines the
model's gender evidence, the explained units and step, each unit's sign, the forget gate's
selectivity and the forgets-or-overwrites share; the reading layer (`explainer.reading.forget`)
reads it back. These specifications check the definitions on the shipped LSTM and its traces,
and that the `forget-reset` figure and the ForgetGate and PronounMemory scenes show exactly
those numbers, signs and steps.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import torch
from manim import Text

from explainer import assets, figures, reading
from explainer.checkpoint import Checkpoint
from explainer.figures.forget_reset import ARROW, BOX
from explainer.probes import forget as probe
from explainer.reading import forget
from explainer.style import word
from explainer.tasks.language import PRONOUN_CLASSES, batch
from explainer.trace import Trace
from explainer.training.language import evaluation_passages

matplotlib.use("Agg")

TRACES = ["language-lstm", "language-lstm-long"]


@pytest.fixture(scope="module")
def lstm() -> Checkpoint:
    return Checkpoint.load(assets.checkpoint_path("language", "lstm"))


@pytest.fixture(scope="module")
def traces() -> dict[str, Trace]:
    return {name: Trace.load(assets.trace_path(name)) for name in TRACES}


@pytest.fixture
def make(tmp_path):
    """Build a scene (its words become Text) with Manim's caches in a temporary folder."""
    from manim import tempconfig

    def build(cls, trace_list=None, **kwargs):
        with tempconfig({"media_dir": str(tmp_path / "media")}):
            return cls.of(trace_list, **kwargs)
    return build


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def flipped(trace: Trace, unit: int) -> Trace:
    """The trace with one unit's stored correlation turned the other way round (its sign flips)."""
    entry = dict(trace.meta["units_found"]["gender"])
    corr = list(entry["all_correlations"])
    corr[unit] = -corr[unit]
    entry["all_correlations"] = corr
    entry["correlation"] = [corr[u] for u in entry["units"]]
    return Trace(dict(trace), {**trace.meta, "units_found": {"gender": entry}})


# -- the gender evidence -------------------------------------------------------------------------

@pytest.mark.parametrize("name", TRACES)
def test_the_evidence_is_the_readouts_he_minus_she_logit_difference_on_a_trace(traces, name):
    trace = traces[name]
    scores = trace["output"][0].astype(float)  # [time, answers]
    she, he = PRONOUN_CLASSES
    e = forget.evidence_of(trace)
    np.testing.assert_allclose(e, scores[:, he] - scores[:, she], rtol=1e-12)
    # ... and it is the sum of every unit's part w_u h_u plus the bias, from the stored readout direction
    everything = list(range(trace["layers.0.h"].shape[2]))
    parts = forget.contributions_of(trace, 0, everything)  # [time, units]
    _, bias = forget.readout_direction(trace)
    np.testing.assert_allclose(parts.sum(1) + bias, e, atol=2e-4)
    # P(she), as the task evaluates it, is the sigmoid of −e
    np.testing.assert_allclose(reading.Passage.of(trace, "en").p_she, 1 / (1 + np.exp(e)), rtol=1e-9)


def test_the_probe_reads_the_evidence_off_the_model_itself(lstm):
    passages = evaluation_passages(6)
    ids, _ = batch(passages)
    with torch.no_grad():
        scores = lstm.model(torch.from_numpy(ids)).double().numpy()  # [batch, time, answers]
        h, _ = lstm.model.states(torch.from_numpy(ids))
    direction, bias = probe.readout_direction(lstm.model)
    e = probe.evidence(h.double().numpy(), direction, bias)  # [batch, time]
    np.testing.assert_allclose(e, scores[..., 1] - scores[..., 0], atol=1e-4)


# -- the explained units and their signs ----------------------------------------------------------

def test_the_explained_units_carry_the_largest_shares_of_the_evidence_gap_before_a_subjects_pronoun(lstm):
    g = lstm.meta["units"]["gender"]
    gaps = np.asarray(g["all_evidence_gaps"])
    assert g["criterion"] == "evidence"
    assert g["units"] == [int(u) for u in np.argsort(-gaps, kind="stable")[:3]]
    assert sum(gaps) == pytest.approx(g["evidence_gap"])
    assert g["evidence_share"] == pytest.approx([gaps[u] / g["evidence_gap"] for u in g["units"]])
    # every gap is the unit's part of e's gap: the gaps add up to e's own he−she difference before a pronoun
    passages = evaluation_passages()[:g["passages"]]
    at = probe.Places(passages)
    ids, _ = batch(passages)
    with torch.no_grad():
        scores = lstm.model(torch.from_numpy(ids)).double().numpy()
    e = scores[..., 1] - scores[..., 0]
    assert e[at.he].mean() - e[at.she].mean() == pytest.approx(g["evidence_gap"], rel=1e-4)
    assert (g["questions"]["she"], g["questions"]["he"]) == (int(at.she.sum()), int(at.he.sum()))


def test_each_unit_reads_its_sign_from_its_own_correlation(traces):
    m = forget.measured(traces["language-lstm"])
    corr = traces["language-lstm"].meta["units_found"]["gender"]["all_correlations"]
    assert m.found.signs == [1 if corr[u] > 0 else -1 for u in m.found.numbers]
    assert forget.sign_words([1, -1], ("she", "he")) == [("she", "he"), ("he", "she")]
    # the readout agrees: a unit whose larger C says "she" pushes the evidence towards "she"
    direction, _ = forget.readout_direction(traces["language-lstm"])
    assert all(np.sign(direction[u]) == -s for u, s in zip(m.found.numbers, m.found.signs))


def test_the_figure_labels_every_unit_with_its_own_sign_and_follows_a_flipped_one(traces):
    trace = traces["language-lstm"]
    m = forget.measured(trace)
    u = m.found.numbers[1]
    for shown, expect in ((trace, m.found.signs), (flipped(trace, u), [s if v != u else -s for v, s in
                                                                        zip(m.found.numbers, m.found.signs)])):
        fig = figures.make("forget-reset", shown)
        labels = [line.get_label() for line in fig.axes[1].lines if not line.get_label().startswith("_")]
        assert len(labels) == len(m.found.numbers)
        for label, unit, sign in zip(labels, m.found.numbers, expect):
            assert label.startswith(f"unit {unit} (r = ")
            assert label.endswith("+ = “she”)" if sign > 0 else "+ = “he”)")


def test_pronoun_memory_legend_groups_the_units_by_their_own_sign(traces, make):
    from animations.pronoun_memory import PronounMemory

    trace = traces["language-lstm"]
    numbers = forget.measured(trace).found.numbers
    scene = make(PronounMemory, [trace])
    same = forget.sign_groups(numbers, scene.signs, ("she", "he"))
    assert len(same) == 1 and same[0][0] == numbers, "the shipped units all say the same thing with the same sign"
    mixed = make(PronounMemory, [flipped(trace, numbers[1])])
    groups = forget.sign_groups(numbers, mixed.signs, ("she", "he"))
    assert [g[0] for g in groups] == [[numbers[0], numbers[2]], [numbers[1]]]
    assert groups[0][1:] != groups[1][1:], "a flipped unit's legend says the other pronoun for the same colour"
    words = [m.text for m in mixed.sign_legend().get_family() if isinstance(m, Text)]
    assert any(str(numbers[1]) in w and str(numbers[0]) not in w for w in words)


def test_forget_gate_scene_says_what_c_above_zero_means_in_each_shown_unit(traces, make):
    from animations.lstm_gates import ForgetGate

    trace = flipped(traces["language-lstm"], forget.measured(traces["language-lstm"]).found.numbers[0])
    scene = make(ForgetGate, [trace])
    signs = forget.signs_of(trace, scene.numbers)
    legend = scene.sign_legend()
    groups = forget.sign_groups(scene.numbers, signs, ("she", "he"))
    assert len(legend) == len(groups) == 2
    for line, (units, pos, neg) in zip(legend, groups):
        said = "".join(m.text for m in line.get_family() if isinstance(m, Text))
        want = scene.w("forget.say.signs", units=forget.units_label(units, "en"), pos=pos, neg=neg)
        assert "".join(said.split()) == "".join(want.split())


# -- the explained step ----------------------------------------------------------------------------

def test_the_explained_step_is_where_the_evidence_moves_most_towards_the_new_gender(lstm, traces):
    change = lstm.meta["units"]["gender"]["change"]
    toward = change["toward_new"]
    assert change["explained_step"] == ("name" if toward["name"] >= toward["gender_word"] else "gender_word")
    assert probe.explained_step({"name": 1.0, "gender_word": 2.0}) == "gender_word"
    assert probe.explained_step({"name": 2.0, "gender_word": 1.0}) == "name"
    for trace in traces.values():
        t = forget.explained_step(trace)
        ev = reading.events(trace)
        assert t == (ev.new_subjects[0] if change["explained_step"] == "name" else ev.new_gender_words[0])
        assert reading.default_step(trace) == t, "every picture of one step explains the measured step"
        e = forget.evidence_of(trace)
        assert np.sign(e[t - 1]) != np.sign(e[t]), "the shipped passages' evidence flips at the explained step"


@pytest.mark.parametrize("name", TRACES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_figures_title_arrow_and_box_point_at_the_same_step(traces, name, lang):
    trace = traces[name]
    t = forget.explained_step(trace)
    label = reading.step_label(trace, t, lang)
    fig = figures.make("forget-reset", trace, lang=lang)
    assert f"“{label}”" in fig._suptitle.get_text()
    boxes = [p for ax in fig.axes for p in ax.patches if p.get_gid() == BOX]
    assert len(boxes) == 3
    for box in boxes:  # an axvspan: x in data, y across the whole panel
        assert box.get_x() + box.get_width() / 2 == pytest.approx(t)
    arrows = [a for ax in fig.axes for a in ax.texts if a.get_gid() == ARROW]
    assert len(arrows) == 1 and arrows[0].xy[0] == t
    assert f"“{label}”" in arrows[0].get_text()
    f = trace["layers.0.gates.f"][0, t, forget.measured(trace).found.columns]
    assert reading.numbers(f, sep="、" if lang == "zh" else ", ") in arrows[0].get_text()


# -- selectivity, forgets or overwrites -------------------------------------------------------------

def test_selectivity_is_the_mean_forget_gate_at_each_place(lstm):
    g = lstm.meta["units"]["gender"]
    passages = evaluation_passages()[:g["passages"]]
    at = probe.Places(passages)
    ids, _ = batch(passages)
    trace = __import__("explainer").record(lstm.model, torch.from_numpy(ids), names=["layers.0.gates.f"])
    f = trace["layers.0.gates.f"].astype(float)  # [batch, time, units]
    others = [u for u in range(f.shape[-1]) if u not in g["units"]]
    for place, mask in (("before", at.before), ("name", at.name), ("gender_word", at.gender_word),
                        ("elsewhere", at.elsewhere)):
        assert g["forget"]["units"][place] == pytest.approx(f[..., g["units"]][mask].mean())
        assert g["forget"]["others"][place] == pytest.approx(f[..., others][mask].mean())
        assert g["forget"]["steps"][place] == int(mask.sum())
    assert g["forget_at_new_subject"] == g["forget"]["units"]["name"]


def test_reset_and_write_make_up_the_change_of_c_and_their_shares_add_to_one(traces):
    trace = traces["language-lstm"]
    c, f, i, g = (trace[n][0].astype(float) for n in ("layers.0.c", "layers.0.gates.f", "layers.0.gates.i",
                                                       "layers.0.gates.g"))
    reset, write = probe.reset_and_write(c[:-1], f[1:], i[1:], g[1:])
    np.testing.assert_allclose(c[:-1] + reset + write, c[1:], atol=1e-5)
    share = probe.reset_share(reset, write)
    change = reset + write
    assert share + probe.reset_share(write, reset) == pytest.approx(1.0)
    assert share == pytest.approx((reset * change).sum() / (change * change).sum())
    assert probe.reset_share(np.array([1.0]), np.array([0.0])) == 1.0  # all forgetting
    assert probe.reset_share(np.array([0.0]), np.array([2.0])) == 0.0  # all writing
    assert reading.change_verdict(0.8) == "forgets" and reading.change_verdict(0.1) == "overwrites"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_selectivity_numbers_are_what_the_figure_prints(traces, lang):
    trace = traces["language-lstm"]
    m = forget.measured(trace)
    t = forget.explained_step(trace)
    fig = figures.make("forget-reset", trace, lang=lang)
    bars = fig.axes[3]  # the right-hand panels: selectivity bars, then the shares
    printed = [x.get_text() for x in bars.texts]
    wanted = [reading.number(v) for values in (m.selectivity.units, m.selectivity.others)
              for v in (values[p] for p in ("before", "name", "gender_word", "elsewhere"))]
    assert printed == wanted
    heights = [p.get_height() for p in bars.patches if p.get_height() > 0]
    assert heights == pytest.approx([m.selectivity.units[p] for p in ("before", "name", "gender_word", "elsewhere")]
                                    + [m.selectivity.others[p] for p in ("before", "name", "gender_word", "elsewhere")])
    shares = [x.get_text() for x in fig.axes[4].texts]
    here = forget.step_share(trace, 0, m.found.columns, t)
    for value in (m.change.share, 1 - m.change.share, here, 1 - here):
        assert forget.percent(value) in shares
    verdict = word(f"forget.verdict.{m.change.verdict}", lang)
    squeeze = lambda text: "".join(text.split())  # noqa: E731  (the figure wraps it onto lines)
    assert verdict and squeeze(verdict) in [squeeze(x) for x in texts(fig)]
    # the scenes say the same numbers: one formatting, read from the same measurement
    said = forget.said(m, lang)["selectivity"]
    assert [said[k] for k in ("before", "at", "elsewhere", "others")] == [
        reading.number(m.selectivity.units["before"]), reading.number(m.selectivity.units[m.change.step]),
        reading.number(m.selectivity.units["elsewhere"]), reading.number(m.selectivity.others[m.change.step])]


def test_units_chosen_by_hand_are_not_given_the_discovered_units_numbers(traces):
    trace = traces["language-lstm"]
    found = forget.measured(trace).found.numbers
    others = [u for u in range(32) if u not in found][:2]
    fig = figures.make("forget-reset", trace, units=others)
    words = " ".join(texts(fig))
    assert "the measured means are of" in words
    assert reading.number(forget.measured(trace).selectivity.units["name"]) not in [
        t.get_text() for ax in fig.axes for t in ax.texts]


def test_the_stored_measurement_is_what_the_probe_measures_on_the_checkpoint(lstm):
    g = lstm.meta["units"]["gender"]
    again = probe.measure(lstm.model, evaluation_passages()[:g["passages"]])
    assert again["units"] == g["units"] and again["change"]["explained_step"] == g["change"]["explained_step"]
    for part in ("forget", "change"):
        for key, values in g[part].items():
            if isinstance(values, dict):
                assert again[part][key] == pytest.approx(values, rel=1e-6), (part, key)
