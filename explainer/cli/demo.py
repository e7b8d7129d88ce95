"""`explainer demo`: the main job of the README's first command.

From the shipped checkpoints it records every trace, makes every figure (English) and
renders a short low-quality lecture, then says what it wrote and where.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

#: Lecture chapters rendered at once, as `explainer lecture --jobs` takes them.
JOBS = (1, 64)


def _jobs(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """--jobs checked before any work starts (not after the traces and figures are written)."""
    from ..errors import ExplainerError

    if value is not None and not JOBS[0] <= value <= JOBS[1]:
        raise ExplainerError(f"--jobs must be between {JOBS[0]} and {JOBS[1]}, got {value}")
    return value


@click.command()
@click.option("-o", "--output", "output", type=click.Path(), default="explainer-demo", show_default=True,
              help="Directory to write into.")
@click.option("--jobs", type=int, default=None, callback=_jobs,
              help="Lecture chapters rendered in parallel, 1 to 64 [default: the number of cores].")
@click.option("--force", is_flag=True, help="Replace files in the directory that explainer did not make.")
def command(output, jobs, force) -> None:
    """Traces, every figure and a short lecture, from the shipped models."""
    from .. import assets, figures
    from ..checkpoint import Checkpoint
    from ..errors import ExplainerError
    from ..explain import default_traces
    from ..figures.registry import specs
    from ..files import check_output
    from ..lecture import make_lecture
    from ..lecture.build import _make_dir

    from ..system import check_cairo

    check_cairo()
    start = time.perf_counter()
    out = Path(output)
    _make_dir(out)
    trace_dir, figure_dir = out / "traces", out / "figures"
    for folder in (trace_dir, figure_dir):
        if folder.exists() and not folder.is_dir():
            raise ExplainerError(f"cannot write the demo into '{out}': '{folder}' is a file; move it away")
    for name in specs():  # a user's file there is refused before any work (the traces: before each is written)
        if figure_dir.is_dir():
            check_output(figure_dir / f"{name}.png", force)
    trace_dir.mkdir(exist_ok=True)
    figure_dir.mkdir(exist_ok=True)

    written = []
    for path in sorted((assets.root() / "checkpoints").glob("*.safetensors")):
        if not (assets.root() / "traces" / path.name).exists():
            continue  # strategy checkpoints: drawn from their metadata, nothing to record
        for name, trace in default_traces(path.stem, Checkpoint.load(path)).items():
            written.append(trace.save(check_output(trace_dir / f"{name}.safetensors", force, kind="trace")))
    click.echo(f"recorded {len(written)} traces into {trace_dir}/", err=True)

    made = []
    for name, spec in specs().items():
        source = None
        if spec.source == "trace":
            source = trace_dir / f"{spec.default[0]}.safetensors"
        made.append(figures.save(figures.make(name, source, lang="en"), figure_dir / f"{name}.png"))
    click.echo(f"made {len(made)} figures into {figure_dir}/", err=True)

    lecture = make_lecture(out / "lecture", lang="en", quality="l", jobs=jobs, plan="short", traces_dir=trace_dir,
                           progress=lambda message: click.echo(f"lecture: {message}", err=True), force=force)
    seconds = time.perf_counter() - start
    click.echo(f"\nexplainer demo wrote, in {seconds:.0f} s:")
    click.echo(f"  {len(written)} traces        {trace_dir}/")
    click.echo(f"  {len(made)} figures       {figure_dir}/  (e.g. {made[1].name}, {made[5].name})")
    click.echo(f"  a {lecture.seconds:.0f} s lecture  {lecture.video}")
    click.echo(f"                    {lecture.subtitles}, {lecture.chapters}")
    click.echo("Next: `explainer figure --list`, `explainer animate --list`, `explainer lecture --lang zh -o lecture-zh`.")
