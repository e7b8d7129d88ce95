"""Where the chapters render: on dask.distributed workers, each a single-threaded process.

With no address, a `LocalCluster` of `--jobs` worker processes (one thread each: Manim and
x264 keep a core busy, and torch is pinned to one thread per process) lives as long as the
run; with `--scheduler tcp://host:8786`, the workers of an existing cluster render, and
write into the lecture directory, a path they must share with this machine (as the traces
a lecture file names). The cues' audio is copied into the run's scratch directory there, so
a remote worker needs nothing from this machine's cue cache.

Interrupted (Ctrl-C, SIGTERM), the cluster is closed before the scratch directory goes: no
worker is left writing, nothing half-written is left, and the next run continues.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ExplainerError


@contextmanager
def workers(jobs: int, scheduler: str | None = None) -> Iterator:
    """A `distributed.Client`: of a new LocalCluster of `jobs` single-threaded processes, or of `scheduler`."""
    _quiet()
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # a core dependency: only a broken install lacks it
        raise ExplainerError("dask.distributed is missing; reinstall explainer (pip install -e .)") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=10)
            except (OSError, TimeoutError, ValueError) as e:
                raise ExplainerError(f"cannot reach the dask scheduler at {scheduler} ({type(e).__name__}); start one "
                                     "(`dask scheduler`, then `dask worker ADDRESS --nthreads 1`) or leave out "
                                     "--scheduler") from None
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR, memory_limit=0)
            client = Client(cluster)
    except ExplainerError:
        raise
    except Exception as e:
        if cluster is not None:
            cluster.close()
        raise ExplainerError(f"cannot start the dask workers ({type(e).__name__}: {e}); try --jobs 1") from None
    try:
        client.run(_worker_setup)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def each_done(client, fn: Callable[[Any], Any], items: list, keys: list[str],
              done: Callable[[int, Any], None]) -> None:
    """fn(item) for every item, on the workers; `done(i, result)` here for each as it finishes (i: its place in
    `items`). If one fails or `done` raises (Ctrl-C too), the others are cancelled and the error goes on."""
    from distributed import as_completed

    futures = client.map(fn, items, key=keys, pure=False)
    place = {f.key: i for i, f in enumerate(futures)}
    try:
        for future in as_completed(futures):
            done(place[future.key], future.result())
    except BaseException:
        client.cancel(futures)
        raise


def _quiet() -> None:
    """dask's own messages (a scheduler started, a worker registered, ...) are not the lecture's: errors only,
    here and in the worker processes (they read DASK_LOGGING__DISTRIBUTED when they start)."""
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "error"
    import dask

    dask.config.set({"logging.distributed": "error"})
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker", "distributed.core",
                 "distributed.http.proxy", "distributed.client"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _worker_setup() -> None:
    """In each worker: progress bars lock with a thread lock, not a semaphore of the process tree."""
    import threading

    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


def portable(jobs: list, scratch: Path) -> list:
    """The jobs with their cues' audio copied into `scratch/voice` (a path remote workers share)."""
    folder = scratch / "voice"
    folder.mkdir(exist_ok=True)
    out = []
    for job in jobs:
        cues = []
        for cue in job.cues:
            if cue.audio:
                target = folder / Path(cue.audio).name
                if not target.exists():
                    shutil.copyfile(cue.audio, target)
                cue = replace(cue, audio=str(target))
            cues.append(cue)
        out.append(replace(job, cues=tuple(cues)))
    return out
