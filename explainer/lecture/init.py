"""`explainer lecture --init FILE`: a lecture written out whole as a lecture file to edit.

Every chapter is written with its kind, its options and its cues in both languages (a
chapter taken from a base lecture with `use` is written out in full), so the copy stands
on its own; paths are written as the document gave them.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ExplainerError
from .writing import document_text

HEADER = """# A lecture file for `explainer lecture FILE -o DIR` (written by `explainer lecture --init`).
#
# Chapters play in order. Each [[chapter]] is a card (style), a figure (figure = name, its
# options, trace or checkpoint = path), a scene (scene = name, its options, trace = path, or
# text = "a sentence" traced through a language checkpoint) or a code panel (file = path or
# code = '''...'''). say.en and say.zh are its cues, one line each; {name} is a measured number.
# Reorder, drop or add chapters; a changed chapter re-renders alone. See `explainer figure --list`
# and `explainer animate --list` for the names and their options."""


def write_document(path: str | os.PathLike, source="full", *, force: bool = False) -> tuple[Path, int]:
    """Write the lecture `source` (a built-in name or a lecture file) to `path`; (its path, its chapters)."""
    from ..files import atomic_output, check_writable
    from .build import lecture_of

    lecture, _ = lecture_of(source)
    path = check_writable(path)
    if path.suffix.lower() != ".toml":
        raise ExplainerError(f"a lecture file is TOML: name it '{path.with_suffix('.toml').name}', not '{path.name}'")
    if path.exists() and not force:
        raise ExplainerError(f"'{path}' exists; pass --force to replace it, or choose another name")
    text = document_text(lecture.title, lecture.tables, HEADER)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path, len(lecture.chapters)
