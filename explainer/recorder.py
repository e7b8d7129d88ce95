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
from .hooks import capture, recurrent_modules
from .models.replay import can_replay, replay
from .models.spec import CoreSpec, Inputs
from .models.wrapped import is_recurrent, unwrap
from .trace import Trace

Intervention = float | int | np.ndarray | Tensor | Callable[..., Tensor]

_DTYPES = {"float32": np.float32, "float16": np.float16}
#: Recordings above this size say how large they will be before they start.
LARGE = 64 * 2**20


class RecordingSize(UserWarning):
    """A long recording states its size first."""


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
    if not isinstance(dtype, str) or dtype not in _DTYPES:
        raise ExplainerError(f"unknown dtype {dtype!r}; valid: {', '.join(_DTYPES)}")
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
            if _own_parts(model) is not None:
                core, embedding, readout = _own_parts(model)
                packed_input = isinstance(x, nn.utils.rnn.PackedSequence)
                core = unwrap(core, type(model).__name__, None if packed_input or embedding is not None else (x,))
                x, packed = _unpack(x, CoreSpec.of(core))
                layer0 = _embed(embedding, x)
                runs = [_Run(None, core, layer0, _check_h0(h0), readout, packed if packed is not None else lengths)]
                model_output = None
            else:
                runs, model_output = _runs_of(model, x, h0, intervene, lengths, modules)
            for run in runs:
                run.prepare()
            _same_time_axis(runs)
            output = _per_step_output(model_output, runs[0])
            available = [n for run in runs for n in run.available()] + ([N.OUTPUT] if output is not None or any(
                r.readout is not None for r in runs) else [])
            wanted = N.match(names, available)
            values: dict[str, Tensor] = {}
            for run in runs:
                values.update(run.record(wanted, intervene, dtype))
            if N.OUTPUT in wanted:
                values[N.OUTPUT] = output if output is not None else values.pop(_TOP)  # [time, batch, out]
            values.pop(_TOP, None)
    finally:
        model.train(was_training)
    mask = runs[0].mask()  # [time, batch, 1] or None
    arrays = {name: _to_numpy(values[name], dtype, mask) for name in wanted}  # each [batch, time, size]
    return Trace(arrays, _meta(model, runs, labels, extra, intervene, arrays, dtype))


#: Where a run leaves its readout's output (a task model's) until `output` is chosen.
_TOP = "\0top"


def _own_parts(model: nn.Module) -> tuple[nn.Module, nn.Module | None, nn.Module | None] | None:
    """(core, embedding, readout) of a recurrent module or one of our task models; None for any other model."""
    if is_recurrent(model):
        return model, None, None
    core = getattr(model, "core", None)
    if isinstance(core, (nn.RNNBase, Recurrent)):
        return core, getattr(model, "embedding", None), getattr(model, "readout", None)
    return None


def _runs_of(model: nn.Module, x: Any, h0: Any, intervene: Mapping, lengths: Any,
             modules: Any) -> tuple[list[_Run], Any]:
    """Run any model once, capturing its recurrent submodules' inputs (`hooks.py`): one `_Run` for each."""
    if h0 is not None:
        raise ExplainerError(f"h0= is the initial state of a bare recurrent module; {type(model).__name__} passes "
                             "its own to its recurrent modules (record one of them directly to give another)")
    if intervene:
        raise ExplainerError(f"interventions are made on a recurrent module itself: explainer.record(model.<module>, "
                             f"its input, intervene=...), not through {type(model).__name__}'s forward")
    found = recurrent_modules(model, modules)
    calls, output = capture(model, x, found)
    runs = []
    for path, call in calls.items():
        core = unwrap(call.module, path, call.args)
        spec = CoreSpec.of(core)
        data, packed = _unpack(call.input, spec)
        runs.append(_Run(path if len(calls) > 1 else None, core, data, _check_h0(call.hx), None,
                         packed if packed is not None else lengths, path=path))
    return runs, output


