"""Lecture files: the lecture as a TOML document a lecturer edits, checked line by line, rendered chapter by chapter.

The built-in lectures are two such files; `--init` writes an editable copy that reads back
as the same lecture; a lecturer's own file reorders, drops and adds chapters (their own card,
a code panel, a scene of their own sentence); every fault is one line naming the file and
the chapter; a changed cue re-renders its chapter only.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import av
import pytest
from click.testing import CliRunner

from explainer import ExplainerError
from explainer.cli.main import cli
from explainer.lecture import make_lecture
from explainer.lecture.document import built_in, load_document
from explainer.lecture.init import write_document

TINY = (160, 90)
SENTENCE = "Carol is a female doctor , she loves music ; David is a male cook , he walks the dog ; then he"

MINE = f'''
[lecture]
title = "My lecture"
base = "full"

[[chapter]]
id = "welcome"
kind = "card"
style = "title"
say.en = ["Welcome to my lecture", "Today: one LSTM, one sentence of mine."]
say.zh = ["欢迎来到我的讲座", "今天：一个 LSTM，一句我自己的话。"]

[[chapter]]
id = "loop"
title = "The training loop"
kind = "code"
code = """
for x, y in windows:
    loss = mse(model(x), y)
    loss.backward()
"""
say.en = ["The training loop, as we wrote it in class."]

[[chapter]]
id = "mine"
kind = "scene"
scene = "InputGate"
text = "{SENTENCE}"
say.en = ["My own sentence, read by the shipped LSTM."]
say.zh = ["我自己的句子，由这个 LSTM 读。"]

[[chapter]]
use = "sine"
'''


def test_the_built_in_lectures_are_lecture_files_with_cues_in_both_languages():
    full, short = built_in("full"), built_in("short")
    assert [c.id for c in short.chapters] == ["title", "sine", "unrolled", "lstm-cell", "forget", "pronoun", "summary"]
    assert all(full.cues[lang][c.id] for c in full.chapters for lang in ("en", "zh"))
    assert short.cues["zh"]["forget"] == full.cues["zh"]["forget"], "the short lecture takes the full one's chapters"
    assert (Path(__file__).parents[1] / "explainer" / "lecture" / "documents" / "full.toml").is_file()


@pytest.mark.parametrize("name", ["full", "short"])
def test_init_writes_an_editable_copy_that_reads_back_as_the_same_lecture(tmp_path, name):
    path, count = write_document(tmp_path / "my.toml", name)
    copy, original = load_document(path), built_in(name)
    assert count == len(original.chapters) and copy.chapters == original.chapters and copy.cues == original.cues
    assert "use =" not in path.read_text(encoding="utf-8"), "every chapter written out whole"
    with pytest.raises(ExplainerError, match="exists; pass --force"):
        write_document(path, name)


def test_init_from_the_command_line(tmp_path):
    result = CliRunner().invoke(cli, ["lecture", "--init", str(tmp_path / "mine.toml"), "--plan", "short"])
    assert result.exit_code == 0, result.output
    assert "(7 chapters)" in result.output and load_document(tmp_path / "mine.toml").chapters == built_in("short").chapters
    refused = CliRunner().invoke(cli, ["lecture", "--init", str(tmp_path / "mine.txt")])
    assert refused.exit_code != 0 and "a lecture file is TOML: name it 'mine.toml'" in refused.output


BAD = {
    "x = 1\n": "unknown key 'x' at the top",
    "[[chapter]]\nid = 'a'\nkind = 'slide'\n": "chapter 'a': unknown kind 'slide'; a chapter is a card, figure, scene or code",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'nope'\n": "chapter 'a': unknown figure 'nope'; figures: data,",
    "[[chapter]]\nid = 'a'\nkind = 'scene'\nscene = 'Nope'\n": "chapter 'a': unknown scene 'Nope'; scenes:",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'data'\nstep = 3\n": "figure data takes no step",
    "[[chapter]]\nid = 'a'\nkind = 'scene'\nscene = 'ForgetGate'\nfocus = 'f'\n": r"\(a scene\) has no key 'focus'",
    "[[chapter]]\nid = 'a'\nkind = 'scene'\nscene = 'ForgetGate'\ntrace = 'gone.safetensors'\n": "no trace 'gone.safetensors'",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'data'\n[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'loss'\n":
        "chapter id 'a' is used twice",
    "[[chapter]]\nid = 'a'\nkind = \n": r"is not valid TOML: .*line 3",
    "[[chapter]]\nuse = 'forget'\n": "needs a base lecture",
    "[[chapter]]\nid = 'a'\nkind = 'card'\n": "a card shows its cues",
    "[[chapter]]\nid = 'a'\nkind = 'code'\ncode = 'x = 1'\nlanguage = 'klingon'\n": "not a language Pygments colours",
    "[[chapter]]\nid = 'a'\nkind = 'scene'\nscene = 'SinePrediction'\ntext = 'Bob is'\n": "does not read one language trace",
    "[[chapter]]\nid = 'a'\nkind = 'card'\nsay.fr = ['x']\n": "say.fr is not a lecture language",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'text'\nfeature = 'nope'\n":
        "chapter 'a': figure text: this trace has no discovered 'nope' units; it has units for bracket",
    "[[chapter]]\nid = 'a'\nkind = 'scene'\nscene = 'CellText'\nunit = '1.c.999'\n": "scene CellText: .*holds no unit 999",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'text'\nfeature = 3\n": "feature is a discovered feature's name",
    "[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'data'\nunit = '0.h.1'\n": "figure data takes no unit",
}


@pytest.mark.parametrize("text,message", list(BAD.items()), ids=list(range(len(BAD))))
def test_a_bad_lecture_file_is_one_line_naming_the_file_and_the_chapter(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ExplainerError, match=message) as error:
            load_document(path)
    assert "\n" not in str(error.value) and str(path) in str(error.value)


def test_a_text_figure_or_scene_follows_the_unit_or_feature_the_file_names(tmp_path):
    path = tmp_path / "units.toml"
    path.write_text("[[chapter]]\nid = 'indent'\nkind = 'figure'\nfigure = 'text'\nfeature = 'indent'\n"
                    "[[chapter]]\nid = 'cell'\nkind = 'scene'\nscene = 'CellText'\nunit = '1.c.98'\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no cues: shown without narration
        chapters = load_document(path).chapters
    assert [c.options for c in chapters] == [{"feature": "indent"}, {"unit": "1.c.98"}]
    from explainer import figures

    fig = figures.make("text", lang="en", **chapters[0].options)  # what the lecture draws for that chapter
    assert "indentation unit" in fig.texts[0].get_text()


def test_a_chapter_with_cues_in_one_language_is_a_warning(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text("[[chapter]]\nid = 'a'\nkind = 'figure'\nfigure = 'data'\nsay.en = ['The data.']\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="chapter 'a' has cues in en only; in zh it is shown without narration"):
        load_document(path)


def test_a_text_the_lecture_cannot_read_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINE.replace(SENTENCE, "Carol likes quantum physics"), encoding="utf-8")
    with pytest.warns(UserWarning):
        lecture = load_document(path)
    with pytest.raises(ExplainerError, match=r"^chapter 'mine': unknown word 'likes' in the text"):
        make_lecture(tmp_path / "out", plan=lecture, quality="l", jobs=1, resolution=TINY, voice="none")
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def mine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mine")
    path = tmp / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    with pytest.warns(UserWarning, match="chapter 'loop' has cues in en only"):
        result = make_lecture(tmp / "out", plan=path, quality="l", jobs=2, resolution=TINY, voice="espeak")
    return path, result


def test_a_lecturers_own_file_renders_their_chapters_in_their_order(mine):
    path, result = mine
    index = json.loads(result.chapters.read_text(encoding="utf-8"))
    assert [c["id"] for c in index["chapters"]] == ["welcome", "loop", "mine", "sine"]
    assert index["chapters"][0]["title"] == "Welcome to my lecture" and index["plan"] == str(path)
    with av.open(str(result.video)) as c:
        assert c.metadata["title"] == "My lecture"
        assert [ch["metadata"]["title"] for ch in c.chapters()][:2] == ["Welcome to my lecture", "The training loop"]
    srt = result.subtitles.read_text(encoding="utf-8")
    assert "The training loop, as we wrote it in class." in srt and "Our first task" in srt


def test_a_scene_of_the_lecturers_own_sentence_shows_that_sentence(mine):
    from explainer.trace import Trace

    _, result = mine
    shown = result.directory / "chapters" / "03-mine.mp4"
    assert shown.exists()
    from explainer.checkpoint import Checkpoint
    from explainer.explain import trace_checkpoint

    trace = trace_checkpoint(Checkpoint.load(Path(__file__).parents[1] / "assets" / "checkpoints" / "language-lstm.safetensors"),
                             text=SENTENCE, lang="en")
    assert isinstance(trace, Trace) and trace.meta["words"]["en"][:2] == ["Carol", "is a"]


def test_changing_one_cue_of_the_file_re_renders_that_chapter_only(mine, tmp_path):
    path, result = mine
    edited = tmp_path / "mine.toml"
    edited.write_text(path.read_text(encoding="utf-8").replace("as we wrote it in class", "as we wrote it"),
                      encoding="utf-8")
    with pytest.warns(UserWarning):
        again = make_lecture(result.directory, plan=edited, quality="l", jobs=1, resolution=TINY, voice="espeak")
    assert again.rendered == ["loop"]


def test_the_command_line_renders_a_lecture_file(mine, tmp_path):
    path, _ = mine
    runner = CliRunner()
    taken = tmp_path / "taken.toml"
    taken.write_text('[lecture]\nbase = "full"\n[[chapter]]\nuse = "long-term"\n', encoding="utf-8")
    claims = runner.invoke(cli, ["lecture", str(taken), "--claims"])
    assert claims.exit_code == 0 and claims.output.count("holds") >= 3, "the chapter's claims, measured"
    assert all(" long-term " in line for line in claims.output.strip().splitlines())
    missing = runner.invoke(cli, ["lecture", str(tmp_path / "nope.toml"), "-o", str(tmp_path / "o")])
    assert missing.exit_code != 0 and "no lecture file" in missing.output and "--init" in missing.output


def test_the_readmes_example_lecture_file_is_a_valid_lecture(tmp_path):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "train.py").write_text("for x, y in windows:\n    loss = mse(model(x), y)\n", encoding="utf-8")
    (tmp_path / "my-lecture.toml").write_text(example, encoding="utf-8")
    with pytest.warns(UserWarning, match="has cues in en only"):
        lecture = load_document(tmp_path / "my-lecture.toml")
    assert [c.id for c in lecture.chapters] == ["title", "my-sentence", "loop", "loss", "indent"]
    assert lecture.chapters[4].options == {"feature": "indent"}
    assert lecture.chapters[1].text.startswith("Carol") and lecture.chapters[1].titles["en"] == "My own sentence"
    from explainer.lecture.build import text_trace

    assert len(text_trace(lecture.chapters[1], "en").steps) == 18, "its sentence is in the toy language's vocabulary"
