"""A real language training run small enough for a test: a few updates of a few passages.

It carries everything a shipped checkpoint does (metrics, units, the learning history), so
figures and probes can be tested on a checkpoint made here rather than on the shipped
assets (which are re-made when the task changes). Each kind is trained once per test run
and shared by the test modules that ask for it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from explainer.checkpoint import Checkpoint


@cache
def tiny_language_run(kind: str = "rnn", iters: int = 2) -> tuple[Path, Checkpoint]:
    """`kind` trained for `iters` updates of 4 passages: its checkpoint file (in a folder removed at exit) and object."""
    from explainer.training import preset_config, train

    folder = Path(tempfile.mkdtemp(prefix="tiny-language-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    ckpt = train(preset_config("language", kind, seed=0, iters=iters, batch_size=4))
    return ckpt.save(folder / f"tiny-language-{kind}.safetensors"), ckpt
