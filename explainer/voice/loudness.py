"""Every cue at the same loudness: RMS level normalised to TARGET_DBFS, peaks kept below full scale.

Speech engines (and a lecturer's own recordings) come at different levels; a lecture whose cues jump
in volume is tiring to listen to. RMS over the voiced part (samples above a silence floor) is a simple,
robust stand-in for perceived loudness for one speaker's speech.

    >>> import numpy as np
    >>> tone = 0.05 * np.sin(np.linspace(0, 400 * np.pi, 22050)).astype(np.float32)
    >>> round(rms_dbfs(normalise(tone)), 1)
    -20.0
"""

from __future__ import annotations

import numpy as np

TARGET_DBFS = -20.0  # RMS of the voiced part, dB relative to full scale
PEAK = 0.97  # never louder than this
SILENCE = 1e-3  # samples quieter than this do not count towards the level


def rms_dbfs(samples: np.ndarray) -> float:
    """The RMS level of the voiced samples in dBFS (−inf for silence)."""
    x = np.asarray(samples, dtype=np.float64)
    voiced = x[np.abs(x) > SILENCE]
    if voiced.size == 0:
        return float("-inf")
    return float(20 * np.log10(np.sqrt(np.mean(voiced ** 2))))


def normalise(samples: np.ndarray, target: float = TARGET_DBFS) -> np.ndarray:
    """`samples` scaled to `target` dBFS RMS, scaled down further if a peak would pass PEAK."""
    x = np.asarray(samples, dtype=np.float32)
    level = rms_dbfs(x)
    if not np.isfinite(level):
        return x.copy()
    gain = 10 ** ((target - level) / 20)
    peak = float(np.abs(x).max()) * gain
    if peak > PEAK:
        gain *= PEAK / peak
    return (x * gain).astype(np.float32)
