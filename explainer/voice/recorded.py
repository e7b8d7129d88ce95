"""A lecturer's own recording of a cue, decoded (any format PyAV reads) to mono float32.

Refused in one line: a file that is not audio, holds no audio stream, or decodes to nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ExplainerError

#: The rate recordings are decoded to (the lecture's audio rate).
RATE = 44100
#: A cue longer than this is not one spoken line (a whole session recorded into one file).
MAX_SECONDS = 600


def decode(path: str | Path, rate: int = RATE) -> tuple[np.ndarray, int]:
    """(samples [n] float32 mono at `rate`, rate) of the audio file `path`."""
    import av

    from ..lecture.tracks import mono

    path = Path(path)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise ExplainerError(f"the recording '{path}' holds no audio; record the cue as WAV, FLAC or MP3")
            parts, total = [], 0
            for chunk in mono(container.decode(container.streams.audio[0]), rate):
                parts.append(chunk)
                total += len(chunk)
                if total > MAX_SECONDS * rate:
                    raise ExplainerError(f"the recording '{path}' is longer than {MAX_SECONDS} s; one file holds one cue")
    except ExplainerError:
        raise
    except Exception as e:  # PyAV's errors for a file that is not audio (InvalidDataError and kin)
        raise ExplainerError(f"cannot decode the recording '{path}' ({type(e).__name__}); "
                             "give a WAV, FLAC or MP3 file") from None
    samples = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)  # [n]
    if samples.size < rate // 20 or not np.isfinite(samples).all() or float(np.abs(samples).max()) < 1e-4:
        raise ExplainerError(f"the recording '{path}' is silent or shorter than 50 ms; record the cue again")
    return samples, rate
