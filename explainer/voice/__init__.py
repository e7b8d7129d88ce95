"""Speech for the narration: a cue's text in, its audio and word timings out, offline.

espeak-ng 1.52 through the `espeakng-loader` wheel (it bundles the library and its data,
Mandarin included; Debian's 1.51 reads the pinyin tone digits as English numbers); piper, an
optional extra (`piper.py`); or the lecturer's own recordings (`cues.py`, `recorded.py`).
A cue is spoken once: `speak` keeps each result in a cache keyed by (text, voice,
language, engine version), loudness-normalised so that every cue of a lecture plays at the
same level.

    >>> from explainer.voice import speak
    >>> s = speak("The forget gate half closes.", "en", cache=None)
    >>> s.rate, 0.5 < s.seconds < 5, s.words[0].text
    (22050, True, 'The')
    >>> s.words[1].start > s.words[0].start           # word starts in seconds, in order
    True
"""

from __future__ import annotations

from .cache import CueCache, default_cache
from .loudness import TARGET_DBFS, normalise, rms_dbfs
from .speech import Speech, Word
from .cues import SpokenCue, Voice, parse_voice, speak_cues
from .synth import ENGINES, VOICES, engine_version, speak

__all__ = ["ENGINES", "TARGET_DBFS", "VOICES", "CueCache", "Speech", "SpokenCue", "Voice", "Word", "default_cache",
           "engine_version", "normalise", "parse_voice", "rms_dbfs", "speak", "speak_cues"]
