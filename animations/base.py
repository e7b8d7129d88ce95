"""The base of every scene: its inputs, the house style, titles and captions.

A scene subclasses `TraceScene`, is declared with `@scene(..., options=(...))`, and writes
`construct` as a storyboard. Explicit callers build it with `Scene.of(traces, lang=...,
**options)` (or pass a `SceneInputs`); the plain `manim` command builds it with no
arguments, and only then are its inputs read from the environment (`inputs.py`).
"""

from __future__ import annotations

import warnings

from manim import UP, Mobject, Scene, Text

from explainer import reading
from explainer.style import COLORS, word
from explainer.trace import Trace

from .captions import caption_line, swap
from .inputs import SceneInputs, from_environment, resolve
from .registry import get
from .text import SMALL_SIZE, TITLE_SIZE, label

#: Seconds: how long a viewer needs to read a short caption, and the basic beat.
READ = 2.0
BEAT = 1.0


class TraceScene(Scene):
    spec_name = ""

    def __init__(self, inputs: SceneInputs | None = None, *, min_duration: float = 0.0, **kwargs) -> None:
        """`inputs`: what an explicit caller resolved; None (plain `manim`): read from the environment."""
        from .fast_camera import FastImageCamera

        kwargs.setdefault("camera_class", FastImageCamera)  # state vectors are images: draw them cheaply
        super().__init__(**kwargs)
        self.min_duration = float(min_duration)  # the lecture holds the last frame for its narration
        self.spec = get(self.spec_name)
        self.inputs = inputs if inputs is not None else from_environment(self.spec)
        self.traces, self.lang = list(self.inputs.traces), self.inputs.lang
        self.options = dict(self.inputs.options)
        self.trace = self.traces[0]
        self._caption: Mobject | None = None
        bad = sum(sum((t.meta.get("nonfinite") or {}).values()) for t in self.traces)
        if bad:  # drawn, not hidden: StateVector shows such cells grey with a cross
            warnings.warn(f"the trace holds {bad} NaN/Inf values; they are drawn as grey crossed cells", RuntimeWarning,
                          stacklevel=2)

    @classmethod
    def of(cls, traces=None, *, lang: str = "en", min_duration: float = 0.0, **options) -> TraceScene:
        """The scene for these traces (default: the shipped ones), language and options; never the environment."""
        return cls(resolve(get(cls.spec_name), traces, lang, options), min_duration=min_duration)

    def setup(self) -> None:
        self.camera.background_color = COLORS["background"]

    def tear_down(self) -> None:
        remaining = self.min_duration - self.renderer.time
        if remaining > 0.05:
            self.wait(remaining)

    # -- words -------------------------------------------------------------------------
    def w(self, key: str, **fmt) -> str:
        return word(key, self.lang, **fmt)

    def text(self, s: str, size: float = 28, color: str = COLORS["text"], **kw) -> Text:
        return label(s, self.lang, size, color, **kw)

    def title(self, key: str, **fmt) -> Text:
        t = self.text(self.w(key, **fmt), size=TITLE_SIZE, weight="BOLD").to_edge(UP, buff=0.3)
        return t

    def model_name(self, trace: Trace | None = None) -> str:
        """The model's name in the scene's language (RNN, LSTM, GRU; RNN when the trace does not say)."""
        return reading.model_name(trace or self.trace, self.lang)

    def shown_line(self, layer: int | None = None, row: int | None = None, trace: Trace | None = None,
                   size: float = SMALL_SIZE) -> Text | None:
        """The small line that says which layer and row are drawn and marks an intervened trace
        (None when there is nothing to say)."""
        text = reading.shown(trace or self.trace, layer, row, self.lang)
        if not text:
            return None
        color = COLORS["error"] if reading.intervened(trace or self.trace, self.lang) else "#777777"
        return self.text(text, size=size, color=color)

    def caption(self, key: str, run_time: float = 0.6, **fmt):
        """Replace the caption at the bottom of the screen (returns the animations to play)."""
        return self.caption_text(self.w(key, **fmt))

    def caption_text(self, text: str) -> list:
        """Replace the caption with `text`: the old one fades out before the new one fades in
        (animations/captions.py), so two captions never share the screen."""
        new = caption_line(text, self.lang)
        old, self._caption = self._caption, new
        return swap(old, new)

    def say(self, key: str, wait: float = READ, **fmt) -> None:
        """Show a caption and give the viewer time to read it."""
        self.play(*self.caption(key, **fmt), run_time=0.6)
        if wait:
            self.wait(wait)
