"""Which files are explainer's: the mark each format carries, written by us, read back exactly.

A command replaces an existing output without --force only if the file is explainer's,
and a file is explainer's only if it carries the mark explainer writes into its format's
own metadata; nothing is guessed from content (a user's SVG that mentions the word, or a
user's Manim video, is not ours):

    PNG          a tEXt chunk  Software = explainer
    SVG          <metadata>/rdf:RDF/cc:Work/dc:creator/cc:Agent/dc:title = explainer
    PDF          the document information dictionary (the trailer's /Info) with
                 /Creator (explainer) and /Producer (explainer)
    GIF          a comment extension "explainer" before the first image
    HTML         a line `<meta name="generator" content="explainer">` in the page's head
    MP4/MOV/WebM the container's `comment` tag, starting "explainer "
    safetensors  the `explainer` metadata key with the format explainer.trace or
                 explainer.checkpoint
    cue script   (the lecture's `--script` TSV) its first line, `SCRIPT_HEADER`

`mark(path)` says which kind of explainer file a path holds ("html", "png", "svg", "pdf", "gif",
"video", "trace", "checkpoint") or None, reading the mark of the format its first bytes
announce (not its name); the writers take their marks from here (`FIGURE_METADATA`,
`PNG_TEXT`, `GIF_COMMENT`, `video_comment`).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

#: The word every mark says.
MARK = "explainer"
#: matplotlib's `savefig(metadata=...)` per format: the mark, and no date (the same figure gives the same bytes).
FIGURE_METADATA = {
    "png": {"Software": MARK},
    "svg": {"Date": None, "Creator": MARK},
    "pdf": {"Creator": MARK, "Producer": MARK, "CreationDate": None},
}
#: The PNG text chunk of a scene's last frame (the same as a figure's).
PNG_TEXT = FIGURE_METADATA["png"]
#: The comment block of a GIF.
GIF_COMMENT = MARK.encode()
#: The first line of a cue script (`explainer lecture --script`): a comment its readers skip.
SCRIPT_HEADER = b"# explainer cue script: id, language, text (tab-separated)"
#: Suffix -> the kind `mark` reports for a file of that format.
KINDS = {".tsv": "script", ".html": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf", ".gif": "gif", ".mp4": "video", ".mov": "video", ".webm": "video"}

_SVG = "{http://www.w3.org/2000/svg}"
HTML_HEAD = 4096  # bytes of a page read for its mark
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_CC = "{http://creativecommons.org/ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def video_comment(what: str) -> str:
    """The `comment` tag of a video explainer writes, e.g. "explainer 0.1.0: ForgetGate, rendered with Manim"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("explainer")
    except PackageNotFoundError:
        ours = "dev"
    return f"{MARK} {ours}: {what}"


def expected_kind(path: str | os.PathLike) -> str | None:
    """The kind of file an output name asks for, by its suffix (None: any)."""
    return KINDS.get(Path(path).suffix.lower())


def mark(path: str | os.PathLike) -> str | None:
    """The kind of explainer file `path` is, read from its mark; None if it carries none (or is no regular file)."""
    path = Path(path)
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device is nobody's output, a link is not ours
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(len(SCRIPT_HEADER) + 1)
    except OSError:
        return None
    kind = _kind_of(head)
    if kind == "script":
        return kind
    readers = {"html": _html, "png": _png, "svg": _svg, "pdf": _pdf, "gif": _gif, "video": _video}
    if kind is None:
        return _safetensors(path)
    try:
        return kind if readers[kind](path) else None
    except (OSError, ValueError, EOFError, MemoryError):
        return None


def _kind_of(head: bytes) -> str | None:
    """The format a file's first bytes announce (never its name): the reader of its mark."""
    if head.rstrip(b"\r\n") == SCRIPT_HEADER or head.startswith(SCRIPT_HEADER + b"\n"):
        return "script"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(b"<!doctype html"):
        return "html"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg")):
        return "svg"
    if head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3"):  # ISO/QuickTime boxes; Matroska/WebM
        return "video"
    return None


