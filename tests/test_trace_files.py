"""A trace survives save/load exactly; every bad file is one clear error, never a crash."""

from __future__ import annotations

import json
import os
import pickle
import struct

import numpy as np
import pytest
import torch
from safetensors.numpy import save_file

import explainer
from explainer import ExplainerError, Trace
from explainer.trace import SCHEMA


def header(fmt: str, schema, meta) -> dict[str, str]:
    """safetensors metadata as explainer writes it: one 'explainer' key holding JSON."""
    return {"explainer": json.dumps({"format": fmt, "schema": schema, "meta": meta})}


@pytest.fixture
def trace():
    lstm = torch.nn.LSTM(2, 4, num_layers=2, bidirectional=True)
    return explainer.record(lstm, torch.randn(6, 3, 2), steps=[f"x{t}" for t in range(6)], meta={"task": "sine", "seed": 7})


def test_round_trip_keeps_every_array_name_order_and_meta(trace, tmp_path):
    path = trace.save(tmp_path / "t.safetensors")
    back = Trace.load(path)
    assert back.names == trace.names
    for name in trace.names:
        np.testing.assert_array_equal(back[name], trace[name])
        assert back[name].dtype == np.float32
    assert back.meta == trace.meta
    assert back.steps == [f"x{t}" for t in range(6)]
    assert back.meta["task"] == "sine" and back.meta["seed"] == 7


def test_meta_describes_the_model(trace):
    m = trace.meta
    assert (m["kind"], m["input_size"], m["hidden_size"], m["num_layers"], m["num_directions"]) == ("lstm", 2, 4, 2, 2)
    assert m["intervened"] == {} and m["nonfinite"] == {}


def test_float16_recording_round_trips_as_float16(tmp_path):
    t = explainer.record(torch.nn.GRU(2, 3), torch.randn(5, 2), dtype="float16")
    assert all(t[n].dtype == np.float16 for n in t.names)
    back = Trace.load(t.save(tmp_path / "h.safetensors"))
    assert back["layers.0.gates.z"].dtype == np.float16


def test_save_replaces_atomically_and_leaves_no_temporary(trace, tmp_path):
    path = tmp_path / "t.safetensors"
    trace.save(path)
    trace.select(steps=slice(0, 2)).save(path)
    assert Trace.load(path).num_steps == 2
    assert os.listdir(tmp_path) == ["t.safetensors"]


def test_select_by_names_steps_units_and_rows(trace):
    small = trace.select(["layers.0.*"], steps=[1, 3], units=slice(1, 3), batch=[2])
    assert small.names[0] == "layers.0.h" and all(n.startswith("layers.0.") for n in small.names)
    assert small["layers.0.gates.f"].shape == (1, 2, 2)
    np.testing.assert_array_equal(small["layers.0.c"], trace["layers.0.c"][2:3, [1, 3], 1:3])
    assert small.steps == ["x1", "x3"]
    assert small.meta["units"] == [1, 2]
    assert small.select(units=[1]).meta["units"] == [2], "unit numbers stay those of the full trace"


def test_select_out_of_range_says_how_many_there_are(trace):
    with pytest.raises(ExplainerError, match="step 6 is out of range: there are 6"):
        trace.select(steps=[6])
    with pytest.raises(ExplainerError, match="unit of layers.0.h 9 is out of range"):
        trace.select(units=[9])


def test_unknown_name_lists_the_recorded_ones(trace):
    with pytest.raises(KeyError, match="unknown trace name 'layers.0.gates.x'.*layers.0.gates.f"):
        trace["layers.0.gates.x"]


def test_require_names_the_missing_arrays():
    t = explainer.record(torch.nn.RNN(2, 3), torch.randn(4, 2))
    with pytest.raises(ExplainerError, match="this rnn_tanh trace has no layers.0.c"):
        t.require("layers.0.c")


# -- bad files ---------------------------------------------------------------------------

def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_missing_file(tmp_path):
    with pytest.raises(ExplainerError, match=r"no such file '.*nothing.safetensors'; record one with `explainer trace"):
        Trace.load(tmp_path / "nothing.safetensors")


def test_directory(tmp_path):
    with pytest.raises(ExplainerError, match="is a directory"):
        Trace.load(tmp_path)


