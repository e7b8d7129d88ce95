"""One time step of each recurrent cell, written out as in the textbooks.

These are the formulas of `torch.nn.RNN`, `torch.nn.LSTM` and `torch.nn.GRU`, in torch's
gate order, applied to one step of a batch. The input projection `W_ih x_t + b_ih` is
computed for all steps at once by the caller (it does not depend on the recurrence), so
each function receives `xw`, the projected input of this step.

Every step function has one signature, `step(xw, h, c, w, tap) -> (h, c)`, with c None
for kinds without a cell state; a row's own options (the RNN's nonlinearity) come as
keywords. The cell-kind table (`explainer/kinds.py`) names each kind's step function, so
the loop in `recurrent.py` never asks which kind it runs.

Every intermediate value passes through `tap(name, value)`. By default it returns the
value unchanged; the recorder uses it to keep a copy, and interventions use it to replace
the value (a forget gate held open), so that everything downstream follows from the
change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch
from torch import Tensor

Tap = Callable[[str, Tensor], Tensor]
#: step(xw, h, c, w, tap) -> (h, c): one time step of one direction of one layer.
Step = Callable[..., "tuple[Tensor, Tensor | None]"]


def no_tap(name: str, value: Tensor) -> Tensor:
    return value


class LayerWeights(NamedTuple):
    """The parameters of one direction of one layer, named as torch names them."""

    weight_ih: Tensor  # [gates*hidden, input]
    weight_hh: Tensor  # [gates*hidden, hidden or proj]
    bias_ih: Tensor | None  # [gates*hidden]
    bias_hh: Tensor | None  # [gates*hidden]
    weight_hr: Tensor | None = None  # [proj, hidden], LSTM with proj_size only


def _hidden_term(h: Tensor, w: LayerWeights) -> Tensor:
    hw = h @ w.weight_hh.T  # [batch, gates*hidden]
    return hw if w.bias_hh is None else hw + w.bias_hh


def rnn_step(xw: Tensor, h: Tensor, c: None, w: LayerWeights, tap: Tap = no_tap, *,
             nonlinearity: str = "tanh") -> tuple[Tensor, None]:
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)  (or relu)."""
    pre = xw + _hidden_term(h, w)  # [batch, hidden]
    h = torch.tanh(pre) if nonlinearity == "tanh" else torch.relu(pre)
    return tap("h", h), None


def lstm_step(xw: Tensor, h: Tensor, c: Tensor, w: LayerWeights, tap: Tap = no_tap) -> tuple[Tensor, Tensor]:
    """colah's LSTM, torch's gate order i, f, g, o:

        i = σ(·), f = σ(·), g = tanh(·), o = σ(·)      (· = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
        c_t = f ⊙ c_{t-1} + i ⊙ g
        h_t = o ⊙ tanh(c_t)            (then h_t = W_hr h_t with proj_size)
    """
    i, f, g, o = (xw + _hidden_term(h, w)).chunk(4, dim=-1)  # each [batch, hidden]
    i = tap("gates.i", torch.sigmoid(i))
    f = tap("gates.f", torch.sigmoid(f))
    g = tap("gates.g", torch.tanh(g))
    o = tap("gates.o", torch.sigmoid(o))
    c = tap("c", f * c + i * g)  # [batch, hidden]
    h = o * torch.tanh(c)  # [batch, hidden]
    if w.weight_hr is not None:
        h = h @ w.weight_hr.T  # [batch, proj]
    return tap("h", h), c


def gru_step(xw: Tensor, h: Tensor, c: None, w: LayerWeights, tap: Tap = no_tap) -> tuple[Tensor, None]:
    """torch's GRU, gate order r, z, n:

        r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
    """
    xr, xz, xn = xw.chunk(3, dim=-1)  # each [batch, hidden]
    hr, hz, hn = _hidden_term(h, w).chunk(3, dim=-1)  # each [batch, hidden]
    r = tap("gates.r", torch.sigmoid(xr + hr))
    z = tap("gates.z", torch.sigmoid(xz + hz))
    n = tap("gates.n", torch.tanh(xn + r * hn))
    return tap("h", (1 - z) * n + z * h), None
