"""`explainer animate`: render a Manim scene driven by a trace."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("scene", required=False)
@click.option("--list", "list_", is_flag=True, help="List the scenes with one line each.")
@click.option("--trace", "traces", multiple=True, help="Trace(s) to animate [default: the shipped ones]; LongRange takes two.")
@click.option("--step", type=int, default=None, help="Time step to explain (gate scenes).")
@options.lang
@click.option("-q", "--quality", type=click.Choice(["l", "m", "h", "k"]), default="l", show_default=True,
              help="l 480p15, m 720p30, h 1080p60, k 2160p60.")
@click.option("--fps", type=int, default=None, help="Frames per second [default: the quality's].")
@options.output("Output: .mp4, .gif, .webm, .mov, or .png for the last frame.", required=False)
@options.force
def command(scene, list_, traces, step, lang, quality, fps, output, force) -> None:
    """Render an animation (video, GIF or last frame)."""
    from ..errors import ExplainerError

    if list_:
        from animations import describe

        rows = describe()
        width = max(len(n) for n, _ in rows)
        for name, description in rows:
            click.echo(f"{name:<{width}}  {description}")
        return
    if not scene:
        raise ExplainerError("give a scene name (see `explainer animate --list`)")
    if output is None:
        raise ExplainerError("give an output file with -o, e.g. -o scene.mp4")
    from ..files import check_output
    from ..system import check_cairo, check_cjk_font

    check_output(output, force)
    check_cairo()
    check_cjk_font(lang)
    from animations import render

    path = render(scene, list(traces) or None, lang=lang, step=step, quality=quality, output=output, fps=fps,
                  progress=True)
    click.echo(f"wrote {path}")
