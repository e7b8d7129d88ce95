"""`record`: run a recurrent model on an input and keep every step's states and gates.

    >>> import torch, explainer
    >>> lstm = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    >>> trace = explainer.record(lstm, torch.randn(7, 4, 3))          # [time, batch, input]
    >>> trace["layers.1.reverse.gates.f"].shape                        # [batch, time, hidden]
    (4, 7, 5)

What can be recorded: the project's cores (`explainer.models.RNN/LSTM/GRU`), its task
models (core plus readout, with an embedding for tokens) and plain
`torch.nn.RNN/LSTM/GRU` modules, in every configuration torch supports, with input shaped
as torch accepts it. Values are those of the model in evaluation mode (no dropout).

Dtypes: the model computes in its own dtype (float32, or float64, float16, bfloat16 as torch
runs them); an input of another float dtype is cast to it (torch would refuse to mix them);
the values are stored as float32, or float16 with `dtype="float16"`.

Every problem with the caller's input (model, input, initial state, names, interventions,
step labels, metadata) is a one-line `ExplainerError`.

Without interventions the recorder uses torch's fused kernel and recovers the gates in
bulk (`models/replay.py`). With `intervene=` it runs the explicit loop, replacing the
named values as they are computed, so that everything downstream follows (a cell kind
with no fused kernel or bulk recovery is recorded through that loop too).

`explainer.record` is this module's `record` (imported on first use, so that
`import explainer` does not import torch).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from . import names as N
from .errors import ExplainerError
from .memory import check_fits, format_bytes
from .models.recurrent import Recurrent
from .models.replay import can_replay, replay
from .models.spec import CoreSpec, Inputs
from .trace import Trace

Intervention = float | int | np.ndarray | Tensor | Callable[..., Tensor]

_DTYPES = {"float32": np.float32, "float16": np.float16}
#: Recordings above this size say how large they will be before they start.
LARGE = 64 * 2**20


class RecordingSize(UserWarning):
    """A long recording states its size first."""


def record(model: nn.Module, x: Tensor, *, names: str | Iterable[str] | None = None,
           h0: Tensor | tuple[Tensor, Tensor] | None = None, dtype: str = "float32",
           intervene: Mapping[str, Intervention] | None = None, steps: Iterable[Any] | None = None,
           meta: Mapping[str, Any] | None = None) -> Trace:
    """Record `model` on input `x`.

    Args:
        model: a core or task model of ours, or a `torch.nn.RNN/LSTM/GRU`.
        x: the input as the model takes it (torch layouts, batched or unbatched; token ids
            for a model with an embedding).
        names: names or glob patterns to keep (default: everything), e.g.
            `["layers.*.gates.f", "layers.0.c"]`.
        h0: initial state as torch takes it (`h0`, or `(h0, c0)` for an LSTM).
        dtype: "float32" or "float16" for the stored arrays.
        intervene: {name or pattern: value}; the value is a number or array (broadcast to
            [batch, size]) that replaces the recorded quantity at every step, or a function
            `f(value)` / `f(value, t)` returning the replacement. E.g. a forget gate held
            open: `{"layers.0.gates.f": 1.0}`.
        steps: one label per time step (tokens, x values) for the trace's `meta["steps"]`.
        meta: extra metadata (task, seed, ...) to store.

    Returns:
        A `Trace` with arrays `[batch, time, size]`.
    """
    if not isinstance(dtype, str) or dtype not in _DTYPES:
        raise ExplainerError(f"unknown dtype {dtype!r}; valid: {', '.join(_DTYPES)}")
    core, embedding, readout = _parts(model)
    spec = CoreSpec.of(core)
    names = _check_names(names)
    intervene = _check_intervene(intervene)
    labels = _check_steps(steps)
    extra = _check_meta(meta)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            layer0 = _embed(embedding, x)
            if layer0.is_floating_point():  # the model computes in its dtype: cast the input to it
                layer0 = layer0.to(_compute_dtype(core))
            inputs = Inputs.prepare(spec, layer0, _check_h0(h0))
            available = N.trace_names(spec.kind, spec.num_layers, spec.bidirectional, readout is not None)
            wanted = N.match(names, available)
            _check_size(spec, inputs, wanted, readout, dtype)
            if intervene or not can_replay(spec):
                values, top = _record_loop(spec, core, inputs, set(wanted), intervene)
            else:
                needed = [N.split(n)[0] for n in wanted if N.split(n)] or [-1]
                last = spec.num_layers - 1 if N.OUTPUT in wanted else max(needed)
                values, top = replay(spec, core, inputs.x, inputs.h0, inputs.c0, set(wanted), last)
            if N.INPUT in wanted:
                values[N.INPUT] = inputs.x
            if N.OUTPUT in wanted:
                values[N.OUTPUT] = readout(top)  # [time, batch, out]
    finally:
        model.train(was_training)
    arrays = {name: _to_numpy(values[name], dtype) for name in wanted}  # each [batch, time, size]
    return Trace(arrays, _meta(model, spec, inputs, readout, labels, extra, intervene, arrays, dtype))


# -- the caller's arguments, checked before anything runs ------------------------------------
def _compute_dtype(core: nn.Module) -> torch.dtype:
    """The dtype the recurrent core computes in: that of its weights."""
    weight = next(core.parameters(), None)
    return weight.dtype if weight is not None and weight.is_floating_point() else torch.float32


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


def _check_h0(h0: Any) -> Any:
    """h0 as torch takes it: a tensor, or a pair of tensors for an LSTM (shapes are checked with the input)."""
    if h0 is None:
        return None
    pair = isinstance(h0, (tuple, list))
    for name, part in zip(("h0", "c0", "the initial state"), h0 if pair else [h0]):
        if not isinstance(part, Tensor):
            raise ExplainerError(f"{name} must be a torch.Tensor [layers*directions, batch, size], "
                                 f"got {type(part).__name__}")
    return tuple(h0) if pair else h0


def _parts(model: nn.Module) -> tuple[nn.Module, nn.Module | None, nn.Module | None]:
    """(core, embedding, readout) of any recordable model."""
    if not isinstance(model, nn.Module):
        raise ExplainerError(f"can only record a torch module, got {type(model).__name__}")
    if isinstance(model, (nn.RNNBase, Recurrent)):
        return model, None, None
    core = getattr(model, "core", None)
    if isinstance(core, (nn.RNNBase, Recurrent)):
        return core, getattr(model, "embedding", None), getattr(model, "readout", None)
    raise ExplainerError(
        f"cannot record a {type(model).__name__}: it is not a recurrent module and has no recurrent `.core`; "
        "pass a torch.nn.RNN/LSTM/GRU, an explainer core or a task model"
    )


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


def _check_size(spec: CoreSpec, inputs: Inputs, wanted: list[str], readout, dtype: str) -> None:
    """Refuse, before allocating, a recording that cannot fit in memory."""
    time, batch = inputs.x.shape[:2]
    per_step = 0
    for name in wanted:
        parts = N.split(name)
        if parts is None:
            per_step += inputs.x.shape[2] if name == N.INPUT else getattr(readout, "out_features", 1)
        else:
            per_step += spec.out_size if parts[2] == "h" else spec.hidden_size
    # working memory: the fused output and one layer's gates in float32, plus the stored arrays
    work = (spec.num_directions * spec.gate_count * spec.hidden_size + 2 * spec.out_size) * 4
    need = time * batch * (per_step * np.dtype(_DTYPES[dtype]).itemsize + work)
    check_fits(need, "this recording", "record fewer names (names=...), fewer steps, or dtype='float16'")
    if need > LARGE:
        warnings.warn(f"recording {time} steps x {batch} rows: about {format_bytes(need)} of memory", RecordingSize,
                      stacklevel=3)


def _to_numpy(value: Tensor, dtype: str) -> np.ndarray:
    """[time, batch, size] in any float dtype -> [batch, time, size] as the stored dtype (float32 or float16)."""
    a = value.detach().transpose(0, 1)  # a view
    stored = torch.float16 if dtype == "float16" else torch.float32
    if a.dtype != stored:
        a = a.to(stored)
    return a.numpy()


# -- interventions ---------------------------------------------------------------------
def _record_loop(spec: CoreSpec, core: nn.Module, inputs: Inputs, wanted: set[str],
                 intervene: Mapping[str, Intervention]) -> tuple[dict[str, Tensor], Tensor]:
    """The explicit loop, with interventions (if any) applied and wanted values kept."""
    loop_core = core if isinstance(core, Recurrent) else Recurrent.from_torch(core)
    loop_core.eval()
    layer_names = [n for n in N.trace_names(spec.kind, spec.num_layers, spec.bidirectional) if N.split(n)]
    rules: dict[str, Callable[[Tensor, int], Tensor]] = {}
    for pattern, value in intervene.items():
        for name in N.match(pattern, layer_names):
            rules[name] = _rule(pattern, value)
    time, batch = inputs.x.shape[:2]
    buffers: dict[str, Tensor] = {}

    def tap(layer: int, reverse: bool, t: int, suffix: str, value: Tensor) -> Tensor:
        name = N.layer_prefix(layer, reverse) + suffix
        rule = rules.get(name)
        if rule is not None:
            value = rule(value, t)
        if name in wanted:
            if name not in buffers:
                buffers[name] = value.new_empty((time,) + tuple(value.shape))  # [time, batch, size]
            buffers[name][t] = value
        return value

    top, _, _ = loop_core.run(inputs.x, inputs.h0, inputs.c0, tap)
    return buffers, top


def _rule(pattern: str, value: Intervention) -> Callable[[Tensor, int], Tensor]:
    """Turn a constant, an array or a function into replace(value, t) -> value."""
    if callable(value) and not isinstance(value, Tensor):
        try:
            takes_step = len(inspect.signature(value).parameters) >= 2
        except (TypeError, ValueError):
            takes_step = False

        def apply(v: Tensor, t: int) -> Tensor:
            try:
                out = value(v, t) if takes_step else value(v)
            except ExplainerError:
                raise
            except Exception as e:  # the caller's function: say where it failed, in one line
                raise ExplainerError(f"intervention on {pattern!r} raised {type(e).__name__} at step {t}: {e}") from None
            if out is None or isinstance(out, (str, bytes, bool)) or not _numeric(out):
                raise ExplainerError(f"intervention on {pattern!r} returned {'None' if out is None else 'a ' + type(out).__name__}"
                                     f" at step {t}; it must return a tensor (or number, array) that broadcasts to "
                                     f"{tuple(v.shape)}")
            try:
                out = torch.as_tensor(np.asarray(out, dtype=np.float64) if not isinstance(out, Tensor) else out).to(v.dtype)
                out = torch.broadcast_to(out, v.shape)
            except (RuntimeError, TypeError, ValueError):
                raise ExplainerError(
                    f"intervention on {pattern!r} returned shape {tuple(np.shape(out))}; it must broadcast to {tuple(v.shape)}"
                ) from None
            if not torch.isfinite(out).all():
                raise ExplainerError(f"intervention on {pattern!r} returned NaN or Inf at step {t}")
            return out
        return apply
    if value is None or isinstance(value, (str, bytes, bool)) or not _numeric(value):
        raise ExplainerError(f"intervention on {pattern!r} must be a number, an array or a function, got {value!r}")
    try:
        const = torch.as_tensor(np.asarray(value.detach().cpu() if isinstance(value, Tensor) else value,
                                           dtype=np.float32))
    except (TypeError, ValueError):
        raise ExplainerError(f"intervention on {pattern!r} must be a number, an array or a function, got {value!r}") from None
    if not torch.isfinite(const).all():
        raise ExplainerError(f"intervention on {pattern!r} contains NaN or Inf")

    def fixed(v: Tensor, t: int) -> Tensor:
        try:
            return torch.broadcast_to(const.to(v.dtype), v.shape)
        except RuntimeError:
            raise ExplainerError(
                f"intervention value for {pattern!r} has shape {tuple(const.shape)}; it must broadcast to [batch, size] = {tuple(v.shape)}"
            ) from None
    return fixed


def _numeric(value: Any) -> bool:
    """A tensor, a number, or an array / nested list of numbers."""
    if isinstance(value, Tensor):
        return not value.is_complex()
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):
        return False
    return a.dtype.kind in "biuf" and a.dtype != np.bool_


def _describe(value: Intervention) -> str:
    if callable(value) and not isinstance(value, Tensor):
        return f"function {getattr(value, '__name__', type(value).__name__)}"
    a = np.asarray(value, dtype=np.float64)
    return f"constant {a.item():g}" if a.size == 1 else f"array of shape {list(a.shape)}"


# -- metadata ---------------------------------------------------------------------------
def _meta(model: nn.Module, spec: CoreSpec, inputs: Inputs, readout, steps, extra, intervene,
          arrays: dict[str, np.ndarray], dtype: str) -> dict[str, Any]:
    time = inputs.x.shape[0]
    labels = steps if steps is not None else [str(t) for t in range(time)]
    if len(labels) != time:
        raise ExplainerError(f"{len(labels)} step labels given for {time} steps")
    config = model.config() if hasattr(model, "config") else {}
    meta: dict[str, Any] = {
        "kind": spec.kind,
        "input_size": int(inputs.x.shape[2]),
        "hidden_size": spec.hidden_size,
        "proj_size": spec.proj_size,
        "num_layers": spec.num_layers,
        "num_directions": spec.num_directions,
        "output_size": int(readout.out_features) if readout is not None else None,
        "model": config.get("model", type(model).__name__),
        "task": None,
        "seed": None,
        "steps": labels,
        "dtype": dtype,
        "intervened": {k: _describe(v) for k, v in (intervene or {}).items()},
        "nonfinite": {n: int(c) for n, a in arrays.items() if (c := a.size - np.count_nonzero(np.isfinite(a)))},
    }
    meta.update(dict(extra or {}))
    return meta
