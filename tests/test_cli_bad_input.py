"""Every command, given bad input, says what is wrong in one line, exits non-zero, and
leaves nothing half written or overwritten.

The matrix: missing, unreadable and corrupt files; the wrong kind of file; out-of-range
numbers; NaN and Inf; unknown words and names; an unwritable output directory; an
existing output that explainer did not make (replaced only with --force); a full disk.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from explainer.assets import checkpoint_path, trace_path
from explainer.cli.main import cli

SINE_CKPT = str(checkpoint_path("sine", "rnn", "seed"))
LANG_CKPT = str(checkpoint_path("language", "lstm"))
TRACE = str(trace_path("language-lstm"))


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "garbage.safetensors").write_bytes(os.urandom(512))
    (tmp_path / "mine.png").write_bytes(b"a picture the lecturer drew")
    (tmp_path / "mine.safetensors").write_bytes(b"the lecturer's own weights")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def fails(result, pattern, code=1):
    assert result.exit_code == code, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert "Traceback" not in result.output
    if code == 1:
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert re.search(pattern, result.output), result.output


def nothing_new(folder: Path, before: set[str]) -> None:
    after = {p.name for p in folder.iterdir()}
    assert after == before, f"left behind: {after - before}"


MISSING = "nothing.safetensors"
CASES = {
    # missing, unreadable, corrupt
    "trace: missing checkpoint": (["trace", MISSING, "-o", "t.safetensors"], "no such file 'nothing.safetensors'"),
    "trace: unreadable checkpoint": (["trace", "/proc/self/mem", "-o", "t.safetensors"], "cannot read '/proc/self/mem'"),
    "trace: corrupt checkpoint": (["trace", "garbage.safetensors", "-o", "t.safetensors"], "not a readable checkpoint file"),
    "trace: a directory": (["trace", ".", "-o", "t.safetensors"], "is a directory"),
    "inspect: missing": (["inspect", MISSING], "no such file"),
    "inspect: unreadable": (["inspect", "/proc/self/mem"], "cannot read"),
    "inspect: corrupt": (["inspect", "garbage.safetensors"], "not a readable explainer file"),
    "figure: missing trace": (["figure", "gates", "--trace", MISSING, "-o", "f.png"], "no such file"),
    "figure: corrupt checkpoint": (["figure", "loss", "--checkpoint", "garbage.safetensors", "-o", "f.png"], "not a readable checkpoint"),
    "animate: missing trace": (["animate", "ForgetGate", "--trace", MISSING, "-o", "a.mp4"], "no such file"),
    "animate: corrupt trace": (["animate", "ForgetGate", "--trace", "garbage.safetensors", "-o", "a.png"], "not a readable trace"),
    "lecture: missing narration": (["lecture", "--narration", "none.txt", "-o", "lec"], "no narration file 'none.txt'"),
    # the wrong kind of file
    "trace: a trace for a checkpoint": (["trace", TRACE, "-o", "t.safetensors"], "is an explainer trace, not a checkpoint"),
    "figure: a trace for a checkpoint": (["figure", "loss", "--checkpoint", TRACE, "-o", "f.png"], "is an explainer trace, not a checkpoint"),
    "figure: a checkpoint for a trace": (["figure", "gates", "--trace", SINE_CKPT, "-o", "f.png"], "is an explainer checkpoint, not a trace"),
    "animate: a checkpoint for a trace": (["animate", "ForgetGate", "--trace", SINE_CKPT, "-o", "a.png"], "is an explainer checkpoint, not a trace"),
    "figure: an RNN trace for lstm-cell": (["figure", "lstm-cell", "--trace", str(trace_path("sine-rnn-seed")), "-o", "f.png"], "needs a LSTM trace"),
    "animate: an RNN trace for ForgetGate": (["animate", "ForgetGate", "--trace", str(trace_path("language-rnn")), "-o", "a.png"], "needs an LSTM trace"),
    # out-of-range numbers
    "train: zero hidden size": (["train", "sine", "--hidden", "0", "-o", "c.safetensors"], "hidden size must be a positive integer"),
    "train: negative epochs": (["train", "sine", "--strategy", "epochs", "--epochs", "-3", "-o", "c.safetensors"], "epochs must be a positive integer"),
    "train: a hidden size that cannot fit": (["train", "sine", "--hidden", "9000000", "-o", "c.safetensors"], r"about [\d.]+ [PTG]iB of memory to train"),
    "train: zero sequence length": (["train", "sine", "--seq-len", "0", "-o", "c.safetensors"], "sequence length must be a positive integer"),
    "trace: a start past the end": (["trace", SINE_CKPT, "--start", "400", "-o", "t.safetensors"], "--start 400 is outside the data"),
    "trace: zero steps": (["trace", SINE_CKPT, "--steps", "0", "-o", "t.safetensors"], "--steps 0 from --start 310 runs past the end"),
    "trace: zero windows": (["trace", SINE_CKPT, "--windows", "0", "-o", "t.safetensors"], "--windows 0"),
    "figure: a step past the end": (["figure", "lstm-cell", "--step", "99", "-o", "f.png"], "--step 99 is out of range"),
    "figure: a layer the trace lacks": (["figure", "gates", "--layer", "3", "-o", "f.png"], "--layer 3 is not in this trace; it holds layer"),
    "figure: a unit the trace lacks": (["figure", "gates", "--units", "5,99", "-o", "f.png"], "--units 99 is not a unit of this trace; it holds units 0 to 31"),
    "figure: a row past the end": (["figure", "gate-unit", "--row", "1", "-o", "f.png"], "--row 1 is out of range: this trace has 1 batch row; the only row is 0"),
    "figure: an option the figure does not take": (["figure", "loss", "--units", "1", "-o", "f.png"], r"figure loss takes no --units \(it takes no options\)"),
    "figure: zero dpi": (["figure", "data", "--dpi", "0", "-o", "f.png"], "--dpi must be between 10 and 1200"),
    "animate: a step past the end": (["animate", "ForgetGate", "--step", "99", "-o", "a.png"], "--step 99 is out of range"),
    "animate: a layer the trace lacks": (["animate", "ForgetGate", "--layer", "3", "-o", "a.png"], "--layer 3 is not in this trace; it holds layer"),
    "animate: a unit the trace lacks": (["animate", "OutputGate", "--units", "5,99", "-o", "a.png"], "--units 99 is not a unit of this trace; it holds units 0 to 31"),
    "animate: a row past the end": (["animate", "InputGate", "--row", "1", "-o", "a.png"], "--row 1 is out of range: this trace has 1 batch row; the only row is 0"),
    "animate: an option the scene does not take": (["animate", "LongRange", "--step", "3", "-o", "a.png"], r"scene LongRange takes no --step; it takes: \(none\)"),
    "animate: zero fps": (["animate", "ForgetGate", "--fps", "0", "-o", "a.mp4"], "--fps must be between 1 and 120"),
    "lecture: zero jobs": (["lecture", "--jobs", "0", "-o", "lec"], "--jobs must be between 1 and 64"),
    # numbers checked against their declared ranges before any work (explainer/tasks/registry.py Option)
    "train: a negative seed": (["train", "sine", "--seed", "-1", "-o", "c.safetensors"], r"seed must be an integer from 0 to 4294967295, got -1$"),
    "train: a seed beyond 2**32": (["train", "sine", "--seed", "18446744073709551616", "-o", "c.safetensors"], "seed must be an integer from 0 to 4294967295"),
    "train: a trillion iterations": (["train", "sine", "--strategy", "random", "--iters", "1000000000000", "-o", "c.safetensors"], "iterations must be a positive integer up to 1000000, got 1000000000000"),
    "train: epochs beyond the maximum": (["train", "sine", "--strategy", "epochs", "--epochs", "10000000", "-o", "c.safetensors"], "epochs must be a positive integer up to 10000"),
    "train: an infinite clip": (["train", "sine", "--clip", "inf", "-o", "c.safetensors"], r"gradient clipping norm must be a positive number, got inf \(not a finite number\)"),
    "train: a zero clip": (["train", "sine", "--clip", "0", "-o", "c.safetensors"], "gradient clipping norm must be a positive number, got 0.0"),
    "train: a batch beyond the maximum": (["train", "language", "--batch-size", "100000000", "-o", "c.safetensors"], "batch size must be an integer from 0 to 10000"),
    "train: a fraction above 1": (["train", "language", "--short", "1.5", "-o", "c.safetensors"], "short must be a number from 0 to 1, got 1.5"),
    "demo: zero jobs": (["demo", "--jobs", "0", "-o", "demo-out"], r"--jobs must be between 1 and 64, got 0$"),
    # NaN and Inf
    "train: a NaN learning rate": (["train", "sine", "--lr", "nan", "-o", "c.safetensors"], "learning rate must be a positive number"),
    "train: an infinite learning rate": (["train", "sine", "--lr", "inf", "-o", "c.safetensors"], "learning rate must be a positive number"),
    # unknown words and names
    "trace: an unknown word": (["trace", LANG_CKPT, "--text", "Zed is a male driver", "-o", "t.safetensors"], r"unknown word 'Zed'.*vocabulary"),
    "trace: an unknown name pattern": (["trace", SINE_CKPT, "--names", "layers.0.gates.q", "-o", "t.safetensors"], "no recorded name matches"),
    "figure: an unknown figure": (["figure", "pie", "-o", "f.png"], "unknown figure 'pie'; valid: data"),
    "animate: an unknown scene": (["animate", "Dance", "-o", "a.mp4"], "unknown scene 'Dance'; valid:"),
    "train: an unknown feature": (["train", "sine", "--features", "wind", "-o", "c.safetensors"], "unknown feature 'wind'"),
    # outputs
    "train: an unwritable directory": (["train", "sine", "-o", "/proc/c.safetensors"], "does not take new files"),
    "figure: an unwritable directory": (["figure", "data", "-o", "/proc/f.png"], "does not take new files"),
    "animate: an unwritable directory": (["animate", "ForgetGate", "-o", "/proc/a.mp4"], "does not take new files"),
    "trace: a missing output directory": (["trace", SINE_CKPT, "-o", "no/such/t.safetensors"], "does not exist"),
    "lecture: a file as the directory": (["lecture", "-o", "mine.png"], "it is a file; give a directory"),
    "figure: someone else's file": (["figure", "data", "-o", "mine.png"], "'mine.png' exists and was not made by explainer; pass --force"),
    "train: someone else's file": (["train", "sine", "-o", "mine.safetensors"], "exists and was not made by explainer"),
    "animate: an unknown format": (["animate", "ForgetGate", "-o", "a.avi"], "cannot tell the format"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input(work, case):
    args, pattern = CASES[case]
    before = {p.name for p in work.iterdir()}
    mine = {p: p.read_bytes() for p in work.iterdir() if p.is_file()}
    fails(run(*args), pattern)
    nothing_new(work, before)
    assert all(p.read_bytes() == data for p, data in mine.items()), "nothing of the user's is overwritten"


def test_usage_errors_are_clicks_with_status_2(work):
    fails(run("train", "poem", "-o", "x"), "poem", code=2)
    fails(run("figure", "data", "--lang", "fr", "-o", "f.png"), "fr", code=2)
    fails(run("trace", SINE_CKPT, "--start", "ten", "-o", "t.safetensors"), "ten", code=2)


def test_force_replaces_and_our_own_files_are_replaced_without_it(work):
    assert run("figure", "data", "-o", "mine.png", "--force").exit_code == 0
    assert (work / "mine.png").read_bytes().startswith(b"\x89PNG")
    assert run("figure", "loss", "-o", "mine.png").exit_code == 0, "ours now: replaced without --force"


@pytest.mark.parametrize("command", [["train", "sine", "-o", "c.safetensors"],
                                     ["trace", SINE_CKPT, "-o", "t.safetensors"],
                                     ["figure", "data", "-o", "f.png"]])
def test_a_full_disk(work, monkeypatch, command):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    import matplotlib.figure
    import safetensors.numpy

    monkeypatch.setattr(safetensors.numpy, "save_file", no_space)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", no_space)
    before = {p.name for p in work.iterdir()}
    fails(run(*command), "disk full while writing .*; free some space")
    nothing_new(work, before)


def test_a_trace_with_nan_and_inf_is_drawn_with_a_warning(work):
    from explainer import Trace

    trace = Trace.load(TRACE)
    arrays = {n: np.array(trace[n]) for n in trace.names}
    arrays["layers.0.c"][0, 3, :5] = np.nan
    arrays["layers.0.gates.f"][0, 4, 2] = np.inf
    meta = dict(trace.meta, nonfinite={"layers.0.c": 5, "layers.0.gates.f": 1})
    Trace(arrays, meta).save(work / "nan.safetensors")
    result = CliRunner().invoke(cli, ["figure", "gates", "--trace", "nan.safetensors", "-o", "g.png"])
    assert result.exit_code == 0, result.output
    assert (work / "g.png").exists()
    info = run("inspect", "nan.safetensors")
    assert "NaN/Inf values" in info.output


def test_missing_system_parts_name_the_command_that_installs_them(work, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_cairo(name, *args, **kwargs):
        if name == "cairo":
            raise ImportError("no cairo", name="cairo")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cairo)
    fails(run("animate", "ForgetGate", "-o", "a.png"), r"need Cairo and Pango.*sudo apt-get install -y libcairo2-dev")
    monkeypatch.setattr(builtins, "__import__", real_import)

    from explainer import style
    from matplotlib import font_manager

    style.cjk_font_path.cache_clear()

    def no_font(*args, **kwargs):
        raise ValueError("not found")

    monkeypatch.setattr(font_manager, "findfont", no_font)
    fails(run("figure", "data", "--lang", "zh", "-o", "f.png"), r"Noto Sans CJK SC is not installed; install it with: sudo apt-get install -y fonts-noto-cjk")
    style.cjk_font_path.cache_clear()


# -- the readers: what is not a regular file, and files that break the metadata schema ----------------------------
def _reader_files(folder: Path) -> dict[str, str]:
    """Bad inputs for the readers, made in `folder`: a FIFO, and files that break the schema."""
    import json

    from safetensors import safe_open
    from safetensors.numpy import save_file

    os.mkfifo(folder / "pipe.safetensors")
    made = {"fifo": str(folder / "pipe.safetensors")}
    for name, src, change in [
        ("surrogate", TRACE, lambda m, a: m["steps"].__setitem__(0, "\ud800")),
        ("ints", TRACE, lambda m, a: a.__setitem__("layers.0.gates.f", a["layers.0.gates.f"].astype(np.int64))),
        ("noeval", SINE_CKPT, lambda m, a: m.pop("eval")),
        ("noopt", SINE_CKPT, lambda m, a: m["train"].__setitem__("optimizer", None)),
    ]:
        with safe_open(src, "numpy") as f:
            document, arrays = json.loads(f.metadata()["explainer"]), {k: f.get_tensor(k) for k in f.keys()}
        change(document["meta"], arrays)
        save_file(arrays, folder / f"{name}.safetensors", metadata={"explainer": json.dumps(document)})
        made[name] = str(folder / f"{name}.safetensors")
    (folder / "nul.txt").write_bytes(b"== title\nfirst\x00line\n")
    made["nul"] = str(folder / "nul.txt")
    return made


READER_CASES = {
    "inspect: a FIFO": (["inspect", "{fifo}"], r"'.*pipe.safetensors' is a FIFO \(named pipe\), not an explainer file"),
    "trace: a FIFO for a checkpoint": (["trace", "{fifo}", "-o", "t.safetensors"], r"is a FIFO \(named pipe\), not a checkpoint file"),
    "figure: a FIFO for a trace": (["figure", "gates", "--trace", "{fifo}", "-o", "f.png"], r"is a FIFO \(named pipe\), not a trace file"),
    "animate: a FIFO for a trace": (["animate", "ForgetGate", "--trace", "{fifo}", "-o", "a.png"], r"is a FIFO"),
    "figure: a device for a checkpoint": (["figure", "loss", "--checkpoint", "/dev/zero", "-o", "f.png"], "'/dev/zero' is a device"),
    "inspect: a lone surrogate in a label": (["inspect", "{surrogate}"], r"steps\[0\] holds a lone surrogate"),
    "figure: a lone surrogate in a label": (["figure", "unrolled", "--trace", "{surrogate}", "-o", "f.png"], r"lone surrogate"),
    "animate: integer arrays": (["animate", "ForgetGate", "--trace", "{ints}", "-o", "a.png"],
                                r"trace array 'layers.0.gates.f' holds int64 values"),
    "figure: a checkpoint without eval": (["figure", "predict", "--checkpoint", "{noeval}", "-o", "f.png"],
                                          r"is a damaged checkpoint: the eval section is missing"),
    "figure: a checkpoint without optimizer": (["figure", "loss", "--checkpoint", "{noopt}", "-o", "f.png"],
                                               r"metadata field train.optimizer should be text, not null"),
    "lecture: a NUL in the narration": (["lecture", "--narration", "{nul}", "-o", "lec"], r"line 2: it holds NUL"),
}


@pytest.mark.parametrize("case", READER_CASES, ids=list(READER_CASES))
def test_bad_input_to_the_readers(work, case):
    import threading

    args, pattern = READER_CASES[case]
    files = _reader_files(work)
    before = {p.name for p in work.iterdir()}
    result: list = []
    thread = threading.Thread(target=lambda: result.append(run(*[a.format(**files) for a in args])), daemon=True)
    thread.start()
    thread.join(60)
    assert result, "the command blocked"
    fails(result[0], pattern)
    nothing_new(work, before)


# -- outputs that are not this command's to replace (explainer/ownership.py: explainer's own mark, never a guess) ----
def _output_files(folder: Path) -> None:
    """A user's files that mention explainer, a user's Manim video, explainer files of each kind, a FIFO."""
    import shutil

    import av
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "made with explainer")
    fig.savefig(folder / "talk.svg", metadata={"Title": "explainer"})
    fig.savefig(folder / "talk.pdf", metadata={"Title": "explainer"})
    plt.close(fig)
    with av.open(str(folder / "my-talk.mp4"), "w") as video:  # what Manim itself writes
        video.metadata["comment"] = "Rendered with Manim Community v0.22.0"
        stream = video.add_stream("libx264", rate=1)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuv420p"
        for k in range(2):
            frame = av.VideoFrame.from_ndarray(np.full((16, 16, 3), 40 * k, np.uint8), format="rgb24")
            video.mux(stream.encode(frame))
        video.mux(stream.encode())
    shutil.copy(SINE_CKPT, folder / "ckpt.safetensors")
    shutil.copy(TRACE, folder / "my-trace.safetensors")
    os.mkfifo(folder / "pipe.png")
    (folder / "lec").mkdir()
    (folder / "lec" / "lecture.mp4").write_bytes(b"the lecturer's own video")


NOT_OURS = "exists and was not made by explainer; pass --force to replace it"
OUTPUT_CASES = {
    "figure: a user's SVG that mentions explainer": (["figure", "data", "-o", "talk.svg"], f"'talk.svg' {NOT_OURS}"),
    "figure: a user's PDF that mentions explainer": (["figure", "data", "-o", "talk.pdf"], f"'talk.pdf' {NOT_OURS}"),
    "animate: a user's own Manim video": (["animate", "ForgetGate", "-o", "my-talk.mp4"], f"'my-talk.mp4' {NOT_OURS}"),
    "trace: the checkpoint as its own output": (["trace", "ckpt.safetensors", "-o", "ckpt.safetensors"],
                                                "'ckpt.safetensors' is this command's own input; give another output name, or pass --force"),
    "trace: a trace over a checkpoint": (["trace", SINE_CKPT, "-o", "ckpt.safetensors"],
                                         "'ckpt.safetensors' is an explainer checkpoint, and this command writes a trace; "
                                         "give another output name, or pass --force to replace it"),
    "train: a checkpoint over a trace": (["train", "sine", "-o", "my-trace.safetensors"],
                                         "'my-trace.safetensors' is an explainer trace, and this command writes a checkpoint"),
    "figure: an empty output name": (["figure", "data", "-o", ""], r"give an output file name: -o '' names nothing"),
    "trace: an empty output name": (["trace", SINE_CKPT, "-o", ""], r"give an output file name"),
    "lecture: an empty output name": (["lecture", "-o", ""], r"give an output directory name: -o '' names nothing"),
    "figure: a FIFO as the output": (["figure", "data", "-o", "pipe.png", "--force"],
                                     r"cannot write 'pipe.png': it is a FIFO \(named pipe\), not a file"),
    "figure: a name longer than the file system takes": (["figure", "data", "-o", "y" * 252 + ".png"],
                                                         "its name is 256 bytes long and '.' allows at most 255"),
    "lecture: a user's lecture.mp4 in the directory": (["lecture", "-o", "lec"],
                                                       r"'lec/lecture.mp4' was not made by explainer \(it is not in "
                                                       r"'lec/explainer-lecture.json'\); move it away, or pass --force"),
}


@pytest.mark.parametrize("case", OUTPUT_CASES, ids=list(OUTPUT_CASES))
def test_outputs_that_are_not_the_commands_to_replace(work, case):
    args, pattern = OUTPUT_CASES[case]
    _output_files(work)
    before = set(work.rglob("*"))
    mine = {p: p.read_bytes() for p in before if p.is_file()}
    fails(run(*args), pattern)
    assert set(work.rglob("*")) == before, "nothing new, in any folder"
    assert all(p.read_bytes() == data for p, data in mine.items()), "nothing of the user's is overwritten"


def test_force_replaces_what_is_not_ours_and_the_commands_own_input(work):
    _output_files(work)
    assert run("figure", "data", "-o", "talk.svg", "--force").exit_code == 0
    assert run("figure", "data", "-o", "talk.svg").exit_code == 0, "ours now: replaced without --force"
    result = run("trace", "ckpt.safetensors", "-o", "ckpt.safetensors", "--force")
    assert result.exit_code == 0, result.output
    from explainer.files import sniff

    assert sniff(work / "ckpt.safetensors") == "trace"

