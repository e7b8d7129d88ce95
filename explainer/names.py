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
import re
from collections.abc import Iterable

from .errors import ExplainerError
from .kinds import KIND, KINDS_TABLE

#: Cell kinds, spelled as torch's `RNNBase.mode` lower-cased (rows of `kinds.KIND`).
KINDS = tuple(k.name for k in KINDS_TABLE)

#: Gate letters of each kind, in torch's row order inside `weight_ih` / `weight_hh`.
GATES: dict[str, tuple[str, ...]] = {k.name: k.gates for k in KINDS_TABLE}

#: The gates whose values are sigmoids in [0, 1], over every kind (the others are tanh, signed).
SIGMOID_GATES: frozenset[str] = frozenset().union(*(k.sigmoid for k in KINDS_TABLE))

#: The per-layer states: h (every kind) and c (kinds with a cell state).
STATES = ("h", "c")

INPUT = "input"
OUTPUT = "output"

#: Any name a trace may hold (derived from the tables above).
NAME_PATTERN = re.compile(
    r"^(%s|%s|layers\.\d+\.(reverse\.)?(%s|gates\.[%s]))$"
    % (INPUT, OUTPUT, "|".join(STATES), "".join(sorted({g for k in KINDS_TABLE for g in k.gates})))
)


def layer_prefix(layer: int, reverse: bool = False) -> str:
    """`layers.0.` or `layers.0.reverse.`"""
    return f"layers.{layer}." + ("reverse." if reverse else "")


def gate(layer: int, letter: str, reverse: bool = False) -> str:
    """The name of one gate of one layer.

    >>> gate(0, "f"), gate(1, "z", reverse=True)
    ('layers.0.gates.f', 'layers.1.reverse.gates.z')
    """
    return f"{layer_prefix(layer, reverse)}gates.{letter}"


def state(layer: int, which: str = "h", reverse: bool = False) -> str:
    """The name of a layer's hidden (`h`) or cell (`c`) state: `layers.0.c`."""
    if which not in STATES:
        raise ExplainerError(f"unknown state {which!r}; valid: {', '.join(STATES)}")
    return layer_prefix(layer, reverse) + which


def quantity(letter: str) -> str:
    """The per-layer suffix of a quantity given by its letter: `h`, `c`, or `gates.<letter>`."""
    return letter if letter in STATES else f"gates.{letter}"


def name_of(layer: int, letter: str, reverse: bool = False) -> str:
    """The name of quantity `letter` (h, c or a gate letter) of a layer: `layers.1.gates.o`."""
    return layer_prefix(layer, reverse) + quantity(letter)


def letter_of(name: str) -> str | None:
    """The quantity letter of a layer name (`layers.0.gates.f` -> 'f', `layers.0.c` -> 'c')."""
    parts = split(name)
    return None if parts is None else parts[2].removeprefix("gates.")


def is_sigmoid(letter: str) -> bool:
    """Whether a gate's values lie in [0, 1] (f, i, o, r, z) rather than being signed."""
    return letter in SIGMOID_GATES


def state_names(kind: str) -> tuple[str, ...]:
    """The per-layer suffixes a cell of `kind` records: `h`, `c` for LSTM, then the gates."""
    check_kind(kind)
    cell = STATES if KIND[kind].has_cell else ("h",)
    return cell + tuple(quantity(g) for g in GATES[kind])


def letters(kind: str) -> tuple[str, ...]:
    """The quantity letters a cell of `kind` records: ('h', 'c', 'i', 'f', 'g', 'o') for an LSTM."""
    return tuple(s.removeprefix("gates.") for s in state_names(kind))


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
    if not is_layer_name(name):
        return None
    _, layer, rest = name.split(".", 2)
    reverse = rest.startswith("reverse.")
    return int(layer), reverse, rest[len("reverse."):] if reverse else rest


def is_layer_name(name: str) -> bool:
    """Whether `name` belongs to a layer (h, c, gates) rather than being `input` / `output`."""
    return name.startswith("layers.")


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
    patterns = list(patterns) if isinstance(patterns, Iterable) else [patterns]
    if not all(isinstance(p, str) for p in patterns):
        raise ExplainerError(f"names must be a name or glob pattern, or a list of them (text), got {patterns!r}")
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
