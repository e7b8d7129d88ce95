"""The whole story in one video: chapters, narration, subtitles, caching, parallel renders.

The lecture sits to the right of both drawing worlds: it uses `explainer.figures` for
still chapters and the `animations` package for animated ones, and the CLI calls it.

    >>> from explainer.lecture import make_lecture
    >>> result = make_lecture("out/lecture", lang="zh", quality="l", jobs=2)   # doctest: +SKIP
    >>> result.video                                                          # doctest: +SKIP
    PosixPath('out/lecture/lecture.mp4')
"""

from .build import LectureResult, make_lecture
from .narration import load_narration
from .plan import PLANS, chapters

__all__ = ["make_lecture", "LectureResult", "load_narration", "chapters", "PLANS"]
