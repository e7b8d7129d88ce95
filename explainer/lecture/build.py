"""Build the lecture: render chapters in parallel (cached), then join, subtitle and index them.

Every chapter is rendered into `DIR/chapters/NN-id.mp4` beside a small JSON record of
what it was made from (a key: the chapter, the language, the quality, its narration,
the bytes of the traces or checkpoints it reads, and the code). A chapter whose key has
not changed is not rendered again, so a second run with nothing changed renders nothing,
and a changed trace or narration re-renders only the chapters that use it. Files are
written under temporary names and renamed, so Ctrl-C leaves nothing half written, and the
next run continues with the chapters still missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ExplainerError
from ..quality import QUALITIES, check_quality
from ..style import check_lang
from .narration import load_narration
from .plan import FULL, Chapter, chapters
from .timing import chapters_json, cues, ffmetadata, narration_time, srt


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
    """(trace paths a scene reads, every file the chapter is made from)."""
    from .. import assets

    if chapter.kind == "scene":
        from animations.registry import get

        names = chapter.assets or get(chapter.content).default
        paths = []
        for name in names:
            given = traces_dir / f"{name}.safetensors" if traces_dir else None
            paths.append(given if given is not None and given.exists() else assets.trace_path(name))
        return tuple(str(p) for p in paths), paths
    if chapter.kind == "figure":
        from ..figures.registry import get

        spec = get(chapter.content)
        folder = "traces" if spec.source == "trace" else "checkpoints"
        paths = [assets._existing(assets.root() / folder / f"{n}.safetensors") for n in spec.default]
        if spec.source == "trace" and traces_dir:
            paths = [traces_dir / p.name if (traces_dir / p.name).exists() else p for p in paths]
        return (), paths
    return (), []


# -- one chapter (runs in a worker process) ----------------------------------------------------
def render_chapter(job: Job) -> tuple[str, float]:
    from animations.base import TraceScene  # noqa: F401  (imports manim once per worker)
    from animations.render import render_scene

    from .. import figures

    video, chapter = Path(job.video), job.chapter
    hold = narration_time(list(job.lines), job.lang)
    if chapter.kind == "card":
        from animations.slides import Card

        make = lambda: Card(list(job.lines), job.lang, hold, bullets=chapter.content == "summary")  # noqa: E731
    elif chapter.kind == "figure":
        from animations.slides import Slide

        source = job.traces[0] if job.traces else None
        fig = figures.make(chapter.content, source, lang=job.lang, **chapter.options)
        figures.save(fig, job.figure, dpi=max(72, round(QUALITIES[job.quality].height / 7.2)))
        make = lambda: Slide(job.figure, hold)  # noqa: E731
    else:
        from animations.inputs import resolve
        from animations.registry import get

        spec = get(chapter.content)
        inputs = resolve(spec, list(job.traces), job.lang, chapter.options)  # the chapter's own options, never the environment
        make = lambda: spec.cls(inputs, min_duration=hold)  # noqa: E731
    render_scene(make, chapter.id, quality=job.quality, output=video, resolution=job.resolution)
    seconds = video_seconds(video)
    _write_json(Path(job.record), {"key": job.key, "seconds": seconds, "chapter": chapter.id})
    return chapter.id, seconds


def video_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _cached(job: Job) -> float | None:
    try:
        record = json.loads(Path(job.record).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("key") == job.key and Path(job.video).exists():
        return float(record["seconds"])
    return None


# -- the whole lecture ---------------------------------------------------------------------------
def make_lecture(out_dir: str | os.PathLike, *, lang: str = "en", quality: str = "l", jobs: int | None = None,
                 plan: str | list[Chapter] = "full", narration: str | os.PathLike | None = None,
                 traces_dir: str | os.PathLike | None = None,
                 progress: Callable[[str], None] | None = None,
                 resolution: tuple[int, int] | None = None) -> LectureResult:
    """Render (or reuse) every chapter, then write lecture.mp4, lecture.srt and the chapter lists."""
    check_lang(lang)
    check_quality(quality)
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not 1 <= jobs <= 64:
        raise ExplainerError(f"--jobs must be between 1 and 64, got {jobs}")
    plan_chapters = chapters(plan) if isinstance(plan, str) else list(plan)
    _check_scene_options(plan_chapters)
    lines = load_narration(lang, narration, required=[c.id for c in FULL])
    out = Path(out_dir)
    _make_dir(out)
    folder, figure_dir = out / "chapters", out / "figures"
    folder.mkdir(exist_ok=True)
    figure_dir.mkdir(exist_ok=True)
    _clean_leftovers(out)
    say = progress or (lambda message: None)
    traces_dir = Path(traces_dir) if traces_dir else None
    all_jobs = []
    for index, chapter in enumerate(plan_chapters, start=1):
        trace_paths, inputs = chapter_inputs(chapter, traces_dir)
        stem = f"{index:02d}-{chapter.id}"
        key_data = {"chapter": asdict(chapter), "lang": lang, "quality": quality, "resolution": resolution,
                    "lines": lines[chapter.id],
                    "inputs": [_file_hash(p) for p in inputs], "code": code_version()}
        key = hashlib.sha256(json.dumps(key_data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
        all_jobs.append(Job(index, chapter, lang, quality, tuple(lines[chapter.id]), key, resolution,
                            str(folder / f"{stem}.mp4"),
                            str(folder / f"{stem}.json"),
                            str(figure_dir / f"{stem}.png") if chapter.kind == "figure" else None, trace_paths))
    seconds: dict[str, float] = {}
    todo = []
    for job in all_jobs:
        cached = _cached(job)
        if cached is None:
            todo.append(job)
        else:
            seconds[job.chapter.id] = cached
    result_rendered = [j.chapter.id for j in todo]
    say(f"{len(all_jobs)} chapters: {len(all_jobs) - len(todo)} cached, {len(todo)} to render with {min(jobs, max(len(todo), 1))} process(es)")
    _run(todo, jobs, seconds, say)
    return _assemble(out, all_jobs, seconds, lang, quality, plan if isinstance(plan, str) else "custom",
                     result_rendered, say)


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


def _clean_leftovers(out: Path) -> None:
    """Temporary files and render directories of an interrupted run."""
    for path in list(out.rglob(".*.tmp")) + list(out.rglob(".explainer-render-*")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _run(todo: list[Job], jobs: int, seconds: dict[str, float], say: Callable[[str], None]) -> None:
    if not todo:
        return
    if jobs == 1 or len(todo) == 1:
        for job in todo:
            cid, s = render_chapter(job)
            seconds[cid] = s
            say(f"rendered {cid} ({s:.1f} s of video)")
        return
    import multiprocessing

    # longest chapters first, so the workers finish together
    order = sorted(todo, key=lambda j: (j.chapter.kind != "scene", -len(j.lines)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(order)), mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = {pool.submit(render_chapter, job): job for job in order}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                cid, s = future.result()
                seconds[cid] = s
                say(f"rendered {cid} ({s:.1f} s of video)")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _assemble(out: Path, all_jobs: list[Job], seconds: dict[str, float], lang: str, quality: str, plan: str,
              rendered: list[str], say: Callable[[str], None]) -> LectureResult:
    from ..style import word

    key = hashlib.sha256("|".join(j.key for j in all_jobs).encode()).hexdigest()[:20]
    video, index_path = out / "lecture.mp4", out / "chapters.json"
    previous = None
    try:
        previous = json.loads(index_path.read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        pass
    if previous != key or not video.exists():
        say("joining the chapters into lecture.mp4")
        concat([Path(j.video) for j in all_jobs], video)
    start, listing, all_cues = 0.0, [], []
    for job in all_jobs:
        length = seconds[job.chapter.id]
        title = job.lines[0] if job.chapter.kind == "card" else _chapter_title(job.chapter, lang, word)
        listing.append({"id": job.chapter.id, "title": title, "start": round(start, 3), "end": round(start + length, 3),
                        "video": str(Path(job.video).relative_to(out))})
        all_cues += cues(list(job.lines), lang, start, length)
        start += length
    _write_text(out / "lecture.srt", srt(all_cues))
    title = all_jobs[0].lines[0] if all_jobs and all_jobs[0].chapter.kind == "card" else "explainer"
    _write_text(out / "chapters.ffmetadata", ffmetadata(listing, title))
    _write_text(index_path, chapters_json(listing, {"key": key, "lang": lang, "quality": quality, "plan": plan,
                                                    "seconds": round(start, 3)}))
    figures = [Path(j.figure) for j in all_jobs if j.figure]
    return LectureResult(out, video, out / "lecture.srt", index_path, out / "chapters.ffmetadata", figures, rendered,
                         [j.chapter.id for j in all_jobs if j.chapter.id not in rendered], start)


def _chapter_title(chapter: Chapter, lang: str, word) -> str:
    from ..errors import ExplainerError as _E

    try:
        return word(f"lecture.chapter.{chapter.id}", lang)
    except _E:
        return chapter.id


def concat(videos: list[Path], output: Path) -> None:
    """Join videos made with the same encoder settings, without re-encoding (PyAV's concat demuxer)."""
    import io

    import av

    manifest = "ffconcat version 1.0\n" + "".join(f"file 'file:{p.resolve().as_posix()}'\n" for p in videos)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp.mp4")
    try:
        with av.open(io.BytesIO(manifest.encode()), format="concat", options={"safe": "0"}) as source, \
                av.open(str(tmp), mode="w") as target:
            target.metadata["comment"] = "Made by explainer from scenes rendered with Manim"
            stream_in = source.streams.video[0]
            stream_out = target.add_stream_from_template(template=stream_in)
            for packet in source.demux(stream_in):
                if packet.dts is None:
                    continue
                packet.dts = None
                packet.stream = stream_out
                target.mux(packet)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
