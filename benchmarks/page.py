"""Size of the trace page and its time to interactive, for a 10,000-step, 2-layer, 128-unit LSTM trace.

    python benchmarks/page.py

The shipped text model (assets/checkpoints/text-lstm.safetensors) is recorded, on one torch
thread, on the first 10,000 characters of the Python standard library's source (every array:
h, c and the four gates of both layers). Then, from one run each: the time to build the page
(`explainer.page.save`), its size in MB, and the time from navigation to ready in headless
Chromium (the page's own `performance.now()` when it sets `window.explainerReady`: the data
inflated, the text coloured, the heatmap drawn, the controls live), plus the wall time the
driver saw. Targets: ≤ 20 MB, ≤ 3 s to interactive.
"""

from __future__ import annotations

import os

os.environ.update({name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})

import sys  # noqa: E402
import warnings  # noqa: E402
import sysconfig  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

STEPS = 10_000
SIZE_TARGET_MB, READY_TARGET_S = 20.0, 3.0
ROOT = Path(__file__).resolve().parents[1]


def source_text(steps: int = STEPS) -> str:
    """The first `steps` characters of the standard library's .py files, in sorted order."""
    text, files = "", sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    for path in files:
        text += path.read_text(encoding="utf-8", errors="replace")
        if len(text) >= steps:
            break
    return text[:steps]


def main() -> None:
    import torch

    from explainer import page
    from explainer.checkpoint import Checkpoint
    from explainer.explain import trace_checkpoint

    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message="recording .* of memory")
    out = Path(tempfile.mkdtemp(prefix="explainer-page-"))
    text_file = out / "source.txt"
    text_file.write_text(source_text(), encoding="utf-8")
    t0 = time.perf_counter()
    trace = trace_checkpoint(Checkpoint.load(ROOT / "assets/checkpoints/text-lstm.safetensors"), text_file=str(text_file))
    recorded = time.perf_counter() - t0
    shape = trace["layers.0.h"].shape
    t0 = time.perf_counter()
    path = page.save(trace, out / "trace.html")
    built = time.perf_counter() - t0
    size = path.stat().st_size / 1e6

    sys.path.insert(0, str(ROOT / "tests"))
    from browser import chromium, open_page

    driver = chromium()
    try:
        t0 = time.perf_counter()
        open_page(driver, path, ready="window.explainerReady === true", timeout=60)
        wall = time.perf_counter() - t0
        ready = driver.execute_script("return window.explainerReadyAt") / 1000
        act = driver.execute_script("""
            const e = window.explainer, t0 = performance.now();
            e.chooseUnit(0, "h", 7);                      // another layer and quantity: text, heatmap, strips
            const t1 = performance.now();
            e.setSelection(100, 120);                     // units on over a range
            const found = e.state.found.length;
            document.getElementById("search").click();    // match search
            const t2 = performance.now();
            return [t1 - t0, t2 - t1, found];""")
    finally:
        driver.quit()
    print(f"trace: {trace.num_steps:,} steps, {len([n for n in trace.names if n.startswith('layers.')])} arrays of "
          f"{list(shape)} (recorded in {recorded:.1f} s, torch threads {torch.get_num_threads()})")
    print(f"build page: {built:.2f} s")
    print(f"page size: {size:.1f} MB  target ≤ {SIZE_TARGET_MB:.0f} MB  {'ok' if size <= SIZE_TARGET_MB else 'MISSED'}")
    print(f"navigation to ready (page's clock): {ready:.2f} s  target ≤ {READY_TARGET_S:.0f} s  "
          f"{'ok' if ready <= READY_TARGET_S else 'MISSED'}; driver's wall time {wall:.2f} s")
    print(f"choose another layer and quantity: {act[0]:.0f} ms; select 20 steps and search matches: {act[1]:.0f} ms "
          f"({act[2]} units on)")


if __name__ == "__main__":
    main()