class _Run:
    """One recurrent module to record on one input: its spec, its time-major input, its rows' lengths."""

    def __init__(self, prefix: str | None, core: nn.Module, x: Tensor, hx: Any, readout: nn.Module | None,
                 lengths: Any, path: str | None = None) -> None:
        self.prefix, self.core, self.raw, self.hx, self.readout = prefix, core, x, hx, readout
        self.raw_lengths, self.path = lengths, path
        self.spec = CoreSpec.of(core)

    def prepare(self) -> None:
        x = self.raw
        if isinstance(x, Tensor) and x.is_floating_point():  # the model computes in its dtype: cast the input to it
            x = x.to(_compute_dtype(self.core))
        self.inputs = Inputs.prepare(self.spec, x, self.hx)
        time, batch = self.inputs.x.shape[:2]
        self.lengths = _check_lengths(self.raw_lengths, batch, time)  # [batch] or None

    def available(self) -> list[str]:
        spec = self.spec
        return [N.prefixed(self.prefix, n) for n in N.trace_names(spec.kind, spec.num_layers, spec.bidirectional)]

    def mask(self) -> Tensor | None:
        """[time, batch, 1]: 1 where a step is real, 0 past its row's end (None: every row full)."""
        if self.lengths is None:
            return None
        time = self.inputs.x.shape[0]
        steps = torch.arange(time, device=self.lengths.device)[:, None]  # [time, 1]
        return (steps < self.lengths[None, :]).unsqueeze(-1)  # [time, batch, 1]

    def record(self, wanted: list[str], intervene: Mapping[str, Intervention], dtype: str) -> dict[str, Tensor]:
        spec, inputs = self.spec, self.inputs
        own = {N.module_of(n)[1] if self.prefix else n for n in wanted
               if (N.module_of(n)[0] if self.prefix else None) == self.prefix and n != N.OUTPUT}
        top_wanted = N.OUTPUT in wanted and self.readout is not None
        _check_size(spec, inputs, sorted(own) + ([N.OUTPUT] if top_wanted else []), self.readout, dtype)
        layer_names = {n for n in own if N.split(n)}
        if layer_names or top_wanted:
            needed = [N.split(n)[0] for n in layer_names] or [-1]
            last = spec.num_layers - 1 if top_wanted else max(needed)
            if self.lengths is not None and spec.bidirectional and bool((self.lengths < inputs.x.shape[0]).any()):
                values, top = _by_length(self, layer_names, intervene, last)
            else:
                values, top = _record_core(spec, self.core, inputs.x, inputs.h0, inputs.c0, layer_names,
                                           intervene, last)
        else:
            values, top = {}, None
        if N.INPUT in own:
            values[N.INPUT] = inputs.x
        out = {N.prefixed(self.prefix, n): v for n, v in values.items()}
        if top_wanted:
            out[_TOP] = self.readout(top)  # [time, batch, out]
        return out


def _record_core(spec: CoreSpec, core: nn.Module, x: Tensor, h0: Tensor, c0: Tensor | None, wanted: set[str],
                 intervene: Mapping[str, Intervention], last: int) -> tuple[dict[str, Tensor], Tensor]:
    """One module's layers 0..last on time-major x: the fused kernel and bulk recovery, or the explicit loop."""
    if intervene or not can_replay(spec):
        return _record_loop(spec, core, Inputs(x, h0, c0, True, False), wanted, intervene)
    return replay(spec, core, x, h0, c0, wanted, last)


def _by_length(run: _Run, wanted: set[str], intervene: Mapping, last: int) -> tuple[dict[str, Tensor], Tensor]:
    """A padded bidirectional batch: the rows of each length recorded together on their real steps only
    (the reverse direction starts at each row's own end), then put back in place, zeros past each end."""
    x, h0, c0 = run.inputs.x, run.inputs.h0, run.inputs.c0  # [time, batch, in], [L*D, batch, out], ...
    values: dict[str, Tensor] = {}
    top = None
    for length in torch.unique(run.lengths).tolist():
        rows = torch.nonzero(run.lengths == length).flatten()  # [rows]
        part, part_top = _record_core(run.spec, run.core, x[:length, rows], h0[:, rows],
                                      c0[:, rows] if c0 is not None else None, wanted, intervene, last)
        for name, v in part.items():  # [length, rows, size]
            if name not in values:
                values[name] = v.new_zeros((x.shape[0], x.shape[1], v.shape[2]))
            values[name][:length, rows] = v
        if top is None:
            top = part_top.new_zeros((x.shape[0], x.shape[1], part_top.shape[2]))
        top[:length, rows] = part_top
    return values, top


