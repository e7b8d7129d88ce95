"""Render a scene by name to a video, a GIF or its last frame, safely.

Rendering happens in a temporary media directory beside the output; the finished file
is moved onto the output name at the end, so an interrupted render leaves nothing half
written and never touches an earlier result.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from explainer.errors import ExplainerError
from explainer.files import check_writable

#: -q letter -> (manim quality name, pixel height, default fps)
QUALITIES = {"l": ("low_quality", 480, 15), "m": ("medium_quality", 720, 30), "h": ("high_quality", 1080, 60),
             "k": ("fourk_quality", 2160, 60)}
FORMATS = {".mp4": "mp4", ".gif": "gif", ".webm": "webm", ".mov": "mov", ".png": "png"}
#: x264 preset: "veryfast" halves encoding time against the default for a little more disk.
ENCODER = {"mp4": {"preset": "veryfast"}}


def render(name: str, traces: Sequence | None = None, *, lang: str = "en", step: int | None = None,
           quality: str = "l", output: str | os.PathLike, fps: int | None = None,
           progress: bool = False, resolution: tuple[int, int] | None = None) -> Path:
    """Render scene `name` into `output` (.mp4, .gif, .webm, .mov; .png = the last frame).

    `resolution` = (width, height) in pixels overrides the quality's size (tests use tiny frames).
    """
    from .registry import get

    spec = get(name)
    return render_scene(lambda: spec.cls(traces=traces, lang=lang, step=step), name, quality=quality, output=output,
                        fps=fps, progress=progress, resolution=resolution)


def render_scene(make, name: str, *, quality: str = "l", output: str | os.PathLike, fps: int | None = None,
                 progress: bool = False, resolution: tuple[int, int] | None = None) -> Path:
    """Render the Scene that `make()` builds (inside the render settings) into `output`."""
    from manim import tempconfig

    output = check_writable(output)
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise ExplainerError(f"cannot tell the format of '{output}'; use one of: {', '.join(FORMATS)}")
    if quality not in QUALITIES:
        raise ExplainerError(f"unknown quality {quality!r}; valid: {', '.join(QUALITIES)} (480p15, 720p30, 1080p60, 2160p60)")
    if fps is not None and not 1 <= fps <= 120:
        raise ExplainerError(f"--fps must be between 1 and 120, got {fps}")
    quality_name, _, default_fps = QUALITIES[quality]
    try:
        media_dir = tempfile.TemporaryDirectory(prefix=".explainer-render-", dir=output.parent)
    except OSError as e:
        raise ExplainerError(f"cannot write in '{output.parent}' (Manim's media directory): {e.strerror}; "
                             "choose an output in a writable directory") from None
    with media_dir as media:
        settings = {
            "quality": quality_name,
            "frame_rate": fps or default_fps,
            "media_dir": media,
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
        with tempconfig(settings):
            scene = make()
            scene.render()
            writer = scene.renderer.file_writer
            produced = Path(writer.image_file_path if fmt == "png" else writer.movie_file_path)
        if not produced.exists():
            raise ExplainerError(f"manim did not write {produced.name}; see the messages above")
        tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
        try:
            shutil.move(str(produced), tmp)
            os.replace(tmp, output)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise ExplainerError(f"cannot write '{output}': {e.strerror}") from None
    return output
