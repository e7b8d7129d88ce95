"""Time of unit discovery on text (`explainer.probes.text_units.discover`), one thread.

    python benchmarks/text_units.py

A synthetic character trace: 100,000 characters of the Python standard library's source,
2 LSTM layers of 128 units (c and h, 512 columns of noise), every built-in feature. Prints
the median of a few runs of `discover` (the features of the text included), and of
`features` alone. Target: well under a second.
"""

from __future__ import annotations

import os

os.environ.update({name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})

import statistics  # noqa: E402
import sysconfig  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

STEPS = 100_000
LAYERS, UNITS = 2, 128
TARGET = 1.0


def source_text(steps: int = STEPS) -> str:
    """The first `steps` characters of the standard library's .py files, in sorted order."""
    text, files = "", sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    for path in files:
        text += path.read_text(encoding="utf-8", errors="replace")
        if len(text) >= steps:
            break
    return text[:steps]


def median_time(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from explainer.probes.text_units import discover
    from explainer.reading.text_features import features
    from explainer.trace import Trace

    text = source_text()
    rng = np.random.default_rng(0)
    arrays = {f"layers.{layer}.{which}": rng.normal(size=(1, len(text), UNITS)).astype(np.float32)
              for layer in range(LAYERS) for which in ("c", "h")}  # each [batch, time, hidden]
    trace = Trace(arrays, {"steps": list(text), "tokenizer": "chars", "kind": "lstm"})
    found = discover(trace)
    seconds = median_time(lambda: discover(trace))
    scan = median_time(lambda: features(text))
    print(f"discover on {len(text):,} steps x {LAYERS} layers x {UNITS} units (c and h), {len(found)} features, "
          f"1 thread: {seconds:.3f} s (of which the features of the text {scan:.3f} s)  target < {TARGET:.0f} s  "
          f"ratio {seconds / TARGET:.2f}  {'ok' if seconds < TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
