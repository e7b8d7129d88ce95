"""explainer: make recurrent networks visible.

Record what an RNN, LSTM or GRU does at every step, then draw it:

    >>> import torch, explainer
    >>> m = torch.nn.LSTM(3, 5, 2, bidirectional=True)
    >>> t = explainer.record(m, torch.randn(7, 4, 3))
    >>> t.names[:4]
    ['input', 'layers.0.h', 'layers.0.c', 'layers.0.gates.i']

Nothing here reads configuration or imports torch at import time: `record` (in
`explainer/recorder.py`) is imported on first use, so drawing code stays torch-free.
"""

from .errors import ExplainerError
from .trace import Trace

__version__ = "0.1.0"
__all__ = ["record", "Trace", "ExplainerError", "__version__"]


def __getattr__(name: str):
    # `record` pulls in torch; import it on first use so drawing code stays torch-free.
    if name == "record":
        from .recorder import record

        globals()["record"] = record
        return record
    raise AttributeError(f"module 'explainer' has no attribute {name!r}")
