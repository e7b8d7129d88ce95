"""Trace names, derived in one place.

A recording of a recurrent network is a set of arrays named after where they come from
(see DESIGN.md, "Trace names"):

    input                      what layer 0 reads (after any embedding)
    layers.{l}.h               hidden state after step t
    layers.{l}.c               LSTM cell state after step t
    layers.{l}.gates.{i,f,g,o} LSTM input, forget, candidate, output gates (torch order)
    layers.{l}.gates.{r,z,n}   GRU reset, update, new gates (torch order)
    layers.{l}.reverse.<same>  the backward direction of a bidirectional layer
    output                     the model's readout, where it has one

Nobody types these strings anywhere else: code asks this module for them, and a golden
test pins the full list.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from .errors import ExplainerError

#: Cell kinds, spelled as torch's `RNNBase.mode` lower-cased.
KINDS = ("rnn_tanh", "rnn_relu", "lstm", "gru")

#: Gate letters of each kind, in torch's row order inside `weight_ih` / `weight_hh`.
GATES: dict[str, tuple[str, ...]] = {
    "rnn_tanh": (),
    "rnn_relu": (),
    "lstm": ("i", "f", "g", "o"),
    "gru": ("r", "z", "n"),
}

INPUT = "input"
OUTPUT = "output"


def layer_prefix(layer: int, reverse: bool = False) -> str:
    """`layers.0.` or `layers.0.reverse.`"""
    return f"layers.{layer}." + ("reverse." if reverse else "")


def state_names(kind: str) -> tuple[str, ...]:
    """The per-layer suffixes a cell of `kind` records: `h`, `c` for LSTM, then the gates."""
    check_kind(kind)
    cell = ("h", "c") if kind == "lstm" else ("h",)
    return cell + tuple(f"gates.{g}" for g in GATES[kind])


def layer_names(kind: str, layer: int, reverse: bool = False) -> list[str]:
    """Every name one direction of one layer records."""
    prefix = layer_prefix(layer, reverse)
    return [prefix + s for s in state_names(kind)]


def trace_names(kind: str, num_layers: int, bidirectional: bool = False, has_output: bool = False) -> list[str]:
    """All names a full recording holds, in canonical order.

    >>> trace_names("gru", 1)
    ['input', 'layers.0.h', 'layers.0.gates.r', 'layers.0.gates.z', 'layers.0.gates.n']
    """
    names = [INPUT]
    for layer in range(num_layers):
        names += layer_names(kind, layer)
        if bidirectional:
            names += layer_names(kind, layer, reverse=True)
    if has_output:
        names.append(OUTPUT)
    return names


def split(name: str) -> tuple[int, bool, str] | None:
    """`layers.1.reverse.gates.f` -> (1, True, 'gates.f'); None for `input`/`output`."""
    if not name.startswith("layers."):
        return None
    _, layer, rest = name.split(".", 2)
    reverse = rest.startswith("reverse.")
    return int(layer), reverse, rest[len("reverse."):] if reverse else rest


def match(patterns: str | Iterable[str] | None, available: list[str]) -> list[str]:
    """The names in `available` matched by exact names or glob patterns, in canonical order.

    A pattern that matches nothing is an error that lists what is available, so a typo
    never silently records nothing.

    >>> match(["layers.*.gates.f", "output"], trace_names("lstm", 2, has_output=True))
    ['layers.0.gates.f', 'layers.1.gates.f', 'output']
    """
    if patterns is None:
        return list(available)
    if isinstance(patterns, str):
        patterns = [patterns]
    wanted: set[str] = set()
    for pattern in patterns:
        hits = fnmatch.filter(available, pattern)
        if not hits:
            raise ExplainerError(
                f"no recorded name matches {pattern!r}; available: {', '.join(available)}"
            )
        wanted.update(hits)
    return [n for n in available if n in wanted]


def check_kind(kind: str) -> str:
    if kind not in GATES:
        raise ExplainerError(f"unknown cell kind {kind!r}; valid: {', '.join(KINDS)}")
    return kind
