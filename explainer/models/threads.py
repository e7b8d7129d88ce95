"""How many threads torch computes with when the result must not depend on the machine.

A float sum split over another number of threads rounds differently, so the same training
run or recording gives weights or values that differ in their last bits (up to 7e-7 after
training) between `OMP_NUM_THREADS=1` and a machine's default. Training and `explainer
trace` therefore run on `THREADS` threads, whatever the machine has, and give the caller's
count back afterwards. Two is what the shipped assets were made with (scripts/make_assets.py).

    >>> import torch
    >>> before = torch.get_num_threads()
    >>> with pinned_threads():
    ...     torch.get_num_threads()
    2
    >>> torch.get_num_threads() == before
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: Torch threads of every training run and every `explainer trace` recording.
THREADS = 2


@contextmanager
def pinned_threads(threads: int = THREADS) -> Iterator[None]:
    """Run the block on `threads` torch threads, then restore the caller's count."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
