"""The lecture: its chapter plan, narration files, subtitle timing, caching and interruption.

Rendering tests use a small plan (a card, a figure, a scene, a card) at a tiny resolution,
so they exercise every kind of chapter in seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explainer import ExplainerError
from explainer.lecture import load_narration, make_lecture
from explainer.lecture.narration import narration_text
from explainer.lecture.build import video_seconds
from explainer.lecture.plan import FULL, SHORT, Chapter, chapters
from explainer.lecture.timing import Cue, srt
from explainer.voice.cues import reading_time

TINY = (160, 90)
SMALL_PLAN = [c for c in FULL if c.id in ("title", "sine", "forget", "summary")]


def test_the_full_plan_tells_the_sources_story_in_order():
    assert [c.id for c in chapters("full")] == [
        "title", "sine", "unrolled", "code", "training", "predict", "windows", "multistep", "horizon", "shapes",
        "strategies", "long-term", "learning", "gradient-flow", "gradient", "lstm-cell", "forget", "input", "cell",
        "output", "pronoun", "long-range", "summary"]
    assert [c.id for c in SHORT] == ["title", "sine", "unrolled", "lstm-cell", "forget", "pronoun", "summary"]
    with pytest.raises(ExplainerError, match="unknown lecture plan 'tiny'"):
        chapters("tiny")


def test_every_chapter_draws_something_that_exists():
    from animations import scene_names
    from explainer import figures

    for c in FULL:
        if c.kind == "figure":
            assert c.content in figures.names()
        elif c.kind == "scene":
            assert c.content in scene_names()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_narration_files_cover_every_chapter(lang):
    lines = load_narration(lang, required=[c.id for c in FULL])
    assert list(lines) == [c.id for c in FULL]
    assert all(lines[c.id] for c in FULL)


def test_bad_narration_files_are_one_line_errors(tmp_path):
    path = tmp_path / "n.txt"
    cases = {
        "hello\n== title\nx\n": "line 1: text before the first chapter header",
        "== title\nx\n== title\ny\n": "chapter 'title' appears twice",
        "==\nx\n": "a chapter header needs a name",
        "== title\nx\n": "has no narration for chapter 'sine'",
    }
    for text, message in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ExplainerError, match=message):
            load_narration("en", path, required=["title", "sine"])
    path.write_text("# comment\n\n== title\nx\n== sine\ny\n== extra\nz\n", encoding="utf-8")
    with pytest.raises(ExplainerError, match="unknown chapter 'extra'"):
        load_narration("en", path, required=["title", "sine"])
    with pytest.raises(ExplainerError, match="no narration file"):
        load_narration("en", tmp_path / "missing.txt")


def test_silent_subtitles_give_time_to_read_one_after_another():
    from animations.beats import Timing, sequential
    from explainer.voice.cues import parse_voice, speak_cues

    assert reading_time("短句", "zh") == pytest.approx(1.8 + 0.25)
    assert reading_time("一" * 30, "zh") > reading_time("a" * 30, "en"), "Chinese reads fewer characters a second"
    lines = ["First line of the chapter.", "A second, somewhat longer line of narration."]
    silent = speak_cues({"sine": lines}, "en", parse_voice("none"))
    assert [c.audio for c in silent] == [None, None]
    starts, total = sequential([Timing(c.seconds) for c in silent])
    placed = [Cue(10.0 + t, 10.0 + t + c.seconds, c.text) for t, c in zip(starts, silent)]
    assert placed[0].start == 10.0 and placed[0].end < placed[1].start, "no overlap"
    assert placed[1].end - placed[1].start > placed[0].end - placed[0].start, "longer lines stay longer"
    assert total == pytest.approx(sum(reading_time(line, "en") for line in lines))
    text = srt(placed)
    assert text.startswith("1\n00:00:10,000 --> 00:00:") and "\n2\n" in text


def test_a_small_lecture_then_a_cached_rerun_then_a_changed_chapter(tmp_path):
    out = tmp_path / "lecture"
    first = make_lecture(out, lang="zh", plan=SMALL_PLAN, quality="l", jobs=1, resolution=TINY)
    assert first.rendered == ["title", "sine", "forget", "summary"]
    assert first.video.exists() and first.subtitles.exists() and first.ffmetadata.exists()
    index = json.loads(first.chapters.read_text(encoding="utf-8"))
    assert [c["id"] for c in index["chapters"]] == ["title", "sine", "forget", "summary"]
    assert index["chapters"][2]["title"] == "遗忘门"
    total = sum(video_seconds(out / c["video"]) for c in index["chapters"])
    assert video_seconds(first.video) == pytest.approx(total, abs=0.2)
    assert index["chapters"][-1]["end"] == pytest.approx(total, abs=0.01)
    assert [p.name for p in first.figures] == ["02-sine.png"]
    srt_text = first.subtitles.read_text(encoding="utf-8")
    assert "看见循环神经网络" in srt_text and srt_text.count(" --> ") == sum(
        len(v) for k, v in load_narration("zh").items() if k in ("title", "sine", "forget", "summary"))
    stamp = first.video.stat().st_mtime_ns

    again = make_lecture(out, lang="zh", plan=SMALL_PLAN, quality="l", jobs=1, resolution=TINY)
    assert again.rendered == [] and again.cached == ["title", "sine", "forget", "summary"]
    assert first.video.stat().st_mtime_ns == stamp, "nothing changed: the lecture is not even joined again"

    narration = tmp_path / "zh.txt"
    text = narration_text("zh")
    narration.write_text(text.replace("新的单元状态 = 保留下来的旧信息 + 新写入的信息。", "新的单元状态。")
                         .replace("遗忘门读取当前输入和上一时刻的隐藏状态。", "遗忘门看当前输入。"), encoding="utf-8")
    changed = make_lecture(out, lang="zh", plan=SMALL_PLAN, quality="l", jobs=1, resolution=TINY, narration=narration)
    assert changed.rendered == ["forget"], "only the chapter whose words changed"


@pytest.mark.parametrize("jobs", [1, 2], ids=["one process", "two dask workers"])
def test_interrupting_a_lecture_leaves_no_partial_files_and_the_next_run_continues(tmp_path, jobs):
    out = tmp_path / "lecture"
    ids = ("title", "forget", "input", "summary")
    script = tmp_path / "run.py"
    script.write_text(
        "from explainer.lecture import make_lecture\n"
        "from explainer.lecture.plan import FULL\n"
        "if __name__ == '__main__':\n"
        f"    plan = [c for c in FULL if c.id in {ids!r}]\n"
        f"    make_lecture({str(out)!r}, plan=plan, quality='l', jobs={jobs}, resolution={TINY!r}, voice='none')\n")
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None and not list((out / "chapters").glob("*.json")):
        time.sleep(0.05)
    time.sleep(0.5)  # now in the middle of the next chapter(s)
    assert proc.poll() is None, f"the run ended before it was interrupted:\n{errors.read_text()[-2000:]}"
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=90)
    assert proc.returncode != 0, "it was interrupted"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert leftovers == [], f"partial files left behind: {leftovers}"
    assert not (out / "lecture.mp4").exists()
    done_before = {p.stem.split("-", 1)[1] for p in (out / "chapters").glob("*.json")}
    assert done_before and done_before < set(ids)
    plan = [c for c in FULL if c.id in ids]
    result = make_lecture(out, plan=plan, quality="l", jobs=jobs, resolution=TINY, voice="none")
    assert set(result.rendered) == set(ids) - done_before
    assert result.video.exists()


def test_a_scene_chapter_passes_its_options_to_the_scene_and_never_reads_the_environment(tmp_path, monkeypatch):
    import importlib

    from manim import tempconfig

    from explainer.lecture.build import Job, render_chapter

    made = []

    class Stop(Exception):
        pass

    def capture(make, name, **kwargs):
        made.append(make)
        raise Stop  # before rendering

    monkeypatch.setattr(importlib.import_module("animations.render"), "render_scene", capture)
    monkeypatch.setenv("EXPLAINER_STEP", "999")
    chapter = Chapter("forget", "scene", "ForgetGate", options={"step": 5, "units": [7, 0]})
    job = Job(1, chapter, "en", "l", ("line",), "key", TINY, str(tmp_path / "v.mp4"), str(tmp_path / "r.json"), None, ())
    with pytest.raises(Stop):
        render_chapter(job)
    with tempconfig({"media_dir": str(tmp_path / "media")}):
        scene = made[0]()
    assert scene.t == 5 and scene.numbers == [7, 0]


def test_a_scene_chapter_with_an_option_its_scene_does_not_read_is_refused_before_anything_is_written(tmp_path):
    plan = [Chapter("multistep", "scene", "SinePrediction", options={"step": 3})]
    with pytest.raises(ExplainerError, match=r"^scene SinePrediction takes no --step; it takes: \(none\)$"):
        make_lecture(tmp_path / "lecture", plan=plan, quality="l", jobs=1, resolution=TINY)
    assert not (tmp_path / "lecture").exists()


def test_bad_arguments(tmp_path):
    with pytest.raises(ExplainerError, match="unknown quality 'x'"):
        make_lecture(tmp_path, quality="x")
    with pytest.raises(ExplainerError, match="--jobs must be between 1 and 64"):
        make_lecture(tmp_path, jobs=0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExplainerError, match="it is a file; give a directory"):
        make_lecture(tmp_path / "file")
    with pytest.raises(ExplainerError, match="does not exist"):
        make_lecture(tmp_path / "no" / "dir")
    os.chmod(tmp_path, 0o700)


def test_a_card_of_one_line_renders_its_title_alone(tmp_path):
    from animations.render import render_scene
    from animations.slides import Card

    out = render_scene(lambda: Card(["Only a title"], "en", 1.0), "card", quality="l",
                       output=tmp_path / "card.mp4", fps=10, resolution=(64, 36))
    assert out.stat().st_size > 0
