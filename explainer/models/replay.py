"""Fast recording: run torch's fused kernel for h, then recover every gate at once.

A per-step Python loop costs far more than the fused `torch.nn.LSTM`. But every gate of
step t depends only on x_t and h_{t-1}, and the fused kernel already gives h at every
step. So, for each layer:

1. run the fused kernel on that layer alone: h_t for all t            [time, batch, out]
2. shift h by one step to get h_{t-1}, and recompute all gate pre-activations with two
   large matrix products: X W_ih^T + b_ih + H_prev W_hh^T + b_hh     [time, batch, gates*hidden]
3. apply sigmoid / tanh in place;
4. for the LSTM, run the only true recurrence left, c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t,
   which is elementwise: `linear_scan`.

Which gates are sigmoids and which tanh comes from the cell-kind table; how a kind's
gates combine is its recovery function below (`RECOVER`). A kind with gates but no
recovery function, or without a fused kernel, is recorded through the explicit loop
instead (`can_replay`).

The values equal the explicit loop's (and torch's) to float32 rounding; the parity tests
check both against `torch.nn.*`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import torch
from torch import Tensor, nn

from ..kinds import KIND, CellKind
from ..names import layer_prefix, quantity, split, state
from .spec import CoreSpec, fused, has_fused

#: Below this many elements per step, the scan works on chunks of steps at once.
_SMALL_STEP = 256
_CHUNK = 32


def linear_scan(a: Tensor, b: Tensor, c0: Tensor, reverse: bool = False) -> Tensor:
    """c_t = a_t ⊙ c_{t-1} + b_t for t = 0..T-1 (or T-1..0 when `reverse`), overwriting b.

    a, b: [time, batch, hidden]; c0: [batch, hidden]. Returns c (b's memory when possible).
    Large steps run one fused multiply-add per step; small ones run a parallel prefix scan
    inside chunks of steps (products only, no division, so it stays exact where f ≈ 0).
    """
    time = a.shape[0]
    if a[0].numel() >= _SMALL_STEP or time <= 2:
        prev = c0
        for t in (range(time - 1, -1, -1) if reverse else range(time)):
            prev = torch.addcmul(b[t], a[t], prev, out=b[t])
        return b
    if reverse:
        return linear_scan(a.flip(0), b.flip(0), c0).flip(0)
    n = -(-time // _CHUNK)
    pad = n * _CHUNK - time
    shape = (n, _CHUNK) + tuple(a.shape[1:])
    A = torch.cat([a, a.new_ones((pad,) + a.shape[1:])]).reshape(shape)  # [chunks, chunk, batch, hidden]
    B = torch.cat([b, b.new_zeros((pad,) + b.shape[1:])]).reshape(shape)  # [chunks, chunk, batch, hidden]
    step = 1
    while step < _CHUNK:  # Hillis-Steele: after this, B holds c within each chunk from c=0
        B[:, step:] = torch.addcmul(B[:, step:], A[:, step:], B[:, :-step])
        A[:, step:] = A[:, step:] * A[:, :-step]
        step *= 2
    carry = torch.empty((n,) + tuple(c0.shape), dtype=b.dtype, device=b.device)  # c entering each chunk
    prev = c0
    for j in range(n):
        carry[j] = prev
        prev = torch.addcmul(B[j, -1], A[j, -1], prev)
    c = torch.addcmul(B, A, carry.unsqueeze(1))  # [chunks, chunk, batch, hidden]
    return c.reshape((n * _CHUNK,) + tuple(a.shape[1:]))[:time]


def replay(spec: CoreSpec, core: nn.Module, x: Tensor, h0: Tensor, c0: Tensor | None,
           wanted: set[str], last_layer: int) -> tuple[dict[str, Tensor], Tensor]:
    """Record layers 0..last_layer. Returns ({name: [time, batch, size]}, top output).

    `wanted` holds full trace names; gates and c are only recomputed where asked for.
    """
    asked = {split(n) for n in wanted} - {None}
    values: dict[str, Tensor] = {}
    layer_input = x  # [time, batch, input]
    out = x
    for layer in range(last_layer + 1):
        out, _, _ = fused(spec, core, layer_input, h0, c0, range(layer, layer + 1), train=False)
        for d, reverse in enumerate([False, True][: spec.num_directions]):
            prefix = layer_prefix(layer, reverse)
            k = layer * spec.num_directions + d
            h = out[..., d * spec.out_size:(d + 1) * spec.out_size]  # [time, batch, out]
            if state(layer, "h", reverse) in wanted:
                values[state(layer, "h", reverse)] = h
            if spec.kind in RECOVER and any(lr[:2] == (layer, reverse) and lr[2] != "h" for lr in asked):
                states = _gates(spec, spec.weights(core, layer, reverse), layer_input, h, h0[k],
                                c0[k] if c0 is not None else None, reverse)
                values.update({prefix + name: v for name, v in states.items() if prefix + name in wanted})
        layer_input = out
    return values, out


def _gates(spec: CoreSpec, w, x: Tensor, h: Tensor, h_init: Tensor, c_init: Tensor | None,
           reverse: bool) -> dict[str, Tensor]:
    """All gates (and c) of one direction of one layer from its inputs and recorded h."""
    time, batch = h.shape[:2]
    x2 = x.reshape(time * batch, -1)  # [time*batch, input]
    h2 = h.reshape(time * batch, -1)  # [time*batch, out]
    gx = x2 @ w.weight_ih.T  # [time*batch, G*hidden]
    gates = RECOVER[spec.kind](spec, w, gx, h2, h_init, c_init, batch, reverse)  # each [time*batch, hidden]
    return {name: v.view(time, batch, -1) for name, v in gates.items()}


def _lstm(spec: CoreSpec, w, gx: Tensor, h2: Tensor, h_init: Tensor, c_init: Tensor, batch: int,
          reverse: bool) -> dict[str, Tensor]:
    """i, f, g, o from one sum of both products; then c_t = f ⊙ c_{t-1} + i ⊙ g by a scan."""
    _hidden_product(h2, h_init, w, batch, reverse, into=gx)
    if w.bias_ih is not None:
        gx += w.bias_ih + w.bias_hh
    _activate_(gx, spec.row, spec.row.gates, spec.hidden_size)
    gates = _blocks(gx, spec.row.gates, spec.hidden_size)  # each [time*batch, hidden]
    i, f, g = (gates[quantity(letter)] for letter in ("i", "f", "g"))
    shape = (gx.shape[0] // batch, batch, spec.hidden_size)  # [time, batch, hidden]
    c = linear_scan(f.reshape(shape).contiguous(), (i * g).view(shape), c_init, reverse)  # in i*g's memory
    return {"c": c, **gates}


def _gru(spec: CoreSpec, w, gx: Tensor, h2: Tensor, h_init: Tensor, c_init: None, batch: int,
         reverse: bool) -> dict[str, Tensor]:
    """r, z from the sum of both products; n = tanh(its x part + r ⊙ its hidden part)."""
    hidden = spec.hidden_size
    if w.bias_ih is not None:
        gx += w.bias_ih
    gh = _hidden_product(h2, h_init, w, batch, reverse)  # [time*batch, 3*hidden]
    if w.bias_hh is not None:
        gh += w.bias_hh
    gx[:, : 2 * hidden].add_(gh[:, : 2 * hidden])  # r, z
    _activate_(gx, spec.row, spec.row.gates[:2], hidden)
    gx[:, 2 * hidden:].addcmul_(gx[:, :hidden], gh[:, 2 * hidden:])  # n's argument: x part + r ⊙ hidden part
    _activate_(gx, spec.row, spec.row.gates[2:], hidden)
    return _blocks(gx, spec.row.gates, hidden)


def _blocks(gx: Tensor, letters: tuple[str, ...], hidden: int) -> dict[str, Tensor]:
    """{'gates.<letter>': its columns [rows, hidden]}, the gates in torch's row order."""
    return {quantity(g): gx[:, k * hidden:(k + 1) * hidden] for k, g in enumerate(letters)}


#: kind -> how its gates are recovered in bulk, (spec, w, X W_ih^T, h, h0, c0, batch, reverse) -> {name: value}.
RECOVER: dict[str, Callable[..., dict[str, Tensor]]] = {"lstm": _lstm, "gru": _gru}


def can_replay(spec: CoreSpec) -> bool:
    """Whether this kind records through the fused kernel: it has one, and its gates (if any) a recovery."""
    row = KIND[spec.kind]
    return has_fused(spec) and (spec.kind in RECOVER or not (row.gates or row.has_cell))


def _activate_(pre: Tensor, row: CellKind, letters: tuple[str, ...], hidden: int) -> None:
    """Apply each gate's activation in place on its block of columns: sigmoid where the table says, else tanh.

    `letters` are consecutive gates of the row; runs of the same activation are one call.
    """
    start = row.gates.index(letters[0])
    for sigmoid, run in itertools.groupby(letters, key=lambda g: g in row.sigmoid):
        n = len(list(run))
        block = pre[:, start * hidden:(start + n) * hidden]  # [rows, n*hidden]
        block.sigmoid_() if sigmoid else _tanh_(block)
        start += n


def _hidden_product(h2: Tensor, h_init: Tensor, w, batch: int, reverse: bool, into: Tensor | None = None) -> Tensor:
    """W_hh h_{t-1} for every t from h [time*batch, out], without building a shifted copy of h.

    Adds into `into` when given (in place), else returns a new [time*batch, G*hidden] tensor.
    """
    out = into if into is not None else h2.new_zeros(h2.shape[0], w.weight_hh.shape[0])
    wt = w.weight_hh.T  # [out, G*hidden]
    if reverse:  # position t read h from position t+1; the last position read h_init
        out[:-batch].addmm_(h2[batch:], wt)
        out[-batch:].addmm_(h_init, wt)
    else:
        out[batch:].addmm_(h2[:-batch], wt)
        out[:batch].addmm_(h_init, wt)
    return out


def _tanh_(x: Tensor) -> Tensor:
    """In-place tanh via tanh(x) = 2σ(2x) - 1: several times faster than torch.tanh on CPU, to 1e-7."""
    return x.mul_(2).sigmoid_().mul_(2).sub_(1)
