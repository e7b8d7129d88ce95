"""Reading and writing explainer's files safely.

Checkpoints and traces are safetensors files: arrays plus string metadata. The metadata
holds one key, `explainer`, whose value is a JSON document with the `format`
(`explainer.trace`, `explainer.checkpoint`), the `schema` version and the `meta`
dictionary. (One key, because safetensors writes several keys in a random order, and the
same inputs must give the same bytes.) Nothing here ever unpickles: a `torch.save` or pickle file is
recognised by its first bytes and refused, because loading one can run code.

The schema versions of both kinds live here (`SCHEMAS`), so this module needs neither
`trace.py` nor `checkpoint.py`; they read their own version from it.

Every output goes through `atomic_output`: it is written under a temporary name beside
the target and renamed at the end, so an interrupted or failed run never leaves half a
file behind and never destroys the previous one.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ExplainerError

#: Version of each file layout this explainer writes and reads; files with a larger number are refused.
SCHEMAS = {"trace": 1, "checkpoint": 1}

_PICKLE_MAGIC = (b"PK\x03\x04", b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")
_HINTS = {
    "trace": "record one with `explainer trace CHECKPOINT -o TRACE`",
    "checkpoint": "train one with `explainer train`",
}


def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, in one line, if `path` cannot be written."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExplainerError(f"cannot write '{path}': it is a directory; give a file name")
    if not parent.is_dir():
        raise ExplainerError(f"cannot write '{path}': the directory '{parent}' does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise ExplainerError(f"cannot write '{path}': no permission to write in '{parent}'")
    try:  # the honest check (root passes os.access everywhere; /proc and read-only mounts do not take files)
        tempfile.TemporaryFile(dir=parent).close()
    except OSError as e:
        raise ExplainerError(f"cannot write '{path}': '{parent}' does not take new files ({(e.strerror or str(e)).lower()})") from None
    return path


def made_by_explainer(path: Path) -> bool:
    """Whether an existing file is one of ours (so replacing it loses nothing a user made)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".safetensors":
            try:
                sniff(path)
                return True
            except ExplainerError:
                return False
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError:
        return False
    if suffix == ".png":
        return b"Software\x00explainer" in head
    tail = _tail(path)
    if suffix in (".svg", ".pdf"):
        return b"explainer" in head or b"explainer" in tail
    if suffix in (".mp4", ".mov", ".webm", ".gif"):  # Manim's and the lecture's containers say so
        return any(mark in part for mark in (b"Manim", b"explainer") for part in (head, tail))
    return False


def _tail(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - size))
        return f.read()


def check_output(path: str | os.PathLike, force: bool = False) -> Path:
    """`check_writable`, and refuse to replace a file explainer did not make unless `force`."""
    path = check_writable(path)
    if path.exists() and not force and not made_by_explainer(path):
        raise ExplainerError(f"'{path}' exists and was not made by explainer; pass --force to replace it")
    return path


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write; rename it onto `path` only if the block succeeds.

    >>> with atomic_output("figure.png") as tmp:    # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    path = check_writable(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        if tmp.exists():  # some writers create files private (0600); give it the usual mode
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        if e.errno == errno.ENOSPC:
            raise ExplainerError(f"disk full while writing '{path}'; free some space and run again") from None
        raise ExplainerError(f"cannot write '{path}': {(e.strerror or str(e)).lower()}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_artifact(path: str | os.PathLike, kind: str, schema: int,
                   arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """Write arrays and JSON metadata as an explainer `kind` file, atomically."""
    from safetensors.numpy import save_file

    document = {"format": f"explainer.{kind}", "schema": schema, "meta": meta}
    header = {"explainer": json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)}
    contiguous = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    from safetensors import SafetensorError

    with atomic_output(path) as tmp:
        try:
            save_file(contiguous, tmp, metadata=header)
        except SafetensorError as e:  # its I/O errors are not OSErrors
            full = "No space left" in str(e)
            raise OSError(errno.ENOSPC if full else errno.EIO, "no space left on device" if full else str(e)) from None
    return Path(path)


def read_artifact(path: str | os.PathLike, kind: str, schema: int) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read an explainer `kind` file written with schema <= `schema`.

    Any problem (missing, unreadable, not safetensors, truncated, another kind of file,
    a newer schema, a pickle) is an `ExplainerError` naming the file and the problem.
    """
    return _read(path, kind, schema, arrays=True)


def sniff(path: str | os.PathLike) -> str:
    """'trace' or 'checkpoint': what kind of explainer file `path` is (arrays not read)."""
    _, meta = _read(path, None, None, arrays=False)
    return meta["__kind__"]


def _read(path, kind: str | None, schema: int | None, arrays: bool):
    from safetensors import SafetensorError, safe_open

    path = Path(path)
    what = kind or "explainer"  # "a trace file", "an explainer file"
    article = "an" if what[0] in "aeiou" else "a"
    hint = _HINTS.get(kind or "", "give a trace or a checkpoint made by explainer")
    if not path.exists():
        raise ExplainerError(f"no such file '{path}'; {hint}")
    if path.is_dir():
        raise ExplainerError(f"'{path}' is a directory, not {article} {what} file")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ExplainerError(f"cannot read '{path}': {e.strerror}") from None
    if head.startswith(_PICKLE_MAGIC):
        raise ExplainerError(
            f"'{path}' is a pickle or torch.save file; explainer never unpickles files (loading one can run code); "
            f"save weights with safetensors or {hint}"
        )
    try:
        with safe_open(str(path), framework="numpy") as f:
            header = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()} if arrays else {}
    except (SafetensorError, OSError, ValueError, TypeError, OverflowError, MemoryError) as e:
        reason = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
        raise ExplainerError(f"'{path}' is not a readable {what} file: it is truncated, corrupt or not safetensors ({reason})") from None
    try:
        document = json.loads(header["explainer"])
        if not isinstance(document, dict):
            raise ValueError
    except KeyError:
        document = {}
    except ValueError:
        raise ExplainerError(f"'{path}' has damaged metadata (not a JSON object)") from None
    fmt = str(document.get("format", ""))
    if not fmt.startswith("explainer."):
        ours = f"an explainer {kind} file" if kind else "an explainer file"
        raise ExplainerError(f"'{path}' is a safetensors file but not {ours}; {hint}")
    found = fmt.removeprefix("explainer.")
    if found not in SCHEMAS:
        raise ExplainerError(f"'{path}' is an explainer file of an unknown kind {found!r}; upgrade explainer to read it")
    if kind is not None and found != kind:
        raise ExplainerError(f"'{path}' is an explainer {found}, not a {kind}; {hint}")
    limit = schema if schema is not None else SCHEMAS[found]
    version = document.get("schema")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExplainerError(f"'{path}' has no valid schema version; it is damaged")
    if version > limit:
        raise ExplainerError(
            f"'{path}' was written by a newer explainer ({found} schema {version}; this version reads up to {limit}); "
            "upgrade explainer to read it"
        )
    meta = document.get("meta")
    if not isinstance(meta, dict):
        raise ExplainerError(f"'{path}' has damaged metadata (no meta object)")
    if not arrays:
        meta = {"__kind__": found}
    return tensors, meta
