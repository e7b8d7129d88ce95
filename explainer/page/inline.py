"""The trace page inside a notebook: an iframe whose `srcdoc` is the whole self-contained page.

Jupyter, VS Code and JupyterLab show an object's `_repr_html_`; the page needs its script,
so it is given its own document (`srcdoc`, the HTML escaped as an attribute value) in an
iframe sandboxed to run scripts only (no access to the notebook, no navigation, no forms).
Nothing is fetched, so it also shows in an exported notebook opened offline.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.zeros((1, 3, 2), np.float32)}, {"steps": ["a", "b", "c"]})
    >>> view = PageView.of(t)
    >>> view._repr_html_().startswith('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;')
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from ..trace import Trace


@dataclass(frozen=True)
class PageView:
    """A trace page as a notebook shows it (`_repr_html_`); `html` is the page itself."""

    html: str
    height: int = 900

    @classmethod
    def of(cls, trace: Trace, *, height: int = 900, **options: Any) -> PageView:
        from . import build

        return cls(build(trace, **options), height)

    def _repr_html_(self) -> str:
        return (f'<iframe sandbox="allow-scripts" srcdoc="{escape(self.html, quote=True)}" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd;"></iframe>')
