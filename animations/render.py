"""Render a scene by name to a video, a GIF or its last frame, safely.

Rendering happens in a temporary media directory beside the output; the finished file
is moved onto the output name at the end, so an interrupted render leaves nothing half
written and never touches an earlier result. Every output carries explainer's mark, so a
second run may replace it without --force: Manim's videos name Manim; a last frame (.png)
gets a PNG text chunk "Software: explainer" and a GIF a comment block "explainer".
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from explainer.errors import ExplainerError
from explainer.files import check_writable
from explainer.quality import check_quality

FORMATS = {".mp4": "mp4", ".gif": "gif", ".webm": "webm", ".mov": "mov", ".png": "png"}
#: What `explainer.files.made_by_explainer` looks for in a last frame or a GIF.
MARK = b"explainer"
#: x264 preset: "veryfast" halves encoding time against the default for a little more disk.
ENCODER = {"mp4": {"preset": "veryfast"}}


def render(name: str, traces: Sequence | None = None, *, lang: str = "en", quality: str = "l",
           output: str | os.PathLike, fps: int | None = None, progress: bool = False,
           resolution: tuple[int, int] | None = None, options: Mapping[str, Any] | None = None, **more: Any) -> Path:
    """Render scene `name` into `output` (.mp4, .gif, .webm, .mov; .png = the last frame).

    The scene's options (`step=`, `layer=`, `units=`, `row=`) are keywords or an `options`
    mapping; one the scene does not read is refused in one line that names those it does.
    The environment is not read. `resolution` = (width, height) in pixels overrides the
    quality's size (tests use tiny frames).
    """
    from .inputs import resolve
    from .registry import get

    spec = get(name)
    inputs = resolve(spec, traces, lang, {**(options or {}), **more})  # refuses before anything renders
    return render_scene(lambda: spec.cls(inputs), name, quality=quality, output=output, fps=fps, progress=progress,
                        resolution=resolution)


def render_scene(make, name: str, *, quality: str = "l", output: str | os.PathLike, fps: int | None = None,
                 progress: bool = False, resolution: tuple[int, int] | None = None) -> Path:
    """Render the Scene that `make()` builds (inside the render settings) into `output`."""
    from manim import tempconfig

    output = check_writable(output)
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise ExplainerError(f"cannot tell the format of '{output}'; use one of: {', '.join(FORMATS)}")
    chosen = check_quality(quality)
    if fps is not None and not 1 <= fps <= 120:
        raise ExplainerError(f"--fps must be between 1 and 120, got {fps}")
    try:
        media_dir = tempfile.TemporaryDirectory(prefix=".explainer-render-", dir=output.parent)
    except OSError as e:
        raise ExplainerError(f"cannot write in '{output.parent}' (Manim's media directory): {e.strerror}; "
                             "choose an output in a writable directory") from None
    with media_dir as media:
        settings = {
            "quality": chosen.manim,
            "frame_rate": fps or chosen.fps,
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
            if fmt == "png":
                mark_png(produced, tmp)
            elif fmt == "gif":
                mark_gif(produced, tmp)
            else:
                shutil.move(str(produced), tmp)
            os.replace(tmp, output)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise ExplainerError(f"cannot write '{output}': {e.strerror}") from None
    return output


def mark_png(source: Path, target: Path) -> None:
    """Write the PNG `source` to `target` with explainer's mark ("Software: explainer"), pixels unchanged."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Software", MARK.decode())
    with Image.open(source) as image:
        image.save(target, format="PNG", pnginfo=info)


def mark_gif(source: Path, target: Path) -> None:
    """Copy the GIF `source` to `target` with a comment extension block "explainer" before its first image."""
    data = source.read_bytes()
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise ExplainerError(f"manim wrote '{source.name}', which is not a GIF; see the messages above")
    packed = data[10]
    start = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)  # after the global colour table
    comment = b"\x21\xfe" + bytes([len(MARK)]) + MARK + b"\x00"
    target.write_bytes(b"GIF89a" + data[6:start] + comment + data[start:])
