"""The lecture's claims: measured on the models it shows, checked before anything is rendered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from explainer import ExplainerError
from explainer.claims import CLAIMS, Measurements, check, claims_of, fill
from explainer.lecture import make_lecture
from explainer.lecture.claimed import checked_narration
from explainer.lecture.narration import load_narration
from explainer.lecture.plan import FULL, Chapter
from explainer.training import preset_config, train

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def test_every_claim_of_the_full_lecture_holds_for_the_shipped_models():
    verdicts = check(claims_of(c.id for c in FULL), Measurements())
    assert verdicts, "the lecture makes measured claims"
    assert [v.claim.name for v in verdicts if not v.holds] == []


def test_every_claim_belongs_to_a_chapter_of_the_lecture_and_says_it_in_both_languages():
    ids = {c.id for c in FULL}
    for c in CLAIMS:
        assert c.chapter in ids, c.name
        assert c.says["en"] and c.says["zh"], c.name
    assert len({c.name for c in CLAIMS}) == len(CLAIMS), "claim names are unique"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_narration_numbers_come_from_the_measurements(lang):
    lines = load_narration(lang, required=[c.id for c in FULL])
    filled, _ = checked_narration(lines, [c.id for c in FULL], lang)
    text = "\n".join(line for block in filled.values() for line in block)
    assert "{" not in text, "every placeholder is filled"
    m = Measurements()
    assert fill("{language.rnn.short:%}", m) in "\n".join(filled["long-term"])
    assert fill("{language.rnn.long_max}", m) in "\n".join(filled["long-term"])


def test_an_unknown_measurement_is_one_line_naming_the_chapter():
    with pytest.raises(ExplainerError, match=r"^chapter 'long-term' of the narration: unknown measurement "
                                             r"\{language\.rnn\.bogus\}; known forms: "):
        checked_narration({"long-term": ["the RNN is {language.rnn.bogus}"]}, ["long-term"], "en")


@pytest.fixture(scope="module")
def broken_assets(tmp_path_factory):
    """The shipped assets, but with an LSTM trained for 5 updates: it cannot be right at every distance."""
    root = tmp_path_factory.mktemp("assets")
    for folder in ("checkpoints", "traces"):
        (root / folder).mkdir()
        for f in (ASSETS / folder).iterdir():
            (root / folder / f.name).symlink_to(f)
    (root / "checkpoints" / "language-lstm.safetensors").unlink()
    train(preset_config("language", "lstm", iters=5)).save(root / "checkpoints" / "language-lstm.safetensors")
    return root


def test_a_model_that_breaks_a_claim_makes_the_lecture_refuse_naming_it(broken_assets, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_ASSETS", str(broken_assets))
    out = tmp_path / "lecture"
    plan = [Chapter("long-term", "figure", "distance")]
    with pytest.raises(ExplainerError) as e:
        make_lecture(out, plan=plan, quality="l", jobs=1, resolution=(64, 36))
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith("chapter 'long-term': the claim 'lstm-right-everywhere' "
                              "(\"the LSTM is right at every distance\") is false for these models: "
                              "language.lstm.lowest = 0.")
    assert "needs >= 0.95" in message and "--mark-false-claims" in message
    assert not out.exists() or not any(out.iterdir()), "nothing is written"


def test_marked_false_claims_are_said_on_screen(broken_assets, monkeypatch):
    monkeypatch.setenv("EXPLAINER_ASSETS", str(broken_assets))
    lines = load_narration("zh", required=[c.id for c in FULL])
    filled, verdicts = checked_narration(lines, ["long-term"], "zh", mark=True)
    assert [v.claim.name for v in verdicts if not v.holds] == ["lstm-right-everywhere"]
    assert filled["long-term"][-1].startswith("⚠ 与所示模型不符：LSTM 在每个距离上都是对的（language.lstm.lowest = 0.")


def test_the_cli_lists_the_claims_and_exits_non_zero_on_a_false_one(broken_assets):
    env = {**os.environ, "EXPLAINER_ASSETS": str(broken_assets)}
    explainer = Path(sys.executable).parent / "explainer"
    run = subprocess.run([str(explainer), "lecture", "--claims"], capture_output=True, text=True,
                         env=env)
    assert run.returncode == 1
    assert "FALSE  long-term      lstm-right-everywhere" in run.stdout
    assert "holds  long-term      rnn-right-when-close    " in run.stdout
    assert "Traceback" not in run.stderr
