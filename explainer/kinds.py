"""The cell kinds, one table row each: what every layer of explainer needs to know of a kind.

A kind is spelled as torch's `RNNBase.mode` lower-cased (`rnn_tanh`, `lstm`, ...). Its row
says which gates it has (in torch's row order inside `weight_ih` / `weight_hh`), which of
them are sigmoids (values in [0, 1], drawn white -> colour; the others are tanh and signed),
whether it carries a cell state, and where its torch-side pieces live: the step function
(the formulas, `explainer/models/cells.py`), the torch module class and the fused kernel.
Those are written as names, resolved by `explainer/models/resolve.py`, so this table stays
torch-free and the drawing code can read it.

A new cell kind is one row here plus its step function in `models/cells.py`. A kind that
torch lacks leaves `torch_class` and `fused` empty: it is then recorded and trained through
the explicit loop (no fused kernel), and cannot be converted from or to a torch module.
Fast recording of a new kind's gates needs its bulk recovery in `models/replay.py`
(`RECOVER`); without one it is recorded through the loop, with the same values.

    >>> KIND["lstm"].gates, sorted(KIND["lstm"].sigmoid)
    (('i', 'f', 'g', 'o'), ['f', 'i', 'o'])
    >>> KIND["gru"].gate_count, KIND["rnn_tanh"].gate_count
    (3, 1)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CellKind:
    name: str  # torch's mode, lower-cased
    gates: tuple[str, ...]  # gate letters in torch's row order ('' for none)
    sigmoid: frozenset[str]  # the gates whose values lie in [0, 1]
    has_cell: bool  # records a cell state c (LSTM)
    step: str  # the step function in explainer.models.cells
    torch_class: str | None  # the torch.nn class (None: torch has no such module)
    fused: str | None  # torch's fused kernel, torch._VF.<fused> (None: the explicit loop only)
    nonlinearity: str | None = None  # for the plain RNN: tanh or relu (passed to its step function)
    projection: bool = False  # takes torch's proj_size (LSTM)

    @property
    def mode(self) -> str:
        """torch's `RNNBase.mode` ("LSTM", "RNN_TANH", ...)."""
        return self.name.upper()

    @property
    def gate_count(self) -> int:
        """Blocks of rows in `weight_ih`: one per gate, one for a gateless RNN."""
        return max(1, len(self.gates))

    @property
    def family(self) -> str:
        """How the kind is named to a person: rnn, lstm, gru."""
        return self.name.split("_")[0]


KINDS_TABLE: tuple[CellKind, ...] = (
    CellKind("rnn_tanh", (), frozenset(), False, "rnn_step", "RNN", "rnn_tanh", "tanh"),
    CellKind("rnn_relu", (), frozenset(), False, "rnn_step", "RNN", "rnn_relu", "relu"),
    CellKind("lstm", ("i", "f", "g", "o"), frozenset("ifo"), True, "lstm_step", "LSTM", "lstm", projection=True),
    CellKind("gru", ("r", "z", "n"), frozenset("rz"), False, "gru_step", "GRU", "gru"),
)

#: name -> row
KIND: dict[str, CellKind] = {k.name: k for k in KINDS_TABLE}

#: torch's `RNNBase.mode` ("LSTM", "RNN_TANH", ...) -> name
MODES: dict[str, str] = {k.mode: k.name for k in KINDS_TABLE}

#: The families, in table order: what `--model` offers (rnn, lstm, gru).
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(k.family for k in KINDS_TABLE))

#: What a person may call a model -> its kind: a family means its first row (rnn -> rnn_tanh).
MODELS: dict[str, str] = {**{f: next(k.name for k in KINDS_TABLE if k.family == f) for f in FAMILIES},
                          **{k.name: k.name for k in KINDS_TABLE}}
