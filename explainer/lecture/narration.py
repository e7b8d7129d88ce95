"""The narration files: one editable text file per language, one block per chapter.

    == chapter-id
    first subtitle line
    second subtitle line

Lines starting with '#' are comments; blank lines are ignored. The default files are in
`explainer/lecture/narration/`; a lecturer may pass their own.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ExplainerError
from ..style import check_lang

HERE = Path(__file__).parent / "narration"


def default_path(lang: str) -> Path:
    return HERE / f"{check_lang(lang)}.txt"


def load_narration(lang: str = "en", path: str | os.PathLike | None = None,
                   required: list[str] | None = None) -> dict[str, list[str]]:
    """{chapter id: [subtitle lines]} from a narration file; checks that `required` chapters are there."""
    path = Path(path) if path else default_path(lang)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExplainerError(f"no narration file '{path}'") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ExplainerError(f"cannot read the narration file '{path}': {e}") from None
    blocks: dict[str, list[str]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            current = line[2:].strip()
            if not current:
                raise ExplainerError(f"'{path}' line {number}: a chapter header needs a name, e.g. '== sine'")
            if current in blocks:
                raise ExplainerError(f"'{path}' line {number}: chapter {current!r} appears twice")
            blocks[current] = []
            continue
        if current is None:
            raise ExplainerError(f"'{path}' line {number}: text before the first chapter header ('== name')")
        blocks[current].append(line)
    for chapter in required or []:
        if not blocks.get(chapter):
            raise ExplainerError(f"'{path}' has no narration for chapter {chapter!r}; add a block '== {chapter}' with at least one line")
    unknown = [c for c in blocks if required is not None and c not in required]
    if unknown:
        raise ExplainerError(f"'{path}' has a block for an unknown chapter {unknown[0]!r}; chapters: {', '.join(required or [])}")
    return blocks
