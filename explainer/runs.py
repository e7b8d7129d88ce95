"""What `record` records: one run per recurrent module, on the input it reads.

A `Run` is one recurrent module (plain, or unwrapped from `torch.compile` / TorchScript) with
its input in time-major layout, its initial state and its rows' lengths: the bare module
given to `record`, the core of one of our task models (with its readout), or each recurrent
submodule of any other model, on what the model's forward passed it (`runs_of`, through
`hooks.py`). `Run.record` computes the names asked for, through the fused kernel and bulk
gate recovery (`models/replay.py`) or, with interventions, the explicit loop
(`interventions.py`); a padded bidirectional batch is recorded by row length (`by_length`),
so each row's reverse direction starts at its own end.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from . import names as N
from .errors import ExplainerError
from .hooks import capture, recurrent_modules
from .interventions import Intervention, record_loop
from .memory import check_fits, format_bytes
from .models.recurrent import Recurrent
from .models.replay import can_replay, replay
from .models.spec import CoreSpec, Inputs
from .models.wrapped import is_recurrent, unwrap

#: Recordings above this size say how large they will be before they start.
LARGE = 64 * 2**20
#: The dtypes a trace stores, by name.
DTYPES = {"float32": np.float32, "float16": np.float16}


class RecordingSize(UserWarning):
    """A long recording states its size first."""


#: Where a run leaves its readout's output (a task model's) until `output` is chosen.
TOP = "\0top"


def own_parts(model: nn.Module) -> tuple[nn.Module, nn.Module | None, nn.Module | None] | None:
    """(core, embedding, readout) of a recurrent module or one of our task models; None for any other model."""
    if is_recurrent(model):
        return model, None, None
    core = getattr(model, "core", None)
    if isinstance(core, (nn.RNNBase, Recurrent)):
        return core, getattr(model, "embedding", None), getattr(model, "readout", None)
    return None


def runs_of(model: nn.Module, x: Any, h0: Any, intervene: Mapping, lengths: Any,
             modules: Any) -> tuple[list[Run], Any]:
    """Run any model once, capturing its recurrent submodules' inputs (`hooks.py`): one `Run` for each."""
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
        data, packed = unpack(call.input, spec)
        runs.append(Run(path if len(calls) > 1 else None, core, data, check_h0(call.hx), None,
                         packed if packed is not None else lengths, path=path))
    return runs, output


class Run:
    """One recurrent module to record on one input: its spec, its time-major input, its rows' lengths."""

    def __init__(self, prefix: str | None, core: nn.Module, x: Tensor, hx: Any, readout: nn.Module | None,
                 lengths: Any, path: str | None = None) -> None:
        self.prefix, self.core, self.raw, self.hx, self.readout = prefix, core, x, hx, readout
        self.raw_lengths, self.path = lengths, path
        self.spec = CoreSpec.of(core)

    def prepare(self) -> None:
        x = self.raw
        if isinstance(x, Tensor) and x.is_floating_point():  # the model computes in its dtype: cast the input to it
            x = x.to(compute_dtype(self.core))
        self.inputs = Inputs.prepare(self.spec, x, self.hx)
        time, batch = self.inputs.x.shape[:2]
        self.lengths = check_lengths(self.raw_lengths, batch, time)  # [batch] or None

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
        check_size(spec, inputs, sorted(own) + ([N.OUTPUT] if top_wanted else []), self.readout, dtype)
        layer_names = {n for n in own if N.split(n)}
        if layer_names or top_wanted:
            needed = [N.split(n)[0] for n in layer_names] or [-1]
            last = spec.num_layers - 1 if top_wanted else max(needed)
            if self.lengths is not None and spec.bidirectional and bool((self.lengths < inputs.x.shape[0]).any()):
                values, top = by_length(self, layer_names, intervene, last)
            else:
                values, top = record_core(spec, self.core, inputs.x, inputs.h0, inputs.c0, layer_names,
                                           intervene, last)
        else:
            values, top = {}, None
        if N.INPUT in own:
            values[N.INPUT] = inputs.x
        out = {N.prefixed(self.prefix, n): v for n, v in values.items()}
        if top_wanted:
            out[TOP] = self.readout(top)  # [time, batch, out]
        return out


