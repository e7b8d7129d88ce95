"""The base of every scene: its inputs, the house style, titles and captions.

A scene subclasses `TraceScene`, is declared with `@scene(..., options=(...))`, and writes
`construct` as a storyboard. Explicit callers build it with `Scene.of(traces, lang=...,
**options)` (or pass a `SceneInputs`); the plain `manim` command builds it with no
arguments, and only then are its inputs read from the environment (`inputs.py`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from manim import UP, Mobject, Scene, Text

from explainer import reading
from explainer.style import COLORS, word
from explainer.trace import Trace

from .beats import GAP, BeatPlan, Timing
from .captions import caption_line, swap
from .inputs import SceneInputs, from_environment, resolve
from .registry import get
from .text import SMALL_SIZE, TITLE_SIZE, label

#: Seconds: how long a viewer needs to read a short caption, and the basic beat.
READ = 2.0
BEAT = 1.0


class TraceScene(Scene):
    spec_name = ""

    def __init__(self, inputs: SceneInputs | None = None, *, min_duration: float = 0.0,
                 narration: Sequence[Timing] = (), beats: int | None = None,
                 speaker: Callable[[str], Any] | None = None, **kwargs) -> None:
        """`inputs`: what an explicit caller resolved; None (plain `manim`): read from the environment.

        `narration`: the chapter's spoken cues; each beat (a caption change) waits for the cues it
        carries (`animations/beats.py`), over `beats` beats (count them with `count_beats`).
        `speaker`: instead, speak each caption as it appears (text -> a `SpokenCue`), and let the
        next beat wait until it is said (`explainer animate --voice`).
        """
        from .fast_camera import FastImageCamera

        kwargs.setdefault("camera_class", FastImageCamera)  # state vectors are images: draw them cheaply
        super().__init__(**kwargs)
        self.min_duration = float(min_duration)  # the lecture holds the last frame for its narration
        self.beat = 0  # the beat on screen: 0 from the start, one more at each caption change
        self.beat_times = [0.0]  # when each beat began (seconds from the scene's start)
        self.speaker, self.spoken, self._said_by = speaker, [], 0.0  # (start, cue) of each spoken caption
        self.plan = BeatPlan(narration, beats if beats is not None else 1) if narration else None
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
        if self.plan is not None:
            self.plan.begin(0, 0.0)  # the first beat begins with the scene

    def tear_down(self) -> None:
        if self.plan is not None:
            self._hold(self.plan.end(self.renderer.time))
        self._hold(self._said_by - self.renderer.time)
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
        self._next_beat()
        if self.speaker is not None:
            cue = self.speaker(text)
            self.spoken.append((float(self.renderer.time), cue))
            self._said_by = self.renderer.time + cue.seconds + GAP
        new = caption_line(text, self.lang)
        old, self._caption = self._caption, new
        return swap(old, new)

    # -- beats -------------------------------------------------------------------------
    def _next_beat(self) -> None:
        """A caption change begins the next beat: first wait for the narration of the one before."""
        self.beat += 1
        if self.plan is not None:
            self._hold(self.plan.begin(self.beat, self.renderer.time))
        self._hold(self._said_by - self.renderer.time)
        self.beat_times.append(float(self.renderer.time))

    def _hold(self, seconds: float) -> None:
        if seconds > 0.5 / self.camera.frame_rate:
            self.wait(seconds)

    @property
    def cue_starts(self) -> list[float]:
        """When each narration cue starts, in seconds from the scene's start (after rendering)."""
        return [float(s) for s in self.plan.starts] if self.plan is not None else []

    def say(self, key: str, wait: float = READ, **fmt) -> None:
        """Show a caption and give the viewer time to read it."""
        self.play(*self.caption(key, **fmt), run_time=0.6)
        if wait:
            self.wait(wait)


def count_beats(make: Callable[[], TraceScene]) -> int:
    """How many beats the scene that `make()` builds has: its storyboard run once without
    playing or waiting (nothing drawn), counting the caption changes."""
    scene = make()
    scene.play = lambda *animations, **kwargs: None  # type: ignore[method-assign]
    scene.wait = lambda *args, **kwargs: None  # type: ignore[method-assign]
    scene.plan, scene.speaker = None, None
    scene.setup()
    scene.construct()
    return scene.beat + 1
