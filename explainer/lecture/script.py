"""The cue script: what a lecturer records to give the lecture their own voice.

`explainer lecture --script -o DIR` writes `DIR/script.tsv`, one cue a line: its id, the
language and the text exactly as the lecture will subtitle it (measured numbers filled in).
Record each cue into `DIR/<id>.wav` (or .flac, .mp3, ...) and render with
`--voice recorded:DIR`; a cue left unrecorded is spoken by espeak.

    id	language	text
    title-1	en	Recurrent networks, made visible
    sine-1	en	Our first task: a noisy sine, four hundred points.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ExplainerError
from ..ownership import SCRIPT_HEADER
from ..style import check_lang
from ..voice.cues import cue_ids
from .claimed import checked_narration
from .narration import load_narration
from .document import built_in

NAME = "script.tsv"


def script_lines(lang: str = "en", plan="full",
                 narration: str | os.PathLike | None = None) -> list[tuple[str, str, str]]:
    """(cue id, language, text) of every cue of the lecture (a built-in name or a lecture file), in order."""
    from .build import lecture_of

    check_lang(lang)
    lecture, label = lecture_of(plan)
    planned = [c.id for c in lecture.chapters]
    if narration is not None:
        lines = load_narration(lang, narration, required=[c.id for c in (built_in("full").chapters if label != "file"
                                                                         else lecture.chapters)])
    else:
        lines = lecture.lines(lang)
    lines, _ = checked_narration(lines, planned, lang)
    return [(cid, lang, text) for chapter in planned for cid, text in zip(cue_ids(chapter, lines[chapter]), lines[chapter])]


def write_script(folder: str | os.PathLike, *, lang: str = "en", plan="full",
                 narration: str | os.PathLike | None = None, force: bool = False) -> tuple[Path, int]:
    """Write `folder/script.tsv` (the folder is made if its parent exists); (its path, the number of cues)."""
    from ..files import atomic_output, check_output

    cues = script_lines(lang, plan, narration)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExplainerError(f"cannot write the cue script into '{folder}': it is a file; give a directory")
    if not folder.exists():
        if not (folder.parent if str(folder.parent) else Path(".")).is_dir():
            raise ExplainerError(f"cannot write the cue script into '{folder}': its parent directory does not exist")
        folder.mkdir()
    path = check_output(folder / NAME, force, kind="script")
    rows = [SCRIPT_HEADER.decode(), "id\tlanguage\ttext"] + ["\t".join(row) for row in cues]
    with atomic_output(path) as tmp:
        tmp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, len(cues)
