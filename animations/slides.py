"""Slides for the lecture: a figure held on screen, text cards (title, summary) and code panels.

They are not trace scenes (nothing to record); the lecture renders them with the same
encoder as every scene, so all chapters can be joined without re-encoding.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, FadeIn, FadeOut, ImageMobject, Scene, VGroup, config

from explainer.style import COLORS

from .text import label


class Slide(Scene):
    """A still image (a figure) filling the frame for `duration` seconds."""

    def __init__(self, image: str, duration: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.image, self.hold = image, float(duration)

    def setup(self) -> None:
        self.camera.background_color = COLORS["background"]

    def construct(self) -> None:
        picture = ImageMobject(self.image)
        picture.scale_to_fit_width(config.frame_width)
        if picture.height > config.frame_height:
            picture.scale_to_fit_height(config.frame_height)
        fade = min(0.5, self.hold / 6)
        self.play(FadeIn(picture), run_time=fade)
        self.wait(max(0.1, self.hold - 2 * fade))
        self.play(FadeOut(picture), run_time=fade)


class Card(Scene):
    """Text on a plain background: a title card (first line big) or a summary (first line, then bullets)."""

    def __init__(self, lines: list[str], lang: str, duration: float, bullets: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines, self.lang, self.hold, self.bullets = list(lines), lang, float(duration), bullets

    def setup(self) -> None:
        self.camera.background_color = COLORS["background"]

    def construct(self) -> None:
        head, rest = self.lines[0], self.lines[1:]
        title = label(head, self.lang, size=52, weight="BOLD")
        items = [label(("•  " if self.bullets else "") + line, self.lang, size=30 if self.bullets else 32,
                       color="#333333") for line in rest]
        widest = max((i.width for i in items), default=0)
        for item in items:  # one scale for all lines, so they keep one size
            if widest > 12.5:
                item.scale(12.5 / widest)
        body = VGroup(*items).arrange(DOWN, aligned_edge=LEFT if self.bullets else np.zeros(3), buff=0.35)
        group = VGroup(title, body).arrange(DOWN, buff=0.7)
        if self.bullets:
            group.to_edge(UP, buff=0.8)
        fade = min(0.6, self.hold / 6)
        self.play(FadeIn(title, shift=UP * 0.2), run_time=fade)
        if items:  # a one-line card has only its title
            self.play(*[FadeIn(i, shift=UP * 0.1) for i in items], run_time=fade)
        else:
            self.wait(fade)
        self.wait(max(0.1, self.hold - 3 * fade))
        self.play(FadeOut(group), run_time=fade)


class CodeSlide(Scene):
    """A lecturer's code (a lecture file's code panel) on screen for `duration` seconds, as large as the
    frame allows (up to 2.5x the listing size, capitals 14.6 px tall at 720p); it is smaller than that
    only when its lines are too long for the frame's width."""

    def __init__(self, code: str, language: str, duration: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.code, self.language, self.hold = code, language, float(duration)

    def setup(self) -> None:
        self.camera.background_color = COLORS["background"]

    def construct(self) -> None:
        from .mobjects.code_panel import CodePanel

        panel = CodePanel(self.code, language=self.language)
        # as large as the frame allows, up to 2.5x the listing size: short code is read from the back of the room
        scale = min(2.5, (config.frame_width - 0.8) / panel.width, (config.frame_height - 0.6) / panel.height)
        panel.scale(scale).move_to(np.zeros(3))
        fade = min(0.5, self.hold / 6)
        self.play(FadeIn(panel), run_time=fade)
        self.wait(max(0.1, self.hold - 2 * fade))
        self.play(FadeOut(panel), run_time=fade)
