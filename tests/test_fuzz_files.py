"""Fuzzing the file loaders: whatever bytes they are given, the answer is a trace, a
checkpoint, or our one-line error — never another exception, a hang or code execution.

Inputs: random bytes; valid files with flipped, inserted and cut bytes; and valid
safetensors containers whose explainer metadata is mutated at random (the inputs that get
past the container format and reach our own checks). Counts are in the `settings` below.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer import ExplainerError, Trace
from explainer.assets import checkpoint_path, trace_path
from explainer.checkpoint import Checkpoint, read_meta
from explainer.describe import describe

TRACE = trace_path("sine-lstm-seed").read_bytes()
CHECKPOINT = checkpoint_path("sine", "rnn", "seed").read_bytes()
FUZZ = settings(max_examples=300, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
LOADERS = {"trace": [Trace.load, describe], "checkpoint": [Checkpoint.load, read_meta, describe]}


def survives(path: Path, kind: str) -> None:
    """Every loader either succeeds or raises ExplainerError with a one-line message."""
    for load in LOADERS[kind]:
        try:
            load(path)
        except ExplainerError as e:
            assert "\n" not in str(e) and str(e)
        # any other exception propagates and fails the test


def write(tmp_path_factory, data: bytes) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "f.safetensors"
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=4096), kind=st.sampled_from(["trace", "checkpoint"]))
def test_random_bytes(tmp_path_factory, data, kind):
    survives(write(tmp_path_factory, data), kind)


@FUZZ
@given(kind=st.sampled_from(["trace", "checkpoint"]), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                                                      min_size=1, max_size=8))
def test_flipped_bytes(tmp_path_factory, kind, flips):
    data = bytearray(TRACE if kind == "trace" else CHECKPOINT)
    for position, value in flips:
        data[position % len(data)] = value
    survives(write(tmp_path_factory, bytes(data)), kind)


@FUZZ
@given(kind=st.sampled_from(["trace", "checkpoint"]), cut=st.integers(0, 10**6), insert=st.binary(max_size=64),
       where=st.integers(0, 10**6))
def test_cut_and_inserted_bytes(tmp_path_factory, kind, cut, insert, where):
    data = TRACE if kind == "trace" else CHECKPOINT
    data = data[: cut % (len(data) + 1)]
    where %= len(data) + 1
    survives(write(tmp_path_factory, data[:where] + insert + data[where:]), kind)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


def _split(data: bytes) -> tuple[dict, bytes]:
    size = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8:8 + size]), data[8 + size:]


def _join(header: dict, body: bytes) -> bytes:
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + body


@settings(max_examples=600, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["trace", "checkpoint"]), data=st.data())
def test_mutated_metadata(tmp_path_factory, kind, data):
    header, body = _split(TRACE if kind == "trace" else CHECKPOINT)
    document = json.loads(header["__metadata__"]["explainer"])
    target = data.draw(st.sampled_from(["document", "meta", "section", "tensor"]))
    if target == "document":
        key = data.draw(st.sampled_from(["format", "schema", "meta"]))
        document[key] = data.draw(JSON_VALUES)
    elif target == "meta":
        meta = document["meta"]
        key = data.draw(st.sampled_from(sorted(meta)) | st.text(max_size=8))
        if data.draw(st.booleans()):
            meta[key] = data.draw(JSON_VALUES)
        else:
            meta.pop(key, None)
    elif target == "section":
        sections = [k for k, v in document["meta"].items() if isinstance(v, dict) and v]
        if sections:
            section = document["meta"][data.draw(st.sampled_from(sorted(sections)))]
            section[data.draw(st.sampled_from(sorted(section)))] = data.draw(JSON_VALUES)
    else:  # a tensor entry's dtype or shape
        names = sorted(k for k in header if k != "__metadata__")
        entry = header[data.draw(st.sampled_from(names))]
        field = data.draw(st.sampled_from(["dtype", "shape"]))
        entry[field] = data.draw(st.sampled_from(["F64", "I64", "BOOL", "U8", "F16"])) if field == "dtype" else \
            data.draw(st.lists(st.integers(0, 10**9), max_size=4))
    header["__metadata__"]["explainer"] = json.dumps(document)
    survives(write(tmp_path_factory, _join(header, body)), kind)
