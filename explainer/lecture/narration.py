"""Narration files: a lecture's cues in one language as plain text, one block per chapter.

    == chapter-id
    first subtitle line
    second subtitle line

Lines starting with '#' are comments; blank lines are ignored. The built-in cues live in the
lecture files (`documents/full.toml`, say.en and say.zh); `--narration FILE` replaces a
lecture's cues in one language with a file of this form (`narration_text` writes one to
start from).

A file is UTF-8, with or without a byte-order mark (as Windows editors save it), with
Unix or Windows line ends. What could not be rendered or would render for hours is
refused in one line before any work: NUL and other control characters (anything but tab
and the line end), a file larger than `MAX_FILE` bytes, a chapter longer than
`MAX_CHAPTER` characters.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from ..errors import ExplainerError
from ..style import check_lang

#: The largest narration file (bytes); the shipped ones are under 4 KB.
MAX_FILE = 1_000_000
#: The most characters one chapter's narration may hold (the shipped chapters hold at most a few hundred).
MAX_CHAPTER = 5_000


def narration_text(lang: str = "en") -> str:
    """The built-in lecture's cues in `lang` as a narration file."""
    from .document import built_in

    lines = built_in("full").lines(check_lang(lang))
    blocks = [f"== {chapter}\n" + "".join(line + "\n" for line in said) for chapter, said in lines.items()]
    return f"# The cues of the built-in lecture ({lang}): one block per chapter, one cue per line.\n\n" + "\n".join(blocks)


def load_narration(lang: str = "en", path: str | os.PathLike | None = None,
                   required: list[str] | None = None) -> dict[str, list[str]]:
    """{chapter id: [subtitle lines]} from a narration file (default: the built-in lecture's cues);
    checks that `required` chapters are there."""
    if path is None:
        from .document import built_in

        lines = built_in("full").lines(check_lang(lang))
        missing = [c for c in required or [] if not lines.get(c)]
        if missing:
            raise ExplainerError(f"the built-in lecture has no {lang} cues for chapter {missing[0]!r}")
        return lines
    path = Path(path)
    text = _read(path)
    blocks: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    current: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        _check_characters(path, number, raw)
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
        sizes[current] = sizes.get(current, 0) + len(line)
        if sizes[current] > MAX_CHAPTER:
            raise ExplainerError(f"'{path}' line {number}: chapter {current[:40]!r} is longer than {MAX_CHAPTER:,} "
                                 "characters of narration, the most a chapter may hold; shorten it or split it")
    for chapter in required or []:
        if not blocks.get(chapter):
            raise ExplainerError(f"'{path}' has no narration for chapter {chapter!r}; add a block '== {chapter}' with at least one line")
    unknown = [c for c in blocks if required is not None and c not in required]
    if unknown:
        raise ExplainerError(f"'{path}' has a block for an unknown chapter {unknown[0]!r}; chapters: {', '.join(required or [])}")
    return blocks


def _read(path: Path) -> str:
    """The file's text (a BOM dropped), refused in one line when it is not a regular UTF-8 file of bounded size."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ExplainerError(f"the narration file '{path}' is a directory; give a text file")
        if not stat.S_ISREG(info.st_mode):
            raise ExplainerError(f"the narration file '{path}' is not a regular file (a FIFO or a device); give a text file")
        if info.st_size > MAX_FILE:
            raise ExplainerError(f"the narration file '{path}' holds {info.st_size:,} bytes; "
                                 f"a narration file holds at most {MAX_FILE:,}")
        with open(path, "rb") as f:
            data = f.read(MAX_FILE + 1)
    except FileNotFoundError:
        raise ExplainerError(f"no narration file '{path}'") from None
    except OSError as e:
        raise ExplainerError(f"cannot read the narration file '{path}': {(e.strerror or str(e)).lower()}") from None
    if len(data) > MAX_FILE:
        raise ExplainerError(f"the narration file '{path}' holds more than {MAX_FILE:,} bytes; "
                             f"a narration file holds at most {MAX_FILE:,}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise ExplainerError(f"'{path}' line {line}: not UTF-8 text (byte {data[e.start]:#04x}); "
                             "save the narration file as UTF-8") from None


def _check_characters(path: Path, number: int, line: str) -> None:
    """Refuse NUL and other control characters, line and paragraph separators (tab and a final CR are fine)."""
    line = line[:-1] if line.endswith("\r") else line
    if line.isprintable():
        return
    bad = next((c for c in line if c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        name = "NUL" if bad == "\0" else unicodedata.name(bad, "a control character")
        raise ExplainerError(f"'{path}' line {number}: it holds {name} (U+{ord(bad):04X}), which a subtitle cannot show; "
                             "remove it")
