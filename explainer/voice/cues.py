"""A lecture's cues, spoken: the voice a lecturer chose, turned into timed audio files, before any render.

A voice is named on the command line (`--voice`):

- `none`: no audio; each cue lasts as long as it takes to read (`explainer.lecture.timing`);
- `espeak`: espeak-ng 1.52, offline, English and Mandarin (`synth.speak`);
- `piper`: a natural English voice, an optional extra (`pip install 'explainer[piper]'`); Chinese
  cues fall back to espeak with a warning;
- `recorded:DIR`: the lecturer's own recordings, `DIR/<cue id>.wav|.flac|.mp3|...`; a cue without a
  file is spoken by espeak (one warning lists them); a file that cannot be decoded stops the run.

Every spoken cue becomes a `SpokenCue`: its length, its word starts (for a beat that begins
mid-sentence) and a WAV in the cue cache that the render workers read. A cue's id is
`<chapter>-<n>` (n from 1, in the chapter's order): the name of the lecturer's recording.

    >>> v = parse_voice("none")
    >>> [c.id for c in speak_cues({"sine": ["Our first task.", "Four hundred points."]}, "en", v)]
    ['sine-1', 'sine-2']
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExplainerError

#: Without a voice a cue lasts as long as it takes to read: about 15 characters a second in English
#: and 5 in Chinese, never less than MIN_CUE seconds.
CHARS_PER_SECOND = {"en": 15.0, "zh": 5.0}
MIN_CUE = 1.8
#: Seconds of silence after a cue before the next beat may begin (`animations/beats.py`).
GAP = 0.25
#: The audio formats a recording may come in (anything PyAV decodes; these are the names looked for).
RECORDED_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".m4a", ".opus")
KINDS = ("none", "espeak", "piper", "recorded")


@dataclass(frozen=True)
class Voice:
    kind: str  # one of KINDS
    folder: Path | None = None  # recorded: where the lecturer's files are

    @property
    def name(self) -> str:
        return f"recorded:{self.folder}" if self.kind == "recorded" else self.kind

    @property
    def speaks(self) -> bool:
        return self.kind != "none"


@dataclass(frozen=True)
class SpokenCue:
    id: str  # "<chapter>-<n>"
    text: str
    seconds: float  # how long it is said (or, with no voice, read)
    words: tuple[float, ...] = ()  # each word's start, seconds from the cue's start
    audio: str | None = None  # a mono WAV of the cue (None: silent)
    source: str = "none"  # what spoke it: "espeak", "piper", "recorded", "none"
    digest: str = ""  # identifies the audio (a changed recording or voice re-renders the chapter)


def reading_time(line: str, lang: str) -> float:
    """The time an unspoken cue takes on screen: read, then the gap after it."""
    return max(MIN_CUE, len(line) / CHARS_PER_SECOND[lang]) + GAP


def parse_voice(text: str) -> Voice:
    """`none`, `espeak`, `piper` or `recorded:DIR` (a directory that exists)."""
    kind, _, rest = str(text).partition(":")
    if kind == "recorded":
        if not rest:
            raise ExplainerError("--voice recorded needs the folder of your recordings: --voice recorded:DIR")
        folder = Path(rest)
        if not folder.is_dir():
            raise ExplainerError(f"--voice recorded:{rest}: no such directory; record the cues listed by "
                                 "`explainer lecture --script -o DIR` into it")
        return Voice("recorded", folder)
    if kind not in KINDS or rest:
        raise ExplainerError(f"unknown voice {text!r}; choose none, espeak, piper or recorded:DIR")
    if kind == "piper":
        from .piper import check_installed

        check_installed()
    return Voice(kind)


def cue_ids(chapter: str, lines: list[str]) -> list[str]:
    return [f"{chapter}-{n}" for n in range(1, len(lines) + 1)]


def speak_cues(lines: dict[str, list[str]], lang: str, voice: Voice, cache="default") -> list[SpokenCue]:
    """Every cue of `lines` ({chapter: [cue text]}) spoken by `voice` in `lang`, in order."""
    todo = [(cid, text) for chapter, texts in lines.items() for cid, text in zip(cue_ids(chapter, texts), texts)]
    if not voice.speaks:
        return [SpokenCue(cid, text, reading_time(text, lang) - GAP) for cid, text in todo]
    recordings = _recordings(voice, [cid for cid, _ in todo]) if voice.kind == "recorded" else {}
    engine = "piper" if voice.kind == "piper" else "espeak"
    if engine == "piper" and lang != "en":
        warnings.warn("the piper voice speaks English only; espeak speaks the Chinese cues", UserWarning, stacklevel=2)
        engine = "espeak"
    out = [_recorded(cid, text, recordings[cid], cache) for cid, text in todo if cid in recordings]  # refused first
    missing = [cid for cid, _ in todo if voice.kind == "recorded" and cid not in recordings]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        warnings.warn(f"no recording in '{voice.folder}' for {len(missing)} cue(s) ({shown}); espeak speaks them",
                      UserWarning, stacklevel=2)
    mine = {c.id: c for c in out}
    return [mine[cid] if cid in mine else _synthesised(cid, text, lang, engine, cache) for cid, text in todo]


def _synthesised(cid: str, text: str, lang: str, engine: str, cache) -> SpokenCue:
    from .synth import speak_to_file

    speech, path, key = speak_to_file(text, lang, engine, cache)
    return SpokenCue(cid, text, speech.seconds, tuple(w.start for w in speech.words), str(path), engine, key[:16])


def _recordings(voice: Voice, ids: list[str]) -> dict[str, Path]:
    found = {}
    for cid in ids:
        for suffix in RECORDED_SUFFIXES:
            path = voice.folder / f"{cid}{suffix}"
            if path.is_file():
                found[cid] = path
                break
    return found


def _recorded(cid: str, text: str, path: Path, cache) -> SpokenCue:
    """The lecturer's recording of cue `cid`, decoded, normalised and kept in the cue cache as a WAV."""
    from .cache import default_cache
    from .loudness import normalise
    from .recorded import decode
    from .speech import Speech

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    store = default_cache() if cache == "default" else cache
    key = store.key(digest, "recorded", "", "decode-1")
    speech = store.get(key)
    if speech is None:
        samples, rate = decode(path)
        speech = Speech(normalise(samples), rate)
        store.put(key, speech)
    return SpokenCue(cid, text, speech.seconds, (), str(store.path(key)), "recorded", key[:16])
