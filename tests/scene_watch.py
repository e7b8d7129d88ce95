"""Play a scene through at 720p without drawing a pixel, and note what it shows (for tests).

`watch(name, lang)` builds a registered scene with its shipped traces (or the given ones)
at the lecture's default quality (720p30: the frame's 8 units are 720 px), tells Manim's
renderer to draw nothing, samples every animation at a few moments (`SAMPLES_PER_SECOND`,
at least `MIN_SAMPLES` a play) instead of every frame, and notes:

- after every play (a wait is a play), every text on screen too small to read at 720p:
  its cap height (`animations.text.cap_height`) under `animations.text.MIN_PX`;
- at every sampled moment, captions on screen at the same time whose boxes intersect (a
  play that changes no caption is sampled only at its end); after every play, other texts
  (words, numbers) that a caption covers;
- every caption shown, in order, and every text shown (for the glossary's scan);
- a formula (`Equation`) whose box meets another text on screen, at the end of two plays in
  a row (a formula written over a legend or a row label cannot be read; a chip that travels
  past a label is there for one play only).

"On screen": some part of it is visible (opacity above `VISIBLE`) and inside the frame.
Captions are what `TraceScene.caption` makes (marked `is_caption`) and any other text
lying wholly below `CAPTION_BAND`, where captions go. Results are cached per scene,
language, traces and options, so several tests share one run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from manim import MarkupText, Paragraph, Text, config

from animations.registry import get
from animations.text import MIN_PX, cap_height

QUALITY = "medium_quality"  # 720p30, the lecture's default
PX_PER_UNIT = 720 / 8
SAMPLES_PER_SECOND = 3
MIN_SAMPLES = 5
VISIBLE = 0.02  # opacity above which a mobject counts as on screen
CAPTION_BAND = -3.1  # scene units: a text wholly below this line sits where captions go


@dataclass
class Seen:
    """What one scene showed: texts too small, captions that overlapped, and every caption it said."""

    small: list[tuple[float, str, str]] = field(default_factory=list)  # (px, text, when)
    overlaps: list[tuple[str, str, str]] = field(default_factory=list)  # (caption, caption, when)
    captions: list[str] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)
    covered: list[tuple[str, str, str]] = field(default_factory=list)  # (caption, other text it overlaps, when)
    clashes: list[tuple[str, str, str]] = field(default_factory=list)  # (formula, other text it overlaps, when)
    samples: int = 0


def words_of(mob) -> str:
    """What a text says, for messages."""
    for attr in ("said", "original_text", "text"):
        value = getattr(mob, attr, None)
        if isinstance(value, str) and value:
            return value
    if hasattr(mob, "lines_text"):
        return mob.lines_text.text
    if hasattr(mob, "values"):
        return f"StateVector {np.round(mob.values, 2).tolist()}"
    if hasattr(mob, "parts") and isinstance(getattr(mob, "parts"), (list, tuple)):
        return "".join(str(p) for p in mob.parts)
    return type(mob).__name__


def visible(mob) -> bool:
    for m in mob.get_family():
        if not m.has_points() and not hasattr(m, "pixel_array"):
            continue
        if hasattr(m, "pixel_array"):  # an image: its opacity is in its pixels' alpha
            if m.pixel_array.shape[-1] == 4 and m.pixel_array[..., 3].max() > 255 * VISIBLE:
                return True
        elif m.get_fill_opacity() > VISIBLE or (m.get_stroke_opacity() > VISIBLE and m.get_stroke_width() > 0):
            return True
    return False


def in_frame(mob) -> bool:
    (x0, y0, _), (x1, y1, _) = mob.get_corner(np.array([-1, -1, 0])), mob.get_corner(np.array([1, 1, 0]))
    w, h = config.frame_width / 2, config.frame_height / 2
    return x1 > -w and x0 < w and y1 > -h and y0 < h


def draws_text(mob) -> bool:
    """Whether `mob` is a kind of mobject that `cap_height` measures (cheap: no geometry)."""
    return isinstance(mob, (Text, MarkupText, Paragraph)) or callable(getattr(mob, "glyph_height", None))


@dataclass
class OnStage:
    """The scene's texts now (one walk over its mobjects): every text, the marked captions, and the
    other texts that lie low enough to be in the caption band (within `MARGIN` of it)."""

    texts: list
    marked: list
    low: list

    MARGIN = 1.0

    @classmethod
    def of(cls, scene) -> OnStage:
        texts, marked, inside, seen = [], [], set(), set()
        for top in scene.mobjects:
            for m in top.get_family():
                if id(m) in seen:
                    continue
                seen.add(id(m))
                if getattr(m, "is_caption", False):
                    marked.append(m)
                    inside.update(id(x) for x in m.get_family())
                if draws_text(m):
                    texts.append(m)
        low = [m for m in texts if id(m) not in inside and m.get_bottom()[1] < CAPTION_BAND + cls.MARGIN]
        return cls(texts, marked, low)

    def captions(self) -> list:
        """Captions visible now: the marked ones, and other texts wholly in the bottom band."""
        low = [m for m in self.low if m.get_top()[1] < CAPTION_BAND]
        return [m for m in self.marked + low if visible(m) and in_frame(m)]


def _touches_captions(animation) -> bool:
    """Whether an animation (or one inside it) moves a caption or a text in the caption band."""
    inner = getattr(animation, "animations", None)
    if inner:
        return any(_touches_captions(a) for a in inner)
    mob = getattr(animation, "mobject", None)
    if mob is None:
        return False
    return any(getattr(m, "is_caption", False) or (draws_text(m) and m.get_bottom()[1] < CAPTION_BAND + OnStage.MARGIN)
               for m in mob.get_family())


def overlap(a, b) -> bool:
    (ax0, ay0, _), (ax1, ay1, _) = a.get_corner(np.array([-1, -1, 0])), a.get_corner(np.array([1, 1, 0]))
    (bx0, by0, _), (bx1, by1, _) = b.get_corner(np.array([-1, -1, 0])), b.get_corner(np.array([1, 1, 0]))
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def _record_initial_heights():
    """Paragraph (and Code's lines) remember their height when made, as Text does, so a later scaling shows."""
    from manim import Code, Paragraph

    paragraph_init, code_init = Paragraph.__init__, Code.__init__

    def paragraph(self, *args, **kwargs):
        paragraph_init(self, *args, **kwargs)
        self.initial_height = self.height

    def code(self, *args, **kwargs):
        code_init(self, *args, **kwargs)
        for part in (getattr(self, "code_lines", None), getattr(self, "line_numbers", None)):
            if part is not None:
                part.initial_height = part.height

    return (Paragraph, "__init__", paragraph, paragraph_init), (Code, "__init__", code, code_init)


@cache
def watch(name: str, lang: str, traces: tuple[str, ...] | None = None, options: tuple = ()) -> Seen:
    """Play scene `name` through at 720p without drawing, and note what it showed."""
    import tempfile

    from manim import tempconfig

    spec = get(name)
    seen = Seen()
    patches = _record_initial_heights()
    for cls, attr, new, _ in patches:
        setattr(cls, attr, new)
    try:
        with tempfile.TemporaryDirectory() as tmp, tempconfig({
            "quality": QUALITY, "write_to_movie": False, "save_last_frame": False, "disable_caching": True,
            "media_dir": tmp, "verbosity": "ERROR", "progress_bar": "none"}):
            scene = spec.cls.of(list(traces) if traces else None, lang=lang, **dict(options))
            _watch(scene, seen)
            scene.render()
    finally:
        for cls, attr, _, old in patches:
            setattr(cls, attr, old)
    return seen


def _watch(scene, seen: Seen) -> None:
    renderer = scene.renderer
    moments = [0]  # plays so far (a wait is a play)
    clock = [0.0]  # seconds of the scene so far

    def when() -> str:
        return f"after play {moments[0]} (at {clock[0]:.1f} s)"

    stage = [OnStage([], [], [])]
    met = [set()]  # (formula, text) boxes that met at the end of the last play

    def begin() -> None:
        begin_animations()
        stage[0] = OnStage.of(scene)  # after the animations began: the new captions are on stage

    def sample(_scene, _t, _moving) -> None:
        seen.samples += 1
        shown = stage[0].captions()
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                if overlap(a, b):
                    seen.overlaps.append((words_of(a), words_of(b), f"during play {moments[0] + 1} "
                                                                    f"(at {clock[0] + _t:.1f} s)"))

    def measure() -> None:
        moments[0] += 1
        clock[0] += scene.duration
        now = OnStage.of(scene)
        for m in now.texts:
            height = cap_height(m)
            if height is None or not visible(m) or not in_frame(m):
                continue
            seen.texts.add(words_of(m))
            px = height * PX_PER_UNIT
            if px < MIN_PX - 1e-6 and (round(px, 1), words_of(m)[:60]) not in {s[:2] for s in seen.small}:
                seen.small.append((round(px, 1), words_of(m)[:60], when()))
        shown = now.captions()
        inside = {id(x) for c in shown for x in c.get_family()}
        noted = {x[:2] for x in seen.covered}
        for c in shown:
            for m in now.low:  # only texts low enough can meet a caption
                if id(m) not in inside and overlap(c, m) and visible(m) and (words_of(c), words_of(m)) not in noted:
                    seen.covered.append((words_of(c), words_of(m), when()))
        for c in shown:
            text = words_of(c)
            if not seen.captions or seen.captions[-1] != text:
                seen.captions.append(text)
        on = [m for m in now.texts if visible(m) and in_frame(m) and getattr(m, "numbers", True) is not False]
        family = {id(x): x for top in scene.mobjects for x in top.get_family()}.values()
        formulas = [m for m in family if type(m).__name__ == "Equation" and visible(m) and in_frame(m)]
        noted = {x[:2] for x in seen.clashes}
        meeting = set()
        for f in formulas:
            mine = {id(x) for x in f.get_family()}
            for m in on:
                if id(m) in mine or id(f) in {id(x) for x in m.get_family()} or not overlap(f, m):
                    continue
                meeting.add((id(f), id(m)))
                pair = (words_of(f), words_of(m))
                if (id(f), id(m)) in met[0] and pair not in noted:
                    noted.add(pair)
                    seen.clashes.append((*pair, when()))
        met[0] = meeting

    def times(run_time, *args, **kwargs):
        """The moments sampled: several when the play changes a caption, else only its end."""
        from tqdm import tqdm

        n = max(MIN_SAMPLES, math.ceil(run_time * SAMPLES_PER_SECOND))
        if not any(_touches_captions(a) for a in scene.animations or []):
            n = 1
        return tqdm(list((np.arange(n) + 0.5) / n * run_time) if n > 1 else [run_time], disable=True)

    renderer.render = sample
    for method in ("update_frame", "freeze_current_frame", "save_static_frame_data", "add_frame", "scene_finished"):
        setattr(renderer, method, lambda *a, **k: None)
    scene.get_time_progression = times
    play, begin_animations = scene.play, scene.begin_animations
    scene.begin_animations = begin

    def played(*args, **kwargs):  # Scene.wait plays a Wait: this sees both
        play(*args, **kwargs)
        measure()

    scene.play = played
