"""A lecture directory: one writer at a time, a manifest of explainer's files, one scratch directory per run.

`explainer lecture -o DIR` may be pointed at a directory that holds the user's own files,
and two runs may be started into the same one. So:

- **One writer**: a run holds an exclusive lock on DIR itself (`flock` on the directory:
  no lock file to leave behind, released by the kernel when the process ends, however it
  ends). A second run is refused in one line naming the first one's process id (from
  the kernel's list of locks, or the manifest, where the holder writes it).
- **The manifest** `DIR/explainer-lecture.json` lists every file explainer wrote there,
  each with its size, modification time and SHA-256. Explainer replaces a file in DIR only
  if the manifest lists it and it is unchanged since (or it does not exist), unless
  --force; it deletes nothing but what the manifest lists, never by pattern. A file is
  added to the manifest before it is renamed into place and pruned after, so an
  interruption between the two never makes explainer's own file look foreign.
- **Scratch**: all temporary work (Manim's media directories, files being written) goes
  into one hidden directory per run, `DIR/.explainer-run-XXXXXXXX`, created by the run,
  listed in the manifest while it lives, and removed on any exit (Ctrl-C and SIGTERM
  raise inside `explainer.interrupts.trapped`); one left by a killed run is removed by
  the next, because the manifest names it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from .. import interrupts
from ..errors import ExplainerError
from ..files import disk_full, temporary_affixes

MANIFEST = "explainer-lecture.json"
FORMAT = "explainer.lecture-directory"
RUN_PREFIX = ".explainer-run-"


class LectureDirectory:
    """Hold a lecture directory for one run (a context manager): lock, manifest, scratch.

    >>> with LectureDirectory(Path("out/lecture")) as folder:     # doctest: +SKIP
    ...     folder.check([folder.root / "lecture.srt"])           # before anything is written
    ...     scratch = folder.begin()
    ...     (scratch / "lecture.srt").write_text(text)
    ...     folder.install(scratch / "lecture.srt", folder.root / "lecture.srt")
    """

    def __init__(self, root: Path, force: bool = False) -> None:
        self.root = Path(root)
        self.force = force
        self.manifest_path = self.root / MANIFEST
        self.scratch: Path | None = None  # made by `begin`
        self._fd: int | None = None
        self._files: dict[str, list[dict[str, Any]]] = {}
        self._runs: list[str] = []

    # -- holding the directory ---------------------------------------------------------------
    def __enter__(self) -> LectureDirectory:
        """Take the lock and read the manifest; nothing is written yet (see `begin`)."""
        self._lock()
        try:
            self._files, self._runs = self._load()
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._cleanup()

    def begin(self) -> Path:
        """After `check`: remove the scratch directories of killed runs, make this run's, write the manifest."""
        self._remove_stale_runs()
        try:
            self.scratch = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=self.root))
        except OSError as e:
            raise _write_error(self.root, e) from None
        self._runs = [self.scratch.name]
        self._save()
        return self.scratch

    def _lock(self) -> None:
        import fcntl

        self._fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return  # a file system without locks: run unlocked rather than not at all
            if not isinstance(e, BlockingIOError):
                raise _write_error(self.root, e) from None
            os.close(self._fd)
            self._fd = None
            pid = self._holder()
            who = f"another explainer process (pid {pid})" if pid else "another explainer process"
            raise ExplainerError(f"'{self.root}' is being written by {who}; wait for it to finish, "
                                 "or write this lecture into another directory") from None

    def _holder(self) -> int | None:
        """The pid of the run holding the lock: from the kernel's list of locks, else from the manifest."""
        try:
            info = os.stat(self.root)
            device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
            with open("/proc/locks", encoding="ascii", errors="replace") as f:
                for line in f:
                    fields = line.split()
                    if "FLOCK" in fields and device in fields:
                        return int(fields[fields.index(device) - 1])
        except (OSError, ValueError, IndexError):
            pass
        try:
            pid = json.loads(self.manifest_path.read_text(encoding="utf-8")).get("writer", {}).get("pid")
            return pid if isinstance(pid, int) else None
        except (OSError, ValueError, AttributeError):
            return None

    def _cleanup(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self._runs = [r for r in self._runs if r != self.scratch.name]
            self.scratch = None
            try:
                self._prune()
                self._save(writer=False)
            except (OSError, ExplainerError):
                pass  # best effort: the next run removes what the manifest still names
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None

    # -- the manifest ------------------------------------------------------------------------
    def _load(self) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
        try:
            info = os.stat(self.manifest_path, follow_symlinks=False)
        except FileNotFoundError:
            return {}, []
        if not stat.S_ISREG(info.st_mode):
            raise ExplainerError(f"'{self.manifest_path}' is not a file; explainer keeps its list of files there; move it away")
        try:
            document = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            if self.force:
                return {}, []  # replaced by this run's
            raise ExplainerError(f"'{self.manifest_path}' is not explainer's list of the files it made here "
                                 "(damaged or someone else's); move it away, or pass --force to replace it")
        files = document.get("files")
        runs = document.get("runs")
        files = {k: [fp for fp in v if isinstance(fp, dict)] for k, v in files.items()
                 if isinstance(k, str) and isinstance(v, list)} if isinstance(files, dict) else {}
        runs = [r for r in runs if isinstance(r, str)] if isinstance(runs, list) else []
        return files, runs

    def _save(self, writer: bool = True) -> None:
        document = {"format": FORMAT, "version": 1,
                    "about": "the files explainer wrote in this directory; it replaces or deletes only these",
                    "writer": {"pid": os.getpid()} if writer else None,
                    "runs": self._runs, "files": dict(sorted(self._files.items()))}
        folder = self.scratch if self.scratch is not None else self.root
        prefix, suffix = temporary_affixes(MANIFEST, folder)
        tmp = None
        try:
            handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
            tmp = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(document, f, ensure_ascii=False, indent=1)
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.manifest_path)
        except OSError as e:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise _write_error(self.manifest_path, e) from None

    def _remove_stale_runs(self) -> None:
        """Scratch directories of earlier runs that were killed: the manifest names them, we hold the lock."""
        for name in self._runs:
            path = self.root / name
            if name.startswith(RUN_PREFIX) and "/" not in name and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
        self._runs = []

    def _prune(self) -> None:
        """Keep, for each listed file, only the fingerprint of what is there now; drop files that are gone."""
        for rel in list(self._files):
            path = self.root / rel
            now = [fp for fp in self._files[rel] if _matches(path, fp)]
            if now:
                self._files[rel] = now[:1]
            elif not path.exists():
                del self._files[rel]

    # -- files -------------------------------------------------------------------------------
    def _rel(self, path: Path) -> str:
        return Path(path).relative_to(self.root).as_posix()

    def owns(self, path: Path) -> bool:
        """Whether `path` (in the directory) is a file explainer wrote there and nobody changed since."""
        return any(_matches(Path(path), fp) for fp in self._files.get(self._rel(path), []))

    def check(self, targets: list[Path]) -> None:
        """Refuse, in one line, to replace a file in the directory that is not explainer's (unless --force)."""
        for path in targets:
            try:
                info = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                raise ExplainerError(f"cannot write '{path}': it is a directory; explainer writes a file there")
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                raise ExplainerError(f"cannot write '{path}': it is not a regular file; move it away")
            if self.force or self.owns(path):
                continue
            if self._rel(path) in self._files:
                raise ExplainerError(f"'{path}' was changed after explainer wrote it; move it away, "
                                     "or pass --force to replace it")
            raise ExplainerError(f"'{path}' was not made by explainer (it is not in '{self.manifest_path}'); "
                                 "move it away, or pass --force to replace it")

    def install(self, source: Path, target: Path) -> Path:
        """Rename `source` (in the scratch directory) onto `target`, listing it in the manifest first."""
        rel = self._rel(target)
        fingerprint = _fingerprint(source)
        self._files[rel] = [*self._files.get(rel, []), fingerprint][-3:]
        self._save()
        interrupts.check()
        try:
            os.replace(source, target)
        except OSError as e:
            raise _write_error(target, e) from None
        return target


def _fingerprint(path: Path) -> dict[str, Any]:
    info = os.stat(path)
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": _sha256(path)}


def _matches(path: Path, fingerprint: dict[str, Any]) -> bool:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != fingerprint.get("size"):
        return False
    if info.st_mtime_ns == fingerprint.get("mtime_ns"):
        return True
    try:  # copied or touched: the content decides
        return _sha256(path) == fingerprint.get("sha256")
    except OSError:
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_error(path: Path, error: OSError) -> ExplainerError:
    if disk_full(error):
        return ExplainerError(f"disk full while writing '{path}'; free some space and run again")
    return ExplainerError(f"cannot write '{path}': {(error.strerror or str(error)).lower()}")
