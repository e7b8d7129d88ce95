"""The files that say when things happen: subtitles (SRT), chapters (ffmetadata, JSON).

A cue lasts as long as it is spoken, or without a voice as long as it takes to read
(`explainer.voice.cues.reading_time`); the cues are placed on the chapter's beats
(`animations/beats.py`), and a subtitle shows from its cue's start for its length.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt(all_cues: list[Cue]) -> str:
    return "".join(f"{k}\n{_stamp(c.start)} --> {_stamp(c.end)}\n{c.text}\n\n" for k, c in enumerate(all_cues, start=1))


def ffmetadata(chapters: list[dict], title: str) -> str:
    """Chapters in ffmpeg's metadata format (`ffmpeg -i lecture.mp4 -i chapters.ffmetadata -map_metadata 1 ...`)."""
    def esc(s: str) -> str:
        return "".join("\\" + ch if ch in "=;#\\\n" else ch for ch in s)
    parts = [";FFMETADATA1", f"title={esc(title)}", ""]
    for c in chapters:
        parts += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(round(c['start'] * 1000))}",
                  f"END={int(round(c['end'] * 1000))}", f"title={esc(c['title'])}", ""]
    return "\n".join(parts)


def chapters_json(chapters: list[dict], meta: dict) -> str:
    return json.dumps({**meta, "chapters": chapters}, ensure_ascii=False, indent=2)
