"""Time of `explainer figure gates` on a trace of 100,000 steps (one run, one thread).

    python benchmarks/long_traces.py

The shipped language LSTM is recorded on its long passage repeated to 100,000 tokens
(about 77 MB of float32 arrays), then `explainer figure gates --trace T -o gates.png` runs
once as a user runs it (a fresh process: imports, load, draw, save), with every thread
pool pinned to one thread. The figure bins the time axis (at most 2,000 columns, each the
mean of its steps) and says so. Target: ≤ 10 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
os.environ.update(ONE_THREAD)

STEPS = 100_000
TARGET = 10.0


def long_trace(path: Path, steps: int = STEPS) -> None:
    """The shipped language LSTM recorded on its long passage, repeated to `steps` tokens."""
    import numpy as np
    import torch

    from explainer import assets
    from explainer.checkpoint import Checkpoint
    from explainer.explain import trace_checkpoint
    from explainer.recorder import RecordingSize, record

    torch.set_num_threads(1)
    warnings.simplefilter("ignore", RecordingSize)  # it says how large the recording is: we know
    ckpt = Checkpoint.load(assets.root() / "checkpoints" / "language-lstm.safetensors")
    passage = trace_checkpoint(ckpt, passage="long")
    ids = np.resize(np.asarray(passage.meta["token_ids"]), steps)
    labels = [passage.steps[k % passage.num_steps] for k in range(steps)]
    meta = {"task": "language", "units_found": passage.meta["units_found"]}
    record(ckpt.model, torch.from_numpy(ids[None]), steps=labels, meta=meta).save(path)


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="explainer-long-"))
    trace = out / "long.safetensors"
    long_trace(trace)
    explainer = Path(sys.executable).with_name("explainer")
    command = [str(explainer), "figure", "gates", "--trace", str(trace), "-o", str(out / "gates.png")]
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, **ONE_THREAD}, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    trace.unlink()  # 77 MB: only the figure is kept, to look at
    print(f"figure gates on {STEPS:,} steps (1 thread, fresh process): {seconds:.2f} s  target ≤ {TARGET:.0f} s  "
          f"ratio {seconds / TARGET:.2f}  {'ok' if seconds <= TARGET else 'MISSED'}  ({out / 'gates.png'})")


if __name__ == "__main__":
    main()
