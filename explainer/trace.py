"""The Trace: a recording of a recurrent network, and the contract between torch and drawing.

A trace holds named numpy arrays, each `[batch, time, size]` with time aligned to input
positions, and a JSON-able `meta` dictionary (cell kind, sizes, layers, directions, task,
seed, one label per step, interventions, counts of NaN/Inf values). It never holds torch
objects, so figures and animations can read it without importing torch.

    >>> import torch, explainer
    >>> t = explainer.record(torch.nn.GRU(3, 4), torch.randn(6, 3))
    >>> t.names
    ['input', 'layers.0.h', 'layers.0.gates.r', 'layers.0.gates.z', 'layers.0.gates.n']
    >>> t["layers.0.gates.z"].shape                    # [batch, time, hidden]
    (1, 6, 4)
    >>> t.select(steps=slice(0, 3), units=[0, 2])["layers.0.h"].shape
    (1, 3, 2)

Traces are saved as safetensors with the metadata as JSON (`save`, `Trace.load`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import names as N
from .errors import ExplainerError, UnknownNameError
from .files import SCHEMAS, read_artifact, write_artifact

#: Version of the trace layout (kept in `files.SCHEMAS`); files with a larger number are refused.
SCHEMA = SCHEMAS["trace"]


Index = int | slice | range | Iterable[int] | None


class Trace(Mapping[str, np.ndarray]):
    """Named recordings `[batch, time, size]` plus metadata. Behaves as a read-only mapping."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any] | None = None) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        shape: tuple[int, int] | None = None
        for name, array in arrays.items():
            array = np.asarray(array)
            if array.ndim != 3:
                raise ExplainerError(f"trace array {name!r} has shape {array.shape}; every array is [batch, time, size]")
            if shape is not None and array.shape[:2] != shape:
                raise ExplainerError(
                    f"trace array {name!r} covers [batch, time] = {list(array.shape[:2])} but the others cover {list(shape)}"
                )
            shape = array.shape[:2]
            self._arrays[name] = array
        self.meta: dict[str, Any] = dict(meta or {})
        _check_meta(self.meta)
        steps = self.meta.get("steps")
        if shape is not None and steps is not None and len(steps) != shape[1]:
            raise ExplainerError(f"trace has {shape[1]} steps but {len(steps)} step labels")

    # -- mapping -------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Recorded names, in canonical order."""
        return list(self._arrays)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self._arrays[name]
        except KeyError:
            raise UnknownNameError("trace name", name, self.names) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    # -- what it is ----------------------------------------------------------------------
    @property
    def kind(self) -> str | None:
        """Cell kind: 'rnn_tanh', 'rnn_relu', 'lstm' or 'gru'."""
        return self.meta.get("kind")

    @property
    def batch_size(self) -> int:
        return next(iter(self._arrays.values())).shape[0] if self._arrays else 0

    @property
    def num_steps(self) -> int:
        return next(iter(self._arrays.values())).shape[1] if self._arrays else 0

    @property
    def steps(self) -> list[str]:
        """One label per step: the token, or the x value."""
        return list(self.meta.get("steps") or [str(t) for t in range(self.num_steps)])

    def require(self, *names: str, why: str = "") -> None:
        """Raise a one-line error if any of `names` is missing (e.g. c in an RNN trace)."""
        missing = [n for n in names if n not in self._arrays]
        if missing:
            kind = self.kind or "unknown"
            raise ExplainerError(
                f"this {kind} trace has no {', '.join(missing)}{' ' + why if why else ''}; "
                f"it holds: {', '.join(self.names)}"
            )

    def __repr__(self) -> str:
        rows = "\n".join(f"  {n:<28} {list(a.shape)} {a.dtype}" for n, a in self._arrays.items())
        return f"Trace({self.kind}, batch={self.batch_size}, steps={self.num_steps})\n{rows}"

    # -- selection -----------------------------------------------------------------------
    def select(self, names: str | Iterable[str] | None = None, *, steps: Index = None,
               units: Index = None, batch: Index = None) -> Trace:
        """A smaller trace: some names (exact or glob), steps, hidden units and batch rows.

        `units` applies to the layer arrays (h, c, gates); the original unit numbers are
        kept in `meta["units"]` so pictures can label them.
        """
        keep = N.match(names, self.names)
        t_idx = _index(steps, self.num_steps, "step")
        b_idx = _index(batch, self.batch_size, "batch row")
        meta = dict(self.meta)
        if t_idx is not None:
            meta["steps"] = [self.steps[i] for i in t_idx]
        arrays = {}
        for name in keep:
            a = self._arrays[name]
            if b_idx is not None:
                a = a[b_idx]
            if t_idx is not None:
                a = a[:, t_idx]
            if units is not None and N.is_layer_name(name):
                u_idx = _index(units, a.shape[2], f"unit of {name}")
                a = a[:, :, u_idx]
            arrays[name] = a
        if units is not None:
            width = max((self._arrays[n].shape[2] for n in keep if N.is_layer_name(n)), default=0)
            chosen = _index(units, width, "unit")
            original = meta.get("units") or list(range(width))
            meta["units"] = [int(original[i]) for i in chosen]
        return Trace(arrays, meta)

    # -- files ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write as safetensors with JSON metadata (atomically)."""
        return write_artifact(path, "trace", SCHEMA, self._arrays, {**self.meta, "names": self.names})

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trace:
        """Read a trace file; any problem is a one-line `ExplainerError` naming the file."""
        arrays, meta = read_artifact(path, "trace", SCHEMA)
        bad = [n for n in arrays if not N.NAME_PATTERN.match(n)]
        if bad:
            raise ExplainerError(f"'{path}' holds arrays that are not trace names ({', '.join(bad[:3])}); it is damaged")
        if not arrays:
            raise ExplainerError(f"'{path}' is a trace with no arrays; record it again")
        order = {n: i for i, n in enumerate(meta.pop("names", None) or [])}
        ordered = dict(sorted(arrays.items(), key=lambda kv: order.get(kv[0], len(order))))
        try:
            return cls(ordered, meta)
        except ExplainerError as e:
            raise ExplainerError(f"'{path}' is damaged: {e}") from None


