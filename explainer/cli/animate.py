"""`explainer animate`: render a Manim scene driven by a trace."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("scene", required=False)
@click.option("--list", "list_", is_flag=True, help="List the scenes with one line each.")
@click.option("--trace", "traces", multiple=True, help="Trace(s) to animate [default: the shipped ones]; LongRange takes two.")
@options.step
@options.layer
@options.units
@options.row
@options.unit
@options.feature
@options.lang
@options.quality()
@click.option("--fps", type=int, default=None, help="Frames per second [default: the quality's].")
@options.output("Output: .mp4, .gif, .webm, .mov, or .png for the last frame.", required=False)
@options.force
@click.option("--voice", default="none", show_default=True, metavar="VOICE",
              help="none, espeak or piper: speak each caption as it appears (the scene waits for it); .mp4 only.")
def command(scene, list_, traces, step, layer, units, row, unit, feature, lang, quality, fps, output, force,
            voice) -> None:
    """Render an animation (video, GIF or last frame).

    --step, --layer, --units, --row, --unit and --feature go to scenes that read them (`--list` says which);
    a scene refuses one it does not read. The EXPLAINER_ environment variables are read
    only by the plain `manim` command, never here.
    """
    from ..errors import ExplainerError

    if list_:
        from animations.registry import specs

        rows = list(specs().values())
        width = max(len(s.name) for s in rows)
        for spec in rows:
            takes = " ".join(f"--{o}" for o in spec.options)
            click.echo(f"{spec.name:<{width}}  {spec.description}" + (f" [{takes}]" if takes else ""))
        return
    if not scene:
        raise ExplainerError("give a scene name (see `explainer animate --list`)")
    if output is None:
        raise ExplainerError("give an output file with -o, e.g. -o scene.mp4")
    from ..files import check_output
    from ..system import check_cairo, check_cjk_font

    check_output(output, force, inputs=traces)
    check_cairo()
    check_cjk_font(lang)
    from animations import render

    given = {k: v for k, v in {"step": step, "layer": layer, "units": units, "row": row, "unit": unit,
                               "feature": feature}.items() if v is not None}
    path = render(scene, list(traces) or None, lang=lang, quality=quality, output=output, fps=fps, progress=True,
                  options=given, voice=voice)
    click.echo(f"wrote {path}")
