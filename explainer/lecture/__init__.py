"""The whole story in one spoken video: lecture files, voice, subtitles, chapter marks, caching, dask workers.

The lecture sits to the right of both drawing worlds: it uses `explainer.figures` for
still chapters and the `animations` package for animated ones, and the CLI calls it.

    >>> from explainer.lecture import make_lecture
    >>> result = make_lecture("out/lecture", lang="zh", quality="l", jobs=2)   # doctest: +SKIP
    >>> result.video                                                          # doctest: +SKIP
    PosixPath('out/lecture/lecture.mp4')
    >>> make_lecture("out/mine", plan="my-lecture.toml", voice="none")       # doctest: +SKIP

    >>> from explainer.lecture import built_in
    >>> [c.id for c in built_in("short").chapters]
    ['title', 'sine', 'unrolled', 'lstm-cell', 'forget', 'pronoun', 'summary']
"""

from .build import LectureResult, make_lecture
from .document import Lecture, built_in, load_document
from .narration import load_narration
from .plan import PLANS, chapters

__all__ = ["make_lecture", "LectureResult", "Lecture", "built_in", "load_document", "load_narration", "chapters",
           "PLANS"]
