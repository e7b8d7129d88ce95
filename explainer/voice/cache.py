"""Spoken cues kept on disk, so that a second lecture run makes no audio.

A cue's key is the SHA-256 of (text, voice, language, engine version): change any of them and the
cue is spoken again; nothing else is. Each entry is `<key>.wav` with `<key>.words.json`, written to
a temporary name and renamed, so an interrupted run never leaves half an entry.

    >>> import tempfile
    >>> from explainer.voice import CueCache, Speech
    >>> import numpy as np
    >>> c = CueCache(tempfile.mkdtemp())
    >>> k = c.key("Hello", "en-us", "en", "espeak-ng 1.52.0")
    >>> c.get(k) is None
    True
    >>> _ = c.put(k, Speech(np.zeros(100, np.float32), 22050))
    >>> c.get(k).seconds
    0.0045...
"""

from __future__ import annotations

import hashlib
import json
import os
import wave
from pathlib import Path

from .speech import Speech


class CueCache:
    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    @staticmethod
    def key(text: str, voice: str, lang: str, version: str) -> str:
        blob = json.dumps([text, voice, lang, version], ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str) -> Speech | None:
        path = self.path(key)
        if not (path.exists() and path.with_suffix(".words.json").exists()):
            return None
        try:
            return Speech.load(path)
        except (OSError, ValueError, TypeError, EOFError, wave.Error):
            return None  # a damaged entry is spoken again

    def put(self, key: str, speech: Speech) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return speech.save(self.path(key))


def default_cache() -> CueCache:
    """The user's cue cache: $EXPLAINER_CACHE/voice, else $XDG_CACHE_HOME/explainer/voice (~/.cache/...)."""
    from ..caching import cache_root

    return CueCache(cache_root() / "voice")
