"""Readable at the lecture's default quality: every scene, both languages, measured from its mobjects.

The lecture renders at 720p30 by default (`explainer/quality.py`, quality "m"). There the
frame's 8 units are 720 px, and a viewer must be able to read every number and label.
What is measured, and how:

- Each registered scene (`animations.registry`, so a new scene is held to this too) is
  built for each language with its shipped traces and played through at 720p without
  drawing a pixel: Manim's renderer is told to draw nothing, and each animation is sampled
  at a few moments (`SAMPLES_PER_SECOND`, at least `MIN_SAMPLES` a play) instead of every frame.
- **Tall enough.** After every play and every wait, every text on screen is measured:
  Text and MarkupText, Paragraph and Code lines, the parts of an `Equation`, the numbers
  written inside a `StateVector`. Its height is its *cap height* (`animations.text.cap_height`):
  the height of a capital H or a digit in its font at the size it is drawn now (its font size,
  after every scaling), whatever letters it holds, so "ace" is not penalised for having no
  ascenders and "Hg" not favoured for its descender. For a StateVector it is the height of
  the digits in its cells. It must be at least 14 px (`animations.text.MIN_PX`) at 720p.
  "On screen": some part of it is visible (opacity above 2 %) and inside the frame.
- **Captions one at a time.** At every sampled moment, the captions visible together (those
  made by `TraceScene.caption`, and any other text lying wholly in the bottom band of the
  frame where captions go) must not overlap: their bounding boxes do not intersect. A
  crossfade, where the new caption fades in while the old one fades out, fails. Nor may a
  caption cover another word or number on screen (a caption wrapped onto two lines rises).
- **Not said twice.** Over the full lecture plan, in both languages, no caption of a scene
  chapter says what the narration of that chapter says in the subtitles (`same_words`):
  compared without case, spaces and punctuation, one contains the other or they share most
  of their text in runs; or most of the caption's words are the line's, in any order (words:
  English words but the commonest, no numbers; Chinese: pairs of neighbouring characters).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import pytest
from scene_watch import watch

from animations.registry import get, scene_names
from animations.text import MIN_PX

SAME_TEXT = 0.8
SAME_WORDS = 0.7
FEW_WORDS = 4
LANGS = ("en", "zh")


CASES = [(name, lang) for name in scene_names() for lang in LANGS]
IDS = [f"{n}-{lang}" for n, lang in CASES]


@pytest.mark.parametrize("name,lang", CASES, ids=IDS)
def test_every_number_and_label_is_at_least_14_px_tall_at_720p(name, lang):
    small = watch(name, lang).small
    worst = sorted(small)[:10]
    assert not small, (f"{name} ({lang}): {len(small)} texts under {MIN_PX} px at 720p, e.g. "
                       + "; ".join(f"{px} px “{text}” {when}" for px, text, when in worst))


@pytest.mark.parametrize("name,lang", CASES, ids=IDS)
def test_two_captions_never_overlap_on_screen(name, lang):
    seen = watch(name, lang)
    assert seen.samples > 0, "the scene was sampled while it played"
    assert seen.captions, f"{name} ({lang}) shows captions"
    assert not seen.overlaps, f"{name} ({lang}): captions overlap: " + "; ".join(
        f"“{a[:40]}” and “{b[:40]}” {when}" for a, b, when in seen.overlaps[:3])


@pytest.mark.parametrize("name,lang", CASES, ids=IDS)
def test_a_caption_never_covers_other_words_or_numbers(name, lang):
    covered = watch(name, lang).covered
    assert not covered, f"{name} ({lang}): a caption covers other text: " + "; ".join(
        f"“{a[:40]}” over “{b[:40]}” {when}" for a, b, when in covered[:3])


@pytest.mark.parametrize("name,lang", CASES, ids=IDS)
def test_a_formula_is_never_written_over_other_words(name, lang):
    clashes = watch(name, lang).clashes
    assert not clashes, f"{name} ({lang}): a formula overlaps other text: " + "; ".join(
        f"“{a[:40]}” over “{b[:40]}” {when}" for a, b, when in clashes[:3])


# -- not said twice ---------------------------------------------------------------------------------
def normal(text: str) -> str:
    """Text compared for sameness: NFKC, no case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


