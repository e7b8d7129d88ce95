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


def original_row(trace: Trace, row: int) -> tuple[int, int]:
    """(the row's number in the batch it was recorded with, that batch's size): they differ after `select(batch=...)`.

    >>> import numpy as np
    >>> t = Trace({"layers.0.h": np.zeros((3, 2, 1), np.float32)})
    >>> original_row(t.select(batch=[2]), 0), original_row(t, 1)
    ((2, 3), (1, 3))
    """
    rows, total = trace.meta.get("rows"), trace.meta.get("rows_of")
    if isinstance(rows, list) and len(rows) == trace.batch_size and isinstance(total, int) and 0 <= row < len(rows):
        return int(rows[row]), total
    return row, trace.batch_size


def many_rows(trace: Trace) -> bool:
    """Whether the trace is (or was cut from) a batch of several rows: only then is "sequence 2 of 3" worth saying."""
    return original_row(trace, 0)[1] > 1


def shown(trace: Trace, layer: int | None = None, row: int | None = None, lang: str = "en") -> str:
    """One line: the layer and the row shown (when given), then the intervention mark (when any)."""
    parts = []
    if layer is not None:
        parts.append(word("read.layer", lang, layer=layer, layers=max(num_layers(trace), layer + 1)))
    if row is not None:
        number, rows = original_row(trace, row)
        parts.append(word("read.row", lang, row=number, rows=rows))
    mark = intervened(trace, lang)
    if mark:
        parts.append(mark)
    return word("read.sep", lang).join(parts)
