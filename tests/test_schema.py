"""One declared schema (explainer/schema.py) for trace and checkpoint metadata, checked at save and at load:
every file that breaks it is refused in one line naming the field, before any figure reads it; every
trace explainer saves loads back equal.
"""

from __future__ import annotations

import copy
import json
import re
import struct
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import save_file

import explainer
from explainer import ExplainerError, Trace, figures
from explainer.assets import checkpoint_path, trace_path
from explainer.checkpoint import Checkpoint, read_meta
from explainer.cli.main import cli
from explainer.describe import describe
from explainer.names import trace_names
from explainer.schema import MAX_DEPTH, MAX_LABEL

LANG_TRACE = trace_path("language-lstm")
SINE_CKPT = checkpoint_path("sine", "rnn", "seed")


def document(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The explainer document and the arrays of a file (read with safetensors, as a reference)."""
    from safetensors import safe_open

    with safe_open(str(path), "numpy") as f:
        return json.loads(f.metadata()["explainer"]), {k: f.get_tensor(k) for k in f.keys()}


def rewrite(src: Path, dst: Path, meta=None, arrays=None, raw: str | None = None) -> Path:
    """`src` with its meta and arrays changed by the functions given (or its document replaced by `raw`)."""
    doc, tensors = document(src)
    if meta:
        meta(doc["meta"])
    if arrays:
        arrays(tensors)
    save_file(tensors, dst, metadata={"explainer": raw if raw is not None else json.dumps(doc)})
    return dst


def refused(load, path, pattern: str) -> str:
    with pytest.raises(ExplainerError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message and re.search(pattern, message), message
    return message


def cli_refuses(args, pattern: str) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert re.search(pattern, lines[0]), lines[0]


def test_every_shipped_file_satisfies_the_schema(tmp_path):
    shipped = sorted(Path(trace_path("sine-rnn-seed")).parents[1].glob("**/*.safetensors"))
    assert len(shipped) == 29  # 13 checkpoints (sine 9, language 3, text 1) and 16 traces
    for path in shipped:
        if path.parent.name == "traces":
            trace = Trace.load(path)
            assert Trace.load(trace.save(tmp_path / path.name)).meta == trace.meta
        else:
            assert read_meta(path) == Checkpoint.load(path).meta
        describe(path)


# -- trace arrays ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.bool_, np.int64, np.complex64, np.float64])
def test_arrays_of_another_dtype_are_refused_in_memory_and_in_files(tmp_path, dtype):
    name = np.dtype(dtype).name
    with pytest.raises(ExplainerError, match=f"trace array 'layers.0.h' holds {name} values; a trace holds float32 or float16"):
        Trace({"layers.0.h": np.zeros((1, 2, 3), dtype)})
    path = rewrite(LANG_TRACE, tmp_path / "t.safetensors", arrays=lambda a: a.__setitem__("layers.0.gates.f", a["layers.0.gates.f"].astype(dtype)))
    for load in (Trace.load, describe):
        refused(load, path, f"is damaged: trace array 'layers.0.gates.f' holds {name} values")
    cli_refuses(["figure", "gates", "--trace", path, "-o", tmp_path / "g.png"], f"holds {name} values")


# -- trace metadata ---------------------------------------------------------------------------------
TRACE_CASES = {
    "units_found.gender a list": (lambda m: m["units_found"].__setitem__("gender", [7, 5]),
                                  r"metadata field units_found.gender should be a mapping, not a list"),
    "a found unit beyond the arrays": (lambda m: m["units_found"]["gender"].__setitem__("units", [7, 99]),
                                       r"units_found.gender.units names unit 99, but the layers have 32 units \(0 to 31\)"),
    "a found unit that is not an integer": (lambda m: m["units_found"]["gender"]["units"].__setitem__(0, 7.5),
                                            r"units_found.gender.units\[0\] should be an integer, not a number \(7.5\)"),
    "words shorter than the steps": (lambda m: m["words"].__setitem__("en", m["words"]["en"][:5]),
                                     r"words.en should have one entry per step: the trace has 16 steps but 5 step labels"),
    "a non-integer token id": (lambda m: m["token_ids"].__setitem__(3, "teacher"),
                               r"token_ids\[3\] should be an integer, not text \('teacher'\)"),
    "fewer targets than steps": (lambda m: m.__setitem__("targets", m["targets"][:-1]),
                                 r"targets should have one entry per step: the trace has 16 steps but 15 entries"),
    "a step label that is a number": (lambda m: m["steps"].__setitem__(3, 5),
                                      r"metadata field steps\[3\] should be text, not an integer \(5\)"),
    "a lone surrogate": (lambda m: m["steps"].__setitem__(0, "\ud800"),
                         r"steps\[0\] holds a lone surrogate \('\\ud800' at character 0\)"),
    "a 200,000-character label": (lambda m: m["steps"].__setitem__(0, "a" * 200_000),
                                  r"steps\[0\] holds 200,000 characters of text; at most 10,000"),
    "a 2,000-character label": (lambda m: m["words"]["zh"].__setitem__(0, "字" * 2000),
                                rf"words.zh\[0\] is 2,000 characters long; at most {MAX_LABEL:,} are allowed"),
    "an unknown cell kind": (lambda m: m.__setitem__("kind", "transformer"), r"kind should be one of 'rnn_tanh'"),
    "a negative seed": (lambda m: m.__setitem__("seed", -1), r"seed should be at least 0, not an integer \(-1\)"),
    "gender 2": (lambda m: m["gender"].__setitem__(0, 2), r"gender\[0\] should be at most 1, not an integer \(2\)"),
    "nonfinite counts as text": (lambda m: m.__setitem__("nonfinite", {"layers.0.c": "many"}),
                                 r"nonfinite.layers.0.c should be an integer"),
    "unit numbers for fewer columns": (lambda m: m.__setitem__("units", [0, 1, 2]),
                                       r"metadata field units has 3 unit numbers for 32 unit columns"),
}


@pytest.mark.parametrize("case", TRACE_CASES, ids=list(TRACE_CASES))
def test_trace_metadata_that_breaks_the_schema_is_refused_at_load_in_one_line(tmp_path, case):
    mutate, pattern = TRACE_CASES[case]
    path = rewrite(LANG_TRACE, tmp_path / "t.safetensors", meta=mutate)
    start = time.monotonic()
    message = refused(Trace.load, path, pattern)
    assert message.startswith(f"'{path}' is damaged: trace metadata field ")
    refused(describe, path, pattern)
    assert time.monotonic() - start < 2
    meta = copy.deepcopy(Trace.load(LANG_TRACE).meta)
    mutate(meta)
    with pytest.raises(ExplainerError, match=pattern):  # the same schema for a trace made in Python
        Trace(dict(Trace.load(LANG_TRACE)), meta)


@pytest.mark.parametrize("case, figure", [("units_found.gender a list", "gates"), ("a found unit beyond the arrays", "forget-reset"),
                                          ("words shorter than the steps", "unrolled"), ("a non-integer token id", "forget-reset"),
                                          ("a lone surrogate", "unrolled"), ("a 200,000-character label", "gates")])
def test_the_commands_refuse_such_a_trace_in_one_line(tmp_path, case, figure):
    mutate, pattern = TRACE_CASES[case]
    path = rewrite(LANG_TRACE, tmp_path / "t.safetensors", meta=mutate)
    cli_refuses(["figure", figure, "--trace", path, "-o", tmp_path / "f.png"], pattern)
    cli_refuses(["inspect", path], pattern)
    assert not (tmp_path / "f.png").exists()


def test_deeply_nested_metadata_is_refused_before_json_recursion(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    raw = '{"format": "explainer.trace", "schema": 1, "meta": {"deep": ' + deep + "}}"
    path = rewrite(LANG_TRACE, tmp_path / "d.safetensors", raw=raw)
    for load in (Trace.load, describe):
        refused(load, path, rf"has damaged metadata \(its metadata nests more than {MAX_DEPTH + 2} levels deep\)")
    header = b'{"__metadata__": {"a": "b"}, "x": ' + deep.encode() + b"}"
    (tmp_path / "h.safetensors").write_bytes(struct.pack("<Q", len(header)) + header)
    refused(Trace.load, tmp_path / "h.safetensors", r"not a readable trace file: .*\(its header nests more than")
    cli_refuses(["inspect", path], "nests more than")


def test_nesting_is_bounded_the_same_at_save_and_at_load(tmp_path):
    trace = explainer.record(torch.nn.GRU(1, 2), torch.randn(2, 1))

    def nested(levels):  # the meta mapping is level 1
        value: list | int = 0
        for _ in range(levels - 1):
            value = [value]
        return value

    deepest = Trace(dict(trace), {**trace.meta, "x_deep": nested(MAX_DEPTH)})
    assert Trace.load(deepest.save(tmp_path / "ok.safetensors")).meta == deepest.meta
    with pytest.raises(ExplainerError, match=f"trace metadata field x_deep.* nests more than {MAX_DEPTH} levels deep"):
        Trace(dict(trace), {**trace.meta, "x_deep": nested(MAX_DEPTH + 1)})
    deepest.meta["x_deep"] = nested(MAX_DEPTH + 1)  # changed after it was made: refused when saved
    with pytest.raises(ExplainerError, match=r"not writing '.*bad.safetensors': trace metadata field x_deep"):
        deepest.save(tmp_path / "bad.safetensors")
    assert not (tmp_path / "bad.safetensors").exists()
    recursive: dict = {}
    recursive["self"] = recursive
    with pytest.raises(ExplainerError, match="nests more than"):
        Trace(dict(trace), {**trace.meta, "loop": recursive})


def test_labels_from_python_are_checked_when_recorded():
    rnn = torch.nn.RNN(1, 2)
    with pytest.raises(ExplainerError, match=r"trace metadata field steps\[1\] holds a lone surrogate"):
        explainer.record(rnn, torch.randn(2, 1), steps=["a", "\ud800"])
    with pytest.raises(ExplainerError, match=rf"steps\[0\] is 1,001 characters long; at most {MAX_LABEL:,}"):
        explainer.record(rnn, torch.randn(1, 1), steps=["x" * (MAX_LABEL + 1)])
    assert explainer.record(rnn, torch.randn(1, 1), steps=["x" * MAX_LABEL]).steps == ["x" * MAX_LABEL]


def test_numpy_values_in_meta_are_plain_numbers_and_other_objects_are_refused(tmp_path):
    rnn = torch.nn.RNN(1, 2)
    trace = explainer.record(rnn, torch.randn(3, 1), meta={"seed": np.int64(3), "rate": np.float32(0.5),
                                                           "flags": np.array([True, False]), "pair": (1, 2)})
    assert type(trace.meta["seed"]) is int and trace.meta["rate"] == 0.5 and trace.meta["flags"] == [True, False]
    back = Trace.load(trace.save(tmp_path / "t.safetensors"))
    assert back.meta == trace.meta and back.meta["seed"] == 3 and back.meta["pair"] == [1, 2]
    for meta, pattern in [({"x": object()}, r"field x should be JSON data .*not object"),
                          ({"x": float("nan")}, r"field x should be a finite number, not nan"),
                          ({"x": {1: 2}}, r"field x has a key 1 that is not text"),
                          ({"seed": "three"}, r"field seed should be an integer, not text")]:
        with pytest.raises(ExplainerError, match=pattern):
            explainer.record(rnn, torch.randn(3, 1), meta=meta)
        with pytest.raises(ExplainerError, match="trace metadata " + pattern):
            Trace(dict(trace), {**trace.meta, **meta})


def test_a_trace_without_arrays_or_with_other_names_is_not_saved(tmp_path):
    with pytest.raises(ExplainerError, match=r"not writing '.*e.safetensors': trace holds no arrays"):
        Trace({}).save(tmp_path / "e.safetensors")
    with pytest.raises(ExplainerError, match=r"not writing .*trace holds arrays that are not trace names \('weights'\)"):
        Trace({"weights": np.zeros((1, 2, 3), np.float32)}).save(tmp_path / "w.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_checkpoint_metadata_given_in_python_is_checked_too():
    meta = copy.deepcopy(read_meta(SINE_CKPT))
    meta["eval"]["data_seed"] = -1
    with pytest.raises(ExplainerError, match=r"^the given checkpoint metadata is damaged: metadata field eval.data_seed "
                                             r"should be at least 0"):
        figures.make("shapes", meta)


def test_select_cuts_the_per_step_and_per_row_metadata_with_the_arrays():
    trace = Trace.load(LANG_TRACE)
    cut = trace.select(steps=[4, 5, 6])
    assert cut.steps == trace.steps[4:7] and cut.meta["words"]["zh"] == trace.meta["words"]["zh"][4:7]
    assert cut.meta["targets"] == trace.meta["targets"][4:7] and cut.meta["token_ids"] == trace.meta["token_ids"][4:7]
    windows = Trace.load(trace_path("sine-rnn-seed-windows"))
    assert windows.select(batch=[1, 3]).meta["window_starts"] == [windows.meta["window_starts"][i] for i in (1, 3)]


# -- checkpoint metadata ------------------------------------------------------------------------------
CHECKPOINT_CASES = {
    "no eval": (lambda m: m.pop("eval"), r"the eval section is missing", "predict"),
    "empty metrics": (lambda m: m.__setitem__("metrics", {}),
                      r"the sine metrics \(mse_single, mse_multi, noise_floor\) are missing", "multistep"),
    "eval.data_seed -1": (lambda m: m["eval"].__setitem__("data_seed", -1),
                          r"metadata field eval.data_seed should be at least 0, not an integer \(-1\)",
                          "shapes"),
    "train.optimizer null": (lambda m: m["train"].__setitem__("optimizer", None),
                             r"metadata field train.optimizer should be text, not null", "loss"),
    "an unknown optimizer": (lambda m: m["train"].__setitem__("optimizer", "lbfgs"),
                             r"metadata field train.optimizer should be one of sgd, adam, not 'lbfgs'", "loss"),
    "a task option missing": (lambda m: m["train"].pop("seq_len"), r"metadata field train.seq_len is missing", "data"),
    "no history": (lambda m: m.pop("history"), r"the history section is missing", "loss"),
    "a loss as text": (lambda m: m["history"]["loss"].__setitem__(2, "low"),
                       r"metadata field history.loss\[2\] should be a number, not text", "loss"),
    "predictions shorter than x": (lambda m: m["eval"].__setitem__("single", m["eval"]["single"][:10]),
                                   r"metadata field eval has 80 x values but 10 single values", "predict"),
    "a metric as text": (lambda m: m["metrics"].__setitem__("mse_single", "small"),
                         r"metadata field metrics.mse_single should be a number, not text", "multistep"),
    "an unknown cell kind": (lambda m: m["model"].__setitem__("kind", "lstm2"), r"metadata field model.kind should be one of",
                             "predict"),
}


@pytest.mark.parametrize("case", CHECKPOINT_CASES, ids=list(CHECKPOINT_CASES))
def test_checkpoint_metadata_that_breaks_the_schema_is_refused_in_one_line(tmp_path, case):
    mutate, pattern, figure = CHECKPOINT_CASES[case]
    path = rewrite(SINE_CKPT, tmp_path / "c.safetensors", meta=mutate)
    for load in (read_meta, Checkpoint.load, describe, lambda p: figures.make(figure, p)):
        refused(load, path, rf"^'{re.escape(str(path))}' is a damaged checkpoint: {pattern}")
    cli_refuses(["figure", figure, "--checkpoint", path, "-o", tmp_path / "f.png"], pattern)
    ckpt = Checkpoint.load(SINE_CKPT)
    mutate(ckpt.meta)
    with pytest.raises(ExplainerError, match=r"^not writing '.*new.safetensors': it would be a damaged checkpoint: " + pattern):
        ckpt.save(tmp_path / "new.safetensors")
    assert not (tmp_path / "new.safetensors").exists()


def test_language_checkpoints_have_their_units_within_the_model():
    path = checkpoint_path("language", "lstm")
    assert read_meta(path)["units"]["gender"]["state"] == "c"


def test_checkpoint_weights_of_another_dtype_are_refused(tmp_path):
    path = rewrite(SINE_CKPT, tmp_path / "c.safetensors", arrays=lambda a: a.__setitem__("readout.bias", a["readout.bias"].astype(np.int64)))
    refused(read_meta, path, r"damaged checkpoint: weight 'readout.bias' holds int64 values; a checkpoint holds float32 or float16")


# -- any trace explainer saves loads back ----------------------------------------------------------------
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.floats(allow_nan=False, allow_infinity=False)
                    | TEXT, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


@st.composite
def traces(draw):
    kind = draw(st.sampled_from(["rnn_tanh", "rnn_relu", "lstm", "gru"]))
    available = trace_names(kind, draw(st.integers(1, 2)), draw(st.booleans()), draw(st.booleans()))
    names = draw(st.lists(st.sampled_from(available), min_size=1, max_size=len(available), unique=True))
    batch, steps, hidden = draw(st.integers(0, 3)), draw(st.integers(0, 5)), draw(st.integers(1, 4))
    dtype = draw(st.sampled_from([np.float32, np.float16]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    arrays = {n: rng.standard_normal((batch, steps, hidden if n.startswith("layers.") else draw(st.integers(1, 3))))
              .astype(dtype) for n in names}
    labels = draw(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
                           min_size=steps, max_size=steps))
    meta = {"kind": kind, "steps": labels, "seed": draw(st.none() | st.integers(0, 2**64)), "task": draw(st.none() | TEXT),
            "dtype": np.dtype(dtype).name, **draw(st.dictionaries(TEXT.map(lambda k: "x_" + k), JSON, max_size=3))}
    if draw(st.booleans()):
        meta["words"] = {"en": labels, "zh": draw(st.lists(TEXT, min_size=steps, max_size=steps))}
    if draw(st.booleans()):
        meta["window_starts"] = draw(st.lists(st.integers(0, 10**6), min_size=batch, max_size=batch))
    return Trace(arrays, meta)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trace=traces())
def test_any_trace_explainer_saves_loads_back_equal(tmp_path_factory, trace):
    path = trace.save(tmp_path_factory.mktemp("prop") / "t.safetensors")
    back = Trace.load(path)
    assert back.names == trace.names and back.meta == trace.meta
    for name in trace.names:
        assert back[name].dtype == trace[name].dtype and back[name].shape == trace[name].shape
        np.testing.assert_array_equal(back[name], trace[name])
    assert describe(path)["arrays"] == [{"name": n, "shape": list(trace[n].shape), "dtype": trace[n].dtype.name,
                                         "bytes": trace[n].nbytes} for n in trace.names]
