"""Where explainer keeps what it can make again: spoken cues, measured claims.

$EXPLAINER_CACHE, else $XDG_CACHE_HOME/explainer, else ~/.cache/explainer. Everything in it
is keyed by what it was made from, so a stale entry is never read, and deleting the folder
costs only the time to make it again.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    root = os.environ.get("EXPLAINER_CACHE")
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "explainer"
