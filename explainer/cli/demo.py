"""`explainer demo`: the main job of the README's first command.

From the shipped checkpoints it records every trace, makes every figure (English) and
renders a short low-quality lecture, then says what it wrote and where.
"""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.command()
@click.option("-o", "--output", "output", type=click.Path(), default="explainer-demo", show_default=True,
              help="Directory to write into.")
@click.option("--jobs", type=int, default=None, help="Lecture chapters rendered in parallel [default: the number of cores].")
def command(output, jobs) -> None:
    """Traces, every figure and a short lecture, from the shipped models."""
    from .. import assets, figures
    from ..checkpoint import Checkpoint
    from ..explain import default_traces
    from ..figures.registry import specs
    from ..lecture import make_lecture
    from ..lecture.build import _make_dir

    from ..system import check_cairo

    check_cairo()
    start = time.perf_counter()
    out = Path(output)
    _make_dir(out)
    trace_dir, figure_dir = out / "traces", out / "figures"
    trace_dir.mkdir(exist_ok=True)
    figure_dir.mkdir(exist_ok=True)

    written = []
    for path in sorted((assets.root() / "checkpoints").glob("*.safetensors")):
        if not (assets.root() / "traces" / path.name).exists():
            continue  # strategy checkpoints: drawn from their metadata, nothing to record
        for name, trace in default_traces(path.stem, Checkpoint.load(path)).items():
            written.append(trace.save(trace_dir / f"{name}.safetensors"))
    click.echo(f"recorded {len(written)} traces into {trace_dir}/", err=True)

    made = []
    for name, spec in specs().items():
        source = None
        if spec.source == "trace":
            source = trace_dir / f"{spec.default[0]}.safetensors"
        made.append(figures.save(figures.make(name, source, lang="en"), figure_dir / f"{name}.png"))
    click.echo(f"made {len(made)} figures into {figure_dir}/", err=True)

    lecture = make_lecture(out / "lecture", lang="en", quality="l", jobs=jobs, plan="short", traces_dir=trace_dir,
                           progress=lambda message: click.echo(f"lecture: {message}", err=True))
    seconds = time.perf_counter() - start
    click.echo(f"\nexplainer demo wrote, in {seconds:.0f} s:")
    click.echo(f"  {len(written)} traces        {trace_dir}/")
    click.echo(f"  {len(made)} figures       {figure_dir}/  (e.g. {made[1].name}, {made[5].name})")
    click.echo(f"  a {lecture.seconds:.0f} s lecture  {lecture.video}")
    click.echo(f"                    {lecture.subtitles}, {lecture.chapters}")
    click.echo("Next: `explainer figure --list`, `explainer animate --list`, `explainer lecture --lang zh -o lecture-zh`.")
