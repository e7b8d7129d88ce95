"""Time to make every figure of the shipped defaults as PNG and SVG in one process.

    python benchmarks/figures.py

Fonts are cached first (one warm-up figure, as any second run would have them); then
all figures are made and saved twice (PNG at 100 dpi and SVG). Target: ≤ 10 s on 2 cores.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from explainer import figures

TARGET = 10.0


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="explainer-figures-"))
    start = time.perf_counter()
    figures.save(figures.make("data", lang="zh"), out / "warmup.png")  # font cache, imports
    warm = time.perf_counter() - start
    rows = []
    start = time.perf_counter()
    for name in figures.names():
        t0 = time.perf_counter()
        fig = figures.make(name)
        figures.save(fig, out / f"{name}.png", dpi=100)
        fig = figures.make(name)
        figures.save(fig, out / f"{name}.svg")
        rows.append((name, time.perf_counter() - t0))
    total = time.perf_counter() - start
    for name, seconds in rows:
        print(f"{name:<14} {seconds:6.2f} s  (PNG + SVG)")
    print(f"warm-up (imports, fonts): {warm:.2f} s")
    print(f"all {len(rows)} figures as PNG and SVG: {total:.2f} s  target ≤ {TARGET:.0f} s  "
          f"ratio {total / TARGET:.2f}  {'ok' if total <= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
