"""espeak-ng 1.52 through ctypes, from the `espeakng-loader` wheel (library and data bundled).

The library keeps one global state, so one process initialises it once and speaks one cue at a
time (a lock). Synthesis is in memory (AUDIO_OUTPUT_SYNCHRONOUS): the callback collects the
samples and the word events (each word's character position and its start in ms).
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from ..errors import ExplainerError
from .speech import Speech, Word

_SYNCHRONOUS = 0x02  # AUDIO_OUTPUT_SYNCHRONOUS
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_END_OF_LIST, _EVENT_WORD = 0, 1


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))
_lock = threading.Lock()
_state: dict = {}


def _library():
    """The initialised library, its sample rate and the callback's buffers (made once per process)."""
    if "lib" not in _state:
        try:
            import espeakng_loader as loader
        except ImportError:
            raise ExplainerError("the espeak voice needs the espeakng-loader package; install it with "
                                 "`pip install espeakng-loader` (make setup does)") from None
        lib = ctypes.CDLL(loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Info.restype = ctypes.c_char_p
        rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise ExplainerError("espeak-ng could not start (its data folder is missing or damaged); "
                                 "reinstall espeakng-loader")
        chunks: list[np.ndarray] = []
        events: list[tuple[int, int, int]] = []

        def collect(wav, n, ev):
            if n > 0:
                chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            k = 0
            while ev[k].type != _EVENT_END_OF_LIST:
                if ev[k].type == _EVENT_WORD:
                    events.append((ev[k].text_position, ev[k].length, ev[k].audio_position))
                k += 1
            return 0

        callback = _CALLBACK(collect)
        lib.espeak_SetSynthCallback(callback)
        _state.update(lib=lib, rate=rate, chunks=chunks, events=events, callback=callback)
    return _state


def version() -> str:
    """The engine's version, e.g. 'espeak-ng 1.52.0' (part of every cached cue's key)."""
    with _lock:
        return "espeak-ng " + _library()["lib"].espeak_Info(None).decode()


def synthesize(text: str, voice: str) -> Speech:
    """Speak `text` with the espeak voice `voice` ('en-us', 'cmn'): samples in [-1, 1] and word starts."""
    data = text.encode("utf-8")
    with _lock:
        s = _library()
        lib = s["lib"]
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ExplainerError(f"espeak-ng has no voice {voice!r}")
        s["chunks"].clear()
        s["events"].clear()
        if lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None) != 0:
            raise ExplainerError(f"espeak-ng could not speak {text[:40]!r}")
        lib.espeak_Synchronize()
        pcm = np.concatenate(s["chunks"]) if s["chunks"] else np.zeros(0, np.int16)  # [samples]
        events = list(s["events"])
        rate = s["rate"]
    return Speech(pcm.astype(np.float32) / 32768, rate, _words(text, events))


def _words(text: str, events: list[tuple[int, int, int]]) -> list[Word]:
    """Word events as Words: espeak counts characters from 1; its lengths may run past the text's end."""
    out = []
    for position, length, ms in events:
        at = max(0, position - 1)
        out.append(Word(text[at:at + max(length, 1)], at, length, ms / 1000))
    return out
