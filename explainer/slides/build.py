"""A lecture as slides for teaching live: an offline reveal.js deck and a PPTX, the narration as speaker notes.

The lecture document is read and checked as `explainer lecture` reads it (`lecture_of`),
and its cues in the chosen language are the lecture's: claims measured and their numbers
filled (`checked_narration`; a false claim stops, in one line). Then each chapter becomes
slides, in order:

- a scene: one slide per beat (`animations/slide_scenes.py`), each beat's cues as its
  notes (`notes.py`: the spoken lecture's own mapping of cues to beats);
- a figure: one still slide, the figure (as `explainer figure` draws it) letterboxed to
  the deck's shape on the house background, its cues as notes;
- a card (title, summary) or a code panel: one slide that ends on its text.

Nothing is spoken and nothing waits for a voice: a slide is as long as its animations,
and the lecturer clicks on. The directory is held like the lecture's
(`explainer.lecture.directory.LectureDirectory`: one run at a time, a manifest of
explainer's files, a scratch directory per run): `slides.html` and `slides.pptx` are
replaced only if explainer made them, unless `force`; every input is checked before
anything is written.

    >>> from explainer.slides import make_slides
    >>> result = make_slides("out/slides", lang="zh", quality="l")     # doctest: +SKIP
    >>> result.deck, result.deck_slides                                 # doctest: +SKIP
    (PosixPath('out/slides/slides.html'), 134)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import interrupts
from ..errors import ExplainerError
from ..quality import QUALITIES, check_quality
from ..style import COLORS, check_lang

#: The files the slides write at the top of their directory.
DECK, PPTX = "slides.html", "slides.pptx"
#: Seconds a card or code panel takes to appear (it then stays until the click).
HELD = 1.5
#: The smallest height (pixels) of a figure slide's picture: a still costs little, and is read from the back.
FIGURE_HEIGHT = 720
#: The share of the slide's width or height a figure fills at most (the rest is a margin of the background).
MARGIN = 0.94


@dataclass
class SlidesResult:
    directory: Path
    deck: Path
    pptx: Path
    deck_slides: int
    pptx_slides: int
    chapters: list[tuple[str, str, int]] = field(default_factory=list)  # (chapter id, kind, slides)


def make_slides(out_dir: str | os.PathLike, *, lang: str = "en", quality: str = "l",
                plan: str | os.PathLike = "full", force: bool = False, jobs: int | None = None,
                resolution: tuple[int, int] | None = None,
                progress: Callable[[str], None] | None = None) -> SlidesResult:
    """Write `out_dir/slides.html` (offline reveal.js, one file) and `out_dir/slides.pptx` for lecture `plan`
    (a built-in lecture, "full" or "short", or a lecture file). `jobs`: chapters rendered at once, on a local
    dask cluster of single-threaded workers as the lecture's (None: the number of cores; 1: in this process).
    `resolution` = (width, height) in pixels overrides the quality's size (tests use tiny slides)."""
    from ..lecture.build import _check_scene_options, _make_dir, lecture_of, text_trace
    from ..lecture.claimed import checked_narration
    from ..lecture.directory import LectureDirectory

    if not os.fspath(out_dir):
        raise ExplainerError("give an output directory name: -o '' names nothing")
    check_lang(lang)
    chosen = check_quality(quality)
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise ExplainerError(f"--jobs must be between 1 and 64, got {jobs}")
    lecture, _ = lecture_of(plan)
    chapters = lecture.chapters
    _check_scene_options(chapters)
    lines = lecture.lines(lang)
    for chapter in chapters:
        if chapter.kind == "card" and not lines.get(chapter.id):
            raise ExplainerError(f"chapter {chapter.id!r} is a card with no cues in {lang}; "
                                 f"give it say.{lang} = [\"...\"] (a card shows its cues)")
    lines, _ = checked_narration(lines, [c.id for c in chapters], lang)
    texts = {c.id: text_trace(c, lang) for c in chapters if c.kind == "scene" and c.text is not None}
    size = resolution or _pixels(chosen)
    out = Path(out_dir)
    _make_dir(out)
    say = progress or (lambda message: None)
    with interrupts.trapped(), LectureDirectory(out, force) as folder:
        folder.check([out / DECK, out / PPTX])
        scratch = folder.begin()
        tasks = []
        for index, chapter in enumerate(chapters, start=1):
            work = scratch / f"{index:02d}-{chapter.id}"
            work.mkdir()
            tasks.append((chapter, lines[chapter.id], lang, quality, size, work, texts.get(chapter.id)))
        configs = _render_all(tasks, jobs, say)
        listing = [(chapter.id, chapter.kind, len(config.slides)) for chapter, config in zip(chapters, configs)]
        from .deck import slide_count, write_html, write_pptx

        write_html(configs, scratch / DECK, lecture.title or (lines[chapters[0].id] or ["explainer"])[0])
        pptx_slides = write_pptx(configs, scratch / PPTX)
        interrupts.check()
        folder.install(scratch / DECK, out / DECK)
        folder.install(scratch / PPTX, out / PPTX)
    return SlidesResult(out, out / DECK, out / PPTX, slide_count(configs), pptx_slides, listing)


