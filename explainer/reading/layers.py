"""Which layers a trace holds, which one a picture shows, and the names of its quantities.

The name builders themselves live in `explainer.names` (derived from the cell-kind table);
this module answers the questions about a given trace: the layers present, the top layer
(whose hidden state the readout sees), a `--layer` checked against what was recorded.

    >>> import torch, explainer
    >>> t = explainer.record(torch.nn.GRU(2, 3, num_layers=2), torch.randn(5, 2))
    >>> layers(t), top_layer(t), check_layer(t, None), check_layer(t, 0)
    ([0, 1], 1, 1, 0)
"""

from __future__ import annotations

from ..errors import ExplainerError
from ..names import split
from ..trace import Trace


def layers(trace: Trace) -> list[int]:
    """The layers of which the trace holds at least one array, in order."""
    return sorted({parts[0] for n in trace.names if (parts := split(n))})


def top_layer(trace: Trace) -> int:
    """The top recorded layer: its hidden state is what the readout sees (0 when none)."""
    present = layers(trace)
    return present[-1] if present else 0


def check_layer(trace: Trace, layer: int | None) -> int:
    """`--layer` as a layer the trace holds; the top layer when not given."""
    present = layers(trace)
    if layer is None:
        return top_layer(trace)
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise ExplainerError(f"--layer must be an integer, got {layer!r}")
    if layer not in present:
        have = ", ".join(map(str, present)) or "none"
        raise ExplainerError(f"--layer {layer} is not in this trace; it holds layer(s) {have}")
    return layer


def num_layers(trace: Trace) -> int:
    """How many layers the model had (meta num_layers), else how many the trace holds."""
    n = trace.meta.get("num_layers")
    return int(n) if isinstance(n, int) and n > 0 else len(layers(trace))
