"""What a picture says about what it shows: the layer, the row, and any intervention.

Every figure and scene that draws one layer and one batch row of a trace names them, and a
trace recorded with `intervene=` is marked as such, so a picture of a "what if" is never
mistaken for the model as it is.

    >>> import torch, explainer
    >>> t = explainer.record(torch.nn.LSTM(1, 2, num_layers=2), torch.randn(4, 3, 1),
    ...                      intervene={"layers.0.gates.f": 1.0})
    >>> shown(t, layer=1, row=2)
    'layer 1 of 2 · sequence 2 of 3 · intervened: layers.0.gates.f = constant 1'
    >>> intervened(t, "zh")
    '干预：layers.0.gates.f = constant 1'
"""

from __future__ import annotations

from ..style import word
from ..trace import Trace
from .layers import num_layers


def intervened(trace: Trace, lang: str = "en") -> str:
    """'intervened: layers.0.gates.f = constant 1', or '' for a trace recorded as the model is."""
    what = trace.meta.get("intervened") or {}
    if not isinstance(what, dict) or not what:
        return ""
    items = ", ".join(word("read.intervened_item", lang, name=str(k), what=str(v)) for k, v in what.items())
    return word("label.intervened", lang, what=items)


def shown(trace: Trace, layer: int | None = None, row: int | None = None, lang: str = "en") -> str:
    """One line: the layer and the row shown (when given), then the intervention mark (when any)."""
    parts = []
    if layer is not None:
        parts.append(word("read.layer", lang, layer=layer, layers=max(num_layers(trace), layer + 1)))
    if row is not None:
        parts.append(word("read.row", lang, row=row, rows=trace.batch_size))
    mark = intervened(trace, lang)
    if mark:
        parts.append(mark)
    return word("read.sep", lang).join(parts)
