"""The readers: a file is known by its structure, only regular files are opened, only the arrays asked for
are read (after a memory check), a file changing under the reader is our one-line error (never SIGBUS),
labels are shown as plain text, and narration files are read with a BOM, bounded and free of control characters.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
import time

import numpy as np
import pytest
import torch

import explainer
from explainer import ExplainerError, Trace, figures
from explainer.assets import checkpoint_path, trace_path
from explainer.checkpoint import Checkpoint, read_meta
from explainer.container import Container
from explainer.describe import describe
from explainer.lecture.narration import MAX_CHAPTER, MAX_FILE, load_narration
from cli_checks import one_line_error, run


def header_length(path) -> int:
    with open(path, "rb") as f:
        return struct.unpack("<Q", f.read(8))[0]


def write_safetensors(path, entries: dict[str, tuple[str, list[int]]], meta: dict | None = None, *,
                      data: bool = True, document: str | None = None) -> os.PathLike:
    """A safetensors file written by hand: entries {name: (dtype code, shape)}; the data zeros, or sparse."""
    sizes = {"F32": 4, "F16": 2, "BOOL": 1, "I64": 8, "C64": 8, "F64": 8}
    header, offset = {}, 0
    for name, (code, shape) in entries.items():
        n = sizes[code] * int(np.prod(shape, dtype=object))
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    if document is None and meta is not None:
        document = json.dumps({"format": "explainer.trace", "schema": 1, "meta": meta})
    if document is not None:
        header["__metadata__"] = {"explainer": document}
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw)
        if data:
            f.write(b"\0" * offset)
        else:
            f.truncate(8 + len(raw) + offset)  # sparse: takes no disk
    return path


# -- a file is known by its structure -------------------------------------------------------------
@pytest.mark.parametrize("length", [640, 896, 1152, 1408])
def test_a_trace_whose_header_length_starts_like_a_pickle_loads(tmp_path, length):
    trace = explainer.record(torch.nn.RNN(1, 2), torch.randn(3, 1))
    path, pad = tmp_path / "t.safetensors", 0
    for _ in range(20):  # pad the metadata until the header is exactly `length` bytes long
        Trace(dict(trace), {**trace.meta, "pad": "x" * pad}).save(path)
        if header_length(path) == length:
            break
        pad += length - header_length(path)
    assert header_length(path) == length
    with open(path, "rb") as f:
        assert f.read(2) in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"), "the bytes a pickle starts with"
    back = Trace.load(path)
    np.testing.assert_array_equal(back["layers.0.h"], trace["layers.0.h"])
    assert describe(path)["kind"] == "trace"
    assert run("inspect", path).exit_code == 0


def test_pickles_and_torch_saves_are_still_named_as_such(tmp_path):
    torch.save({"w": torch.zeros(2)}, tmp_path / "m.pt")
    with pytest.raises(ExplainerError, match=r"pickle or torch.save file; .*\(its first bytes are a zip archive's"):
        Trace.load(tmp_path / "m.pt")
    (tmp_path / "p.pkl").write_bytes(b"\x80\x04\x95" + os.urandom(64))
    with pytest.raises(ExplainerError, match=r"pickle or torch.save file; .*\(its first bytes are a pickle's\)"):
        Checkpoint.load(tmp_path / "p.pkl")


# -- only regular files are opened ------------------------------------------------------------------
def _returns_within(seconds: float, call) -> BaseException | None:
    """Run `call` in a daemon thread; fail if it has not returned in time (a blocked open())."""
    outcome: list = []

    def target():
        try:
            call()
            outcome.append(None)
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            outcome.append(e)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"did not return within {seconds} s"
    return outcome[0]


@pytest.mark.parametrize("load", [Trace.load, Checkpoint.load, read_meta, describe], ids=lambda f: f.__qualname__)
def test_a_fifo_is_refused_without_blocking(tmp_path, load):
    fifo = tmp_path / "pipe.safetensors"
    os.mkfifo(fifo)
    error = _returns_within(5, lambda: load(fifo))
    assert isinstance(error, ExplainerError) and "is a FIFO (named pipe), not a" in str(error)


def test_devices_sockets_and_directories_are_refused(tmp_path):
    with pytest.raises(ExplainerError, match="'/dev/zero' is a device, not a trace file"):
        Trace.load("/dev/zero")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.safetensors"))
        with pytest.raises(ExplainerError, match="is a socket, not a checkpoint file"):
            Checkpoint.load(tmp_path / "s.safetensors")
    finally:
        sock.close()
    with pytest.raises(ExplainerError, match="is a directory, not a trace file"):
        Trace.load(tmp_path)


@pytest.mark.parametrize("args", [["inspect", "{fifo}"], ["trace", "{fifo}", "-o", "{out}"],
                                  ["figure", "gates", "--trace", "{fifo}", "-o", "{out}.png"],
                                  ["figure", "loss", "--checkpoint", "/dev/zero", "-o", "{out}.png"]],
                         ids=["inspect", "trace", "figure-trace", "figure-checkpoint"])
def test_the_commands_refuse_a_fifo_or_a_device_in_one_line(tmp_path, args):
    fifo = tmp_path / "pipe.safetensors"
    os.mkfifo(fifo)
    argv = [a.format(fifo=fifo, out=tmp_path / "out") for a in args]
    result: list = []
    assert _returns_within(20, lambda: result.append(run(*argv))) is None
    one_line_error(result[0], r"is a (FIFO \(named pipe\)|device), not a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.safetensors"]


# -- the header first, then only the arrays asked for ----------------------------------------------------
STEPS = 2**21  # 2 M steps: the hidden state below is 8 GiB


@pytest.fixture
def huge(tmp_path):
    """An 8 GiB trace that takes no disk: its header declares the arrays, the file is sparse."""
    return write_safetensors(tmp_path / "huge.safetensors",
                             {"input": ("F32", [1, STEPS, 1]), "layers.0.h": ("F32", [1, STEPS, 1024])},
                             {"kind": "rnn_tanh", "task": None, "names": ["input", "layers.0.h"]}, data=False)


def test_a_huge_trace_is_inspected_from_its_header_without_reading_an_array(huge, monkeypatch):
    monkeypatch.setattr(Container, "read", lambda *a, **k: pytest.fail("inspect read an array"))
    start = time.monotonic()
    info = describe(huge)
    assert [(a["name"], a["shape"], a["dtype"]) for a in info["arrays"]] == [
        ("input", [1, STEPS, 1], "float32"), ("layers.0.h", [1, STEPS, 1024], "float32")]
    result = run("inspect", huge)
    assert result.exit_code == 0 and "8.0 GiB" in result.output and "layers.0.h" in result.output, result.output
    assert time.monotonic() - start < 5


def test_a_trace_larger_than_free_memory_is_refused_before_reading(huge, monkeypatch):
    monkeypatch.setattr("explainer.memory.available_memory", lambda: 2**30)
    monkeypatch.setattr(Container, "_read_into", lambda *a: pytest.fail("read before the memory check"))
    with pytest.raises(ExplainerError, match=r"reading '.*huge.safetensors' needs about 8\.0 GiB but only 1\.0 GiB "
                                             r"of memory is free; record fewer steps or names"):
        Trace.load(huge)


def test_load_reads_only_the_arrays_named(huge, monkeypatch):
    monkeypatch.setattr("explainer.memory.available_memory", lambda: 2**30)
    small = Trace.load(huge, names=["input"])
    assert small.names == ["input"] and small["input"].shape == (1, STEPS, 1)
    with pytest.raises(ExplainerError, match="no recorded name matches 'layers.0.c'; available: input, layers.0.h"):
        Trace.load(huge, names="layers.0.c")


def test_load_by_glob_keeps_the_order_and_the_meta(tmp_path):
    trace = Trace.load(trace_path("language-lstm"))
    gates = Trace.load(trace_path("language-lstm"), names=["layers.0.gates.*"])
    assert gates.names == [n for n in trace.names if n.startswith("layers.0.gates.")]
    assert gates.meta == trace.meta
    np.testing.assert_array_equal(gates["layers.0.gates.f"], trace["layers.0.gates.f"])


# -- a file that changes under the reader ---------------------------------------------------------------
def test_no_memory_map_is_used(monkeypatch):
    import mmap

    import safetensors

    monkeypatch.setattr(mmap, "mmap", lambda *a, **k: pytest.fail("memory-mapped"))
    monkeypatch.setattr(safetensors, "safe_open", lambda *a, **k: pytest.fail("safe_open memory-maps the file"))
    assert Trace.load(trace_path("sine-lstm-seed")).num_steps == 10
    assert Checkpoint.load(checkpoint_path("sine", "rnn", "seed")).task == "sine"


@pytest.mark.parametrize("change", ["truncate", "rewrite"])
def test_a_file_changed_while_it_is_read_is_one_line_not_sigbus(tmp_path, monkeypatch, change):
    path = tmp_path / "t.safetensors"
    path.write_bytes(trace_path("sine-lstm-seed").read_bytes())
    read_into = Container._read_into

    def meanwhile(self, offset, buffer):  # another program rewrites the file in place as we read
        if change == "truncate":
            os.truncate(path, os.path.getsize(path) // 2)
        else:
            with open(path, "r+b") as f:
                f.seek(-4, os.SEEK_END)
                f.write(b"\1\2\3\4")
            os.utime(path, ns=(1, 1))
        return read_into(self, offset, buffer)

    monkeypatch.setattr(Container, "_read_into", meanwhile)
    with pytest.raises(ExplainerError, match=r"^'.*t.safetensors' changed while it was being read; run again$"):
        Trace.load(path)


def test_a_file_truncated_under_a_reading_process_is_one_line(tmp_path):
    """Two real processes: one cuts the file while the other reads it (no SIGBUS, whatever the timing)."""
    import subprocess
    import sys

    trace = explainer.record(torch.nn.LSTM(4, 128), torch.randn(1000, 4))  # about 3 MB of arrays
    path = trace.save(tmp_path / "big.safetensors")
    data = path.read_bytes()
    reader = subprocess.Popen([sys.executable, "-c", (
        "import sys\nfrom explainer import Trace, ExplainerError\n"
        "for _ in range(50):\n"
        "    try:\n        Trace.load(sys.argv[1])\n"
        "    except ExplainerError as e:\n        assert '\\n' not in str(e), e\n")
        , str(path)])
    deadline = time.monotonic() + 10
    while reader.poll() is None and time.monotonic() < deadline:
        with open(path, "r+b") as f:
            f.truncate(len(data) // 3)
            f.seek(0)
            f.write(data)
    reader.wait(30)
    assert reader.returncode == 0, f"the reader died with {reader.returncode} (-7 is SIGBUS)"


# -- labels are plain text ----------------------------------------------------------------------------
def _labelled(labels: list[str]) -> Trace:
    trace = Trace.load(trace_path("language-lstm"))
    meta = dict(trace.meta, steps=labels, words={lang: labels for lang in trace.meta["words"]})
    return Trace(dict(trace), meta)


@pytest.mark.parametrize("name", ["gates", "unrolled", "lstm-cell", "gate-unit", "forget-reset"])
def test_dollar_signs_in_labels_are_drawn_not_parsed_as_mathtext(name, tmp_path):
    labels = ["$x^$", "costs $5", "$\\frac{$"] + [f"${t}^$" for t in range(13)]
    fig = figures.make(name, _labelled(labels))
    fig.savefig(tmp_path / "f.png", dpi=20)  # mathtext would raise a ParseFatalException while drawing
    drawn = {t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))}
    assert any("\\$" in text for text in drawn), "the labels are drawn, escaped"


def test_rich_markup_in_labels_is_printed_as_written(tmp_path):
    path = _labelled(["[bold]Alice[/bold]", "[/red]is a"] + [f"w{t}" for t in range(14)]).save(tmp_path / "m.safetensors")
    result = run("inspect", path)
    assert result.exit_code == 0, result.output
    assert "[bold]Alice[/bold] [/red]is a" in result.output  # an unbalanced closing tag is a MarkupError in rich


def test_a_file_name_with_markup_is_printed_as_written(tmp_path):
    path = tmp_path / "[bold]talk[red].safetensors"
    path.write_bytes(trace_path("sine-rnn-seed").read_bytes())
    assert "[bold]talk[red].safetensors" in run("inspect", path).output.replace("\n", "")  # as written, wrapped


# -- narration files ----------------------------------------------------------------------------------
def _narration(tmp_path, data: bytes):
    path = tmp_path / "n.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encode", [lambda t: b"\xef\xbb\xbf" + t.encode(), lambda t: t.replace("\n", "\r\n").encode(),
                                    lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()],
                         ids=["bom", "crlf", "bom+crlf"])
def test_the_shipped_narration_reads_with_a_bom_or_windows_line_ends(tmp_path, encode):
    from explainer.lecture.narration import narration_text
    from explainer.lecture.plan import FULL

    required = [c.id for c in FULL]
    expected = load_narration("en", required=required)
    path = _narration(tmp_path, encode(narration_text("en")))
    assert load_narration("en", path, required=required) == expected


@pytest.mark.parametrize("data, message", [
    (b"== title\nfirst\nsecond \x00 line\n", r"line 3: it holds NUL \(U\+0000\), which a subtitle cannot show"),
    (b"== title\nan \x1b[31mescape\n", r"line 2: it holds .*\(U\+001B\)"),
    ("== title\na\u2028b\n".encode(), r"line 2: it holds LINE SEPARATOR \(U\+2028\)"),
    (b"== title\n\xe9t\xe9\n", r"line 2: not UTF-8 text"),
    (b"== title\n" + b"a" * 200_000 + b"\n", rf"line 2: chapter 'title' is longer than {MAX_CHAPTER:,} characters"),
    (b"== title\n" + (b"a" * 99 + b"\n") * 60, rf"line 52: chapter 'title' is longer than {MAX_CHAPTER:,} characters"),
    (b"== title\n" + b"x\n" * 5_000_000, rf"holds 10,000,009 bytes; a narration file holds at most {MAX_FILE:,}"),
], ids=["nul", "escape", "line-separator", "latin-1", "200k-line", "long-chapter", "10MB"])
def test_bad_narration_is_refused_in_one_line_before_any_work(tmp_path, data, message):
    start = time.monotonic()
    with pytest.raises(ExplainerError, match=message) as caught:
        load_narration("en", _narration(tmp_path, data))
    assert "\n" not in str(caught.value) and time.monotonic() - start < 2


def test_a_narration_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "n.txt")
    error = _returns_within(5, lambda: load_narration("en", tmp_path / "n.txt"))
    assert isinstance(error, ExplainerError) and "is not a regular file" in str(error)


def test_the_lecture_command_refuses_a_bad_narration_before_rendering(tmp_path):
    path = _narration(tmp_path, b"== title\nx\x00y\n")
    one_line_error(run("lecture", "--narration", path, "-o", tmp_path / "lec"), "line 2: it holds NUL")
    assert not (tmp_path / "lec").exists()