def _html(path: Path) -> bool:
    """Our pages say `<meta name="generator" content="explainer">` in their head, within the first lines."""
    with open(path, "rb") as f:
        head = f.read(HTML_HEAD).split(b"</head>")[0]
    return f'<meta name="generator" content="{MARK}">'.encode() in head.splitlines()


def _png(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path, formats=["PNG"]) as image:
            return image.info.get("Software") == MARK
    except Exception:  # PIL raises many kinds on a damaged file
        return False


def _svg(path: Path) -> bool:
    """The exact element matplotlib writes for metadata={"Creator": "explainer"}; only the start is parsed."""
    import xml.etree.ElementTree as ET

    want = [f"{_RDF}RDF", f"{_CC}Work", f"{_DC}creator", f"{_CC}Agent", f"{_DC}title"]
    stack: list[str] = []
    try:
        for event, element in ET.iterparse(path, events=("start", "end")):
            if event == "start":
                stack.append(element.tag)
                if len(stack) == 1 and element.tag != f"{_SVG}svg":
                    return False
                if len(stack) == 2 and element.tag != f"{_SVG}metadata":
                    return False  # the metadata comes first, or there is none
                continue
            if stack[1:] == [f"{_SVG}metadata", *want] and (element.text or "").strip() == MARK:
                return True
            stack.pop()
            if len(stack) == 1:  # the end of the first child: no mark in it
                return False
    except ET.ParseError:
        return False
    return False


def _pdf(path: Path) -> bool:
    """/Creator and /Producer of the information dictionary the trailer names, read through the xref table."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        if f.read(5) != b"%PDF-":
            return False
        f.seek(max(0, size - 1024))
        tail = f.read()
        found = re.findall(rb"startxref\s+(\d+)\s+%%EOF", tail)
        if not found or int(found[-1]) >= size:
            return False
        f.seek(int(found[-1]))
        table = f.read(min(size - int(found[-1]), 1 << 20))
        match = re.match(rb"xref\s+(\d+)\s+(\d+)\s*\n", table)
        if not match:
            return False  # a cross-reference stream: not the layout explainer writes
        first, count = int(match.group(1)), int(match.group(2))
        entries = table[match.end():match.end() + 20 * count]
        trailer = re.search(rb"trailer\s*<<(.*?)>>", table[match.end() + 20 * count:], re.S)
        info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", trailer.group(1)) if trailer else None
        if not info or not first <= int(info.group(1)) < first + count:
            return False
        entry = entries[20 * (int(info.group(1)) - first):][:20]
        if len(entry) < 18 or entry[17:18] != b"n":
            return False
        f.seek(int(entry[:10]))
        obj = f.read(4096)
    head = re.match(rb"\s*%s\s+%s\s+obj\s*<<(.*?)>>\s*endobj" % (info.group(1), info.group(2)), obj, re.S)
    if not head:
        return False
    fields = dict(re.findall(rb"/(Creator|Producer)\s*\(([^()\\]*)\)", head.group(1)))
    return fields.get(b"Creator") == MARK.encode() and fields.get(b"Producer") == MARK.encode()


def _gif(path: Path) -> bool:
    """A comment extension holding exactly "explainer" among the blocks before the first image."""
    with open(path, "rb") as f:
        data = f.read(1 << 20)  # the header, the colour table and the first blocks
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        return False
    packed = data[10]
    at = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    while at + 2 <= len(data) and data[at] == 0x21:  # extensions until the first image (0x2C) or the end (0x3B)
        label, at = data[at + 1], at + 2
        body = b""
        while at < len(data) and data[at] != 0:
            body += data[at + 1:at + 1 + data[at]]
            at += 1 + data[at]
        at += 1
        if label == 0xFE and body == GIF_COMMENT:
            return True
    return False


def _video(path: Path) -> bool:
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            tags = {k.lower(): v for k, v in container.metadata.items()}
    except Exception:  # PyAV's errors for a file it cannot read
        return False
    return str(tags.get("comment", "")).startswith(f"{MARK} ")


def _safetensors(path: Path) -> str | None:
    from .errors import ExplainerError
    from .files import sniff

    try:
        return sniff(path)
    except (ExplainerError, OSError, ValueError, MemoryError):
        return None
