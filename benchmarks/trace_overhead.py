"""How much recording every gate costs next to the plain fused torch.nn.LSTM.

Prints, from one run, (record with all names) / (torch.nn.LSTM forward under no_grad) on
2 threads for the issue's three shapes, and the slowdown of the intervention path (the
explicit loop) against the plain recording. Each time is the median of several repeats.

    python benchmarks/trace_overhead.py
"""

from __future__ import annotations

import statistics
import time
import warnings

import torch

import explainer
from explainer.recorder import RecordingSize

SHAPES = [  # (time, batch, input, hidden), target ratio
    ((1000, 64, 32, 128), 1.5),
    ((400, 1, 1, 12), 3.0),
    ((2000, 1, 1, 12), 3.0),
]


def median_times(fns, repeats: int) -> list[float]:
    """Median time of each function, calls interleaved so that machine noise hits all alike."""
    for fn in fns:
        fn()  # warm up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            start = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - start)
    return [statistics.median(ts) for ts in times]


def main() -> None:
    warnings.simplefilter("ignore", RecordingSize)  # the big case states its size; we know it
    torch.set_num_threads(2)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'T':>5} {'B':>3} {'I':>3} {'H':>4}  {'fused ms':>9}  {'record ms':>9}  {'ratio':>6}  target  {'intervene ms':>12}  {'÷record':>7}")
    for (T, B, I, H), target in SHAPES:
        lstm = torch.nn.LSTM(I, H).eval()
        x = torch.randn(T, B, I)  # [time, batch, input]
        repeats = 9 if B > 1 else 41

        def fused():
            with torch.no_grad():
                lstm(x)

        base, rec = median_times([fused, lambda: explainer.record(lstm, x)], repeats)
        (held,) = median_times([lambda: explainer.record(lstm, x, intervene={"layers.0.gates.f": 1.0})], 2)
        ok = "ok" if rec / base <= target else "MISSED"
        print(f"{T:>5} {B:>3} {I:>3} {H:>4}  {base * 1e3:>9.2f}  {rec * 1e3:>9.2f}  {rec / base:>6.2f}  ≤{target:<4} {ok:>2}"
              f"  {held * 1e3:>10.1f}  {held / rec:>7.1f}x")


if __name__ == "__main__":
    main()
