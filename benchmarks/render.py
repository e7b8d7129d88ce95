"""Render time of every scene divided by its video length (real-time factor).

Each scene is rendered by a fresh `explainer animate` process (start-up included) at
480p15 and at 1080p60; the video's length is read from the file. Targets: ≤ 0.5 at
480p15 and ≤ 2 at 1080p60. For scale, measured on this machine: a plain Manim scene of
120 coloured squares with arrows, about 10 s long, renders at 0.53 (480p15) and 2.0
(1080p60).

    python benchmarks/render.py                 # every scene, both qualities
    python benchmarks/render.py ForgetGate -q l
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from explainer.quality import QUALITIES

TARGETS = {"l": 0.5, "h": 2.0}
LABELS = {q: QUALITIES[q].label for q in TARGETS}


def video_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def measure(scene: str, quality: str, folder: Path) -> tuple[float, float]:
    out = folder / f"{scene}-{quality}.mp4"
    explainer = Path(sys.executable).with_name("explainer")
    start = time.perf_counter()
    subprocess.run([str(explainer), "animate", scene, "-q", quality, "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, video_seconds(out)


def main() -> None:
    from animations import scene_names

    parser = argparse.ArgumentParser()
    parser.add_argument("scenes", nargs="*", default=None)
    parser.add_argument("-q", "--quality", choices=["l", "h"], action="append")
    args = parser.parse_args()
    scenes = args.scenes or scene_names()
    qualities = args.quality or ["l", "h"]
    print(f"{'scene':<14} {'quality':<8} {'video s':>8} {'render s':>9} {'ratio':>6}  target")
    worst = {q: 0.0 for q in qualities}
    with tempfile.TemporaryDirectory() as tmp:
        for scene in scenes:
            for q in qualities:
                seconds, length = measure(scene, q, Path(tmp))
                ratio = seconds / length
                worst[q] = max(worst[q], ratio)
                ok = "ok" if ratio <= TARGETS[q] else "MISSED"
                print(f"{scene:<14} {LABELS[q]:<8} {length:>8.1f} {seconds:>9.1f} {ratio:>6.2f}  ≤{TARGETS[q]} {ok}", flush=True)
    for q in qualities:
        print(f"worst ratio at {LABELS[q]}: {worst[q]:.2f} (target ≤ {TARGETS[q]})")


if __name__ == "__main__":
    main()
