"""What `animations.render` returns: the output's path, which a notebook shows as the video itself.

`Rendered` is a `pathlib.Path` (everything that took the path before still works) with a
`_repr_html_`: a video (.mp4, .webm, .mov) as a `<video controls>` element, a GIF or the
last frame (.png) as an image, inlined as base64 up to `INLINE_BYTES` so the notebook keeps
it when saved or exported; a larger file is linked by its path instead.

    >>> r = Rendered("forget.mp4")
    >>> r == Path("forget.mp4"), r.suffix
    (True, '.mp4')
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

#: The largest file a notebook cell holds inline (larger: a link to the file).
INLINE_BYTES = 20_000_000
MIME = {".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".gif": "image/gif", ".png": "image/png"}


class Rendered(type(Path())):  # the concrete Path class of this system (PosixPath, WindowsPath)
    """The path of a rendered scene; in a notebook, the scene."""

    def _repr_html_(self) -> str:
        mime = MIME.get(self.suffix.lower())
        if mime is None or not self.is_file():
            return f"<code>{escape(str(self))}</code>"
        size = self.stat().st_size
        src = escape(self.as_posix()) if size > INLINE_BYTES else \
            f"data:{mime};base64,{base64.b64encode(self.read_bytes()).decode('ascii')}"
        if mime.startswith("video/"):
            return f'<video controls style="max-width: 100%" src="{src}"></video>'
        return f'<img style="max-width: 100%" alt="{escape(self.name)}" src="{src}">'
