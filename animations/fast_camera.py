"""A Camera that draws upright images cheaply (StateVector strips that change every frame).

Manim's Cairo camera draws every ImageMobject by a perspective transform into a
full-frame RGBA image, then alpha-composites the whole frame: about 16 ms per image per
frame at 1080p, whatever the image's size. A scene where three or four strips change
colour every frame then renders at several times real time. An image that is not
rotated needs none of that: resize it to its pixel box and composite only that box.
Rotated or sheared images still take Manim's path. Scenes opt in with
`camera_class=FastImageCamera`.
"""

from __future__ import annotations

import numpy as np
from manim import Camera
from PIL import Image


class FastImageCamera(Camera):
    def display_image_mobject(self, image_mobject, pixel_array: np.ndarray) -> None:
        corners = self.points_to_subpixel_coords(image_mobject, image_mobject.points)  # [4, 2]: UL, UR, DL, DR
        ul, ur, dl, dr = (np.asarray(c, dtype=float) for c in corners[:4])
        upright = abs(ul[1] - ur[1]) < 0.5 and abs(ul[0] - dl[0]) < 0.5 and ur[0] > ul[0] and dl[1] > ul[1]
        if not upright:
            return super().display_image_mobject(image_mobject, pixel_array)
        x0, y0 = int(round(ul[0])), int(round(ul[1]))
        x1, y1 = int(round(dr[0])), int(round(dr[1]))
        if x1 <= x0 or y1 <= y0:
            return None
        height, width = pixel_array.shape[:2]
        cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if cx1 <= cx0 or cy1 <= cy0:
            return None
        sub = Image.fromarray(image_mobject.get_pixel_array(), mode="RGBA")
        if sub.size != (x1 - x0, y1 - y0):
            sub = sub.resize((x1 - x0, y1 - y0), resample=image_mobject.resampling_algorithm)
        if (cx0, cy0, cx1, cy1) != (x0, y0, x1, y1):
            sub = sub.crop((cx0 - x0, cy0 - y0, cx1 - x0, cy1 - y0))
        region = Image.fromarray(np.ascontiguousarray(pixel_array[cy0:cy1, cx0:cx1]), mode="RGBA")
        pixel_array[cy0:cy1, cx0:cx1] = np.asarray(Image.alpha_composite(region, sub), dtype=np.uint8)
        return None
