"""What a checkpoint or trace holds, as plain data (no torch): for `explainer inspect`.

Everything comes from the file's header (names, shapes, dtypes, metadata), checked as the
loaders check it; no array is read, so a trace of any size is described at once.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .files import sniff


def describe(path: str | os.PathLike) -> dict[str, Any]:
    """A JSON-able summary: names, shapes, dtypes, sizes, meta, metrics."""
    kind = sniff(path)
    if kind == "trace":
        from .trace import read_header

        shapes, meta = read_header(path)
        return {"file": str(path), "kind": "trace", "arrays": [_array(n, *shapes[n]) for n in shapes], "meta": meta}
    from .checkpoint import read_header as read_checkpoint

    shapes, meta = read_checkpoint(path)
    history = (meta.get("history") or {}).get("loss") or []  # an imported model was trained elsewhere: none
    return {
        "file": str(path), "kind": "checkpoint",
        "model": meta["model"], "train": meta["train"], "metrics": meta["metrics"],
        "units": meta.get("units", {}),
        "history": {"updates": len(history), "first_loss": history[0] if history else None,
                    "last_loss": history[-1] if history else None},
        "weights": [{"name": n, "shape": list(shape), "dtype": dtype} for n, (dtype, shape) in shapes.items()],
        "parameters": int(sum(int(np.prod(shape, dtype=object)) for _, shape in shapes.values())),
    }


def _array(name: str, dtype: str, shape: tuple[int, ...]) -> dict[str, Any]:
    size = int(np.prod(shape, dtype=object)) * np.dtype(dtype).itemsize
    return {"name": name, "shape": list(shape), "dtype": dtype, "bytes": size}