def _render_all(tasks: list[tuple], jobs: int, say: Callable[[str], None]) -> list:
    """Each chapter's presentation, in the lecture's order: here one after another (one job or one chapter), else
    on a local dask cluster (`explainer.lecture.cluster`), scenes first so the workers finish together."""
    def done(task, config) -> None:
        n = len(config.slides)
        say(f"{task[0].id}: {n} slide{'s' if n != 1 else ''}")

    if jobs == 1 or len(tasks) == 1:
        configs = []
        for task in tasks:
            configs.append(_chapter_slides(*task))
            done(task, configs[-1])
            interrupts.check()
        return configs
    from ..lecture.cluster import each_done, workers

    order = sorted(range(len(tasks)), key=lambda k: (tasks[k][0].kind != "scene", -len(tasks[k][1])))
    configs: list = [None] * len(tasks)

    def arrived(i: int, config) -> None:
        k = order[i]
        configs[k] = config
        done(tasks[k], config)
        interrupts.check()

    with workers(min(jobs, len(tasks))) as client:
        each_done(client, _task_slides, [tasks[k] for k in order],
                  [f"slides-{k}-{tasks[k][0].id}" for k in order], arrived)
    return configs


def _task_slides(task: tuple):
    """`_chapter_slides` of one task tuple (what a worker is given)."""
    return _chapter_slides(*task)


def _pixels(chosen) -> tuple[int, int]:
    """(width, height) of a quality, as Manim renders it."""
    from manim.constants import QUALITIES as MANIM

    q = MANIM[chosen.manim]
    return int(q["pixel_width"]), int(q["pixel_height"])


def _chapter_slides(chapter, cues: list[str], lang: str, quality: str, size: tuple[int, int], work: Path, text_trace):
    """The manim-slides presentation (`PresentationConfig`) of one chapter, its files in `work`."""
    if chapter.kind == "figure":
        return _figure_slide(chapter, cues, lang, size, work)
    from animations import slide_scenes

    notes = "\n\n".join(cues)
    if chapter.kind == "card":
        from animations.slides import Card

        cls = slide_scenes.slides_of(Card, slide_scenes.HeldSlide)
        make = lambda folder: cls(list(cues), lang, HELD, bullets=chapter.content == "summary", notes=notes,  # noqa: E731
                                  output_folder=folder)
    elif chapter.kind == "code":
        from animations.slides import CodeSlide

        cls = slide_scenes.slides_of(CodeSlide, slide_scenes.HeldSlide)
        make = lambda folder: cls(chapter.code, chapter.content, HELD, notes=notes, output_folder=folder)  # noqa: E731
    elif chapter.kind == "scene":
        from animations.base import count_beats
        from animations.inputs import resolve
        from animations.registry import get

        from ..lecture.build import chapter_inputs
        from .notes import notes_per_beat

        spec = get(chapter.content)
        traces = [text_trace] if text_trace is not None else list(chapter_inputs(chapter, None)[0])
        inputs = resolve(spec, traces, lang, chapter.options)
        cls = slide_scenes.slides_of(spec.cls)

        def make(folder):  # inside the render's settings: the counting pass and the render share Manim's text cache
            beats = count_beats(lambda: spec.cls(inputs))
            return cls(inputs, notes=notes_per_beat(cues, beats), output_folder=folder)
    else:
        raise ExplainerError(f"chapter {chapter.id!r} is a {chapter.kind}; slides are made of cards, figures, "
                             "scenes and code panels")
    return _render(make, quality, size, work)


def _render(make, quality: str, size: tuple[int, int], work: Path):
    """Render the Slide that `make(folder)` builds into `work`; its presentation, as manim-slides wrote it."""
    from manim import tempconfig
    from manim_slides.config import PresentationConfig

    from animations.render import ENCODER

    settings = {"quality": QUALITIES[quality].manim, "frame_rate": QUALITIES[quality].fps, "format": "mp4",
                "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
                "media_dir": str(work / "media"), "video_encoder_options": ENCODER["mp4"],
                "pixel_width": size[0], "pixel_height": size[1]}
    folder = work / "slides"
    with _quiet(), tempconfig(settings):
        scene = make(folder)
        scene.render()
    return PresentationConfig.from_file(folder / f"{scene}.json")


def _quiet():
    """manim-slides' INFO lines (one per scene written) silenced while it renders."""
    import contextlib
    import logging

    from manim_slides.logger import logger

    @contextlib.contextmanager
    def quiet():
        level = logger.level
        logger.setLevel(logging.WARNING)
        try:
            yield
        finally:
            logger.setLevel(level)
    return quiet()


def _figure_slide(chapter, cues: list[str], lang: str, size: tuple[int, int], work: Path):
    """One still slide: the figure drawn at the deck's shape (at least FIGURE_HEIGHT tall), letterboxed."""
    from manim_slides.config import PresentationConfig, SlideConfig, SlideType
    from PIL import Image

    from .. import figures

    width, height = size
    scale = max(1.0, FIGURE_HEIGHT / height)
    canvas = (round(width * scale), round(height * scale))
    source = (list(chapter.sources) if len(chapter.sources) > 1 else chapter.sources[0]) if chapter.sources else None
    fig = figures.make(chapter.content, source, lang=lang, **chapter.options)
    drawn = work / "figure.png"
    figures.save(fig, drawn, dpi=max(72, round(canvas[1] / 5)))
    with Image.open(drawn) as image:
        image = image.convert("RGB")
        fit = MARGIN * min(canvas[0] / image.width, canvas[1] / image.height)
        image = image.resize((max(1, round(image.width * fit)), max(1, round(image.height * fit))), Image.LANCZOS)
        still = Image.new("RGB", canvas, COLORS["background"])
        still.paste(image, ((canvas[0] - image.width) // 2, (canvas[1] - image.height) // 2))
    picture = work / f"{chapter.id}.png"
    still.save(picture)
    slide = SlideConfig(type=SlideType.Image, file=picture, rev_file=picture, notes="\n\n".join(cues))
    return PresentationConfig(slides=[slide], resolution=size, background_color=COLORS["background"])
