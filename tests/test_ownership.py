"""What is explainer's to replace: its own mark in each format, never a guess; and the lecture directory's manifest.

A file is explainer's only if it carries the mark explainer writes into the format's own
metadata (explainer/ownership.py). A user's SVG or PDF that mentions the word, a user's
Manim video, a PNG with the word in another chunk: not ours, so not replaced without
--force. In a lecture directory explainer replaces only what its manifest lists, and
deletes nothing by pattern. Temporary names fit the file system's limit.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from explainer import ExplainerError, figures
from explainer.assets import checkpoint_path, trace_path
from explainer.files import atomic_output, check_output
from explainer.figures.text_html import save_html
from explainer.ownership import mark

TINY = (160, 90)


def text_trace():
    """A character trace of an untrained LSTM (for the text figure's page)."""
    import torch

    import explainer

    return explainer.record(torch.nn.LSTM(2, 3), torch.randn(5, 1, 2), steps=list("ab\ncd"))


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> dict[str, Path]:
    """One file of each format explainer writes."""
    from animations.render import render_scene
    from tiny_scene import Tiny

    folder = tmp_path_factory.mktemp("ours")
    made = {suffix: figures.save(figures.make("data"), folder / f"figure.{suffix}") for suffix in ("png", "svg", "pdf")}
    for suffix in ("mp4", "gif"):
        made[suffix] = render_scene(Tiny, "Tiny", output=folder / f"scene.{suffix}", resolution=(64, 36), fps=4)
    made["frame"] = render_scene(Tiny, "Tiny", output=folder / "frame.png", resolution=TINY)
    made["html"] = save_html("text", text_trace(), folder / "text.html")
    made["trace"] = Path(shutil.copy(trace_path("sine-rnn-seed"), folder / "t.safetensors"))
    made["checkpoint"] = Path(shutil.copy(checkpoint_path("sine", "rnn", "seed"), folder / "c.safetensors"))
    return made


def test_every_format_explainer_writes_carries_its_mark(ours):
    assert {name: mark(path) for name, path in ours.items()} == {
        "png": "png", "svg": "svg", "pdf": "pdf", "mp4": "video", "gif": "gif", "frame": "png", "html": "html",
        "trace": "trace", "checkpoint": "checkpoint"}


def test_a_users_files_that_merely_mention_explainer_are_not_ours(tmp_path, ours):
    import matplotlib.pyplot as plt
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from animations.render import remux

    fig = plt.figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "explainer")
    fig.savefig(tmp_path / "talk.pdf", metadata={"Title": "explainer", "Subject": "(explainer)"})
    fig.savefig(tmp_path / "talk.svg", metadata={"Title": "explainer", "Description": "explainer"})
    plt.close(fig)
    (tmp_path / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><!-- explainer -->'
                                        '<title>explainer</title><text>Software explainer</text></svg>')
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4\n% /Creator (explainer) /Producer (explainer)\n%%EOF\n")
    info = PngInfo()
    info.add_text("Comment", "Software explainer")
    Image.new("RGB", (4, 4)).save(tmp_path / "drawing.png", pnginfo=info)
    gif = ours["gif"].read_bytes()
    (tmp_path / "anim.gif").write_bytes(gif.replace(b"\x21\xfe\x09explainer\x00", b"\x21\xfe\x0cexplainer!!!\x00"))
    remux(ours["mp4"], tmp_path / "manim.mp4", "mp4", "Rendered with Manim Community v0.22.0")  # a user's Manim video
    remux(ours["mp4"], tmp_path / "word.mp4", "mp4", "explainers are great")
    (tmp_path / "weights.safetensors").write_bytes(b"the lecturer's own weights")
    (tmp_path / "notes.html").write_text('<!DOCTYPE html><html><head><title>explainer</title>\n'
                                         '<meta name="description" content="explainer">\n</head><body>'
                                         '<meta name="generator" content="explainer"></body></html>')
    found = {p.name: mark(p) for p in sorted(tmp_path.iterdir())}
    assert found == dict.fromkeys(found, None)


def test_a_fifo_a_link_the_commands_input_and_another_kind_are_refused(tmp_path, ours):
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(ExplainerError, match=r"^cannot write '.*pipe.png': it is a FIFO \(named pipe\), not a file"):
        check_output(tmp_path / "pipe.png", force=True)  # never, not even with --force
    (tmp_path / "link.png").symlink_to(ours["png"])
    with pytest.raises(ExplainerError, match="is a symbolic link, which explainer never makes; pass --force"):
        check_output(tmp_path / "link.png")
    assert check_output(tmp_path / "link.png", force=True)
    with pytest.raises(ExplainerError, match="is this command's own input; give another output name, or pass --force"):
        check_output(ours["checkpoint"], kind="trace", inputs=[str(ours["checkpoint"])])
    with pytest.raises(ExplainerError, match="is an explainer trace, and this command writes a checkpoint"):
        check_output(ours["trace"], kind="checkpoint")
    with pytest.raises(ExplainerError, match="is an explainer png, and this command writes a pdf"):
        check_output(shutil.copy(ours["png"], tmp_path / "figure.pdf"))
    assert check_output(ours["frame"]) == ours["frame"], "a figure may replace a last frame: both explainer's PNGs"
    with pytest.raises(ExplainerError, match="^give an output file name"):
        check_output("")


