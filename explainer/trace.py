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

Traces are saved as safetensors with the metadata as JSON (`save`, `Trace.load`). What the
metadata and arrays may hold is declared once, in `explainer/schema.py`, and checked when a
trace is made, saved and loaded; `Trace.load(path, names=[...])` reads only the arrays named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import names as N
from . import schema
from .errors import ExplainerError, UnknownNameError
from .files import SCHEMAS, open_artifact, write_artifact

#: Version of the trace layout (kept in `files.SCHEMAS`); files with a larger number are refused.
SCHEMA = SCHEMAS["trace"]


Index = int | slice | range | Iterable[int] | None


class Trace(Mapping[str, np.ndarray]):
    """Named recordings `[batch, time, size]` plus metadata. Behaves as a read-only mapping."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any] | None = None) -> None:
        if not isinstance(arrays, Mapping):
            raise ExplainerError(f"a Trace is made from a mapping of names to arrays, not a {type(arrays).__name__}")
        self._arrays: dict[str, np.ndarray] = {name: np.asarray(array) for name, array in arrays.items()}
        self.meta: dict[str, Any] = schema.check_trace(meta or {}, _shapes(self._arrays))

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

    def _repr_html_(self) -> str:
        """In a notebook: the names table with shapes and ranges, and a heatmap of the top layer's h."""
        from .notebook import trace_html

        return trace_html(self)

    # -- several recurrent modules ---------------------------------------------------------
    @property
    def modules(self) -> list[str]:
        """The module paths a trace of several recurrent submodules holds (`encoder.lstm`, ...); [] for one."""
        return list(dict.fromkeys(m for m in (N.module_of(n)[0] for n in self.names) if m))

    def module(self, path: str) -> Trace:
        """One recurrent submodule's part of a trace of several, named as a trace of that module alone.

        >>> import torch, explainer
        >>> class Two(torch.nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.a, self.b = torch.nn.GRU(3, 4), torch.nn.LSTM(4, 2)
        ...     def forward(self, x):
        ...         return self.b(self.a(x)[0])[0]
        >>> t = explainer.record(Two(), torch.randn(5, 1, 3))
        >>> t.modules, t.module("b")["layers.0.gates.f"].shape, t.module("b").kind
        (['a', 'b'], (1, 5, 2), 'lstm')
        """
        if not self.modules:
            raise ExplainerError(f"this trace records one recurrent module ({self.meta.get('module') or 'unnamed'}); "
                                 "read it directly, without .module()")
        if path not in self.modules:
            raise ExplainerError(f"this trace has no module {path!r}; it has: {', '.join(self.modules)}")
        arrays = {N.module_of(n)[1]: a for n, a in self._arrays.items() if N.module_of(n)[0] == path}
        meta = {k: v for k, v in self.meta.items() if k != "modules"}
        meta.update((self.meta.get("modules") or {}).get(path, {}))
        meta["module"] = path
        return Trace(arrays, meta)

    # -- selection -----------------------------------------------------------------------
    def select(self, names: str | Iterable[str] | None = None, *, steps: Index = None,
               units: Index = None, batch: Index = None) -> Trace:
        """A smaller trace: some names (exact or glob), steps, hidden units and batch rows.

        `units` applies to the layer arrays (h, c, gates); the original unit numbers are
        kept in `meta["units"]` so pictures can label them, and those of the batch rows in
        `meta["rows"]` (with `meta["rows_of"]`, how many there were), so a picture of row 2
        of 3 says so.
        """
        keep = N.match(names, self.names)
        t_idx = _index(steps, self.num_steps, "step")
        b_idx = _index(batch, self.batch_size, "batch row")
        meta = dict(self.meta)
        if t_idx is not None:
            meta["steps"] = [self.steps[i] for i in t_idx]
            _cut(meta, schema.PER_STEP[1:], schema.PER_STEP_BY_LANG, t_idx)
        if b_idx is not None:
            meta.setdefault("rows", list(range(self.batch_size)))
            meta.setdefault("rows_of", self.batch_size)
            _cut(meta, schema.PER_ROW, (), b_idx)  # `rows`: the original row numbers, as `units` keeps units'
        arrays = {}
        for name in keep:
            a = self._arrays[name]
            if b_idx is not None:
                a = a[b_idx]
            if t_idx is not None:
                a = a[:, t_idx]
            if units is not None and N.is_layer_name(N.module_of(name)[1]):
                u_idx = _index(units, a.shape[2], f"unit of {name}")
                a = a[:, :, u_idx]
            arrays[name] = a
        if units is not None:
            width = max((self._arrays[n].shape[2] for n in keep if N.is_layer_name(N.module_of(n)[1])), default=0)
            chosen = _index(units, width, "unit")
            original = meta.get("units") or list(range(width))
            meta["units"] = [int(original[i]) for i in chosen]
        return Trace(arrays, meta)

    # -- files ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write as safetensors with JSON metadata (atomically), after checking it against the schema."""
        try:
            meta = schema.check_trace(self.meta, _shapes(self._arrays), stored=True)
        except schema.MetaError as e:
            raise ExplainerError(f"not writing '{path}': {e}") from None
        return write_artifact(path, "trace", SCHEMA, self._arrays, {**meta, "names": self.names})

    @classmethod
    def load(cls, path: str | os.PathLike, names: str | Iterable[str] | None = None) -> Trace:
        """Read a trace file, or only the arrays `names` (exact names or globs, as `record` takes them).

        The header is checked first (metadata, shapes, dtypes, the memory the arrays need);
        only then are the arrays read. Any problem is a one-line `ExplainerError` naming the file.
        """
        with open_artifact(path, "trace", SCHEMA) as artifact:
            order, meta = _checked(artifact)
            wanted = N.match(names, order)
            arrays = artifact.read(wanted)
        trace = cls.__new__(cls)  # checked above against the whole file; a subset of its arrays agrees with it too
        trace._arrays, trace.meta = {n: arrays[n] for n in wanted}, meta
        return trace