def record_core(spec: CoreSpec, core: nn.Module, x: Tensor, h0: Tensor, c0: Tensor | None, wanted: set[str],
                 intervene: Mapping[str, Intervention], last: int) -> tuple[dict[str, Tensor], Tensor]:
    """One module's layers 0..last on time-major x: the fused kernel and bulk recovery, or the explicit loop."""
    if intervene or not can_replay(spec):
        return record_loop(spec, core, Inputs(x, h0, c0, True, False), wanted, intervene)
    return replay(spec, core, x, h0, c0, wanted, last)


def by_length(run: Run, wanted: set[str], intervene: Mapping, last: int) -> tuple[dict[str, Tensor], Tensor]:
    """A padded bidirectional batch: the rows of each length recorded together on their real steps only
    (the reverse direction starts at each row's own end), then put back in place, zeros past each end."""
    x, h0, c0 = run.inputs.x, run.inputs.h0, run.inputs.c0  # [time, batch, in], [L*D, batch, out], ...
    values: dict[str, Tensor] = {}
    top = None
    for length in torch.unique(run.lengths).tolist():
        rows = torch.nonzero(run.lengths == length).flatten()  # [rows]
        part, part_top = record_core(run.spec, run.core, x[:length, rows], h0[:, rows],
                                      c0[:, rows] if c0 is not None else None, wanted, intervene, last)
        for name, v in part.items():  # [length, rows, size]
            if name not in values:
                values[name] = v.new_zeros((x.shape[0], x.shape[1], v.shape[2]))
            values[name][:length, rows] = v
        if top is None:
            top = part_top.new_zeros((x.shape[0], x.shape[1], part_top.shape[2]))
        top[:length, rows] = part_top
    return values, top


def unpack(x: Any, spec: CoreSpec | None) -> tuple[Any, Tensor | None]:
    """A PackedSequence as (padded tensor in the module's layout, lengths [batch]); anything else as it is."""
    if not isinstance(x, nn.utils.rnn.PackedSequence):
        return x, None
    batch_first = bool(spec.batch_first) if spec is not None else False
    padded, lengths = nn.utils.rnn.pad_packed_sequence(x, batch_first=batch_first)  # rows in the caller's order
    return padded, lengths


def check_lengths(lengths: Any, batch: int, time: int) -> Tensor | None:
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


def same_time_axis(runs: list[Run]) -> None:
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


def per_step_output(output: Any, run: Run) -> Tensor | None:
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




def compute_dtype(core: nn.Module) -> torch.dtype:
    """The dtype the recurrent core computes in: that of its weights."""
    weight = next(core.parameters(), None)
    return weight.dtype if weight is not None and weight.is_floating_point() else torch.float32


def check_h0(h0: Any) -> Any:
    """h0 as torch takes it: a tensor, or a pair of tensors for an LSTM (shapes are checked with the input)."""
    if h0 is None:
        return None
    pair = isinstance(h0, (tuple, list))
    for name, part in zip(("h0", "c0", "the initial state"), h0 if pair else [h0]):
        if not isinstance(part, Tensor):
            raise ExplainerError(f"{name} must be a torch.Tensor [layers*directions, batch, size], "
                                 f"got {type(part).__name__}")
    return tuple(h0) if pair else h0


def check_size(spec: CoreSpec, inputs: Inputs, wanted: list[str], readout, dtype: str) -> None:
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
    need = time * batch * (per_step * np.dtype(DTYPES[dtype]).itemsize + work)
    check_fits(need, "this recording", "record fewer names (names=...), fewer steps, or dtype='float16'")
    if need > LARGE:
        warnings.warn(f"recording {time} steps x {batch} rows: about {format_bytes(need)} of memory", RecordingSize,
                      stacklevel=4)
