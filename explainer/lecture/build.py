"""Build the lecture: speak every cue, render chapters in parallel (cached), then join, subtitle and index them.

First every narration cue is spoken (`explainer.voice.cues`: espeak, piper, the lecturer's
recordings, or none), so each chapter knows how long its cues last before it renders: a card
or a still lasts as long as its cues, and a scene's beats wait for the cues they carry
(`animations/beats.py`). Every chapter is rendered into `DIR/chapters/NN-id.mp4` (with its
voice, subtitles and chapter mark: `tracks.py`) beside a small JSON record of what it was
made from (a key: the chapter, the language, the quality, its narration, the audio of its
cues, the bytes of the traces or checkpoints it reads, and the code) and when its cues and
beats start. A chapter whose key has not changed is not rendered again, so a second run with
nothing changed renders nothing, and a changed trace, narration or voice re-renders only the
chapters that use it.

The directory is held through `directory.LectureDirectory`: one run at a time (a lock),
a manifest of the files explainer made there (it replaces only those, unless --force:
a user's `lecture.mp4` or `figures/02-sine.png` is refused before anything renders), and
one scratch directory per run for everything temporary. Each file is written there and
renamed into place when whole, so Ctrl-C or SIGTERM leaves nothing half written, and the
next run continues with the chapters still missing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import interrupts
from ..errors import ExplainerError
from ..quality import LECTURE, QUALITIES, check_quality
from .claimed import checked_narration, verdicts_json
from ..style import check_lang
from .directory import LectureDirectory
from .narration import load_narration
from .document import BUILT_IN, Lecture, built_in, load_document
from .plan import Chapter
from .timing import Cue, chapters_json, ffmetadata, srt
from . import tracks
from .tracks import concat, read_soundtrack, video_seconds


@dataclass
class LectureResult:
    directory: Path
    video: Path
    subtitles: Path
    chapters: Path
    ffmetadata: Path
    figures: list[Path] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    claims: list = field(default_factory=list)  # explainer.claims.Verdict of every claim the chapters make


@dataclass(frozen=True)
class Job:
    index: int
    chapter: Chapter
    lang: str
    quality: str
    lines: tuple[str, ...]
    key: str
    resolution: tuple[int, int] | None
    video: str
    record: str
    figure: str | None
    traces: tuple[str, ...]
    cues: tuple = ()  # explainer.voice.SpokenCue of each line: its length, word starts and audio
    scratch: str | None = None  # where the worker writes (the run's scratch directory); None: in place


# -- inputs and keys ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of explainer's and animations' code and of the renderers' versions."""
    import matplotlib
    import manim

    import animations

    digest = hashlib.sha256(f"{manim.__version__}|{matplotlib.__version__}".encode())
    for package in (Path(__file__).resolve().parents[1], Path(animations.__file__).resolve().parent):
        for path in sorted(package.rglob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def chapter_inputs(chapter: Chapter, traces_dir: Path | None) -> tuple[tuple[str, ...], list[Path]]:
    """(trace paths a scene or sources a figure reads, every file the chapter is made from).

    A scene with its own `text` reads the trace of it (made by `text_trace`); here its input is
    the checkpoint the text goes through."""
    from .. import assets

    if chapter.kind == "scene":
        from animations.registry import get

        if chapter.text is not None:
            checkpoint = Path(chapter.checkpoint) if chapter.checkpoint else _text_checkpoint(get(chapter.content))
            return (), [checkpoint]
        if chapter.sources:
            return chapter.sources, [Path(p) for p in chapter.sources]
        names = chapter.assets or get(chapter.content).default
        paths = []
        for name in names:
            given = traces_dir / f"{name}.safetensors" if traces_dir else None
            paths.append(given if given is not None and given.exists() else assets.trace_path(name))
        return tuple(str(p) for p in paths), paths
    if chapter.kind == "figure":
        from ..figures.registry import get

        if chapter.sources:
            return chapter.sources, [Path(p) for p in chapter.sources]
        spec = get(chapter.content)
        folder = "traces" if spec.source == "trace" else "checkpoints"
        paths = [assets._existing(assets.root() / folder / f"{n}.safetensors") for n in spec.default]
        if spec.source == "trace" and traces_dir:
            paths = [traces_dir / p.name if (traces_dir / p.name).exists() else p for p in paths]
        return (), paths
    return (), []


def _text_checkpoint(spec) -> Path:
    """The shipped checkpoint of a scene's default language trace ("language-lstm")."""
    from .. import assets

    return assets._existing(assets.root() / "checkpoints" / f"{spec.default[0]}.safetensors")


def text_trace(chapter: Chapter, lang: str):
    """The trace of a scene chapter's own sentence through its language checkpoint (checked, in memory)."""
    from animations.registry import check_traces, get

    from ..checkpoint import Checkpoint
    from ..explain import trace_checkpoint

    spec = get(chapter.content)
    path = Path(chapter.checkpoint) if chapter.checkpoint else _text_checkpoint(spec)
    ckpt = Checkpoint.load(path)
    if ckpt.task != "language":
        raise ExplainerError(f"chapter {chapter.id!r}: '{path}' is a {ckpt.task} checkpoint; a text goes through a "
                             "language checkpoint")
    try:
        trace = trace_checkpoint(ckpt, text=chapter.text, lang=lang)
    except ExplainerError as e:
        raise ExplainerError(f"chapter {chapter.id!r}: {e}") from None
    check_traces(spec, [trace], [f"the trace of chapter {chapter.id!r}'s text"])
    return trace


# -- one chapter (runs in a worker process) ----------------------------------------------------
def render_chapter(job: Job) -> tuple[str, float, list[float], list[float]]:
    """Render one chapter; with `job.scratch`, into the scratch directory (the parent installs it).

    Its cues are already spoken (`job.cues`): a card or a still lasts as long as they take, one
    after another; a scene's beats wait for the cues they carry (`animations/beats.py`). The
    video is then written again with its soundtrack, subtitles and chapter mark. Returns
    (chapter id, seconds of video, when each cue starts, when each beat begins).
    """
    from animations.base import TraceScene, count_beats  # noqa: F401  (imports manim once per worker)
    from animations.beats import Timing, sequential
    from animations.render import render_scene

    from .. import figures
    from ..files import atomic_output
    from ..ownership import video_comment

    chapter = job.chapter
    scratch = Path(job.scratch) if job.scratch else None
    video = scratch / Path(job.video).name if scratch else Path(job.video)
    figure = str(scratch / Path(job.figure).name) if scratch and job.figure else job.figure
    timings = [Timing(c.seconds, tuple(c.words)) for c in job.cues]
    starts, hold = sequential(timings)
    hold = hold if timings else SILENT_HOLD
    beats = [0.0]
    made: list = []
    if chapter.kind == "card":
        from animations.slides import Card

        make = lambda: Card(list(job.lines), job.lang, hold, bullets=chapter.content == "summary")  # noqa: E731
    elif chapter.kind == "figure":
        from animations.slides import Slide

        source = (list(job.traces) if len(job.traces) > 1 else job.traces[0]) if job.traces else None
        fig = figures.make(chapter.content, source, lang=job.lang, **chapter.options)
        figures.save(fig, figure, dpi=max(72, round(QUALITIES[job.quality].height / 7.2)))
        make = lambda: Slide(figure, hold)  # noqa: E731
    elif chapter.kind == "code":
        from animations.slides import CodeSlide

        make = lambda: CodeSlide(chapter.code, chapter.content, hold)  # noqa: E731
    else:
        from animations.inputs import resolve
        from animations.registry import get

        spec = get(chapter.content)
        inputs = resolve(spec, list(job.traces), job.lang, chapter.options)  # the chapter's own options, never the environment

        def make():  # inside the render's settings: the counting pass and the render share Manim's text cache
            count = count_beats(lambda: spec.cls(inputs))
            made.append(spec.cls(inputs, narration=timings, beats=count))
            return made[-1]
    silent = video.with_name(f".{video.stem}.silent.mp4")  # the render, before its soundtrack is added
    try:
        render_scene(make, chapter.id, quality=job.quality, output=silent, resolution=job.resolution, scratch=scratch,
                     shown=job.video)
        if made:
            starts, beats = made[-1].cue_starts, made[-1].beat_times
        with atomic_output(video, scratch=scratch) as tmp:
            seconds = tracks.with_voice(silent, tmp, list(zip(starts, job.cues)), lang=job.lang,
                                        title=_chapter_title(chapter, job.lang, job.lines),
                                        comment=video_comment(f"{chapter.id}, rendered with Manim"))
    finally:
        silent.unlink(missing_ok=True)
    if scratch is None:
        _write_json(Path(job.record), _record(job, seconds, starts, beats))
    return chapter.id, seconds, starts, beats


def _record(job: Job, seconds: float, starts: list[float], beats: list[float]) -> dict:
    """What a cached chapter is: its key, its length, when each of its cues starts and each beat begins."""
    return {"key": job.key, "seconds": seconds, "chapter": job.chapter.id, "starts": [round(t, 4) for t in starts],
            "beats": [round(t, 4) for t in beats]}


def _write_json(path: Path, data: dict) -> None:
    _write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _write_text(path: Path, text: str) -> None:
    """Write `path` whole (in a scratch directory, or under a temporary name beside it)."""
    from ..files import atomic_output

    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _cached(job: Job, folder: LectureDirectory) -> tuple[float, list[float]] | None:
    """(the length of the chapter's video, its cue starts) if it is explainer's, whole, and made from the same key."""
    owned = [Path(job.video), Path(job.record)] + ([Path(job.figure)] if job.figure else [])
    if not all(folder.owns(p) for p in owned):
        return None
    try:
        record = json.loads(Path(job.record).read_text(encoding="utf-8"))
        starts = [float(t) for t in record["starts"]]
        if record.get("key") == job.key and len(starts) == len(job.lines):
            return float(record["seconds"]), starts
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return None


def _install(folder: LectureDirectory, job: Job, seconds: float, starts: list[float], beats: list[float]) -> None:
    """Move a chapter rendered in the scratch directory into place; its record last (what makes it cached)."""
    scratch = folder.scratch
    if job.figure:
        folder.install(scratch / Path(job.figure).name, Path(job.figure))
    folder.install(scratch / Path(job.video).name, Path(job.video))
    record = scratch / Path(job.record).name
    _write_json(record, _record(job, seconds, starts, beats))
    folder.install(record, Path(job.record))


# -- the whole lecture ---------------------------------------------------------------------------
def make_lecture(out_dir: str | os.PathLike, *, lang: str = "en", quality: str = LECTURE, jobs: int | None = None,
                 plan: str | os.PathLike | list[Chapter] | Lecture = "full",
                 narration: str | os.PathLike | None = None,
                 traces_dir: str | os.PathLike | None = None,
                 progress: Callable[[str], None] | None = None,
                 resolution: tuple[int, int] | None = None, force: bool = False,
                 mark_false_claims: bool = False, voice: str = "espeak", scheduler: str | None = None) -> LectureResult:
    """Render (or reuse) every chapter, then write lecture.mp4, lecture.srt and the chapter lists.

    `plan`: a built-in lecture ("full", "short"), a lecture file (TOML, `document.py`), a
    `Lecture`, or a list of the built-in chapters. `jobs`: the chapters render on a dask
    LocalCluster of that many single-threaded workers (1: in this process); `scheduler`: on
    the workers of an existing dask cluster instead (`cluster.py`). `narration`: a narration file that replaces
    the lecture's cues in `lang`. Everything is checked before anything is written: the arguments, the narration, the
    scene options, the claims the narration makes (measured on the models the chapters show:
    a false one stops the lecture, or with `mark_false_claims` is rendered marked false), the
    voice (`none`, `espeak`, `piper` or `recorded:DIR`; every cue is spoken, or read from the
    cue cache, before any chapter renders), and
    that every file this run would replace in `out_dir` is explainer's (listed in its manifest,
    unchanged), unless `force`.
    """
    if not os.fspath(out_dir):
        raise ExplainerError("give an output directory name: -o '' names nothing")
    check_lang(lang)
    check_quality(quality)
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not 1 <= jobs <= 64:
        raise ExplainerError(f"--jobs must be between 1 and 64, got {jobs}")
    lecture, label = lecture_of(plan)
    plan_chapters = lecture.chapters
    _check_scene_options(plan_chapters)
    if narration is not None:
        ids = [c.id for c in (built_in("full").chapters if label != "file" else plan_chapters)]
        lines = load_narration(lang, narration, required=ids)
    else:
        lines = lecture.lines(lang)
    for chapter in plan_chapters:
        if chapter.kind == "card" and not lines.get(chapter.id):
            raise ExplainerError(f"chapter {chapter.id!r} is a card with no cues in {lang}; "
                                 f"give it say.{lang} = [\"...\"] (a card shows its cues)")
        lines.setdefault(chapter.id, [])
    lines, verdicts = checked_narration(lines, [c.id for c in plan_chapters], lang, mark=mark_false_claims)
    spoken, spoke = _speak(plan_chapters, lines, lang, voice)
    texts = {c.id: text_trace(c, lang) for c in plan_chapters if c.kind == "scene" and c.text is not None}
    out = Path(out_dir)
    _make_dir(out)
    folder_dir, figure_dir = out / "chapters", out / "figures"
    for sub in (folder_dir, figure_dir):
        if sub.exists() and not sub.is_dir():
            raise ExplainerError(f"cannot write the lecture into '{out}': '{sub}' is a file; move it away")
    say = progress or (lambda message: None)
    traces_dir = Path(traces_dir) if traces_dir else None
    with interrupts.trapped(), LectureDirectory(out, force) as folder:
        all_jobs = []
        for index, chapter in enumerate(plan_chapters, start=1):
            trace_paths, inputs = chapter_inputs(chapter, traces_dir)
            stem = f"{index:02d}-{chapter.id}"
            key_data = {"chapter": asdict(chapter), "lang": lang, "quality": quality, "resolution": resolution,
                        "lines": lines[chapter.id], "voice": [(c.source, c.digest) for c in spoken[chapter.id]],
                        "inputs": [_file_hash(p) for p in inputs], "code": code_version()}
            key = hashlib.sha256(json.dumps(key_data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
            all_jobs.append(Job(index, chapter, lang, quality, tuple(lines[chapter.id]), key, resolution,
                                str(folder_dir / f"{stem}.mp4"),
                                str(folder_dir / f"{stem}.json"),
                                str(figure_dir / f"{stem}.png") if chapter.kind == "figure" else None, trace_paths,
                                tuple(spoken[chapter.id])))
        folder.check([out / name for name in OUTPUTS]
                     + [Path(p) for j in all_jobs for p in (j.video, j.record, j.figure) if p])
        _check_not_inputs(out, narration)
        scratch = folder.begin()
        folder_dir.mkdir(exist_ok=True)
        figure_dir.mkdir(exist_ok=True)
        all_jobs = [replace(j, scratch=str(scratch)) for j in all_jobs]
        for k, job in enumerate(all_jobs):  # a chapter's own text: its trace, made above, saved for the worker
            if job.chapter.id in texts:
                path = scratch / f"{Path(job.video).stem}.text.safetensors"
                texts[job.chapter.id].save(path)
                all_jobs[k] = replace(job, traces=(str(path),))
        timed: dict[str, tuple[float, list[float]]] = {}  # chapter: (seconds of video, when each cue starts)
        todo = []
        for job in all_jobs:
            cached = _cached(job, folder)
            if cached is None:
                todo.append(job)
            else:
                timed[job.chapter.id] = cached
        result_rendered = [j.chapter.id for j in todo]
        if spoke:
            say(spoke)
        where = (f"on the dask cluster at {scheduler}" if scheduler else
                 f"on {min(jobs, len(todo))} dask worker(s)" if jobs > 1 and len(todo) > 1 else "in this process")
        say(f"{len(all_jobs)} chapters: {len(all_jobs) - len(todo)} cached, {len(todo)} to render {where}")
        _run(todo, jobs, timed, say, folder, scheduler)
        return _assemble(folder, all_jobs, timed, lang, quality, str(plan) if label != "custom" else "custom",
                         result_rendered, say, verdicts, lecture.title)


#: Seconds a figure or code panel with no cues in the lecture's language stays on screen.
SILENT_HOLD = 4.0
#: The files the lecture writes at the top of its directory.
OUTPUTS = ("lecture.mp4", "lecture.srt", "chapters.json", "chapters.ffmetadata")


def _check_not_inputs(out: Path, narration: str | os.PathLike | None) -> None:
    """The lecture's own outputs are never its inputs (a narration file given as DIR/lecture.srt)."""
    if narration is None:
        return
    for name in OUTPUTS:
        try:
            if os.path.samefile(narration, out / name):
                raise ExplainerError(f"'{narration}' is the narration this lecture reads and one of the files it writes; "
                                     "keep the narration outside the lecture directory")
        except OSError:
            pass


def lecture_of(plan) -> tuple[Lecture, str]:
    """(the lecture `plan` names, what it is: "built-in", "file" or "custom")."""
    if isinstance(plan, Lecture):
        return plan, "file"
    if isinstance(plan, str) and plan in BUILT_IN:
        return built_in(plan), "built-in"
    if isinstance(plan, (str, os.PathLike)):
        if not str(plan).endswith(".toml") and not Path(plan).exists():
            raise ExplainerError(f"unknown lecture {str(plan)!r}: give full, short or a lecture file (.toml)")
        return load_document(plan), "file"
    full = built_in("full")
    return Lecture(list(plan), full.cues, full.title), "custom"


def _check_scene_options(plan: list[Chapter]) -> None:
    """A scene chapter's options are those its scene reads (a one-line error before anything is written)."""
    from animations.registry import check_options, get

    for chapter in plan:
        if chapter.kind == "scene":
            check_options(get(chapter.content), chapter.options)


def _make_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExplainerError(f"cannot write the lecture into '{out}': it is a file; give a directory")
    parent = out.parent if str(out.parent) else Path(".")
    if not out.exists() and not parent.is_dir():
        raise ExplainerError(f"cannot write the lecture into '{out}': the directory '{parent}' does not exist")
    try:
        out.mkdir(exist_ok=True)
    except OSError as e:
        raise ExplainerError(f"cannot create '{out}': {e.strerror}") from None
    if not os.access(out, os.W_OK):
        raise ExplainerError(f"cannot write the lecture into '{out}': no permission")


def _speak(plan: list[Chapter], lines: dict[str, list[str]], lang: str, voice: str) -> tuple[dict[str, list], str]:
    """Every cue of the plan spoken by `voice` (or read from the cue cache): ({chapter: [SpokenCue]}, what was said)."""
    import time

    from ..voice.cues import Voice, parse_voice, speak_cues

    chosen = voice if isinstance(voice, Voice) else parse_voice(voice)
    begun = time.perf_counter()
    cues = speak_cues({c.id: list(lines[c.id]) for c in plan}, lang, chosen)
    said = ""
    if chosen.speaks:
        total = sum(c.seconds for c in cues)
        said = f"voice {chosen.name}: {len(cues)} cues, {total:.0f} s of speech ({time.perf_counter() - begun:.1f} s)"
    out, k = {}, 0
    for chapter in plan:
        n = len(lines[chapter.id])
        out[chapter.id], k = cues[k:k + n], k + n
    return out, said


def _run(todo: list[Job], jobs: int, timed: dict[str, tuple[float, list[float]]], say: Callable[[str], None],
         folder: LectureDirectory, scheduler: str | None = None) -> None:
    """Render the chapters still to do: in this process (one job, or one chapter), else on dask workers
    (`cluster.py`), longest chapters first so the workers finish together; each is installed as it arrives."""
    if not todo:
        return

    def installed(job: Job, result) -> None:
        cid, s, starts, beats = result
        _install(folder, job, s, starts, beats)
        timed[cid] = (s, starts)
        say(f"rendered {cid} ({s:.1f} s of video)")

    if scheduler is None and (jobs == 1 or len(todo) == 1):
        for job in todo:
            installed(job, render_chapter(job))
        return
    from .cluster import each_done, portable, workers

    order = sorted(todo, key=lambda j: (j.chapter.kind != "scene", -len(j.lines)))
    if scheduler:
        order = portable(order, folder.scratch)
    with workers(min(jobs, len(order)), scheduler) as client:
        each_done(client, render_chapter, order, [f"render-{j.key}-{j.index}" for j in order],
                  lambda i, result: installed(order[i], result))


def _assemble(folder: LectureDirectory, all_jobs: list[Job], timed: dict[str, tuple[float, list[float]]], lang: str,
              quality: str, plan: str, rendered: list[str], say: Callable[[str], None], verdicts: list,
              title: str = "") -> LectureResult:
    out, scratch = folder.root, folder.scratch
    key = hashlib.sha256("|".join(j.key for j in all_jobs).encode()).hexdigest()[:20]
    video, index_path = out / "lecture.mp4", out / "chapters.json"
    start, listing, all_cues = 0.0, [], []
    for job in all_jobs:
        length, starts = timed[job.chapter.id]
        listing.append({"id": job.chapter.id, "title": _chapter_title(job.chapter, lang, job.lines),
                        "start": round(start, 3), "end": round(start + length, 3),
                        "video": str(Path(job.video).relative_to(out))})
        all_cues += [Cue(start + t, start + t + c.seconds, c.text) for t, c in zip(starts, job.cues)]
        start += length
    title = title or (all_jobs[0].lines[0] if all_jobs and all_jobs[0].chapter.kind == "card" else "explainer")
    previous = None
    if folder.owns(index_path):
        try:
            previous = json.loads(index_path.read_text(encoding="utf-8")).get("key")
        except (OSError, ValueError, AttributeError):
            pass
    if previous != key or not folder.owns(video):
        say("joining the chapters into lecture.mp4")
        audio = None
        if any(c.audio for j in all_jobs for c in j.cues):
            audio = np.concatenate([read_soundtrack(Path(j.video), timed[j.chapter.id][0]) for j in all_jobs])
        concat([Path(j.video) for j in all_jobs], scratch / video.name, audio=audio, subtitles=all_cues,
               chapters=listing, lang=lang, title=title)
        folder.install(scratch / video.name, video)
    texts = {"lecture.srt": srt(all_cues), "chapters.ffmetadata": ffmetadata(listing, title),
             "chapters.json": chapters_json(listing, {"key": key, "lang": lang, "quality": quality, "plan": plan,
                                                      "seconds": round(start, 3),
                                                      "claims": verdicts_json(verdicts)})}
    for name, text in texts.items():
        _write_text(scratch / name, text)
        folder.install(scratch / name, out / name)
    figures = [Path(j.figure) for j in all_jobs if j.figure]
    return LectureResult(out, video, out / "lecture.srt", index_path, out / "chapters.ffmetadata", figures, rendered,
                         [j.chapter.id for j in all_jobs if j.chapter.id not in rendered], start, verdicts)


def _chapter_title(chapter: Chapter, lang: str, lines: tuple[str, ...] = ()) -> str:
    """The title the lecture file gives, a card's first line, else the chapter's title in `lang` (its id when it has none)."""
    from ..style import word

    if chapter.titles.get(lang):
        return chapter.titles[lang]
    if chapter.kind == "card" and lines:
        return lines[0]
    try:
        return word(f"lecture.chapter.{chapter.id}", lang)
    except ExplainerError:
        return chapter.id
