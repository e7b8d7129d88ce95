"""The torch side of the cell-kind table: each row's names resolved to torch objects.

`explainer/kinds.py` names, for every kind, its step function, its torch module class and
its fused kernel as strings, so that code without torch can read the table. Here those
names become the objects: `step(kind)` from `explainer.models.cells` (with the row's
options bound, e.g. the RNN's nonlinearity), `torch_class(kind)` from `torch.nn`,
`fused_kernel(kind)` from `torch._VF`. The model files ask here instead of testing the kind.

    >>> step("rnn_relu").keywords
    {'nonlinearity': 'relu'}
    >>> torch_class("gru").__name__, fused_kernel("lstm").__name__
    ('GRU', 'lstm')
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch
from torch import nn

from ..kinds import KIND, CellKind
from ..names import check_kind
from . import cells


def row(kind: str) -> CellKind:
    """The table row of `kind` (an unknown kind is a one-line error)."""
    return KIND[check_kind(kind)]


@functools.cache
def step(kind: str) -> cells.Step:
    """`step(xw, h, c, w, tap) -> (h, c)` for one step of a cell of `kind`."""
    r = row(kind)
    options = {"nonlinearity": r.nonlinearity} if r.nonlinearity else {}
    return functools.partial(getattr(cells, r.step), **options)


def torch_class(kind: str) -> type[nn.RNNBase] | None:
    """torch's module class for `kind` (`torch.nn.LSTM`), or None when torch has none."""
    name = row(kind).torch_class
    return getattr(nn, name) if name else None


def fused_kernel(kind: str) -> Callable | None:
    """torch's fused kernel for `kind` (`torch._VF.lstm`), or None when there is none."""
    name = row(kind).fused
    return getattr(torch._VF, name) if name else None
