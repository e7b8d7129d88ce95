"""The safetensors container, read by hand: a header parsed in a few lines, arrays read with plain file reads.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON (an object
naming each array's `dtype`, `shape` and `data_offsets` within the data that follows, plus
string `__metadata__`), then the data. Reading it ourselves, rather than with
`safetensors.safe_open`, gives four guarantees the library does not:

- a file is recognised by that structure, whatever its first bytes look like (a header of
  640 bytes starts with `\\x80\\x02`, which is also how a pickle starts);
- nothing that is not a regular file is opened (a FIFO would block `open()` for ever);
- no memory map: a file truncated while it is read is a short read and our one-line error,
  not SIGBUS; the file's size, mtime and inode are compared before and after;
- only the arrays asked for are read, after their declared size is checked against free memory.

    >>> with open_container("assets/traces/sine-rnn-seed.safetensors") as c:    # doctest: +SKIP
    ...     sorted(c.entries), c.read(["layers.0.h"])["layers.0.h"].shape
    (['input', 'layers.0.h', 'output'], (1, 10, 12))
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .errors import ExplainerError
from .memory import check_fits

#: The largest header read (safetensors' own limit is 100 MB).
MAX_HEADER = 100_000_000
#: How deeply JSON may nest (arrays and objects) in a header, checked before `json.loads` recurses: the
#: metadata's own bound (`schema.MAX_DEPTH`, 32) plus the document around it, with a level to spare, so
#: that the schema, not this, names the field that nests too deeply.
MAX_DEPTH = 34

#: safetensors dtype codes -> numpy dtypes (little-endian, as the format stores them).
DTYPES: dict[str, str] = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?", "C64": "<c8",
}
#: Codes whose size is known but that numpy cannot hold; such a file is refused when read.
_OTHER_SIZES = {"BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1}

_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]")
_PAIR = re.compile(rb"\[\]|\{\}")


class NotContainer(ValueError):
    """The bytes are not a safetensors file: `reason` says why, `looks_like` what they are instead."""

    def __init__(self, reason: str, looks_like: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.looks_like = reason, looks_like


class Changed(Exception):
    """The file changed (or was cut) while it was being read."""


@dataclass(frozen=True)
class Entry:
    """One array as the header declares it."""

    name: str
    code: str  # safetensors dtype code: F32, F16, ...
    shape: tuple[int, ...]
    start: int  # byte offsets in the file
    end: int

    @property
    def dtype(self) -> str:
        """The numpy name of the dtype ('float32'), or the code when numpy has no such type ('BF16')."""
        return np.dtype(DTYPES[self.code]).name if self.code in DTYPES else self.code

    @property
    def nbytes(self) -> int:
        return self.end - self.start


def depth(data: bytes) -> int | None:
    """How deeply the JSON text `data` nests, without parsing it (None: brackets do not balance).

    Counts at most MAX_DEPTH + 1 levels, each a pass of C-speed replacements, so neither a
    deep nor a huge input costs recursion or time.

    >>> depth(b'{"a": [1, {"b": "[[["}]}'), depth(b"[" * 10**6)
    (3, None)
    """
    brackets = _NOT_BRACKETS.sub(b"", _STRINGS.sub(b"", data))
    level = 0
    while brackets:
        if level > MAX_DEPTH:
            return level
        shorter = _PAIR.sub(b"", brackets)  # the innermost pairs only: one level
        if len(shorter) == len(brackets):
            return None
        brackets, level = shorter, level + 1
    return level


def loads(data: bytes | str, what: str) -> Any:
    """`json.loads`, with the nesting bounded first and NaN/Infinity refused (a `NotContainer` names `what`)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    levels = depth(raw)
    if levels is None:
        raise NotContainer(f"{what} is not JSON")
    if levels > MAX_DEPTH:
        raise NotContainer(f"{what} nests more than {MAX_DEPTH} levels deep")

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(data, parse_constant=constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise NotContainer(f"{what} is not JSON ({str(e).splitlines()[0][:80]})") from None


class Container:
    """An open safetensors file: its header parsed; its arrays read on demand with `read`."""

    def __init__(self, path: Path, f: BinaryIO, stamp: tuple, length: int, header: dict[str, Any]) -> None:
        self.path, self._file, self._stamp = path, f, stamp
        metadata = header.pop("__metadata__", None) or {}
        if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
            raise NotContainer("its __metadata__ is not a mapping of strings")
        self.metadata: dict[str, str] = metadata
        self.entries: dict[str, Entry] = {}
        data_start, size = 8 + length, stamp[0]
        for name, spec in header.items():
            self.entries[name] = _entry(name, spec, data_start, size)

    def read(self, names: Iterable[str] | None = None, advice: str = "") -> dict[str, np.ndarray]:
        """The named arrays (default: all), read whole with plain reads after a memory check."""
        chosen = [self.entries[n] for n in (self.entries if names is None else names)]
        unreadable = [e for e in chosen if e.code not in DTYPES]
        if unreadable:
            raise ExplainerError(f"'{self.path}' holds an array of dtype {unreadable[0].code} ({unreadable[0].name}), "
                                 "which explainer does not read")
        check_fits(sum(e.nbytes for e in chosen), f"reading '{self.path}'", advice or "read fewer arrays")
        arrays = {}
        for e in chosen:
            array = np.empty(e.shape, dtype=DTYPES[e.code])
            if array.nbytes:
                self._read_into(e.start, array.reshape(-1).view(np.uint8))
            arrays[e.name] = array
        self._check_unchanged()
        return arrays

    def _read_into(self, offset: int, buffer: np.ndarray) -> None:
        """Fill `buffer` from `offset`; a short read means the file was cut under us."""
        self._file.seek(offset)
        view, got = memoryview(buffer), 0
        while got < len(view):
            n = self._file.readinto(view[got:])
            if not n:
                raise Changed
            got += n

    def _check_unchanged(self) -> None:
        if _stamp(os.fstat(self._file.fileno())) != self._stamp:
            raise Changed


@contextmanager
def open_container(path: str | os.PathLike) -> Iterator[Container]:
    """Open `path` as safetensors; `NotContainer` if its structure is not, OSError as the OS says.

    A path that is not a regular file raises `IsADirectoryError` or `NotRegular` before it is opened.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except ValueError:  # a NUL byte in the name: no such file can exist
        raise FileNotFoundError(str(path)) from None
    _check_regular(path, info)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb", buffering=0) as f:
        _check_regular(path, os.fstat(fd))  # the same file, should it have been swapped since
        before = _stamp(os.fstat(fd))
        head = _read_exactly(f, 8)
        try:
            length = int.from_bytes(head, "little") if len(head) == 8 else -1
            available = before[0] - 8
            if not 2 <= length <= min(available, MAX_HEADER):
                raise NotContainer(_why_not(head, length, available))
            raw = _read_exactly(f, length)
            if len(raw) < length:
                if _stamp(os.fstat(fd)) != before:
                    raise Changed
                raise NotContainer("it ends inside its header (truncated)")
            if not raw.lstrip().startswith(b"{"):
                raise NotContainer("no JSON header")
            header = loads(raw, "its header")
            if not isinstance(header, dict):
                raise NotContainer("its header is not a JSON object")
            container = Container(path, f, before, length, header)
        except NotContainer as e:
            if _stamp(os.fstat(fd)) != before:  # cut or rewritten as we read: say so, not "corrupt"
                raise Changed from None
            raise NotContainer(e.reason, _looks_like(head)) from None
        yield container


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket: not a file to read."""


def _check_regular(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(info.st_mode):
        what = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file")
        raise NotRegular(what)


def _stamp(info: os.stat_result) -> tuple:
    """(size, mtime, inode): what changes when a file is rewritten, cut or replaced."""
    return (info.st_size, info.st_mtime_ns, (info.st_dev, info.st_ino))


def _read_exactly(f: BinaryIO, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        part = f.read(n - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _looks_like(head: bytes) -> str | None:
    """What a file that is not safetensors looks like from its first bytes: 'zip' (torch.save), 'pickle', or None."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    return None


def _why_not(head: bytes, length: int, available: int) -> str:
    """Why the first bytes do not start a safetensors header."""
    if len(head) < 8:
        return f"only {max(0, available + 8)} bytes (truncated)"
    if length > MAX_HEADER:
        return f"a header length of {length} bytes"
    if length > available:
        return f"a header of {length} bytes in {available} (truncated)"
    return "no JSON header"


def _entry(name: str, spec: Any, data_start: int, size: int) -> Entry:
    """One header entry checked: a known dtype, a shape, offsets that fit the shape and the file."""
    if not isinstance(spec, dict):
        raise NotContainer(f"its entry {name!r} is not a mapping")
    code, shape, offsets = spec.get("dtype"), spec.get("shape"), spec.get("data_offsets")
    width = np.dtype(DTYPES[code]).itemsize if code in DTYPES else _OTHER_SIZES.get(code) if isinstance(code, str) else None
    if width is None:
        raise NotContainer(f"array {name!r} has an unknown dtype {code!r}")
    if not (isinstance(shape, list) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)):
        raise NotContainer(f"array {name!r} has no valid shape")
    if not (isinstance(offsets, list) and len(offsets) == 2
            and all(isinstance(o, int) and not isinstance(o, bool) for o in offsets) and 0 <= offsets[0] <= offsets[1]):
        raise NotContainer(f"array {name!r} has no valid data offsets")
    need = width * int(np.prod(shape, dtype=object))
    if offsets[1] - offsets[0] != need:
        raise NotContainer(f"array {name!r} declares {offsets[1] - offsets[0]} bytes for a shape of {need}")
    if data_start + offsets[1] > size:
        raise NotContainer(f"array {name!r} lies past the end of the file (truncated)")
    return Entry(name, code, tuple(shape), data_start + offsets[0], data_start + offsets[1])
