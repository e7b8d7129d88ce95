"""`speak(text, lang)`: one cue's speech from an engine, loudness-normalised, cached."""

from __future__ import annotations

from ..errors import ExplainerError
from .cache import CueCache, default_cache
from .loudness import normalise
from .speech import Speech

ENGINES = ("espeak",)
#: The espeak voice for each lecture language (Mandarin: `cmn`, read by espeak-ng 1.52 with its tones).
VOICES = {"espeak": {"en": "en-us", "zh": "cmn"}}


def engine_version(engine: str = "espeak") -> str:
    if engine not in ENGINES:
        raise ExplainerError(f"unknown voice engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    from . import espeak

    return espeak.version()


def speak(text: str, lang: str, engine: str = "espeak", cache: CueCache | None | str = "default") -> Speech:
    """The cue `text` spoken in `lang` ('en' or 'zh') by `engine`, normalised to the lecture's loudness.

    With a cache (the default: `default_cache()`), a cue already spoken with the same text, voice,
    language and engine version is read back instead of synthesised again; `cache=None` always speaks.
    """
    if engine not in ENGINES:
        raise ExplainerError(f"unknown voice engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    voices = VOICES[engine]
    if lang not in voices:
        raise ExplainerError(f"the {engine} voice speaks {', '.join(voices)}, not {lang!r}")
    if not text.strip():
        raise ExplainerError("a narration cue has no text to speak")
    voice = voices[lang]
    store = default_cache() if cache == "default" else cache
    key = None
    if store is not None:
        key = store.key(text, voice, lang, engine_version(engine))
        found = store.get(key)
        if found is not None:
            return found
    from . import espeak

    raw = espeak.synthesize(text, voice)
    speech = Speech(normalise(raw.samples), raw.rate, raw.words)
    if store is not None:
        store.put(key, speech)
    return speech
