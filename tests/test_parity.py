"""Every instrumented cell equals torch's, in every configuration, to 1e-5.

The sweep: kind (rnn tanh/relu, lstm, lstm with proj_size, gru) x layers 1-3 x
bidirectional x batch_first x unbatched / batch 1 / batch several x sequence length 1
and long. For each configuration:

* our explicit loop (`forward`) and our fused path (`fast`) return torch's output and
  final states;
* `record` (fused kernel + recovered gates) gives a last-layer h equal to torch's output,
  and final h and c equal to h_n and c_n;
* `record` through the explicit loop (a no-op intervention) gives the same values for
  every name, gates included.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

import explainer
from explainer.models import Recurrent
from conftest import KINDS, torch_module

TOL = dict(atol=1e-5, rtol=1e-5)
LONG = 60

CONFIGS = list(itertools.product(KINDS, [1, 2, 3], [False, True], [False, True], ["unbatched", 1, 4], [1, LONG]))


def _input(batch, batch_first, time, size=3):
    if batch == "unbatched":
        return torch.randn(time, size)
    return torch.randn(batch, time, size) if batch_first else torch.randn(time, batch, size)


def _initial_state(module, batch):
    """A random (h0, c0) / h0 in torch's layout, so given initial states are covered too."""
    rows = module.num_layers * (2 if module.bidirectional else 1)
    lead = (rows,) if batch == "unbatched" else (rows, batch)
    h0 = torch.randn(*lead, module.proj_size or module.hidden_size)
    if isinstance(module, torch.nn.LSTM):
        return h0, torch.randn(*lead, module.hidden_size)
    return h0


def _batch_major(t: torch.Tensor, batch_first: bool, batched: bool) -> np.ndarray:
    """torch's output layout -> [batch, time, size]."""
    if not batched:
        t = t.unsqueeze(0)
    elif not batch_first:
        t = t.transpose(0, 1)
    return t.numpy()


@pytest.mark.parametrize("kind,layers,bidirectional,batch_first,batch,time", CONFIGS,
                         ids=["-".join(map(str, c)) for c in CONFIGS])
def test_matches_torch(kind, layers, bidirectional, batch_first, batch, time):
    module = torch_module(kind, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first).eval()
    ours = Recurrent.from_torch(module)
    x = _input(batch, batch_first, time)
    hx = _initial_state(module, batch) if layers == 2 else None
    with torch.no_grad():
        want_out, want_state = module(x, hx)
        for out, state in (ours(x, hx), ours.fast(x, hx)):
            torch.testing.assert_close(out, want_out, **TOL)
            for got, want in zip(_states(state), _states(want_state)):
                torch.testing.assert_close(got, want, **TOL)

    trace = explainer.record(module, x, h0=hx)
    batched = batch != "unbatched"
    d = 2 if bidirectional else 1
    top = layers - 1
    h_top = np.concatenate([trace[f"layers.{top}.h"]] + ([trace[f"layers.{top}.reverse.h"]] if bidirectional else []), -1)
    np.testing.assert_allclose(h_top, _batch_major(want_out, batch_first, batched), **TOL)
    h_n = [s if batched else s.unsqueeze(1) for s in _states(want_state)]
    for layer in range(layers):
        for r, prefix in enumerate([f"layers.{layer}."] + ([f"layers.{layer}.reverse."] if bidirectional else [])):
            last = 0 if r else -1  # the reverse direction ends at position 0
            np.testing.assert_allclose(trace[prefix + "h"][:, last], h_n[0][layer * d + r].numpy(), **TOL)
            if kind.startswith("lstm"):
                np.testing.assert_allclose(trace[prefix + "c"][:, last], h_n[1][layer * d + r].numpy(), **TOL)

    looped = explainer.record(module, x, h0=hx, intervene={"layers.*.h": lambda v: v})
    assert looped.names == trace.names
    for name in trace.names:
        np.testing.assert_allclose(looped[name], trace[name], err_msg=name, **TOL)


def _states(state):
    return state if isinstance(state, tuple) else (state,)


def test_long_sequence_stays_within_tolerance():
    """The chunked scan of c over thousands of steps keeps c equal to torch's c_n."""
    module = torch.nn.LSTM(1, 12).eval()
    x = torch.randn(2000, 1)
    with torch.no_grad():
        _, (h_n, c_n) = module(x)
    trace = explainer.record(module, x)
    np.testing.assert_allclose(trace["layers.0.c"][0, -1], c_n[0].numpy(), **TOL)
    np.testing.assert_allclose(trace["layers.0.h"][0, -1], h_n[0].numpy(), **TOL)


def test_training_mode_dropout_is_not_recorded():
    """Recording shows the model as it predicts: dropout between layers is off."""
    module = torch.nn.GRU(3, 5, num_layers=2, dropout=0.5).train()
    x = torch.randn(9, 2, 3)
    a, b = explainer.record(module, x), explainer.record(module, x)
    np.testing.assert_array_equal(a["layers.1.h"], b["layers.1.h"])
    assert module.training, "record restores the module's mode"
