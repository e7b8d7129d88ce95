"""Reading and writing explainer's files safely.

Checkpoints and traces are safetensors files: arrays plus string metadata. The metadata
holds one key, `explainer`, whose value is a JSON document with the `format`
(`explainer.trace`, `explainer.checkpoint`), the `schema` version and the `meta`
dictionary. (One key, because safetensors writes several keys in a random order, and the
same inputs must give the same bytes.) Files are read by their structure (`explainer/container.py`:
the header is parsed by hand, arrays are read with plain reads, only those asked for); nothing
here ever unpickles: a file that is not safetensors and looks like a `torch.save` or pickle
file is refused as one, because loading one can run code.

The schema versions of both kinds live here (`SCHEMAS`), so this module needs neither
`trace.py` nor `checkpoint.py`; they read their own version from it.

Every output goes through `atomic_output`: it is written under a temporary name beside
the target and renamed at the end, so an interrupted or failed run never leaves half a
file behind and never destroys the previous one. `check_output` decides, before any work,
whether an existing output may be replaced: only if it carries explainer's own mark
(`explainer/ownership.py`), is of the kind the command writes and is not its input.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .container import MAX_HEADER, Changed, Container, Entry, NotContainer, NotRegular, loads, open_container
from .errors import ExplainerError
from .memory import format_bytes

#: Version of each file layout this explainer writes and reads; files with a larger number are refused.
SCHEMAS = {"trace": 1, "checkpoint": 1}

_HINTS = {
    "trace": "record one with `explainer trace CHECKPOINT -o TRACE`",
    "checkpoint": "train one with `explainer train`",
}


def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, in one line, if `path` cannot be written (also: an empty name, a name too long)."""
    if not os.fspath(path):
        raise ExplainerError("give an output file name: -o '' names nothing")
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    limit = name_max(parent)
    if len(os.fsencode(path.name)) > limit:
        raise ExplainerError(f"cannot write '{path}': its name is {len(os.fsencode(path.name))} bytes long and "
                             f"'{parent}' allows at most {limit}; give a shorter name")
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


def made_by_explainer(path: str | os.PathLike) -> bool:
    """Whether an existing file carries explainer's own mark (`explainer.ownership`), so replacing it loses nothing a user made."""
    from .ownership import mark

    return mark(path) is not None


def check_output(path: str | os.PathLike, force: bool = False, *, kind: str | None = None,
                 inputs: Iterable[str | os.PathLike | None] = ()) -> Path:
    """`check_writable`, and refuse, unless `force`, to replace what is not explainer's to replace.

    An existing output is replaced without `force` only if it carries explainer's mark, is
    of the `kind` this command writes (default: the kind its suffix names; "trace" and
    "checkpoint" for safetensors) and is none of the command's own `inputs`. A FIFO or a
    device is never replaced; a symbolic link only with `force` (the link, not its target).
    """
    from .ownership import expected_kind, mark

    path = check_writable(path)
    try:
        info = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise ExplainerError(f"cannot write '{path}': {(e.strerror or str(e)).lower()}") from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise ExplainerError(f"cannot write '{path}': it is a {_special(info.st_mode)}, not a file; give a file name")
    if force:
        return path
    if stat.S_ISLNK(info.st_mode):
        raise ExplainerError(f"'{path}' is a symbolic link, which explainer never makes; "
                             "pass --force to replace the link (its target is left alone)")
    if any(given is not None and _same_file(path, given) for given in inputs):
        raise ExplainerError(f"'{path}' is this command's own input; give another output name, or pass --force to replace it")
    found = mark(path)
    if found is None:
        raise ExplainerError(f"'{path}' exists and was not made by explainer; pass --force to replace it")
    wanted = kind or expected_kind(path)
    if wanted is not None and found != wanted:
        raise ExplainerError(f"'{path}' is an explainer {found}, and this command writes a {wanted}; "
                             "give another output name, or pass --force to replace it")
    return path


