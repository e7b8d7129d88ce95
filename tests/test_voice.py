"""The narration's voice: each cue spoken offline by espeak-ng 1.52, at one loudness, once.

These check what a listener depends on without listening: English and Mandarin cues give
audio of a plausible length with word starts in order inside it, every cue plays at the
same level, the engine is the bundled 1.52 (not Debian's 1.51), and a second request for
the same cue reads the cache instead of speaking again.
"""

from __future__ import annotations

import numpy as np
import pytest

from explainer import voice
from explainer.errors import ExplainerError
from explainer.voice import CueCache, Speech, rms_dbfs, speak

EN = "When the new name arrives, the forget gate half closes."
ZH = "新名字出现时，它们的遗忘门关上一半，其余的记忆保持打开。"


@pytest.mark.parametrize("lang,text,words", [("en", EN, 10), ("zh", ZH, 20)])
def test_a_cue_is_spoken_with_its_words_timed_in_order(lang, text, words):
    s = speak(text, lang, cache=None)
    assert s.rate == 22050 and s.samples.dtype == np.float32
    assert 1.0 < s.seconds < 12.0, "a sentence takes seconds to say"
    starts = [w.start for w in s.words]
    assert len(starts) >= words * 0.8, "espeak reports (nearly) every word"
    assert starts == sorted(starts) and 0 <= starts[0] and starts[-1] < s.seconds
    assert all(text[w.at:w.at + len(w.text)] == w.text for w in s.words), "each word points at its characters"


def test_every_cue_plays_at_the_same_loudness_and_never_clips():
    levels = [rms_dbfs(speak(t, lang, cache=None).samples) for lang, t in (("en", EN), ("zh", ZH), ("en", "Yes."))]
    assert max(levels) - min(levels) < 1.0
    assert all(abs(level - voice.TARGET_DBFS) < 1.0 for level in levels)
    assert float(np.abs(speak(EN, "en", cache=None).samples).max()) <= 0.97 + 1e-6


def test_the_engine_is_the_bundled_espeak_ng_1_52():
    assert voice.engine_version().startswith("espeak-ng 1.52")


def test_a_second_request_for_the_same_cue_reads_the_cache(tmp_path, monkeypatch):
    from explainer.voice import espeak

    cache = CueCache(tmp_path)
    spoken = []
    real = espeak.synthesize
    monkeypatch.setattr(espeak, "synthesize", lambda text, v: spoken.append(text) or real(text, v))
    first = speak(EN, "en", cache=cache)
    again = speak(EN, "en", cache=cache)
    assert spoken == [EN], "the second run makes no audio"
    np.testing.assert_allclose(again.samples, first.samples, atol=1 / 32767)
    assert [w.start for w in again.words] == [w.start for w in first.words]
    speak(EN + " Again.", "en", cache=cache)
    speak(EN, "zh", cache=cache)
    assert spoken == [EN, EN + " Again.", EN], "another text or language is spoken anew"
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".json", ".json", ".wav", ".wav", ".wav"]


def test_a_damaged_cache_entry_is_spoken_again(tmp_path):
    cache = CueCache(tmp_path)
    key = cache.key(EN, "en-us", "en", voice.engine_version())
    speak(EN, "en", cache=cache)
    cache.path(key).write_bytes(b"not a wav")
    assert speak(EN, "en", cache=cache).seconds > 1.0


def test_a_saved_cue_loads_back_with_its_words(tmp_path):
    s = speak(EN, "en", cache=None)
    back = Speech.load(s.save(tmp_path / "cue.wav"))
    assert back.rate == s.rate and len(back.samples) == len(s.samples) and back.words == s.words


@pytest.mark.parametrize("call,message", [
    (lambda: speak(EN, "fr", cache=None), "the espeak voice speaks en, zh, not 'fr'"),
    (lambda: speak("  ", "en", cache=None), "has no text to speak"),
    (lambda: speak(EN, "en", engine="say", cache=None), "unknown voice engine 'say'; choose one of: espeak"),
])
def test_bad_requests_are_one_line(call, message):
    with pytest.raises(ExplainerError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_formula_symbols_are_said_as_words_and_the_subtitle_keeps_them():
    from explainer.voice.spoken import spoken_form

    assert spoken_form("f ≈ −0.14 at hₜ₋₁", "en") == "f about minus 0.14 at h t minus 1"
    assert spoken_form("σ 把它变成 fₜ", "zh") == "西格玛 把它变成 f t"
    said = speak("In: hₜ₋₁ and xₜ", "en", cache=None)
    assert [w.text for w in said.words] == ["In", "h", "t", "minus", "1", "and", "x", "t"]
