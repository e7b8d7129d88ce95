"""Whether a trace holds what a picture needs, asked in one place before anything is drawn.

A trace can load fine and still hold nothing a picture can show: no batch rows, no steps,
a layer of zero units, only the forget gate (`record(..., names=["layers.0.gates.f"])`),
an LSTM recorded with `proj_size` (h then has fewer units than C). Every figure and scene
asks `needs(trace, *names, by=..., why=...)` first, and a trace that lacks something gets
one line saying what is missing and what to do, never an IndexError inside a renderer.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.zeros((1, 0, 4), np.float32)}, {"kind": "rnn_tanh"})
    >>> needs(t, "layers.0.h", by="figure unrolled")
    Traceback (most recent call last):
    ...
    explainer.errors.ExplainerError: figure unrolled has nothing to draw: this trace has no steps; record it on an input of at least one step
    >>> model_name(Trace({"layers.0.h": np.zeros((1, 2, 4), np.float32)}), "en")
    'RNN'
"""

from __future__ import annotations

from ..errors import ExplainerError
from ..kinds import KIND
from ..names import is_layer_name, letter_of, split
from ..style import word
from ..trace import Trace


def needs(trace: Trace, *names: str, by: str, why: str = "", steps: int = 1, steps_why: str = "",
          most_steps: int | None = None, rows: int = 1, same_units: bool = False) -> None:
    """Raise a one-line `ExplainerError` unless the trace holds what `by` (e.g. "figure gates") draws.

    names: the arrays it reads (`why`, e.g. "(the gates figure draws every gate and state)",
    is said when one is missing); steps, rows: how many it needs at least (`steps_why`: why
    that many); most_steps: how many it can show at most (a scene that plays every step); every named
    layer array must have a unit; same_units: the named arrays of a layer must have as
    many units each (not an LSTM with proj_size, whose h is narrower than C).
    """
    trace.require(*names, why=why)
    nothing = f"{by} has nothing to draw"
    if trace.batch_size < rows:
        raise ExplainerError(f"{nothing}: this trace has no batch rows; record it on an input of at least one row")
    if trace.num_steps < steps:
        if trace.num_steps == 0:
            raise ExplainerError(f"{nothing}: this trace has no steps; record it on an input of at least one step")
        because = f" ({steps_why})" if steps_why else ""
        raise ExplainerError(f"{by} needs at least {steps} steps{because}; this trace has {trace.num_steps}; "
                             f"record it on a longer input")
    if most_steps is not None and trace.num_steps > most_steps:
        raise ExplainerError(f"{by} shows every step, at most {most_steps}; this trace has "
                             f"{trace.num_steps}: record it on a shorter input (or cut it with trace.select(steps=...))")
    for name in names:
        if is_layer_name(name) and trace[name].shape[2] == 0:
            raise ExplainerError(f"{nothing}: this trace's {name} has no units (hidden size 0); "
                                 f"record a model with at least one unit, or select some units")
    if same_units:
        by_layer: dict[tuple[int, bool], dict[str, int]] = {}
        for name in names:
            parts = split(name)
            if parts is not None:
                by_layer.setdefault(parts[:2], {})[name] = trace[name].shape[2]
        for widths in by_layer.values():
            narrow = min(widths, key=widths.get)
            wide = max(widths, key=lambda n: (widths[n], n.endswith(".c")))  # C, where it is the wider one
            if widths[narrow] != widths[wide]:
                raise ExplainerError(
                    f"{by} draws an LSTM without projection: this trace's {narrow} has {widths[narrow]} units and "
                    f"{wide} has {widths[wide]} (an LSTM recorded with proj_size); figures gate-unit and saturation "
                    f"read no h and draw it")


def kind_of(trace: Trace) -> str | None:
    """The trace's cell kind: its metadata's, else the kind whose gates it holds (None when it cannot tell)."""
    if trace.kind is not None:
        return trace.kind
    held = {letter_of(n) for n in trace.names if is_layer_name(n)} - {"h", "c"}
    matches = [k for k, row in KIND.items() if held and held <= set(row.gates)]
    return matches[0] if len(matches) == 1 else None


def model_name(trace: Trace, lang: str) -> str:
    """How a title names the model: LSTM, GRU, RNN; 'RNN' (any recurrent network) when the trace does not say."""
    kind = kind_of(trace)
    return word(f"model.{kind}" if kind in KIND else "model.rnn_tanh", lang)
