"""Refuse work that cannot fit in memory before allocating it, and say how much it needs."""

from __future__ import annotations

from .errors import ExplainerError


def available_memory() -> int | None:
    """Bytes the kernel says can be allocated without swapping (None if unknown)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def format_bytes(n: float) -> str:
    """1536 -> '1.5 KiB'; one decimal above a MiB."""
    for unit, size in (("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def check_fits(need: float, what: str, advice: str) -> None:
    """Raise a one-line error if `need` bytes exceed the free memory."""
    free = available_memory()
    if free is not None and need > free:
        raise ExplainerError(
            f"{what} needs about {format_bytes(need)} but only {format_bytes(free)} of memory is free; {advice}"
        )
