"""`speak(text, lang)`: one cue's speech from an engine, loudness-normalised, cached."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExplainerError
from .cache import CueCache, default_cache
from .loudness import normalise
from .speech import Speech
from .spoken import spoken_form

ENGINES = ("espeak", "piper")
#: The voice of each engine for each lecture language (Mandarin: espeak's `cmn`, read by 1.52 with its tones).
VOICES = {"espeak": {"en": "en-us", "zh": "cmn"}, "piper": {"en": "en_US-joe-medium"}}


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ExplainerError(f"unknown voice engine {engine!r}; choose one of: {', '.join(ENGINES)}")


def engine_version(engine: str = "espeak") -> str:
    _check_engine(engine)
    if engine == "piper":
        from . import piper

        return piper.version()
    from . import espeak

    return espeak.version()


def speak(text: str, lang: str, engine: str = "espeak", cache: CueCache | None | str = "default") -> Speech:
    """The cue `text` spoken in `lang` ('en' or 'zh') by `engine`, normalised to the lecture's loudness.

    With a cache (the default: `default_cache()`), a cue already spoken with the same text, voice,
    language and engine version is read back instead of synthesised again; `cache=None` always speaks.
    What is said is the text's spoken form (`spoken.spoken_form`: "hₜ₋₁" is said "h t minus 1");
    the word positions index that form.
    """
    store = default_cache() if cache == "default" else cache
    text = spoken_form(text, lang)
    key = _key(text, lang, engine, store)
    if store is not None:
        found = store.get(key)
        if found is not None:
            return found
    speech = _synthesize(text, lang, engine)
    if store is not None:
        store.put(key, speech)
    return speech


def speak_to_file(text: str, lang: str, engine: str = "espeak",
                  cache: CueCache | str = "default") -> tuple[Speech, Path, str]:
    """`speak` through a cache (a file the lecture's render workers read): (speech, its WAV, its key)."""
    store = default_cache() if cache == "default" else cache
    if store is None:
        raise ExplainerError("speaking a lecture's cues needs a cue cache (a folder), not cache=None")
    speech = speak(text, lang, engine, store)
    key = _key(spoken_form(text, lang), lang, engine, store)
    return speech, store.path(key), key


def _key(text: str, lang: str, engine: str, store: CueCache | None) -> str:
    _check_engine(engine)
    voices = VOICES[engine]
    if lang not in voices:
        raise ExplainerError(f"the {engine} voice speaks {', '.join(voices)}, not {lang!r}")
    if not text.strip():
        raise ExplainerError("a narration cue has no text to speak")
    return CueCache.key(text, voices[lang], lang, engine_version(engine)) if store is not None else ""


def _synthesize(text: str, lang: str, engine: str) -> Speech:
    if engine == "piper":
        from . import piper

        raw = piper.synthesize(text)
    else:
        from . import espeak

        raw = espeak.synthesize(text, VOICES[engine][lang])
    return Speech(normalise(raw.samples), raw.rate, raw.words)
