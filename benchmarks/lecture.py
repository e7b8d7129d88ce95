"""The full lecture at its default quality (720p30) with the espeak voice, on 2 workers, and a cached re-run.

    python benchmarks/lecture.py            # English
    python benchmarks/lecture.py --lang zh

One run, printed: the synthesis time of every cue (a fresh cue cache), the render time of
every chapter from an empty directory with 2 workers, the video's length, render / length,
and a re-run with nothing changed in a fresh `explainer lecture` process. torch is pinned to
1 thread per process (OMP_NUM_THREADS=1): two workers on 2 cores. Targets: render ≤ 1.0×
real time; cached re-run ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPLAINER_CACHE"] = str(Path(tmp) / "cache")  # nothing spoken yet
        from explainer.lecture import load_narration, make_lecture
        from explainer.lecture.claimed import checked_narration
        from explainer.lecture.plan import FULL
        from explainer.voice.cues import parse_voice, speak_cues

        lines, _ = checked_narration(load_narration(args.lang), [c.id for c in FULL], args.lang)
        start = time.perf_counter()
        cues = speak_cues({c.id: lines[c.id] for c in FULL}, args.lang, parse_voice("espeak"))
        synthesis = time.perf_counter() - start
        speech = sum(c.seconds for c in cues)

        out = Path(tmp) / "lecture"
        start = time.perf_counter()
        result = make_lecture(out, lang=args.lang, jobs=args.jobs, voice="espeak")
        render = time.perf_counter() - start
        length = result.seconds

        explainer = Path(sys.executable).with_name("explainer")  # the re-run as a user runs it
        start = time.perf_counter()
        done = subprocess.run([str(explainer), "lecture", "--lang", args.lang, "--jobs", str(args.jobs), "--voice",
                               "espeak", "-o", str(out)], check=True, capture_output=True, text=True)
        cached = time.perf_counter() - start
        nothing = "0 chapters rendered" in done.stdout
    ratio = render / length
    print(f"lecture ({args.lang}, 720p30, voice espeak, {args.jobs} workers, 1 torch thread each): "
          f"{len(result.rendered)} chapters, {length:.0f} s of video")
    print(f"synthesis: {len(cues)} cues, {speech:.0f} s of speech in {synthesis:.1f} s (a fresh cue cache)")
    print(f"render (cues cached, nothing else): {render:.1f} s  render/length {ratio:.2f}  "
          f"target ≤ 1.0 {'ok' if ratio <= 1.0 else 'MISSED'}")
    print(f"cached re-run (a new process): {cached:.2f} s, {'nothing' if nothing else 'something'} re-rendered  "
          f"target ≤ 5 s {'ok' if cached <= 5 and nothing else 'MISSED'}")


if __name__ == "__main__":
    main()