#: English words too common to count as saying the same thing.
STOP = set("a an the of to and or in on at is are it its this that these those by for with as be from what which each "
           "every one".split())


def words(text: str) -> set[str]:
    """The words a line says: English words but the commonest (no numbers: a number is news), and pairs of
    neighbouring Chinese characters (Chinese has no spaces; a pair is about a word)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out |= {run[i:i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return out | {w for w in re.findall(r"[a-z]+", text) if w not in STOP}


def same_words(caption: str, line: str) -> bool:
    """Whether a caption and a narration line say the same words: compared without case, spaces and
    punctuation, one contains the other or they share `SAME_TEXT` of the shorter one in runs of three
    characters or more; or `SAME_WORDS` of the caption's words (at least `FEW_WORDS` of them) are the line's."""
    a, b = normal(caption), normal(line)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= 8 and short in long:
        return True
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 3)
    if shared >= SAME_TEXT * len(short):
        return True
    said = words(caption)
    return len(said) >= FEW_WORDS and len(said & words(line)) >= SAME_WORDS * len(said)


def test_same_words_is_what_a_viewer_would_call_saying_it_twice():
    assert same_words("The forget gate decides what to drop.", "the forget gate decides what to drop")
    assert same_words("A tanh layer proposes candidate values C̃ …", "A tanh layer proposes new candidate values.")
    assert same_words("It reads the previous hidden state and the current input …",
                      "The forget gate reads the current input and the previous hidden state."), "reordered"
    assert same_words("它读取上一时刻的隐藏状态和当前输入……", "遗忘门读取当前输入和上一时刻的隐藏状态。")
    assert not same_words("Here f ≈ 0.05, 0.05, 0.00 on these units: dropped.", "The forget gate looks at the new input.")
    assert not same_words("In: hₜ₋₁ and xₜ, joined into one vector …",
                          "The forget gate looks at the new input and the previous hidden state.")
    assert not same_words("遗忘门关闭：f = 0.05。", "遗忘门读取当前输入和上一时刻的隐藏状态。")


def lecture_narration(lang: str) -> dict[str, list[str]]:
    """The narration as the subtitles say it: placeholders filled with the measured numbers."""
    from explainer.lecture import load_narration
    from explainer.lecture.plan import FULL

    lines = load_narration(lang)  # chapters beyond the plan's are others' work in progress: not read here
    try:
        from explainer.lecture.claimed import checked_narration
    except ImportError:
        return lines
    filled, _ = checked_narration(lines, [c.id for c in FULL], lang, mark=True)
    return filled


def chapter_inputs(chapter, traces_dir):
    from explainer.lecture.build import chapter_inputs as inputs

    return inputs(chapter, traces_dir)


def scene_chapters():
    from explainer.lecture.plan import FULL

    return [c for c in FULL if c.kind == "scene"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_caption_says_what_its_chapters_narration_says(lang):
    narration = lecture_narration(lang)
    twice = []
    for chapter in scene_chapters():
        traces, _ = chapter_inputs(chapter, None)
        seen = watch(chapter.content, lang, traces if chapter.assets else None, tuple(sorted(chapter.options.items())))
        for caption in seen.captions:
            for line in narration.get(chapter.id, []):
                if same_words(caption, line):
                    twice.append(f"{chapter.id}: caption “{caption}” / subtitle “{line}”")
    assert not twice, f"{len(twice)} captions say what the subtitles say ({lang}):\n" + "\n".join(twice)


def test_the_lecture_and_its_command_default_to_720p30():
    import inspect

    from click.testing import CliRunner

    from explainer.cli.main import cli
    from explainer.lecture import make_lecture
    from explainer.quality import QUALITIES

    assert inspect.signature(make_lecture).parameters["quality"].default == "m"
    assert QUALITIES["m"].label == "720p30"
    help_text = CliRunner().invoke(cli, ["lecture", "--help"]).output
    assert re.search(r"-q, --quality \[[lmhk|]+\]\s.*default:\s*m", " ".join(help_text.split())), help_text
