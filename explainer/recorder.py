"""`record`: run a recurrent model on an input and keep every step's states and gates.

    >>> import torch, explainer
    >>> lstm = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    >>> trace = explainer.record(lstm, torch.randn(7, 4, 3))          # [time, batch, input]
    >>> trace["layers.1.reverse.gates.f"].shape                        # [batch, time, hidden]
    (4, 7, 5)

What can be recorded: the project's cores (`explainer.models.RNN/LSTM/GRU`), its task
models (core plus readout, with an embedding for tokens), plain `torch.nn.RNN/LSTM/GRU`
modules in every configuration torch supports (also compiled, scripted or traced:
`models/wrapped.py`), and any other `nn.Module` with such modules inside: its forward runs
once and each recurrent submodule is recorded on the input it received (`hooks.py`).
Input is shaped as torch accepts it, a `PackedSequence`, or padded with `lengths=`; rows
are recorded to their own ends (`_by_length` for the reverse direction) and hold zeros
past them. Values are those of the model in evaluation mode (no dropout), computed on the
model's device and copied to the CPU once at the end.

Dtypes: the model computes in its own dtype (float32, or float64, float16, bfloat16 as torch
runs them); an input of another float dtype is cast to it (torch would refuse to mix them);
the values are stored as float32, or float16 with `dtype="float16"`.

Every problem with the caller's input (model, input, initial state, names, interventions,
step labels, metadata) is a one-line `ExplainerError`.

Without interventions the recorder uses torch's fused kernel and recovers the gates in
bulk (`models/replay.py`). With `intervene=` it runs the explicit loop, replacing the
named values as they are computed, so that everything downstream follows (a cell kind
with no fused kernel or bulk recovery is recorded through that loop too;
`interventions.py`). What is recorded, module by module, is `runs.py`.

`explainer.record` is this module's `record` (imported on first use, so that
`import explainer` does not import torch).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from . import names as N
from .errors import ExplainerError
from .interventions import Intervention, describe
from .models.spec import CoreSpec
from .models.wrapped import unwrap
from .runs import DTYPES, LARGE, TOP, RecordingSize, Run, check_h0, own_parts, per_step_output, runs_of, \
    same_time_axis, unpack
from .trace import Trace

__all__ = ["record", "RecordingSize", "LARGE", "Intervention"]


def record(model: nn.Module, x: Any, *, names: str | Iterable[str] | None = None,
           h0: Tensor | tuple[Tensor, Tensor] | None = None, dtype: str = "float32",
           intervene: Mapping[str, Intervention] | None = None, steps: Iterable[Any] | None = None,
           meta: Mapping[str, Any] | None = None, lengths: Iterable[int] | Tensor | None = None,
           modules: str | Iterable[str] | None = None) -> Trace:
    """Record `model` on input `x`.

    Args:
        model: a `torch.nn.RNN/LSTM/GRU` (also `torch.compile`d, `torch.jit.script`ed or
            `trace`d), a core or task model of ours, or any `nn.Module` with recurrent
            submodules inside: its forward runs once and each submodule is recorded on the
            input it received (`explainer/hooks.py`).
        x: the input as the model takes it (torch layouts, batched or unbatched; token ids
            for a model with an embedding; a `PackedSequence`; a tuple of arguments).
        names: names or glob patterns to keep (default: everything), e.g.
            `["layers.*.gates.f", "layers.0.c"]`.
        h0: initial state as torch takes it (`h0`, or `(h0, c0)` for an LSTM); a model that
            is not a recurrent module passes its own.
        dtype: "float32" or "float16" for the stored arrays.
        intervene: {name or pattern: value}; the value is a number or array (broadcast to
            [batch, size]) that replaces the recorded quantity at every step, or a function
            `f(value)` / `f(value, t)` returning the replacement. E.g. a forget gate held
            open: `{"layers.0.gates.f": 1.0}`.
        steps: one label per time step (tokens, x values) for the trace's `meta["steps"]`.
        meta: extra metadata (task, seed, ...) to store.
        lengths: the real length of each row of a padded batch (a PackedSequence carries its
            own); stored in `meta["lengths"]`, and nothing past a row's end is computed
            from the padding (the values there are 0).
        modules: for a model with several recurrent submodules, the paths (or globs) of
            those to record, e.g. "encoder.lstm".

    Returns:
        A `Trace` with arrays `[batch, time, size]`. With one recurrent submodule the
        names are as for a bare module; with several, each is prefixed by its path
        (`encoder.lstm.layers.0.h`, `Trace.module("encoder.lstm")`). `output` is the
        model's output where it is a [batch, time, ...] (or [time, batch, ...]) tensor.

    >>> class Tagger(torch.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.lstm, self.fc = torch.nn.LSTM(3, 4, batch_first=True), torch.nn.Linear(4, 2)
    ...     def forward(self, x):
    ...         return self.fc(self.lstm(x)[0])
    >>> t = record(Tagger(), torch.randn(2, 6, 3), lengths=[6, 4])
    >>> t["layers.0.gates.f"].shape, t["output"].shape, t.meta["lengths"], t.meta["module"]
    ((2, 6, 4), (2, 6, 2), [6, 4], 'lstm')
    """
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ExplainerError(f"unknown dtype {dtype!r}; valid: {', '.join(DTYPES)}")
    if not isinstance(model, nn.Module):
        raise ExplainerError(f"can only record a torch module, got {type(model).__name__}")
    names = _check_names(names)
    intervene = _check_intervene(intervene)
    labels = _check_steps(steps)
    extra = _check_meta(meta)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            if own_parts(model) is not None:
                core, embedding, readout = own_parts(model)
                packed_input = isinstance(x, nn.utils.rnn.PackedSequence)
                core = unwrap(core, type(model).__name__, None if packed_input or embedding is not None else (x,))
                x, packed = unpack(x, CoreSpec.of(core))
                layer0 = _embed(embedding, x)
                runs = [Run(None, core, layer0, check_h0(h0), readout, packed if packed is not None else lengths)]
                model_output = None
            else:
                runs, model_output = runs_of(model, x, h0, intervene, lengths, modules)
            for run in runs:
                run.prepare()
            same_time_axis(runs)
            output = per_step_output(model_output, runs[0])
            available = [n for run in runs for n in run.available()] + ([N.OUTPUT] if output is not None or any(
                r.readout is not None for r in runs) else [])
            wanted = N.match(names, available)
            values: dict[str, Tensor] = {}
            for run in runs:
                values.update(run.record(wanted, intervene, dtype))
            if N.OUTPUT in wanted:
                values[N.OUTPUT] = output if output is not None else values.pop(TOP)  # [time, batch, out]
            values.pop(TOP, None)
    finally:
        model.train(was_training)
    mask = runs[0].mask()  # [time, batch, 1] or None
    arrays = {name: _to_numpy(values[name], dtype, mask) for name in wanted}  # each [batch, time, size]
    return Trace(arrays, _meta(model, runs, labels, extra, intervene, arrays, dtype))


# -- the caller's arguments, checked before anything runs ------------------------------------
def _check_names(names: Any) -> list[str] | None:
    if names is None:
        return None
    items = [names] if isinstance(names, str) else list(names) if isinstance(names, Iterable) else None
    if items is None or not all(isinstance(n, str) for n in items):
        raise ExplainerError(f"names must be a name or a list of names (glob patterns allowed), e.g. "
                             f"['layers.*.gates.f', 'layers.0.c']; got {names!r}")
    if not items:
        raise ExplainerError("names is empty: give one or more names to record, or None for everything")
    return items


def _check_intervene(intervene: Any) -> dict[str, Intervention]:
    if intervene is None:
        return {}
    if not isinstance(intervene, Mapping):
        raise ExplainerError(f"intervene must be a mapping {{name or pattern: value}}, e.g. "
                             f"{{'layers.0.gates.f': 1.0}}; got {type(intervene).__name__}")
    bad = [k for k in intervene if not isinstance(k, str)]
    if bad:
        raise ExplainerError(f"intervene names a quantity by its trace name (text), e.g. 'layers.0.gates.f'; "
                             f"got {bad[0]!r}")
    return dict(intervene)


def _check_steps(steps: Any) -> list[str] | None:
    if steps is None:
        return None
    if not isinstance(steps, Iterable):
        raise ExplainerError(f"steps must hold one label per time step (a list), got {type(steps).__name__}")
    return [str(s) for s in steps]


def _check_meta(meta: Any) -> dict[str, Any]:
    """The caller's metadata as plain JSON data (numpy scalars and arrays as numbers and lists, tuples as lists),
    checked before anything runs, by the one schema traces are saved and loaded with."""
    from .schema import plain

    if meta is None:
        return {}
    if not isinstance(meta, Mapping):
        raise ExplainerError(f"meta must be a mapping of names to JSON values, got {type(meta).__name__}")
    return plain(dict(meta), "meta")


def _embed(embedding: nn.Module | None, x: Tensor) -> Tensor:
    if not isinstance(x, Tensor):
        raise ExplainerError(f"input must be a torch.Tensor, got {type(x).__name__}")
    if embedding is None:
        return x
    if x.is_floating_point() or x.dim() not in (1, 2):
        raise ExplainerError(f"this model reads token ids: a [batch, time] or [time] integer tensor, got {x.dtype} {tuple(x.shape)}")
    vocab = embedding.num_embeddings
    if x.numel() and (int(x.min()) < 0 or int(x.max()) >= vocab):
        raise ExplainerError(f"token ids must lie in 0..{vocab - 1} (the vocabulary size is {vocab})")
    return embedding(x)


def _to_numpy(value: Tensor, dtype: str, mask: Tensor | None = None) -> np.ndarray:
    """[time, batch, size] in any float dtype, on any device -> [batch, time, size] on the CPU as the stored
    dtype (float32 or float16), zeros past each row's end where `mask` [time, batch, 1] says so."""
    value = value.detach()
    if mask is not None:
        value = value * mask.to(value.device, value.dtype)
    a = value.cpu().transpose(0, 1)  # [batch, time, size]
    stored = torch.float16 if dtype == "float16" else torch.float32
    if a.dtype != stored:
        a = a.to(stored)
    return a.numpy()


# -- metadata ---------------------------------------------------------------------------
def _meta(model: nn.Module, runs: list[Run], steps, extra, intervene, arrays: dict[str, np.ndarray],
          dtype: str) -> dict[str, Any]:
    """What a trace says about itself: the recorded module's configuration (each module's, when several), the
    step labels, the rows' lengths, interventions, counts of non-finite values, and the caller's own fields."""
    first = runs[0]
    time = first.inputs.x.shape[0]
    labels = steps if steps is not None else [str(t) for t in range(time)]
    if len(labels) != time:
        raise ExplainerError(f"{len(labels)} step labels given for {time} steps")
    config = model.config() if hasattr(model, "config") else {}
    described = {run.path: _module_meta(run) for run in runs if run.path is not None}
    one = len(runs) == 1
    meta: dict[str, Any] = {
        **(_module_meta(first) if one else dict.fromkeys(("kind", "input_size", "hidden_size", "proj_size",
                                                           "num_layers", "num_directions"))),
        "output_size": int(arrays[N.OUTPUT].shape[2]) if N.OUTPUT in arrays else (
            int(first.readout.out_features) if first.readout is not None else None),
        "model": config.get("model", type(model).__name__),
        "task": None,
        "seed": None,
        "steps": labels,
        "dtype": dtype,
        "intervened": {k: describe(v) for k, v in (intervene or {}).items()},
        "nonfinite": {n: int(c) for n, a in arrays.items() if (c := a.size - np.count_nonzero(np.isfinite(a)))},
    }
    if one and first.path is not None:
        meta["module"] = first.path
    if not one:
        meta["modules"] = described
    if first.lengths is not None:
        meta["lengths"] = [int(n) for n in first.lengths.tolist()]
    meta.update(dict(extra or {}))
    return meta


def _module_meta(run: Run) -> dict[str, Any]:
    spec = run.spec
    out = {"kind": spec.kind, "input_size": int(run.inputs.x.shape[2]), "hidden_size": spec.hidden_size,
           "proj_size": spec.proj_size, "num_layers": spec.num_layers, "num_directions": spec.num_directions}
    return out