# -- temporary names -------------------------------------------------------------------------------------
def test_an_output_name_of_250_characters_works(tmp_path):
    from click.testing import CliRunner

    from animations.render import render_scene
    from explainer.cli.main import cli
    from tiny_scene import Tiny

    long = "x" * 246
    for args in (["figure", "data", "-o", str(tmp_path / f"{long}.png")],
                 ["trace", str(checkpoint_path("sine", "rnn", "seed")), "-o", str(tmp_path / f"{long[:-8]}.safetensors")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    render_scene(Tiny, "Tiny", output=tmp_path / f"{long}.mp4", resolution=TINY)
    assert sorted(len(p.name) for p in tmp_path.iterdir()) == [250, 250, 250], "no temporary file left"
    with pytest.raises(ExplainerError, match=r"its name is 256 bytes long and '.*' allows at most 255; give a shorter name"):
        check_output(tmp_path / ("y" * 252 + ".png"))
    with atomic_output(tmp_path / ("é" * 125 + ".png")) as tmp:  # 254 bytes of UTF-8
        assert len(os.fsencode(tmp.name)) <= 255
        tmp.write_bytes(b"x")


# -- the lecture directory -------------------------------------------------------------------------------
USERS = {
    "notes/.draft.tmp": b"a draft",
    "deep/a/.thesis.tex.tmp": b"a thesis",
    ".explainer-render-mine/keep.txt": b"a folder that merely looks like ours",
    "talk.mp4": b"the lecturer's own video",
}
THEIRS = ["lecture.mp4", "lecture.srt", "chapters.json", "chapters.ffmetadata", "figures/02-sine.png",
          "chapters/01-title.mp4", "chapters/01-title.json"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, files) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


@pytest.mark.parametrize("theirs", THEIRS)
def test_a_lecture_refuses_to_replace_a_file_explainer_did_not_make(tmp_path, theirs):
    from explainer.lecture import make_lecture
    from explainer.lecture.plan import FULL

    out = tmp_path / "lecture"
    write(out, {**USERS, theirs: b"the user's"})
    before = snapshot(out)
    plan = [c for c in FULL if c.id in ("title", "sine")]
    with pytest.raises(ExplainerError, match=rf"^'{out / theirs}' was not made by explainer \(it is not in "
                                             rf"'{out / 'explainer-lecture.json'}'\); move it away, or pass --force"):
        make_lecture(out, plan=plan, quality="l", jobs=1, resolution=TINY)
    assert snapshot(out) == before, "nothing changed, nothing added"


def test_a_lecture_leaves_the_users_files_alone_and_replaces_only_its_own(tmp_path):
    from explainer.lecture import make_lecture
    from explainer.lecture.plan import FULL

    out, plan = tmp_path / "lecture", [c for c in FULL if c.id == "title"]
    write(out, USERS)
    first = make_lecture(out, plan=plan, quality="l", jobs=1, resolution=TINY)
    assert {k: v for k, v in snapshot(out).items() if k in USERS} == USERS, "the user's files are untouched"
    manifest = json.loads((out / "explainer-lecture.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == ["chapters.ffmetadata", "chapters.json", "chapters/01-title.json",
                                         "chapters/01-title.mp4", "lecture.mp4", "lecture.srt"]
    assert manifest["runs"] == [] and not list(out.glob(".explainer-run-*"))
    assert mark(first.video) == "video" and mark(out / "chapters" / "01-title.mp4") == "video"

    (out / "lecture.srt").write_text("my corrected subtitles", encoding="utf-8")
    with pytest.raises(ExplainerError, match=r"lecture.srt' was changed after explainer wrote it; move it away, or pass --force"):
        make_lecture(out, plan=plan, quality="l", jobs=1, resolution=TINY)
    assert (out / "lecture.srt").read_text(encoding="utf-8") == "my corrected subtitles"
    again = make_lecture(out, plan=plan, quality="l", jobs=1, resolution=TINY, force=True)
    assert again.rendered == [] and "my corrected" not in again.subtitles.read_text(encoding="utf-8")

    shutil.copytree(out, tmp_path / "copy")  # copied: new times, same bytes, still explainer's
    assert make_lecture(tmp_path / "copy", plan=plan, quality="l", jobs=1, resolution=TINY).rendered == []


def test_a_scratch_directory_left_by_a_killed_run_is_removed_because_the_manifest_names_it(tmp_path):
    from explainer.lecture.directory import LectureDirectory

    out = tmp_path / "lecture"
    out.mkdir()
    with LectureDirectory(out) as folder:
        scratch = folder.begin()
        (scratch / "half.mp4").write_bytes(b"half")
        folder._fd, fd = None, folder._fd  # as if killed: no clean-up runs ...
        folder.scratch = None
    os.close(fd)  # ... and the kernel drops the lock
    assert scratch.is_dir()
    with LectureDirectory(out) as folder:
        folder.begin()
        assert not scratch.exists()


def test_bobs_talk(tmp_path):
    """A directory name with a quote: Manim's and the lecture's joining of videos both take it."""
    import av

    from explainer.lecture import make_lecture
    from explainer.lecture.plan import FULL

    out = tmp_path / "Bob's talk"
    result = make_lecture(out, plan=[c for c in FULL if c.id in ("title", "sine")], quality="l", jobs=1, resolution=TINY)

    def frames(path: Path) -> int:
        with av.open(str(path)) as container:
            return sum(1 for _ in container.decode(video=0))

    assert frames(result.video) == sum(frames(p) for p in sorted((out / "chapters").glob("*.mp4")))
