"""A spoken cue: mono samples, their rate, and where each word starts (from the engine's word events)."""

from __future__ import annotations

import json
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Word:
    """One word of the cue's text: its characters [at, at + length) and when it starts, in seconds."""

    text: str
    at: int
    length: int
    start: float


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # [samples] float32 in [-1, 1]
    rate: int  # samples per second
    words: list[Word] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def save(self, path: str | Path) -> Path:
        """Write a 16-bit mono WAV and, beside it, `<name>.words.json` with the word timings, each
        through `files.atomic_output` (the words first: a WAV is never there without its words)."""
        from ..files import atomic_output

        path = Path(path)
        pcm = np.clip(np.round(self.samples * 32767), -32768, 32767).astype("<i2")  # [samples]
        words = [{"text": x.text, "at": x.at, "length": x.length, "start": x.start} for x in self.words]
        with atomic_output(path.with_suffix(".words.json")) as tmp:
            tmp.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        with atomic_output(path) as tmp, wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.rate)
            w.writeframes(pcm.tobytes())
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Speech":
        """Read what `save` wrote (a WAV without its words file has no word timings)."""
        path = Path(path)
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise ValueError(f"{path}: expected 16-bit mono PCM")
            rate, pcm = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        side = path.with_suffix(".words.json")
        words = [Word(**x) for x in json.loads(side.read_text(encoding="utf-8"))] if side.exists() else []
        return cls(pcm.astype(np.float32) / 32767, rate, words)
