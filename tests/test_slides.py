"""`explainer slides`: a lecture as an offline reveal.js deck and a PPTX, one slide per beat, figure and card.

One tiny lecture (a card, a figure, the shortest scene) is made once at 160 x 90 and read
by every test: in headless Chromium (slides, the right arrow, every video, no network),
with python-pptx (slides and notes), and against the lecture's own cues (claims filled
exactly as `explainer lecture` fills them).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser import browser, open_page  # noqa: F401
from cli_checks import one_line_error, run

SIZE = (160, 90)
SCENE = "CellUpdate"  # the shortest registered scene (2 beats)
TINY = f"""
[lecture]
title = "A tiny lecture"

[[chapter]]
id = "hello"
kind = "card"
say.en = ["Slides <for> teaching & more.", "A second line."]
say.zh = ["给课堂用的幻灯片。", "第二行。"]

[[chapter]]
id = "sine"
kind = "figure"
figure = "data"
say.en = ["The tuned RNN has {{sine.rnn.tuned.hidden_size}} hidden units."]
say.zh = ["调优后的 RNN 有 {{sine.rnn.tuned.hidden_size}} 个隐藏神经元。"]

[[chapter]]
id = "cell"
kind = "scene"
scene = "{SCENE}"
say.en = ["First cue of the cell.", "Second cue.", "Third cue."]
say.zh = ["第一句。", "第二句。", "第三句。"]
"""
READY = "window.Reveal && Reveal.isReady()"


@pytest.fixture(autouse=True)
def tiny_slides(monkeypatch):
    """Every slide render of the CLI at 160 x 90 (the quality's frame rate and everything else unchanged)."""
    from explainer.slides import build

    monkeypatch.setattr(build, "_pixels", lambda chosen: SIZE)


@pytest.fixture(scope="module")
def lecture_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("doc") / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def made(lecture_file, tmp_path_factory):
    """The tiny lecture's slides, made once on two dask workers: (result, the lecture's filled cues in English)."""
    from explainer.lecture import load_document
    from explainer.lecture.claimed import checked_narration
    from explainer.slides import make_slides

    out = tmp_path_factory.mktemp("slides") / "deck"
    result = make_slides(out, plan=lecture_file, lang="en", quality="l", resolution=SIZE, jobs=2)  # on 2 dask workers
    lecture = load_document(lecture_file)
    cues, _ = checked_narration(lecture.lines("en"), [c.id for c in lecture.chapters], "en")
    return result, cues


@pytest.fixture(scope="module")
def beats() -> int:
    from animations.base import count_beats
    from animations.inputs import resolve
    from animations.registry import get

    spec = get(SCENE)
    inputs = resolve(spec, None, "en", {})
    return count_beats(lambda: spec.cls(inputs))


def _deck(browser, made):  # noqa: F811
    return open_page(browser, made[0].deck, ready=READY)


# -- the deck -------------------------------------------------------------------------------
def test_the_deck_has_a_slide_per_beat_per_figure_and_per_card(browser, made, beats):  # noqa: F811
    result, _ = made
    _deck(browser, made)
    assert browser.execute_script("return Reveal.getTotalSlides()") == beats + 1 + 1 == result.deck_slides
    assert result.chapters == [("hello", "card", 1), ("sine", "figure", 1), ("cell", "scene", beats)]


def test_the_right_arrow_goes_to_the_next_slide(browser, made):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _deck(browser, made)
    assert browser.execute_script("return Reveal.getIndices().h") == 0
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    deadline = time.monotonic() + 10
    while browser.execute_script("return Reveal.getIndices().h") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert browser.execute_script("return Reveal.getIndices().h") == 1


def test_every_video_of_the_deck_plays(browser, made, beats):  # noqa: F811
    _deck(browser, made)
    total = browser.execute_script("return Reveal.getTotalSlides()")
    durations = []
    for index in range(total):
        browser.execute_script(f"Reveal.slide({index})")
        deadline, duration = time.monotonic() + 15, None
        while duration is None and time.monotonic() < deadline:
            duration = browser.execute_script("""
                const video = Reveal.getSlideBackground(Reveal.getIndices().h).querySelector('video');
                if (!video) return 'still';
                return video.readyState >= 1 ? video.duration : null;""")
            time.sleep(0.05)
        durations.append(duration)
    videos = [d for d in durations if d != "still"]
    assert durations[1] == "still"  # the figure
    assert len(videos) == 1 + beats and all(isinstance(d, (int, float)) and d > 0 for d in videos), durations


def test_the_deck_loads_nothing_from_the_network(browser, made):  # noqa: F811
    _deck(browser, made)
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    linked = browser.execute_script(
        "return [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))")
    playing = browser.execute_script("return [...document.querySelectorAll('video')].map(v => v.currentSrc.slice(0, 5))")
    assert fetched == [] and [u for u in linked if re.match(r"^(https?:)?//", u)] == []
    assert playing and set(playing) == {"data:"}
    page = made[0].deck.read_text(encoding="utf-8")
    assert not re.search(r'<(?:script|link|img|source|video)[^>]*(?:src|href)="(?:https?:)?//', page)
    backgrounds = re.findall(r'data-background-(?:video|image)="([^"]{0,5})', page)
    assert len(backgrounds) == made[0].deck_slides and set(backgrounds) == {"data:"}  # every video and still inside


def test_the_deck_is_marked_as_explainers(made):
    from explainer.ownership import mark

    assert mark(made[0].deck) == "html"


def test_the_speaker_notes_are_the_cues_of_each_beat(browser, made, beats):  # noqa: F811
    from explainer.slides.notes import notes_per_beat

    _, cues = made
    _deck(browser, made)
    notes = browser.execute_script(
        "return Reveal.getSlides().map(s => { const n = s.querySelector('aside.notes'); return n ? n.textContent : ''; })")
    expected = ["\n\n".join(cues["hello"]), cues["sine"][0]]
    expected += ["\n\n".join(n) for n in notes_per_beat(cues["cell"], beats)]
    assert [" ".join(n.split()) for n in notes] == [" ".join(n.split()) for n in expected]
    assert "Slides <for> teaching & more." in notes[0]  # shown as written (the page escapes it for Markdown)
    assert re.search(r"has \d+ hidden units", cues["sine"][0]) and "{" not in notes[1]  # the claim filled


# -- the PPTX -------------------------------------------------------------------------------
def test_the_pptx_has_the_same_slides_with_the_cues_as_notes(made):
    import pptx

    result, cues = made
    deck = pptx.Presentation(str(result.pptx))
    assert len(deck.slides) == result.pptx_slides == result.deck_slides
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in deck.slides]
    for cue in [c for chapter in ("hello", "sine", "cell") for c in cues[chapter]]:
        assert any(cue in n for n in notes), cue
    assert cues["sine"][0] in notes[1]


