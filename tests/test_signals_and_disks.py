"""Signals, full disks, one writer per lecture directory, and the same bytes for the same video.

Ctrl-C or SIGTERM at any moment of `explainer animate` ends it with the shell's status for
the signal (130, 143), one line, no output file, no "wrote" line and no render directory,
even when the Ctrl-C is caught and ignored by a library on the way. A full disk is one
line in `animate` and `lecture`. Two `explainer lecture` runs into one directory: the
second is refused in one line naming the first's process. The same scene gives the same
mp4 bytes. Real processes and signals where that is cheap: the renders are `Tiny` scenes
at 160 x 90 (tests/tiny_scene.py).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from explainer import ExplainerError
from explainer.cli.main import cli
from explainer.lecture import make_lecture
from explainer.lecture.plan import FULL

HERE = Path(__file__).parent
TINY = (160, 90)
CARD = [c for c in FULL if c.id == "title"]


def explainer_process(args: list[str], folder: Path, **env: str) -> subprocess.Popen:
    """`explainer ARGS` in a real process, its renders `Tiny` ones."""
    return subprocess.Popen([sys.executable, str(HERE / "tiny_scene.py"), *args], cwd=folder, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env})


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while not path.exists():
        assert proc.poll() is None, f"it ended early: {proc.communicate()}"
        assert time.time() < deadline, "it never got there"
        time.sleep(0.02)


def last_line(text: str) -> str:
    lines = [line for line in text.replace("\r", "\n").splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.mark.parametrize("signum,status,said", [(signal.SIGTERM, 143, "interrupted (SIGTERM)"),
                                                (signal.SIGINT, 130, "interrupted (Ctrl-C)")])
def test_a_signal_during_animate_leaves_no_render_directory_and_no_output(tmp_path, signum, status, said):
    marker = tmp_path / "rendering"
    proc = explainer_process(["animate", "ForgetGate", "-o", "a.mp4"], tmp_path, RENDER_MARKER=str(marker))
    wait_for(marker, proc)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert last_line(err).startswith(said) and "Traceback" not in err
    assert "wrote" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rendering"], "no output, no .explainer-render-* left"


def test_ctrl_c_in_the_last_second_that_a_library_swallows_still_stops_the_command(tmp_path):
    """The Ctrl-C comes while Manim joins the pieces and is caught there; explainer still stops."""
    proc = explainer_process(["animate", "ForgetGate", "-o", "a.mp4"], tmp_path, SWALLOW_CTRL_C="1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "wrote" not in out and not (tmp_path / "a.mp4").exists()
    assert list(tmp_path.iterdir()) == []


# -- full disks -----------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A full file system: a 64 KiB tmpfs mounted for the test, filled but for 4 KiB by a file outside
    the test's view (`where` is a directory on it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip() or 'mount failed'}")
    try:
        handle = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(handle, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(handle)
        os.truncate(mount / "filler", max(0, (mount / "filler").stat().st_size - 4096))
        (mount / "where").mkdir()
        yield mount / "where"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def one_line_error(result, pattern: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert last_line(result.output).startswith("error: "), result.output
    assert pattern in last_line(result.output), result.output


def test_animate_on_a_full_disk_is_one_line_and_leaves_nothing(small_disk, monkeypatch):
    from tiny_scene import tiny_renders

    tiny_renders(monkeypatch)
    result = CliRunner().invoke(cli, ["animate", "ForgetGate", "-o", str(small_disk / "a.mp4")])
    one_line_error(result, "disk full while rendering")
    assert list(small_disk.iterdir()) == []


def test_animate_when_the_disk_fills_at_the_last_write(tmp_path, monkeypatch):
    import importlib

    from tiny_scene import tiny_renders

    tiny_renders(monkeypatch)
    render = importlib.import_module("animations.render")

    def full(source, target, fmt, comment):
        Path(target).write_bytes(b"half a video")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(render, "remux", full)
    result = CliRunner().invoke(cli, ["animate", "ForgetGate", "-o", str(tmp_path / "a.mp4")])
    one_line_error(result, f"disk full while writing '{tmp_path / 'a.mp4'}'; free some space")
    assert list(tmp_path.iterdir()) == []


def test_a_lecture_on_a_full_disk_is_one_line_and_leaves_no_scratch(small_disk):
    out = small_disk / "lecture"
    with pytest.raises(ExplainerError, match=r"^disk full while rendering '.*/chapters/01-title.mp4'; free some space"):
        make_lecture(out, plan=CARD, quality="l", jobs=1, resolution=TINY)
    assert [p.name for p in out.rglob(".*")] == []


def test_a_lecture_when_the_disk_fills_while_joining(tmp_path, monkeypatch):
    import explainer.lecture.build as build

    def full(videos, output, **tracks):
        Path(output).write_bytes(b"half a lecture")
        raise ExplainerError(f"disk full while writing '{output}'; free some space and run again")

    monkeypatch.setattr(build, "concat", full)
    out = tmp_path / "lecture"
    with pytest.raises(ExplainerError, match="^disk full while writing"):
        make_lecture(out, plan=CARD, quality="l", jobs=1, resolution=TINY)
    assert [p.name for p in out.rglob(".*")] == [], "the run's scratch directory is gone"
    assert not (out / "lecture.mp4").exists()
    assert (out / "chapters" / "01-title.json").exists(), "the rendered chapter is kept for the next run"


# -- one writer per lecture directory --------------------------------------------------------------
HOLDER = """
import sys, time
import explainer.lecture.build as build
from explainer.lecture import make_lecture
from explainer.lecture.plan import FULL

