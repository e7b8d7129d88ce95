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

The values equal the explicit loop's (and torch's) to float32 rounding; the parity tests
check both against `torch.nn.*`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .spec import CoreSpec, fused

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
    carry = torch.empty((n,) + tuple(c0.shape), dtype=b.dtype)  # c entering each chunk
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
    from ..names import layer_prefix, split

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
            if prefix + "h" in wanted:
                values[prefix + "h"] = h
            if any(lr[:2] == (layer, reverse) and lr[2] != "h" for lr in asked):
                states = _gates(spec, spec.weights(core, layer, reverse), layer_input, h, h0[k],
                                c0[k] if c0 is not None else None, reverse)
                values.update({prefix + name: v for name, v in states.items() if prefix + name in wanted})
        layer_input = out
    return values, out


def _gates(spec: CoreSpec, w, x: Tensor, h: Tensor, h_init: Tensor, c_init: Tensor | None,
           reverse: bool) -> dict[str, Tensor]:
    """All gates (and c) of one direction of one layer from its inputs and recorded h."""
    time, batch = h.shape[:2]
    hidden = spec.hidden_size
    x2 = x.reshape(time * batch, -1)  # [time*batch, input]
    h2 = h.reshape(time * batch, -1)  # [time*batch, out]
    gx = x2 @ w.weight_ih.T  # [time*batch, G*hidden]
    if spec.kind == "gru":
        if w.bias_ih is not None:
            gx += w.bias_ih
        gh = _hidden_product(h2, h_init, w, batch, reverse)  # [time*batch, 3*hidden]
        if w.bias_hh is not None:
            gh += w.bias_hh
        rz = gx[:, : 2 * hidden].add_(gh[:, : 2 * hidden]).sigmoid_()  # [time*batch, 2*hidden]
        _tanh_(gx[:, 2 * hidden:].addcmul_(rz[:, :hidden], gh[:, 2 * hidden:]))  # n
        g = gx.view(time, batch, 3 * hidden)
        return {"gates.r": g[..., :hidden], "gates.z": g[..., hidden:2 * hidden], "gates.n": g[..., 2 * hidden:]}
    if spec.kind != "lstm":
        return {}
    _hidden_product(h2, h_init, w, batch, reverse, into=gx)
    if w.bias_ih is not None:
        gx += w.bias_ih + w.bias_hh
    gx[:, : 2 * hidden].sigmoid_()  # i, f
    _tanh_(gx[:, 2 * hidden:3 * hidden])  # g
    gx[:, 3 * hidden:].sigmoid_()  # o
    g = gx.view(time, batch, 4 * hidden)
    i, f, cand, o = (g[..., k * hidden:(k + 1) * hidden] for k in range(4))  # each [time, batch, hidden]
    c = linear_scan(f.contiguous(), i * cand, c_init, reverse)  # [time, batch, hidden], in i*cand's memory
    return {"c": c, "gates.i": i, "gates.f": f, "gates.g": cand, "gates.o": o}


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
