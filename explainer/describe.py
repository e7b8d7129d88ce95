"""What a checkpoint or trace holds, as plain data (no torch): for `explainer inspect`."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .files import sniff


def describe(path: str | os.PathLike) -> dict[str, Any]:
    """A JSON-able summary: names, shapes, value ranges, meta, metrics."""
    kind = sniff(path)
    if kind == "trace":
        from .trace import Trace

        trace = Trace.load(path)
        return {
            "file": str(path), "kind": "trace",
            "arrays": [_array(n, trace[n]) for n in trace.names],
            "meta": trace.meta,
        }
    from .checkpoint import SCHEMA, read_meta
    from .files import read_artifact

    arrays, meta = read_artifact(path, "checkpoint", SCHEMA)
    read_meta(path)  # the same checks the loader makes
    history = meta.get("history", {}).get("loss", [])
    return {
        "file": str(path), "kind": "checkpoint",
        "model": meta["model"], "train": meta["train"], "metrics": meta["metrics"],
        "units": meta.get("units", {}),
        "history": {"updates": len(history), "first_loss": history[0] if history else None,
                    "last_loss": history[-1] if history else None},
        "weights": [{"name": n, "shape": list(a.shape), "dtype": str(a.dtype)} for n, a in arrays.items()],
        "parameters": int(sum(a.size for a in arrays.values())),
    }


def _array(name: str, a: np.ndarray) -> dict[str, Any]:
    finite = a[np.isfinite(a)] if a.size else a
    stats = ({"min": float(finite.min()), "max": float(finite.max()), "mean": float(finite.mean())}
             if finite.size else {"min": None, "max": None, "mean": None})
    return {"name": name, "shape": list(a.shape), "dtype": str(a.dtype), **stats}