def read_header(path: str | os.PathLike) -> tuple[dict[str, tuple[str, tuple[int, ...]]], dict[str, Any]]:
    """({name: (dtype, shape)} in the trace's order, meta) of a trace file, checked; no array is read."""
    with open_artifact(path, "trace", SCHEMA) as artifact:
        order, meta = _checked(artifact)
        shapes = artifact.shapes
    return {n: shapes[n] for n in order}, meta


def _checked(artifact) -> tuple[list[str], dict[str, Any]]:
    """The names in order and the metadata of an opened trace file, checked against the schema."""
    path, shapes = artifact.path, artifact.shapes
    if not shapes:
        raise ExplainerError(f"'{path}' is a trace with no arrays; record it again")
    try:
        meta = schema.check_trace(artifact.meta, shapes, stored=True)
    except schema.MetaError as e:
        raise ExplainerError(f"'{path}' is damaged: {e}") from None
    rank = {n: i for i, n in enumerate(meta.pop("names", None) or [])}
    return sorted(shapes, key=lambda n: (rank.get(n, len(rank)), n)), meta


def _shapes(arrays: Mapping[str, np.ndarray]) -> dict[str, tuple[str, tuple[int, ...]]]:
    return {name: (a.dtype.name, a.shape) for name, a in arrays.items()}


def _cut(meta: dict[str, Any], lists: Iterable[str], by_lang: Iterable[str], idx: np.ndarray) -> None:
    """Keep the entries `idx` of the per-step (or per-row) metadata lists, as the arrays are cut."""
    for key in lists:
        if isinstance(meta.get(key), list):
            meta[key] = [meta[key][i] for i in idx]
    for key in by_lang:
        if isinstance(meta.get(key), dict):
            meta[key] = {lang: [v[i] for i in idx] if isinstance(v, list) else v for lang, v in meta[key].items()}


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