def slow(job):
    open(sys.argv[2], "w").write("holding")
    time.sleep(60)

build.render_chapter = slow
make_lecture(sys.argv[1], plan=[c for c in FULL if c.id == "title"], quality='l', jobs=1, resolution=(160, 90))
"""


def test_two_lecture_runs_into_one_directory_the_second_is_refused_naming_the_first(tmp_path):
    out, marker = tmp_path / "lecture", tmp_path / "holding"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(out), str(marker)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(marker, first)
        scratch = [p.name for p in out.iterdir() if p.name.startswith(".explainer-run-")]
        assert len(scratch) == 1, "the first run works in its own scratch directory"
        second = CliRunner().invoke(cli, ["lecture", "-o", str(out)])
        one_line_error(second, f"'{out}' is being written by another explainer process (pid {first.pid}); wait for it")
        assert (out / scratch[0]).is_dir(), "the second run touched nothing of the first's"
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [], "SIGTERM: the scratch directory is removed"
    manifest = json.loads((out / "explainer-lecture.json").read_text(encoding="utf-8"))
    assert manifest["runs"] == [] and manifest["writer"] is None


# -- the same bytes ----------------------------------------------------------------------------------
def test_two_identical_renders_give_identical_bytes(tmp_path):
    """x264's macroblock tree made identical frames encode differently from run to run."""
    import av

    from animations.render import render_scene
    from tiny_scene import Tiny

    digests = set()
    for k in range(4):
        out = render_scene(Tiny, "Tiny", output=tmp_path / f"{k}.mp4", resolution=TINY)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1
    with av.open(str(out)) as container:
        assert "creation_time" not in container.metadata
        assert container.metadata["comment"].startswith("explainer ")


def test_joining_the_same_chapters_twice_gives_identical_bytes(tmp_path):
    from animations.render import render_scene
    from explainer.lecture.tracks import concat, video_seconds
    from tiny_scene import Tiny

    parts = [render_scene(Tiny, "Tiny", output=tmp_path / f"part{k}.mp4", resolution=TINY) for k in range(2)]
    concat(parts, tmp_path / "a.mp4")
    concat(parts, tmp_path / "b.mp4")
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()
    assert video_seconds(tmp_path / "a.mp4") == pytest.approx(2 * video_seconds(parts[0]), abs=0.1)
