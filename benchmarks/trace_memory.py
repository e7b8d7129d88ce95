"""Peak memory of a very long recording: a 1,000,000-step single-unit LSTM.

Records only the cell state (`names=["layers.0.c"]`) as float16, and prints the peak
resident memory beyond what the imports, the model and the input already use (Linux's
VmHWM, reset just before recording). Target: under 200 MB. For comparison it also
records every name as float32.

    python benchmarks/trace_memory.py
"""

from __future__ import annotations

import gc

import torch

import explainer

STEPS = 1_000_000
TARGET_MB = 200


def status(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # MiB
    raise RuntimeError(field)


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_beyond(label: str, **kwargs) -> float:
    gc.collect()
    base = status("VmRSS")
    reset_peak()
    trace = explainer.record(LSTM, X, **kwargs)
    peak = status("VmHWM") - base
    size = sum(trace[n].nbytes for n in trace.names) / 2**20
    print(f"{label:<42} peak {peak:7.1f} MiB beyond the imports (the trace itself: {size:.1f} MiB)")
    del trace
    return peak


torch.manual_seed(0)
torch.set_num_threads(2)
LSTM = torch.nn.LSTM(1, 1)
X = torch.randn(STEPS, 1)  # [time, input], unbatched

if __name__ == "__main__":
    explainer.record(LSTM, X[:100])  # warm up: lazy imports, kernels
    peak = peak_beyond('names=["layers.0.c"], dtype="float16"', names=["layers.0.c"], dtype="float16")
    print(f"target < {TARGET_MB} MiB: {'ok' if peak < TARGET_MB else 'MISSED'} (ratio {peak / TARGET_MB:.2f})")
    peak_beyond("every name, float32 (for comparison)")
