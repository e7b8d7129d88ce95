"""Slides for teaching live: a lecture as an offline reveal.js deck and a PPTX, one slide per beat.

Every scene's beats (its caption changes, where a lecturer clicks) become slides through
manim-slides (`animations/slide_scenes.py`), every figure chapter one still slide, every
card and code panel one slide; the narration's cues are the speaker notes.

    >>> from explainer.slides import make_slides
    >>> result = make_slides("out/slides", lang="en", quality="l")    # doctest: +SKIP
    >>> print(result.deck, result.deck_slides, result.pptx, result.pptx_slides)   # doctest: +SKIP
    out/slides/slides.html 146 out/slides/slides.pptx 146
"""

from .build import SlidesResult, make_slides

__all__ = ["make_slides", "SlidesResult"]
