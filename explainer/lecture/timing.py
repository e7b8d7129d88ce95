"""How long subtitles stay, and the files that say when things happen (SRT, chapters).

A line needs time to be read: about 15 characters a second in English and 5 in Chinese,
never less than 1.8 s. A chapter lasts at least as long as its narration; when its video
is longer, the subtitles spread out over it in proportion.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

CHARS_PER_SECOND = {"en": 15.0, "zh": 5.0}
MIN_CUE = 1.8
GAP = 0.25  # silence between cues


def reading_time(line: str, lang: str) -> float:
    return max(MIN_CUE, len(line) / CHARS_PER_SECOND[lang]) + GAP


def narration_time(lines: list[str], lang: str) -> float:
    return sum(reading_time(line, lang) for line in lines)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def cues(lines: list[str], lang: str, start: float, duration: float) -> list[Cue]:
    """Subtitles of one chapter placed over [start, start + duration]."""
    needs = [reading_time(line, lang) for line in lines]
    scale = duration / sum(needs) if sum(needs) else 1.0
    out, t = [], start
    for line, need in zip(lines, needs):
        length = need * scale
        out.append(Cue(t, t + length - GAP * min(scale, 1.0), line))
        t += length
    return out


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
