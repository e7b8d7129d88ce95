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

A model with several recurrent submodules prefixes each one's names with its module path
from `named_modules()`, as TransformerLens names its hooks: `encoder.lstm.layers.0.gates.f`,
`encoder.lstm.input` (`prefixed`, `module_of`); `output` stays the model's.

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

_LAYER = r"layers\.(\d+)\.(reverse\.)?(%s|gates\.[%s])" % (
    "|".join(STATES), "".join(sorted({g for k in KINDS_TABLE for g in k.gates})))
_LOCAL = re.compile(r"^(?:%s|%s)$" % (INPUT, _LAYER))
#: A module path as `named_modules()` spells it: `encoder.lstm`, `layers.0`.
MODULE_PATTERN = re.compile(r"^[A-Za-z_0-9][\w]*(\.[\w]+)*$")
#: Any name a trace may hold (derived from the tables above), with or without a module path in front.
NAME_PATTERN = re.compile(r"^(%s|(?:[A-Za-z_0-9]\w*(?:\.\w+)*\.)?(?:%s|%s))$" % (OUTPUT, INPUT, _LAYER))


def prefixed(module: str | None, name: str) -> str:
    """A recurrent submodule's name for one of its quantities: `prefixed("encoder.lstm", "layers.0.h")`.

    >>> prefixed("encoder.lstm", "layers.0.gates.f"), prefixed(None, "input")
    ('encoder.lstm.layers.0.gates.f', 'input')
    """
    return f"{module}.{name}" if module else name


def module_of(name: str) -> tuple[str | None, str]:
    """(module path or None, the name within it): the inverse of `prefixed`.

    >>> module_of("layers.0.layers.1.c"), module_of("layers.1.c"), module_of("enc.input")
    (('layers.0', 'layers.1.c'), (None, 'layers.1.c'), ('enc', 'input'))
    """
    if name == OUTPUT or _LOCAL.match(name):
        return None, name
    for k in range(len(name)):  # the shortest name within, after the longest module path
        if name[k] == "." and _LOCAL.match(name[k + 1:]):
            return name[:k], name[k + 1:]
    return None, name


_LAYER_NAME = re.compile(f"^{_LAYER}$")


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
    found = _LAYER_NAME.match(name)
    if found is None:
        return None
    return int(found.group(1)), found.group(2) is not None, found.group(3)


def is_layer_name(name: str) -> bool:
    """Whether `name` belongs to a layer (h, c, gates) rather than being `input` / `output` (or a module's)."""
    return _LAYER_NAME.match(name) is not None


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