def _unpack(x: Any, spec: CoreSpec | None) -> tuple[Any, Tensor | None]:
    """A PackedSequence as (padded tensor in the module's layout, lengths [batch]); anything else as it is."""
    if not isinstance(x, nn.utils.rnn.PackedSequence):
        return x, None
    batch_first = bool(spec.batch_first) if spec is not None else False
    padded, lengths = nn.utils.rnn.pad_packed_sequence(x, batch_first=batch_first)  # rows in the caller's order
    return padded, lengths


def _check_lengths(lengths: Any, batch: int, time: int) -> Tensor | None:
    """lengths as a [batch] int64 tensor, each from 1 to `time`; None when absent."""
    if lengths is None:
        return None
    try:
        values = torch.as_tensor(lengths.detach().cpu() if isinstance(lengths, Tensor) else np.asarray(lengths))
    except (TypeError, ValueError, RuntimeError):
        raise ExplainerError(f"lengths must be one integer per batch row, got {type(lengths).__name__}") from None
    if values.dim() != 1 or values.is_floating_point() or values.dtype == torch.bool or values.is_complex():
        raise ExplainerError(f"lengths must be one integer per batch row (a 1-d list), got {values.dtype} "
                             f"of shape {list(values.shape)}")
    if values.numel() != batch:
        raise ExplainerError(f"lengths has {values.numel()} entries but the batch has {batch} rows; give one per row")
    if values.numel() and (int(values.min()) < 1 or int(values.max()) > time):
        raise ExplainerError(f"lengths must lie from 1 to the {time} steps of the input; got {values.tolist()[:8]}")
    return values.to(torch.int64)


def _same_time_axis(runs: list[_Run]) -> None:
    """Several modules share one trace only if they ran over the same steps of the same rows."""
    shapes = {run.path or "": tuple(run.inputs.x.shape[:2]) for run in runs}
    if len(set(shapes.values())) > 1:
        said = ", ".join(f"'{p}' {t} steps x {b} rows" for p, (t, b) in shapes.items())
        raise ExplainerError(f"a trace holds one time axis, but {said}; record them one at a time "
                             "with modules='<path>'")
    lengths = {tuple(run.lengths.tolist()) if run.lengths is not None else None for run in runs}
    if len(lengths) > 1:
        raise ExplainerError("the recurrent modules ran over rows of different lengths; record them one at a "
                             "time with modules='<path>'")


def _per_step_output(output: Any, run: _Run) -> Tensor | None:
    """The model's output as [time, batch, features] when it is one value per step of the recorded input."""
    if isinstance(output, (tuple, list)) and output:
        output = output[0]
    if isinstance(output, nn.utils.rnn.PackedSequence):
        output = nn.utils.rnn.pad_packed_sequence(output, batch_first=run.spec.batch_first)[0]
    if not isinstance(output, Tensor) or output.dim() < 2 or not output.is_floating_point():
        return None
    time, batch = run.inputs.x.shape[:2]
    flat = lambda a: a.reshape(a.shape[0], a.shape[1], -1)  # noqa: E731  [time, batch, features]
    if not run.inputs.batched:
        return flat(output.unsqueeze(1)) if output.shape[0] == time else None
    first = run.spec.batch_first
    layouts = [(batch, time, True), (time, batch, False)]
    for b, t, batch_major in sorted(layouts, key=lambda l: l[2] != first):  # the module's own layout first
        if tuple(output.shape[:2]) == (b, t):
            return flat(output.transpose(0, 1) if batch_major else output)
    return None


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
                      stacklevel=4)


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
def _meta(model: nn.Module, runs: list[_Run], steps, extra, intervene, arrays: dict[str, np.ndarray],
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
        "intervened": {k: _describe(v) for k, v in (intervene or {}).items()},
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


def _module_meta(run: _Run) -> dict[str, Any]:
    spec = run.spec
    out = {"kind": spec.kind, "input_size": int(run.inputs.x.shape[2]), "hidden_size": spec.hidden_size,
           "proj_size": spec.proj_size, "num_layers": spec.num_layers, "num_directions": spec.num_directions}
    return out
