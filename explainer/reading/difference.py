"""What an intervention changed: an intervened trace minus the trace of the model as it is.

A trace recorded with `intervene=` (say the forget gate held at 1) and one recorded on the
same input without it hold the same names with the same shapes; their difference, name by
name, is what the intervention did at every step and unit (0 where the two agree). Traces
that do not line up (other names, other shapes, other lengths of padded rows) are refused in
one line, never compared in part.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> base = Trace({"layers.0.h": np.zeros((1, 3, 2), np.float32)}, {"steps": ["a", "b", "c"]})
    >>> moved = Trace({"layers.0.h": np.ones((1, 3, 2), np.float32)}, {"steps": ["a", "b", "c"],
    ...               "intervened": {"layers.0.gates.f": "constant 1"}})
    >>> d = difference(moved, base)
    >>> d["layers.0.h"][0, :, 0].tolist(), d.meta["difference"]
    ([1.0, 1.0, 1.0], True)
"""

from __future__ import annotations

import numpy as np

from ..errors import ExplainerError
from ..names import is_layer_name
from ..trace import Trace
from .lengths import row_lengths


def difference(intervened: Trace, baseline: Trace) -> Trace:
    """A trace of `intervened − baseline` for every layer array (h, c, gates) both hold; its meta is the
    intervened trace's, with `difference: True`."""
    ours = [n for n in intervened.names if is_layer_name(n)]
    theirs = [n for n in baseline.names if is_layer_name(n)]
    if ours != theirs:
        missing = sorted(set(ours) ^ set(theirs))
        raise ExplainerError(f"the two traces hold different arrays ({', '.join(missing[:4])}"
                             f"{', …' if len(missing) > 4 else ''} in one only); give a baseline recorded with the same "
                             "names")
    for n in ours:
        if intervened[n].shape != baseline[n].shape:
            raise ExplainerError(f"the two traces do not line up: {n} is {list(intervened[n].shape)} in the intervened "
                                 f"trace and {list(baseline[n].shape)} in the baseline; record both on the same input")
    if row_lengths(intervened) != row_lengths(baseline):
        raise ExplainerError("the two traces' rows have different lengths (meta lengths); record both on the same input")
    arrays = {n: (intervened[n].astype(np.float32) - baseline[n].astype(np.float32)) for n in ours}  # each [batch, time, size]
    return Trace(arrays, {**intervened.meta, "difference": True})
