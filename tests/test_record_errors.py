"""The Python API answers a caller's bad input with `ExplainerError`, never a raw torch/numpy/json exception.

One table of cases, each a call and what it must give: `ERR` (an ExplainerError whose one
line contains the given words) or a check of the correct result. It covers `explainer.record`
(models, inputs, initial states, names, dtypes, interventions, step labels, metadata),
`Trace(...)` and `Trace.select`, the reading layer, `figures.make` and `figures.save`, and
the option checks of `animations.render` / `Scene.of` (refused before anything renders).

Choices made for inputs torch itself refuses to mix: an input of another float dtype than
the model's (float64 into a float32 LSTM) is cast to the model's dtype; a bfloat16 or
float64 model computes in its dtype and its values are stored as float32 (or float16).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
import torch

import explainer
from explainer import assets, figures, reading
from explainer.errors import ExplainerError
from explainer.models import TokenModel
from explainer.trace import Trace

A = f"{assets.root()}/traces/"


@dataclass(frozen=True)
class Case:
    call: Callable[[], Any]
    error: str | None = None  # words of the one-line error; None: the call succeeds
    check: Callable[[Any], bool] | None = None  # what the result must satisfy


def ERR(words: str) -> Callable[[Callable], Case]:
    return lambda call: Case(call, words)


def OK(call: Callable, check: Callable[[Any], bool] = lambda r: True) -> Case:
    return Case(call, None, check)


def lstm(**kw) -> torch.nn.LSTM:
    return torch.nn.LSTM(3, 4, **kw)


def gru(**kw) -> torch.nn.GRU:
    return torch.nn.GRU(3, 4, **kw)


def x(*shape, dtype=torch.float32) -> torch.Tensor:
    return torch.randn(*(shape or (5, 2, 3))).to(dtype)


def record(model=None, inp=None, **kw):
    return explainer.record(lstm() if model is None else model, x() if inp is None else inp, **kw)


def finite_float32(t: Trace) -> bool:
    return all(t[n].dtype == np.float32 and np.isfinite(t[n]).all() for n in t.names)


def lang_trace() -> Trace:
    return Trace.load(A + "language-lstm.safetensors")


#: the shipped language LSTM's discovered gender units, by their numbers in the model
GENDER = lang_trace().meta["units_found"]["gender"]["units"]
GENDER_LISTED = ", ".join(map(str, GENDER))


def sine_trace() -> Trace:
    return Trace.load(A + "sine-rnn-seed.safetensors")


def small() -> Trace:
    return record(names=["layers.0.*"])


def token_model() -> TokenModel:
    return TokenModel("lstm", vocab_size=7, num_classes=2, embed_size=3, hidden_size=4)


class Odd:
    """Neither a number nor an array nor a function."""


RECORD = {
    # the model
    "model: a string": ERR("can only record a torch module")(lambda: explainer.record("lstm", x())),
    "model: None": ERR("can only record a torch module")(lambda: explainer.record(None, x())),
    "model: a Linear layer": ERR("cannot record a Linear")(lambda: explainer.record(torch.nn.Linear(3, 4), x())),
    "model: a module whose core is a Linear": ERR("cannot record")(
        lambda: explainer.record(type("M", (torch.nn.Module,), {})().add_module("core", torch.nn.Linear(2, 2)) or
                                 torch.nn.Module(), x())),
    # the input
    "x: a list": ERR("must be a torch.Tensor")(lambda: record(inp=[[0.0, 1.0, 2.0]])),
    "x: a numpy array": ERR("must be a torch.Tensor")(lambda: record(inp=np.zeros((5, 3), np.float32))),
    "x: None": ERR("must be a torch.Tensor")(lambda: explainer.record(lstm(), None)),
    "x: integer tensor to a float model": ERR("token ids")(lambda: record(inp=torch.ones(5, 2, 3, dtype=torch.long))),
    "x: bool tensor": ERR("float")(lambda: record(inp=torch.ones(5, 2, 3, dtype=torch.bool))),
    "x: complex tensor": ERR("float")(lambda: record(inp=torch.ones(5, 2, 3, dtype=torch.complex64))),
    "x: one dimension": ERR("input has shape (3,)")(lambda: record(inp=torch.randn(3))),
    "x: four dimensions": ERR("input has shape")(lambda: record(inp=torch.randn(1, 5, 2, 3))),
    "x: wrong input size": ERR("input has 7 features per step")(lambda: record(inp=torch.randn(5, 2, 7))),
    "x: zero steps": ERR("at least one step")(lambda: record(inp=torch.randn(0, 2, 3))),
    "x: zero rows": ERR("at least one step and one row")(lambda: record(inp=torch.randn(5, 0, 3))),
    "x: NaN values are recorded and counted": OK(lambda: record(inp=torch.full((5, 2, 3), float("nan"))),
                                                 lambda t: sum(t.meta["nonfinite"].values()) > 0),
    "x: float64 into a float32 LSTM is cast": OK(lambda: record(inp=x(dtype=torch.float64)), finite_float32),
    "x: float16 into a float32 LSTM is cast": OK(lambda: record(inp=x(dtype=torch.float16)), finite_float32),
    "x: float64 into a float32 GRU with an intervention is cast": OK(
        lambda: record(gru(), x(dtype=torch.float64), intervene={"layers.0.gates.z": 0.5}), finite_float32),
    "x: unbatched [time, input]": OK(lambda: record(inp=torch.randn(5, 3)), lambda t: t.batch_size == 1),
    "x: batch_first": OK(lambda: record(lstm(batch_first=True), torch.randn(2, 5, 3)),
                         lambda t: (t.batch_size, t.num_steps) == (2, 5)),
    "x: requires grad": OK(lambda: record(inp=x().requires_grad_()), finite_float32),
    "model: bfloat16 LSTM": OK(lambda: record(lstm().to(torch.bfloat16), x()), finite_float32),
    "model: bfloat16 LSTM, bfloat16 input": OK(lambda: record(lstm().to(torch.bfloat16), x(dtype=torch.bfloat16)),
                                               finite_float32),
    "model: bfloat16 LSTM stored as float16": OK(lambda: record(lstm().to(torch.bfloat16), x(), dtype="float16"),
                                                 lambda t: t["layers.0.h"].dtype == np.float16),
    "model: bfloat16 GRU with an intervention": OK(
        lambda: record(gru().to(torch.bfloat16), x(), intervene={"layers.0.gates.z": 0.5}), finite_float32),
    "model: float64 LSTM, float32 input": OK(lambda: record(lstm().double(), x()), finite_float32),
    "model: float64 RNN": OK(lambda: record(torch.nn.RNN(3, 4).double(), x(dtype=torch.float64)), finite_float32),
    "model: float16 LSTM": OK(lambda: record(lstm().half(), x()), finite_float32),
    "model: left in training mode, recorded in eval, restored": OK(
        lambda: (lambda m: (record(m.train(), x()), m.training))(lstm(dropout=0.5, num_layers=2)),
        lambda r: r[1] is True),
    # token models
    "tokens: float input to a token model": ERR("reads token ids")(lambda: explainer.record(token_model(), x())),
    "tokens: ids beyond the vocabulary": ERR("token ids must lie in 0..6")(
        lambda: explainer.record(token_model(), torch.tensor([[1, 9]]))),
    "tokens: negative ids": ERR("token ids must lie in 0..6")(
        lambda: explainer.record(token_model(), torch.tensor([[1, -1]]))),
    "tokens: three dimensions": ERR("reads token ids")(
        lambda: explainer.record(token_model(), torch.ones(1, 2, 3, dtype=torch.long))),
    "tokens: valid ids": OK(lambda: explainer.record(token_model(), torch.tensor([[1, 2, 3]])),
                            lambda t: "output" in t.names),
    # the initial state
    "h0: wrong shape": ERR("h0 has shape")(lambda: record(gru(), x(), h0=torch.zeros(1, 3, 4))),
    "h0: a list": ERR("h0")(lambda: record(gru(), x(), h0=[[0.0] * 4] * 2)),
    "h0: a number": ERR("h0")(lambda: record(gru(), x(), h0=0.0)),
    "h0: one tensor for an LSTM": ERR("is a pair (h0, c0)")(lambda: record(lstm(), x(), h0=torch.zeros(1, 2, 4))),
    "h0: a pair for a GRU": ERR("is one tensor h0")(
        lambda: record(gru(), x(), h0=(torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)))),
    "h0: c0 of the wrong shape": ERR("c0 has shape")(
        lambda: record(lstm(), x(), h0=(torch.zeros(1, 2, 4), torch.zeros(1, 2, 5)))),
    "h0: c0 None in the pair": ERR("c0")(lambda: record(lstm(), x(), h0=(torch.zeros(1, 2, 4), None))),
    "h0: float64 state for a float32 LSTM": OK(
        lambda: record(lstm(), x(), h0=(torch.zeros(1, 2, 4, dtype=torch.float64),) * 2), finite_float32),
    "h0: integer state": OK(lambda: record(gru(), x(), h0=torch.zeros(1, 2, 4, dtype=torch.long)), finite_float32),
    # names and dtype
    "names: nothing matches": ERR("no recorded name matches 'layers.9.h'")(lambda: record(names=["layers.9.h"])),
    "names: a number": ERR("names")(lambda: record(names=[3])),
    "names: not a list": ERR("names")(lambda: record(names=3)),
    "names: empty list": ERR("names")(lambda: record(names=[])),
    "names: only the forget gate": OK(lambda: record(names=["layers.0.gates.f"]), lambda t: t.names == ["layers.0.gates.f"]),
    "dtype: float64": ERR("unknown dtype 'float64'")(lambda: record(dtype="float64")),
    "dtype: None": ERR("unknown dtype")(lambda: record(dtype=None)),
    "dtype: a numpy dtype": ERR("unknown dtype")(lambda: record(dtype=np.float16)),
    # interventions
    "intervene: a function returning None": ERR("returned None")(
        lambda: record(intervene={"layers.0.gates.f": lambda v: None})),
    "intervene: a function returning text": ERR("returned a str")(
        lambda: record(intervene={"layers.0.gates.f": lambda v: "open"})),
    "intervene: a function returning the wrong shape": ERR("returned shape (7,)")(
        lambda: record(intervene={"layers.0.gates.f": lambda v: torch.zeros(7)})),
    "intervene: a function returning NaN": ERR("NaN or Inf")(
        lambda: record(intervene={"layers.0.gates.f": lambda v: v * float("nan")})),
    "intervene: a function returning a list": OK(
        lambda: record(intervene={"layers.0.gates.f": lambda v: [1.0] * 4}),
        lambda t: np.allclose(t["layers.0.gates.f"], 1.0)),
    "intervene: a function returning a numpy array": OK(
        lambda: record(intervene={"layers.0.gates.f": lambda v, t: np.ones(4) * (t % 2)}),
        lambda t: np.allclose(t["layers.0.gates.f"][:, 1], 1.0)),
    "intervene: a function that raises": ERR("raised ZeroDivisionError")(
        lambda: record(intervene={"layers.0.gates.f": lambda v: 1 / 0})),
    "intervene: a function of three arguments": ERR("intervention on 'layers.0.gates.f'")(
        lambda: record(intervene={"layers.0.gates.f": lambda a, b, c: a})),
    "intervene: a NaN constant": ERR("NaN or Inf")(lambda: record(intervene={"layers.0.gates.f": float("nan")})),
    "intervene: an infinite constant": ERR("NaN or Inf")(lambda: record(intervene={"layers.0.gates.f": math.inf})),
    "intervene: a text constant": ERR("must be a number, an array or a function")(
        lambda: record(intervene={"layers.0.gates.f": "open"})),
    "intervene: None": ERR("must be a number, an array or a function")(
        lambda: record(intervene={"layers.0.gates.f": None})),
    "intervene: an object": ERR("must be a number, an array or a function")(
        lambda: record(intervene={"layers.0.gates.f": Odd()})),
    "intervene: an array of the wrong shape": ERR("must broadcast")(
        lambda: record(intervene={"layers.0.gates.f": np.ones(7)})),
    "intervene: a name that matches nothing": ERR("no recorded name matches 'layers.0.gates.q'")(
        lambda: record(intervene={"layers.0.gates.q": 1.0})),
    "intervene: the input (not a layer value)": ERR("no recorded name matches 'input'")(
        lambda: record(intervene={"input": 1.0})),
    "intervene: a key that is not text": ERR("intervene")(lambda: record(intervene={3: 1.0})),
    "intervene: not a mapping": ERR("intervene")(lambda: record(intervene=[("layers.0.gates.f", 1.0)])),
    "intervene: a bool constant": ERR("must be a number, an array or a function")(
        lambda: record(intervene={"layers.0.gates.f": True})),
    "intervene: a tensor constant": OK(lambda: record(intervene={"layers.0.gates.f": torch.tensor(0.5)}),
                                       lambda t: np.allclose(t["layers.0.gates.f"], 0.5)),
    "intervene: marked in the metadata": OK(lambda: record(intervene={"layers.0.gates.f": 1.0}),
                                            lambda t: t.meta["intervened"] == {"layers.0.gates.f": "constant 1"}),
    # step labels and metadata
    "steps: too few labels": ERR("2 step labels given for 5 steps")(lambda: record(steps=["a", "b"])),
    "steps: a number": ERR("steps")(lambda: record(steps=5)),
    "steps: a string of the right length is one label per character": OK(lambda: record(steps="abcde"),
                                                                         lambda t: t.steps == list("abcde")),
    "meta: not a mapping": ERR("meta")(lambda: record(meta=["task", "sine"])),
    "meta: numpy scalars are converted": OK(lambda: record(meta={"seed": np.int64(3), "lr": np.float32(0.5)}),
                                            lambda t: type(t.meta["seed"]) is int and type(t.meta["lr"]) is float),
    "meta: numpy arrays and tuples become lists": OK(lambda: record(meta={"xs": np.arange(3), "pair": (1, 2)}),
                                                     lambda t: t.meta["xs"] == [0, 1, 2] and t.meta["pair"] == [1, 2]),
    "meta: a numpy bool": OK(lambda: record(meta={"flag": np.bool_(True)}), lambda t: t.meta["flag"] is True),
    "meta: a set": ERR("meta")(lambda: record(meta={"tags": {1, 2}})),
    "meta: a function": ERR("meta")(lambda: record(meta={"f": print})),
    "meta: a non-text key": ERR("meta")(lambda: record(meta={3: "x"})),
    "meta: NaN": ERR("meta")(lambda: record(meta={"score": float("nan")})),
    "meta: steps of the wrong length": ERR("steps")(lambda: record(meta={"steps": ["a"]})),
    "meta: an unknown kind": ERR("kind")(lambda: record(meta={"kind": "transformer"})),
    "meta: saved and loaded back": OK(lambda: record(meta={"seed": np.int64(3)}).meta["seed"], lambda s: s == 3),
}


def zeros(*shape) -> np.ndarray:
    return np.zeros(shape, np.float32)


TRACE = {  # (the messages of the metadata schema, explainer/schema.py)
    "Trace: a list instead of a mapping": ERR("a mapping of names to arrays, not a list")(lambda: Trace([1, 2])),
    "select: a number for names": ERR("names must be a name or glob pattern")(lambda: small().select(3)),
    "select: a list of numbers for names": ERR("names must be a name or glob pattern")(lambda: small().select([3])),
    "Trace: a 2-D array": ERR("every array is [batch, time, size]")(lambda: Trace({"layers.0.h": zeros(2, 3)})),
    "Trace: arrays disagree on [batch, time]": ERR("covers [batch, time]")(
        lambda: Trace({"layers.0.h": zeros(1, 3, 2), "layers.0.c": zeros(1, 4, 2)})),
    "Trace: integer arrays": ERR("float32 or float16")(lambda: Trace({"layers.0.h": np.zeros((1, 2, 2), int)})),
    "Trace: an unknown kind": ERR("kind")(lambda: Trace({}, {"kind": "cnn"})),
    "Trace: step labels of the wrong length": ERR("3 steps but 2 step labels")(
        lambda: Trace({"layers.0.h": zeros(1, 3, 2)}, {"steps": ["a", "b"]})),
    "Trace: step labels that are not text": ERR("steps[0] should be text")(
        lambda: Trace({"layers.0.h": zeros(1, 2, 2)}, {"steps": [1, 2]})),
    "Trace: units_found as a list": ERR("units_found should be a mapping")(lambda: Trace({}, {"units_found": [1, 2]})),
    "Trace: token_ids as text": ERR("token_ids should be a list")(lambda: Trace({}, {"token_ids": "abc"})),
    "Trace: meta not a mapping": ERR("should be a mapping")(lambda: Trace({}, [1, 2])),
    "Trace: no arrays": OK(lambda: Trace({}), lambda t: (t.batch_size, t.num_steps) == (0, 0)),
    "select: an unknown name": ERR("no recorded name matches 'layers.5.h'")(lambda: small().select("layers.5.h")),
    "select: a step out of range": ERR("step 9 is out of range")(lambda: small().select(steps=[9])),
    "select: a negative step out of range": ERR("step -9 is out of range")(lambda: small().select(steps=[-9])),
    "select: a unit out of range": ERR("is out of range")(lambda: small().select(units=[4])),
    "select: a batch row out of range": ERR("batch row 2 is out of range")(lambda: small().select(batch=[2])),
    "select: a float step": ERR("index must be an integer, got 1.5")(lambda: small().select(steps=[1.5])),
    "select: a bool unit": ERR("index must be an integer, got True")(lambda: small().select(units=[True])),
    "select: a text step": ERR("index must be an integer")(lambda: small().select(steps="1")),
    "select: a slice of steps": OK(lambda: small().select(steps=slice(1, 3)), lambda t: t.num_steps == 2),
    "select: negative indices count from the end": OK(lambda: small().select(steps=[-1]),
                                                      lambda t: t.steps == ["4"]),
    "select: units keep their numbers": OK(lambda: small().select(units=[3, 1]), lambda t: t.meta["units"] == [3, 1]),
    "select: no units": OK(lambda: small().select(units=[]), lambda t: t["layers.0.h"].shape[2] == 0),
}


READING = {
    "check_step: text": ERR("--step must be an integer, got '3'")(lambda: reading.check_step(small(), "3")),
    "check_step: float": ERR("--step must be an integer, got 1.5")(lambda: reading.check_step(small(), 1.5)),
    "check_step: bool": ERR("--step must be an integer, got True")(lambda: reading.check_step(small(), True)),
    "check_step: negative": ERR("--step -1 is out of range: this trace has 5 steps; choose 0 to 4")(
        lambda: reading.check_step(small(), -1)),
    "check_step: too large": ERR("--step 5 is out of range")(lambda: reading.check_step(small(), 5)),
    "check_step: no steps": ERR("this trace has no steps")(lambda: reading.check_step(small().select(steps=[]), None)),
    "check_step: one step": ERR("the only step is 0")(lambda: reading.check_step(small().select(steps=[0]), 1)),
    "check_row: too large": ERR("--row 2 is out of range")(lambda: reading.check_row(small(), 2)),
    "check_row: no rows": ERR("no batch rows")(lambda: reading.check_row(small().select(batch=[]), None)),
    "check_layer: absent": ERR("--layer 3 is not in this trace; it holds layer(s) 0")(
        lambda: reading.check_layer(small(), 3)),
    "check_layer: text": ERR("--layer must be an integer")(lambda: reading.check_layer(small(), "0")),
    "check_units: empty": ERR("--units is empty")(lambda: reading.check_units(small(), [])),
    "check_units: absent": ERR("--units 9 is not a unit of this trace; it holds units 0 to 3")(
        lambda: reading.check_units(small(), [9])),
    "check_units: a float": ERR("--units 1.5 is not a unit")(lambda: reading.check_units(small(), [1.5])),
    "needs: a missing gate": ERR("has no layers.0.gates.i")(
        lambda: reading.needs(record(names=["layers.0.gates.f"]), "layers.0.gates.i", by="figure x")),
    "needs: no units": ERR("has no units (hidden size 0)")(
        lambda: reading.needs(small().select(units=[]), "layers.0.h", by="figure x")),
    "needs: too few steps": ERR("figure x needs at least 2 steps")(
        lambda: reading.needs(small().select(steps=[0]), "layers.0.h", by="figure x", steps=2)),
    "needs: too many steps": ERR("figure x shows every step, at most 3")(
        lambda: reading.needs(small(), "layers.0.h", by="figure x", most_steps=3)),
    "needs: projected h": ERR("draws an LSTM without projection")(
        lambda: reading.needs(record(lstm(proj_size=2)), "layers.0.h", "layers.0.c", by="figure x", same_units=True)),
    "require_found: none stored": ERR("this trace has none (meta units_found.gender)")(
        lambda: reading.require_found(small(), "figure x")),
    "require_found: cut away": ERR(f"the discovered gender units ({GENDER_LISTED}) are not in this trace's layers.0.c "
                                   "(it holds units 0 to 1)")(
        lambda: reading.require_found(lang_trace().select(units=[0, 1]), "figure x")),
    "require_found: their state not recorded": ERR("live in layer 0's c, which this trace does not hold")(
        lambda: reading.require_found(lang_trace().select(["output"]), "figure x")),
    "found_units: numbered by the gates when C is not recorded": OK(
        lambda: reading.found_units(lang_trace().select(["layers.0.gates.*"])), lambda f: f.numbers == GENDER),
    "Passage: a sine trace": ERR("this trace lacks")(lambda: reading.Passage.of(sine_trace(), "en")),
    "Passage: no rows": ERR("no batch rows")(lambda: reading.Passage.of(lang_trace().select(batch=[]), "en")),
    "model_name: no kind": OK(lambda: reading.model_name(Trace({"layers.0.h": zeros(1, 2, 2)}), "en"),
                              lambda s: s == "RNN"),
    "bin_mean: bins of a long axis": OK(lambda: reading.bin_mean(np.arange(10.0)[:, None], 4)[:, 0],
                                        lambda b: list(b) == [1.5, 5.5, 8.5]),
}


FIGURES = {
    "make: an unknown figure": ERR("unknown figure 'gatez'")(lambda: figures.make("gatez")),
    "make: an unknown language": ERR("fr")(lambda: figures.make("gates", lang="fr")),
    "make: an option the figure does not take": ERR("figure gates takes no --focus")(
        lambda: figures.make("gates", focus="forget")),
    "make: an unknown focus": ERR("unknown --focus 'memory'")(lambda: figures.make("lstm-cell", focus="memory")),
    "make: a step out of range": ERR("--step 99 is out of range")(lambda: figures.make("lstm-cell", step=99)),
    "make: too many units": ERR("at most 3 units")(lambda: figures.make("lstm-cell", units=[0, 1, 2, 3])),
    "make: a missing trace file": ERR("no-such.safetensors")(lambda: figures.make("gates", "no-such.safetensors")),
    "make: an RNN trace for an LSTM figure": ERR("needs a LSTM trace")(lambda: figures.make("gate-unit", sine_trace())),
    "make: a trace without a kind for an LSTM figure": ERR("does not say which cell kind")(
        lambda: figures.make("gate-unit", Trace({"layers.0.h": zeros(1, 2, 2)}))),
    "make: a dict for a trace figure": ERR("figure gates reads a trace")(lambda: figures.make("gates", {"kind": "lstm"})),
    "make: a trace for a checkpoint figure": ERR("figure loss reads a checkpoint")(
        lambda: figures.make("loss", sine_trace())),
    "make: a number as the source": ERR("figure unrolled reads a trace")(lambda: figures.make("unrolled", 3)),
    "make: a trace from another task": ERR("needs a language trace")(
        lambda: figures.make("forget-reset", record(names=None, meta={"task": "sine"}))),
    "make: gate-unit on one step": ERR("figure gate-unit needs at least 2 steps")(
        lambda: figures.make("gate-unit", lang_trace().select(steps=[3]))),
    "make: unrolled without a kind draws an RNN": OK(
        lambda: figures.make("unrolled", Trace({"layers.0.h": zeros(1, 3, 2)}))),
    "save: an unknown suffix": ERR("cannot tell the format")(
        lambda: figures.save(figures.make("unrolled", small()), "figure.jpg")),
    "save: an absurd dpi": ERR("--dpi must be between 10 and 1200")(
        lambda: figures.save(figures.make("unrolled", small()), "figure.png", dpi=0)),
}


def scene(name: str, traces=None, **options):
    from animations.registry import get

    return get(name).cls.of(traces, **options)


def render(name: str, **kw):
    from animations import render as render_scene

    return render_scene(name, output=kw.pop("output", "scene.png"), resolution=(160, 90), **kw)


SCENES = {
    "render: an unknown scene": ERR("unknown scene 'ForgetGates'")(lambda: render("ForgetGates")),
    "render: an option the scene does not read": ERR("scene SinePrediction takes no --step")(
        lambda: render("SinePrediction", step=3)),
    "render: an unknown option": ERR("takes no --speed")(lambda: render("ForgetGate", speed=2)),
    "render: an unknown language": ERR("fr")(lambda: render("ForgetGate", lang="fr")),
    "render: an unknown quality": ERR("quality")(lambda: render("ForgetGate", quality="x")),
    "render: an absurd fps": ERR("--fps must be between 1 and 120")(lambda: render("ForgetGate", fps=0)),
    "render: an unknown format": ERR("cannot tell the format")(lambda: render("ForgetGate", output="scene.jpg")),
    "render: one trace for LongRange": ERR("reads 2 trace(s), 1 were given")(
        lambda: render("LongRange", traces=[A + "language-lstm-long.safetensors"])),
    "Scene.of: a step out of range": ERR("--step 99 is out of range")(lambda: scene("ForgetGate", step=99)),
    "Scene.of: an RNN trace for an LSTM scene": ERR("needs an LSTM trace")(
        lambda: scene("ForgetGate", [A + "language-rnn.safetensors"])),
    "Scene.of: too many units": ERR("at most 6 units")(lambda: scene("ForgetGate", units=[0, 1, 2, 3, 4, 5, 6])),
    "Scene.of: a trace without a task": ERR("does not say which task it comes from")(
        lambda: scene("SinePrediction", [record(lstm()), record(lstm())])),
    "Scene.of: a passage too long to play": ERR("scene PronounMemory shows every step, at most 400")(
        lambda: scene("PronounMemory", [long_passage(30)])),
}


def long_passage(times: int) -> Trace:
    """The shipped source passage, repeated."""
    t = lang_trace()
    meta = dict(t.meta)
    for key in ("steps", "targets", "distances", "gender", "new_subject", "new_gender", "token_ids"):
        meta[key] = list(meta[key]) * times
    meta["words"] = {lang: list(w) * times for lang, w in meta["words"].items()}
    return Trace({n: np.tile(t[n], (1, times, 1)) for n in t.names}, meta)


CASES = {**RECORD, **TRACE, **READING, **FIGURES, **SCENES}


def test_there_are_at_least_a_hundred_cases():
    assert len(CASES) >= 100, len(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_api_case(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.error is not None:
            with pytest.raises(ExplainerError) as excinfo:
                case.call()
            message = str(excinfo.value)
            assert "\n" not in message and case.error in message, message
        else:
            result = case.call()
            assert case.check(result), result