@pytest.mark.parametrize("data", [b"", b"hello world, not a trace", os.urandom(4096), struct.pack("<Q", 2**62) + b"{}"],
                         ids=["empty", "text", "random", "huge-header-length"])
def test_garbage(tmp_path, data):
    with pytest.raises(ExplainerError, match="not a readable trace file"):
        Trace.load(_write(tmp_path / "bad.safetensors", data))


def test_truncated(trace, tmp_path):
    path = trace.save(tmp_path / "t.safetensors")
    data = path.read_bytes()
    for cut in (4, 20, len(data) // 2, len(data) - 1):
        with pytest.raises(ExplainerError, match="truncated"):
            Trace.load(_write(tmp_path / "cut.safetensors", data[:cut]))


def test_safetensors_that_is_not_ours(tmp_path):
    path = tmp_path / "w.safetensors"
    save_file({"weight": np.zeros((2, 2), np.float32)}, path)
    with pytest.raises(ExplainerError, match="is a safetensors file but not an explainer trace"):
        Trace.load(path)


def test_a_checkpoint_is_not_a_trace(tmp_path):
    path = tmp_path / "c.safetensors"
    save_file({"w": np.zeros(2, np.float32)}, path, metadata=header("explainer.checkpoint", 1, {}))
    with pytest.raises(ExplainerError, match="is an explainer checkpoint, not a trace"):
        Trace.load(path)


def test_newer_schema_asks_for_an_upgrade(tmp_path):
    path = tmp_path / "new.safetensors"
    save_file({"layers.0.h": np.zeros((1, 2, 3), np.float32)}, path, metadata=header("explainer.trace", SCHEMA + 1, {}))
    with pytest.raises(ExplainerError, match=f"newer explainer \\(trace schema {SCHEMA + 1}; this version reads up to {SCHEMA}\\); upgrade"):
        Trace.load(path)


def test_damaged_metadata(tmp_path):
    path = tmp_path / "m.safetensors"
    save_file({"layers.0.h": np.zeros((1, 2, 3), np.float32)}, path, metadata={"explainer": "{not json"})
    with pytest.raises(ExplainerError, match="damaged metadata"):
        Trace.load(path)
    save_file({"layers.0.h": np.zeros((1, 2, 3), np.float32)}, path, metadata=header("explainer.trace", 1, [1, 2]))
    with pytest.raises(ExplainerError, match="damaged metadata"):
        Trace.load(path)
    save_file({"layers.0.h": np.zeros((1, 2, 3), np.float32)}, path, metadata=header("explainer.trace", "one", {}))
    with pytest.raises(ExplainerError, match="no valid schema version"):
        Trace.load(path)


def test_arrays_that_are_not_trace_names_or_shapes(tmp_path):
    meta = header("explainer.trace", 1, {"steps": ["a", "b"]})
    path = tmp_path / "x.safetensors"
    save_file({"weights": np.zeros((1, 2, 3), np.float32)}, path, metadata=meta)
    with pytest.raises(ExplainerError, match="not trace names"):
        Trace.load(path)
    save_file({"layers.0.h": np.zeros((2, 3), np.float32)}, path, metadata=meta)
    with pytest.raises(ExplainerError, match="damaged.*every array is \\[batch, time, size\\]"):
        Trace.load(path)
    save_file({"layers.0.h": np.zeros((1, 3, 3), np.float32)}, path, metadata=meta)
    with pytest.raises(ExplainerError, match="damaged.*3 steps but 2 step labels"):
        Trace.load(path)


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch /tmp/explainer-was-unpickled",))


def test_pickles_are_refused_without_being_run(tmp_path):
    marker = "/tmp/explainer-was-unpickled"
    if os.path.exists(marker):
        os.remove(marker)
    for name, data in {"p.pkl": pickle.dumps(_Boom()), "t.pt": None}.items():
        path = tmp_path / name
        if data is None:
            torch.save({"x": _Boom()}, path)  # a torch.save zip with a malicious pickle inside
        else:
            path.write_bytes(data)
        with pytest.raises(ExplainerError, match="pickle or torch.save file; explainer never unpickles"):
            Trace.load(path)
    assert not os.path.exists(marker)
