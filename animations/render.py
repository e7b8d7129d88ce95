"""Render a scene by name to a video, a GIF or its last frame, safely.

Manim renders into a temporary media directory this run creates (beside the output, or
in the caller's `scratch` directory); the finished file is written under a temporary name,
the media directory is removed, and only then is the file renamed onto the output: the
last step, after `explainer.interrupts.check()`. So Ctrl-C or SIGTERM at any moment,
even one that Manim or PyAV swallowed, leaves neither the output nor a render directory,
and a full disk is a one-line error.

Every output carries explainer's mark (`explainer/ownership.py`), so a second run may
replace it without --force, and a user's own Manim video is not mistaken for ours: a video
is re-muxed (packets copied, nothing re-encoded) into a container whose `comment` tag
names explainer; a last frame (.png) gets the text chunk "Software: explainer", a GIF a
comment block "explainer".

The same input gives the same bytes: x264 runs without its macroblock tree (its
assembly reads memory it has not written, so two renders of identical frames differed
by a few bytes), and the container is written without a creation time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from explainer import interrupts
from explainer.errors import ExplainerError
from explainer.files import atomic_output, check_writable, disk_full
from explainer.ownership import GIF_COMMENT, PNG_TEXT, video_comment
from explainer.quality import check_quality

from .rendered import Rendered

FORMATS = {".mp4": "mp4", ".gif": "gif", ".webm": "webm", ".mov": "mov", ".png": "png"}
#: Kept for callers of the old name: what a GIF's comment block says.
MARK = GIF_COMMENT
#: x264: "veryfast" halves encoding time against the default for a little more disk; no macroblock tree
#: (mbtree=0), the one part of x264 whose output changed from run to run for the same frames.
_X264 = {"preset": "veryfast", "x264-params": "mbtree=0"}
ENCODER = {"mp4": _X264, "mov": _X264}


def render(name: str, traces: Sequence | None = None, *, lang: str = "en", quality: str = "l",
           output: str | os.PathLike, fps: int | None = None, progress: bool = False,
           resolution: tuple[int, int] | None = None, options: Mapping[str, Any] | None = None,
           voice: str = "none", **more: Any) -> Path:
    """Render scene `name` into `output` (.mp4, .gif, .webm, .mov; .png = the last frame).

    `voice` (`espeak`, `piper`; default `none`): each caption is spoken as it appears and the
    scene's next beat waits until it is said; the .mp4 then carries the voice (AAC) and the
    captions as a subtitle track.

    The scene's options (`step=`, `layer=`, `units=`, `row=`) are keywords or an `options`
    mapping; one the scene does not read is refused in one line that names those it does.
    The environment is not read. `resolution` = (width, height) in pixels overrides the
    quality's size (tests use tiny frames). The path returned shows the video itself in a
    notebook (`animations.rendered.Rendered`).
    """
    from .inputs import resolve
    from .registry import get

    spec = get(name)
    inputs = resolve(spec, traces, lang, {**(options or {}), **more})  # refuses before anything renders
    if voice != "none":
        return Rendered(_render_spoken(spec, inputs, name, voice, quality=quality, output=output, fps=fps,
                                       progress=progress, resolution=resolution))
    return Rendered(render_scene(lambda: spec.cls(inputs), name, quality=quality, output=output, fps=fps,
                                 progress=progress, resolution=resolution))


def _render_spoken(spec, inputs, name: str, voice: str, *, output, **settings) -> Path:
    """Render with every caption spoken (`TraceScene(speaker=...)`), then add the voice and subtitles."""
    from explainer.lecture.tracks import with_voice
    from explainer.voice.cues import parse_voice, speak_cues

    chosen = parse_voice(voice)
    if chosen.kind == "recorded":
        raise ExplainerError("a recorded voice is for lectures (explainer lecture --script, then --voice recorded:DIR); "
                             "give animate --voice espeak or piper")
    output = check_writable(output)
    if output.suffix.lower() != ".mp4":
        raise ExplainerError(f"--voice {voice} needs an .mp4 output to carry the sound; '{output.name}' is not one")
    said: list = []

    def speaker(text: str):
        return speak_cues({name: [text]}, inputs.lang, chosen)[0]

    def make():
        said.append(spec.cls(inputs, speaker=speaker))
        return said[-1]

    folder = output.parent if str(output.parent) else Path(".")
    silent = Path(tempfile.mkdtemp(prefix=".explainer-voice-", dir=folder))
    try:
        video = render_scene(make, name, output=silent / "scene.mp4", **settings)
        with interrupts.trapped(), atomic_output(output, scratch=silent) as tmp:
            with_voice(video, tmp, said[-1].spoken, lang=inputs.lang, title=name,
                       comment=video_comment(f"{name}, rendered with Manim, spoken by {chosen.name}"))
            interrupts.check()
    finally:
        shutil.rmtree(silent, ignore_errors=True)
    return output


def render_scene(make, name: str, *, quality: str = "l", output: str | os.PathLike, fps: int | None = None,
                 progress: bool = False, resolution: tuple[int, int] | None = None,
                 scratch: str | os.PathLike | None = None, shown: str | os.PathLike | None = None) -> Path:
    """Render the Scene that `make()` builds (inside the render settings) into `output`.

    `scratch`: a directory (on the output's file system) for the media directory and the
    temporary file, e.g. the lecture's one directory per run; default: beside the output.
    `shown`: the name messages give the output (the lecture's chapter file; default: `output`).
    """
    output = check_writable(output)
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise ExplainerError(f"cannot tell the format of '{output}'; use one of: {', '.join(FORMATS)}")
    chosen = check_quality(quality)
    if fps is not None and not 1 <= fps <= 120:
        raise ExplainerError(f"--fps must be between 1 and 120, got {fps}")
    folder = Path(scratch) if scratch is not None else (output.parent if str(output.parent) else Path("."))
    settings = {
        "quality": chosen.manim,
        "frame_rate": fps or chosen.fps,
        "format": fmt,
        "output_file": name,
        "disable_caching": True,
        "progress_bar": "display" if progress else "none",
        "verbosity": "WARNING",
        "write_to_movie": fmt != "png",
        "save_last_frame": fmt == "png",
        "video_encoder_options": ENCODER.get(fmt, {}),
    }
    if resolution is not None:
        settings.update(pixel_width=int(resolution[0]), pixel_height=int(resolution[1]))
    shown = Path(shown) if shown is not None else output
    with interrupts.trapped(), atomic_output(output, scratch=folder) as tmp:
        with _media_dir(folder, shown) as media:
            produced = _render(make, {**settings, "media_dir": str(media)}, fmt, shown, media)
            try:
                if fmt == "png":
                    mark_png(produced, tmp)
                elif fmt == "gif":
                    mark_gif(produced, tmp)
                else:
                    remux(produced, tmp, fmt, video_comment(f"{name}, rendered with Manim"))
            except Exception as e:
                if disk_full(e):
                    raise ExplainerError(f"disk full while writing '{shown}'; free some space and run again") from None
                raise
        interrupts.check()  # the media directory is gone; the rename is the last step
    return output


def _render(make, settings: dict, fmt: str, output: Path, media: Path) -> Path:
    from manim import tempconfig

    _quote_manims_concat_lists()
    try:
        with tempconfig(settings):
            scene = make()
            scene.render()
            writer = scene.renderer.file_writer
            produced = Path(writer.image_file_path if fmt == "png" else writer.movie_file_path)
    except ExplainerError:
        raise
    except Exception as e:
        # Pango writes an empty SVG on a full disk and Manim then fails to parse it: the disk, not the SVG, is the cause
        if disk_full(e) or _no_room(media):
            raise ExplainerError(f"disk full while rendering '{output}'; free some space and run again") from None
        raise
    interrupts.check()  # Manim may have swallowed a Ctrl-C and cut the video short
    if not produced.exists():
        raise ExplainerError(f"manim did not write {produced.name}; see the messages above")
    return produced


def _no_room(folder: Path, below: int = 1 << 20) -> bool:
    """Whether the file system holding `folder` has less than `below` bytes left (1 MiB: a render needs more)."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < below


def _quote_manims_concat_lists() -> None:
    """Manim joins a scene's pieces through a concat list that quotes each path with '…' but
    does not escape a ' inside it, so a media directory under "Bob's talk" breaks; quote properly."""
    from manim.scene.scene_file_writer import SceneFileWriter

    if getattr(SceneFileWriter._concat_manifest_bytes, "explainer", False):
        return

    def manifest(input_files: list[str]) -> bytes:
        lines = "".join(f"file {ffconcat_quote('file:' + Path(p).as_posix())}\n" for p in input_files)
        return ("# This file records the segment order used by Manim.\n" + lines).encode("utf-8")

    manifest.explainer = True  # type: ignore[attr-defined]
    SceneFileWriter._concat_manifest_bytes = staticmethod(manifest)


def ffconcat_quote(text: str) -> str:
    r"""`text` as one token of an ffconcat list: inside '…', each ' written as '\''.

    >>> print(ffconcat_quote("file:/tmp/Bob's talk/a.mp4"))
    'file:/tmp/Bob'\''s talk/a.mp4'
    """
    return "'" + text.replace("'", "'\\''") + "'"


@contextmanager
def _media_dir(folder: Path, output: Path):
    """Manim's media directory: created by this run, removed on any exit (SIGTERM too, inside `trapped`)."""
    try:
        media = Path(tempfile.mkdtemp(prefix=".explainer-render-", dir=folder))
    except OSError as e:
        if disk_full(e):
            raise ExplainerError(f"disk full while rendering '{output}'; free some space and run again") from None
        raise ExplainerError(f"cannot write in '{folder}' (Manim's media directory): {e.strerror}; "
                             "choose an output in a writable directory") from None
    try:
        yield media
    finally:
        shutil.rmtree(media, ignore_errors=True)


def remux(source: Path, target: Path, fmt: str, comment: str) -> None:
    """Copy the video stream of `source` into a new `fmt` container at `target` whose comment tag is `comment`.

    No frame is re-encoded; the container gets no creation time, so the same packets give the same bytes.
    """
    import av

    with av.open(str(source)) as src, av.open(str(target), mode="w", format=fmt) as dst:
        dst.metadata["comment"] = comment
        stream_in = src.streams.video[0]
        stream_out = dst.add_stream_from_template(template=stream_in)
        for packet in src.demux(stream_in):
            if packet.dts is None:  # the flushing packet demux ends with
                continue
            packet.stream = stream_out
            dst.mux(packet)


def mark_png(source: Path, target: Path) -> None:
    """Write the PNG `source` to `target` with explainer's mark ("Software: explainer"), pixels unchanged."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in PNG_TEXT.items():
        info.add_text(key, value)
    with Image.open(source) as image:
        image.save(target, format="PNG", pnginfo=info)


def mark_gif(source: Path, target: Path) -> None:
    """Copy the GIF `source` to `target` with a comment extension block "explainer" before its first image."""
    data = source.read_bytes()
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise ExplainerError(f"manim wrote '{source.name}', which is not a GIF; see the messages above")
    packed = data[10]
    start = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)  # after the global colour table
    comment = b"\x21\xfe" + bytes([len(GIF_COMMENT)]) + GIF_COMMENT + b"\x00"
    target.write_bytes(b"GIF89a" + data[6:start] + comment + data[start:])