def _same_file(a: Path, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def name_max(folder: str | os.PathLike) -> int:
    """The longest file name (in bytes) the file system holding `folder` takes."""
    try:
        return min(int(os.pathconf(folder, "PC_NAME_MAX")), 255)
    except (OSError, ValueError):
        return 255


def temporary_affixes(name: str, folder: str | os.PathLike, tag: str = "tmp") -> tuple[str, str]:
    """(prefix, suffix) of a hidden temporary name for `name` in `folder`: `.NAME.XXXXXXXX.tmp`,
    the NAME shortened (and told apart by a hash) so the whole stays within the file system's limit.

    >>> temporary_affixes("figure.png", ".")
    ('.figure.png.', '.tmp')
    >>> prefix, suffix = temporary_affixes("x" * 250 + ".png", ".")
    >>> len(prefix) + 8 + len(suffix) <= 255
    True
    """
    suffix = f".{tag}"
    room = name_max(folder) - 2 - 8 - len(suffix)  # two dots, tempfile's eight random characters
    if len(os.fsencode(name)) > room:
        digest = hashlib.sha1(os.fsencode(name)).hexdigest()[:8]
        keep = name
        while len(os.fsencode(keep)) > room - 9:
            keep = keep[:-1]
        name = f"{keep}~{digest}"
    return f".{name}.", suffix


def disk_full(error: BaseException | None) -> bool:
    """Whether an error (or one it was raised from) is a full disk or an exhausted quota."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(error) or "Disk quota exceeded" in str(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


@contextmanager
def atomic_output(path: str | os.PathLike, *, scratch: str | os.PathLike | None = None) -> Iterator[Path]:
    """Yield a temporary path to write; rename it onto `path` only if the block succeeds.

    The temporary file is a new, hidden, uniquely named file beside the target (or in
    `scratch`, a directory on the same file system), within the file system's name limit.
    A signal that arrived meanwhile (`explainer.interrupts`) stops the rename, even if
    whoever received it swallowed the exception; a full disk is a one-line error.

    >>> with atomic_output("figure.png") as tmp:    # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    from . import interrupts

    path = check_writable(path)
    folder = Path(scratch) if scratch is not None else (path.parent if str(path.parent) else Path("."))
    tmp: Path | None = None
    try:
        prefix, suffix = temporary_affixes(path.name, folder)
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        os.close(handle)
        tmp = Path(name)
        yield tmp
        if tmp.exists():  # mkstemp and some writers create files private (0600); give it the usual mode
            os.chmod(tmp, 0o666 & ~_umask())
        interrupts.check()
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if disk_full(e):
            raise ExplainerError(f"disk full while writing '{path}'; free some space and run again") from None
        raise ExplainerError(f"cannot write '{path}': {(e.strerror or str(e)).lower()}") from None
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_artifact(path: str | os.PathLike, kind: str, schema: int,
                   arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """Write arrays and JSON metadata as an explainer `kind` file, atomically.

    `meta` is plain JSON data (the callers check it against `explainer.schema` first); a
    header too large for the reader (`container.MAX_HEADER`) is refused, so every file
    written here can be read back.
    """
    from safetensors.numpy import save_file

    document = {"format": f"explainer.{kind}", "schema": schema, "meta": meta}
    try:
        header = {"explainer": json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)}
    except (TypeError, ValueError, RecursionError) as e:
        raise ExplainerError(f"cannot write '{path}': its metadata is not JSON data ({e})") from None
    size = len(json.dumps(header["explainer"], ensure_ascii=False).encode("utf-8")) + 200 * (len(arrays) + 1)
    if size > MAX_HEADER:
        raise ExplainerError(f"cannot write '{path}': its metadata takes {format_bytes(size)}; "
                             f"a file holds at most {format_bytes(MAX_HEADER)}")
    contiguous = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    from safetensors import SafetensorError

    with atomic_output(path) as tmp:
        try:
            save_file(contiguous, tmp, metadata=header)
        except SafetensorError as e:  # its I/O errors are not OSErrors
            full = "No space left" in str(e)
            raise OSError(errno.ENOSPC if full else errno.EIO, "no space left on device" if full else str(e)) from None
    return Path(path)


def read_artifact(path: str | os.PathLike, kind: str, schema: int,
                  names: Iterable[str] | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read an explainer `kind` file written with schema <= `schema`: (arrays, meta).

    `names`: only these arrays (default: all). Any problem (missing, not a regular file,
    unreadable, not safetensors, truncated, changed while read, another kind of file, a
    newer schema, a pickle, too large for memory) is an `ExplainerError` naming the file.
    """
    with open_artifact(path, kind, schema) as artifact:
        return artifact.read(names), artifact.meta


def sniff(path: str | os.PathLike) -> str:
    """'trace' or 'checkpoint': what kind of explainer file `path` is (from its header; no array read)."""
    with open_artifact(path, None, None) as artifact:
        return artifact.kind


@dataclass
class Artifact:
    """An explainer file opened by `open_artifact`: its kind, schema version, meta and arrays' entries."""

    path: Path
    kind: str
    version: int
    meta: dict[str, Any]
    entries: dict[str, Entry]  # name -> dtype, shape, offsets: from the header, nothing read yet
    _container: Container

    @property
    def shapes(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """{name: (numpy dtype name, shape)} of every array, from the header."""
        return {name: (e.dtype, e.shape) for name, e in self.entries.items()}

    def read(self, names: Iterable[str] | None = None, advice: str = "") -> dict[str, np.ndarray]:
        """The named arrays (default: all), after checking they fit in memory."""
        return self._container.read(names, advice or _ADVICE.get(self.kind, ""))


_LOOKS = {"zip": "a zip archive's, as torch.save writes", "pickle": "a pickle's"}
_ADVICE = {
    "trace": "record fewer steps or names (`explainer trace --names ...`), or read some: Trace.load(path, names=[...])",
    "checkpoint": "it is far larger than explainer's models; is it a checkpoint of explainer?",
}


@contextmanager
def open_artifact(path: str | os.PathLike, kind: str | None, schema: int | None) -> Iterator[Artifact]:
    """Open an explainer file and read its header only; arrays are read with `Artifact.read` inside the block.

    The file's kind is found from its structure (`explainer.container`); every problem, also
    one met while reading arrays in the block, is a one-line `ExplainerError`.
    """
    path = Path(path)
    what = kind or "explainer"  # "a trace file", "an explainer file"
    article = "an" if what[0] in "aeiou" else "a"
    hint = _HINTS.get(kind or "", "give a trace or a checkpoint made by explainer")
    try:
        with open_container(path) as container:
            yield _artifact(path, container, kind, schema, hint)
    except FileNotFoundError:
        raise ExplainerError(f"no such file '{path}'; {hint}") from None
    except IsADirectoryError:
        raise ExplainerError(f"'{path}' is a directory, not {article} {what} file") from None
    except NotRegular as e:
        raise ExplainerError(f"'{path}' is {e}, not {article} {what} file; give a file") from None
    except Changed:
        raise ExplainerError(f"'{path}' changed while it was being read; run again") from None
    except NotContainer as e:
        if e.looks_like:
            raise ExplainerError(
                f"'{path}' is a pickle or torch.save file; explainer never unpickles files (loading one can run code), "
                f"and this one is not safetensors (its first bytes are {_LOOKS[e.looks_like]}); "
                f"save weights with safetensors or {hint}"
            ) from None
        raise ExplainerError(f"'{path}' is not a readable {what} file: it is truncated, corrupt or not safetensors "
                             f"({e.reason})") from None
    except MemoryError:
        raise ExplainerError(f"'{path}' does not fit in memory; free some memory and run again") from None
    except OSError as e:
        raise ExplainerError(f"cannot read '{path}': {(e.strerror or str(e)).lower()}") from None


def _artifact(path: Path, container: Container, kind: str | None, schema: int | None, hint: str) -> Artifact:
    """The explainer document in a safetensors header, checked: format, kind, schema version, meta."""
    text = container.metadata.get("explainer")
    try:
        document = {} if text is None else loads(text, "its metadata")
        if not isinstance(document, dict):
            raise NotContainer("not a JSON object")
    except NotContainer as e:
        reason = "not a JSON object" if "not JSON" in e.reason or e.reason == "not a JSON object" else e.reason
        raise ExplainerError(f"'{path}' has damaged metadata ({reason})") from None
    fmt = str(document.get("format", ""))
    if not fmt.startswith("explainer."):
        ours = f"an explainer {kind} file" if kind else "an explainer file"
        raise ExplainerError(f"'{path}' is a safetensors file but not {ours}; {hint}")
    found = fmt.removeprefix("explainer.")
    if found not in SCHEMAS:
        raise ExplainerError(f"'{path}' is an explainer file of an unknown kind {found[:40]!r}; upgrade explainer to read it")
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
    return Artifact(path, found, version, meta, container.entries, container)
