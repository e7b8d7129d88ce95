"""Interventions: replace a recorded quantity as it is computed, and let everything downstream follow.

`record(..., intervene={"layers.0.gates.f": 1.0})` runs the explicit loop
(`Recurrent.run` with a tap) instead of the fused kernel: at every step, each named value
(a gate, c or h of one layer and direction) is replaced by a constant, an array broadcast
to `[batch, size]`, or what a function of the value (and the step) returns, before the
rest of the step uses it. Every problem with an intervention is one line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from . import names as N
from .errors import ExplainerError
from .models.recurrent import Recurrent
from .models.spec import CoreSpec, Inputs

Intervention = float | int | np.ndarray | Tensor | Callable[..., Tensor]


def record_loop(spec: CoreSpec, core: nn.Module, inputs: Inputs, wanted: set[str],
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


def describe(value: Intervention) -> str:
    if callable(value) and not isinstance(value, Tensor):
        return f"function {getattr(value, '__name__', type(value).__name__)}"
    a = np.asarray(value, dtype=np.float64)
    return f"constant {a.item():g}" if a.size == 1 else f"array of shape {list(a.shape)}"


