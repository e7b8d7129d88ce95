"""Our scenes as manim-slides presentations: every beat a slide, the narration as speaker notes.

A scene's beats are its caption changes (`animations/beats.py`), the points where a
lecturer would click. A class that is both one of our scenes and a manim-slides `Slide`
calls `next_slide(notes=...)` at each of them, so the plain manim-slides commands work on
this file (it holds `<Scene>Slides` for every registered scene: `ForgetGateSlides`, ...):

    manim-slides render -ql animations/slide_scenes.py ForgetGateSlides
    manim-slides convert ForgetGateSlides forget.html --one-file
    manim-slides present ForgetGateSlides        # needs Qt: pip install 'explainer[present]'

A plain render reads its trace, language and options from the EXPLAINER_ variables, as
the plain `manim` command does (`animations/inputs.py`), and has no notes (no narration is
known); `explainer slides` passes each beat's cues (`explainer/slides/notes.py`).

No slide loops: a scene's idle moment is its final hold on a still picture, which a
looping video would show unchanged, and reveal.js cannot loop the last slide. Reversed
animations (manim-slides' "go back" videos) are not made: the deck and the PPTX do not
use them, and `present` then plays a slide forwards when stepping back.

Only this module imports manim_slides (the registry does not import it, `base.py` knows
nothing of slides): an ordinary render is the same as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import FadeOut, ManimColor, Scene, config
from manim_slides import Slide
from manim_slides.slide.base import BaseSlide

from animations.registry import specs


class BeatSlides:
    """Mixin for a `TraceScene` that is also a manim-slides `Slide`: each beat is one slide.

    `notes`: for each beat, the cues said over it (joined as paragraphs of its speaker notes).
    """

    skip_reversing = True

    def __init__(self, *args, notes: Sequence[Sequence[str]] = (), **kwargs) -> None:
        self.beat_notes = [list(n) for n in notes]
        super().__init__(*args, **kwargs)

    def notes_of(self, beat: int) -> str:
        """The speaker notes of beat `beat` (empty when no cue is said over it)."""
        return "\n\n".join(self.beat_notes[beat]) if beat < len(self.beat_notes) else ""

    def setup(self) -> None:
        super().setup()
        self.next_slide(notes=self.notes_of(0))  # no animation yet: sets the first slide's notes

    def _next_beat(self) -> None:
        if self._current_animation == self._start_animation:  # a beat with nothing played still gets its slide
            self.wait(1 / config.frame_rate)
        super()._next_beat()
        self.next_slide(notes=self.notes_of(self.beat))


class HeldSlide:
    """Mixin for a lecture still (`animations.slides.Card`, `CodeSlide`) as one slide: it ends on its
    picture (the fade-out that joins the lecture's chapters is not played)."""

    skip_reversing = True

    def __init__(self, *args, notes: str = "", **kwargs) -> None:
        self.slide_notes = notes
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.next_slide(notes=self.slide_notes)

    def play(self, *animations, **kwargs) -> None:
        if all(isinstance(a, FadeOut) for a in animations):  # the fade-out that joins chapters
            return
        super().play(*animations, **kwargs)


class ManimSlidesOnManim022:
    """manim-slides 5.7's `Slide` on manim 0.22, which dropped the config keys `write_to_movie` (a
    render always writes its movie now) and `flush_cache`: `Slide.__init__` sets the one and
    `Slide.render` reads the other, and both fail there. This does what they do without them.
    Placed before `Slide` in a class's bases; on a manim that has the keys it changes nothing."""

    def __init__(self, *args, **kwargs) -> None:
        if _HAS_KEYS:
            super().__init__(*args, **kwargs)
        else:
            BaseSlide.__init__(self, *args, **kwargs)  # skips Slide.__init__, which only sets write_to_movie

    @property
    def _background_color(self) -> str:
        """As manim-slides reads it, also when a scene set its camera's colour as a string ("#FFFFFF")."""
        return ManimColor(self.renderer.camera.background_color).to_hex()

    def render(self, *args, **kwargs) -> None:
        if _HAS_KEYS:
            return super().render(*args, **kwargs)
        kept = config["max_files_cached"]
        config["max_files_cached"] = -1  # unlimited (manim 0.22 takes no inf): slides are cut from the partial files
        try:
            Scene.render(self, *args, **kwargs)
        finally:
            config["max_files_cached"] = kept
        self._save_slides(use_cache=not (config["disable_caching"] or self.disable_caching),
                          flush_cache=self.flush_cache, skip_reversing=self.skip_reversing)


_HAS_KEYS = all(hasattr(type(config), key) for key in ("write_to_movie", "flush_cache"))


def slides_of(scene_class: type, mixin: type = BeatSlides, module: str | None = None) -> type:
    """`scene_class` as a manim-slides Slide (`<Name>Slides`), with `mixin` placing its slides.

    >>> from animations.registry import get
    >>> cls = slides_of(get("CellUpdate").cls)
    >>> cls.__name__, issubclass(cls, Slide)
    ('CellUpdateSlides', True)
    """
    return type(f"{scene_class.__name__}Slides", (mixin, scene_class, ManimSlidesOnManim022, Slide),
                {"__module__": module or __name__, "__doc__": f"{scene_class.__name__}, one slide per beat."})


def _declare_all() -> list[str]:
    """`<Scene>Slides` for every registered scene, as names of this module (what manim-slides looks for)."""
    names = []
    for spec in specs().values():
        cls = slides_of(spec.cls)
        globals()[cls.__name__] = cls
        names.append(cls.__name__)
    return names


SLIDE_SCENES = _declare_all()