# -- the command ----------------------------------------------------------------------------
def test_a_missing_lecture_file_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    one_line_error(run("slides", tmp_path / "nope.toml", "-o", tmp_path / "out"), r"no lecture file .*nope\.toml")
    assert not (tmp_path / "out").exists()


def test_an_unknown_chapter_kind_is_refused_in_one_line(tmp_path):
    doc = tmp_path / "bad.toml"
    doc.write_text('[[chapter]]\nid = "x"\nkind = "poster"\nsay.en = ["Hi."]\n', encoding="utf-8")
    one_line_error(run("slides", doc, "-o", tmp_path / "out"), r"unknown kind 'poster'")
    assert not (tmp_path / "out").exists()


def test_a_bad_number_of_jobs_is_refused_before_anything_is_written(tmp_path, lecture_file):
    one_line_error(run("slides", lecture_file, "--jobs", "0", "-o", tmp_path / "out"), r"--jobs must be between 1 and 64")
    assert not (tmp_path / "out").exists()


def test_a_bad_language_is_refused(tmp_path, lecture_file):
    result = run("slides", lecture_file, "--lang", "fr", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "'fr' is not one of" in result.output
    assert not (tmp_path / "out").exists()


def test_a_users_file_in_the_directory_is_kept_without_force(tmp_path):
    doc = tmp_path / "card.toml"
    doc.write_text('[[chapter]]\nid = "only"\nkind = "card"\nsay.en = ["Just a card."]\nsay.zh = ["只有一张卡片。"]\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "slides.html").write_text("my own deck", encoding="utf-8")
    one_line_error(run("slides", doc, "-o", out), r"slides\.html' was not made by explainer.*--force")
    assert (out / "slides.html").read_text(encoding="utf-8") == "my own deck"
    assert not (out / "slides.pptx").exists()
    made = run("slides", doc, "-o", out, "--force")
    assert made.exit_code == 0, made.output
    assert re.search(r"deck: .*slides\.html \(1 slides\)", made.output)
    assert re.search(r"pptx: .*slides\.pptx \(1 slides\)", made.output)
    again = run("slides", doc, "-o", out)  # now explainer's own: replaced without --force
    assert again.exit_code == 0, again.output


# -- the scenes as slides, and as they were ------------------------------------------------------
def _frames(path: Path) -> int:
    import av

    with av.open(str(path)) as video:
        return sum(1 for _ in video.decode(video=0))


def test_a_scene_as_slides_shows_the_frames_of_its_ordinary_render_cut_at_its_beats(made, beats, tmp_path):
    import base64

    from animations import render

    plain = render(SCENE, quality="l", output=tmp_path / "plain.mp4", resolution=SIZE)
    page = made[0].deck.read_text(encoding="utf-8")
    videos = re.findall(r'data-background-video="data:video/mp4;base64,([^"]+)"', page)[-beats:]  # the scene's
    frames = 0
    for k, data in enumerate(videos):
        (tmp_path / f"{k}.mp4").write_bytes(base64.b64decode(data))
        frames += _frames(tmp_path / f"{k}.mp4")
    assert len(videos) == beats and frames == _frames(plain)


def test_ordinary_rendering_never_imports_manim_slides():
    code = ("import sys, animations, animations.base, animations.render; from animations.registry import specs; "
            "specs(); print('manim_slides' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_plain_manim_slides_render_works_on_the_scene_file(tmp_path):
    scene_file = Path(__file__).resolve().parents[1] / "animations" / "slide_scenes.py"
    done = subprocess.run([sys.executable, "-m", "manim_slides", "render", "-ql", "--fps", "5", "-r", "160,90",
                           str(scene_file), f"{SCENE}Slides"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    from manim_slides.config import PresentationConfig

    config = PresentationConfig.from_file(tmp_path / "slides" / f"{SCENE}Slides.json")
    assert len(config.slides) == 2 and all(Path(s.file).exists() for s in config.slides)