_DICTS = ("units_found", "metrics", "intervened", "nonfinite", "eval", "words", "answers")
_LISTS = ("steps", "targets", "distances", "gender", "new_subject", "new_gender", "positions", "x", "y", "token_ids",
          "window_starts", "units")


def _check_meta(meta: dict[str, Any]) -> None:
    """The metadata fields pictures rely on have the types they expect."""
    kind = meta.get("kind")
    if kind is not None and kind not in N.KINDS:
        raise ExplainerError(f"trace metadata names an unknown cell kind {kind!r}")
    for key in _DICTS:
        if key in meta and meta[key] is not None and not isinstance(meta[key], dict):
            raise ExplainerError(f"trace metadata field {key!r} should be a mapping, not {type(meta[key]).__name__}")
    for key in _LISTS:
        if key in meta and meta[key] is not None and not isinstance(meta[key], list):
            raise ExplainerError(f"trace metadata field {key!r} should be a list, not {type(meta[key]).__name__}")
    if any(not isinstance(s, str) for s in meta.get("steps") or []):
        raise ExplainerError("trace metadata field 'steps' should hold one text label per step")


def _index(which: Index, size: int, what: str) -> np.ndarray | None:
    """Normalise an int / slice / range / list to positions, with a clear range error."""
    if which is None:
        return None
    if isinstance(which, slice):
        return np.arange(size)[which]
    items = [which] if isinstance(which, (int, np.integer)) else list(which)
    positions = []
    for i in items:
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise ExplainerError(f"{what} index must be an integer, got {i!r}")
        if not -size <= i < size:
            raise ExplainerError(f"{what} {i} is out of range: there are {size} (0 to {size - 1})")
        positions.append(int(i) % size)
    return np.asarray(positions, dtype=np.int64)
