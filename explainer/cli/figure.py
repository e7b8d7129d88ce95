"""`explainer figure`: draw a figure by name as PNG, SVG or PDF (the text figure also as an HTML page)."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the figures with one line each.")
@click.option("--trace", "trace", default=None, help="Trace to draw [default: the shipped one].")
@click.option("--checkpoint", "checkpoints", multiple=True, help="Checkpoint(s) to draw [default: the shipped ones].")
@options.lang
@options.step
@click.option("--focus", type=click.Choice(["forget", "input", "cell", "output"]), default=None,
              help="lstm-cell: light this path and dim the rest.")
@options.layer
@options.units
@options.row
@options.unit
@options.feature
@click.option("--dpi", type=int, default=100, show_default=True, help="Resolution of PNG output.")
@options.output("Output file; the format follows the suffix: .png, .svg or .pdf (.html for text).", required=False)
@options.force
def command(name, list_, trace, checkpoints, lang, step, focus, layer, units, row, unit, feature, dpi, output,
            force) -> None:
    """Draw a figure (PNG, SVG or PDF; the text figure also as a self-contained HTML page).

    --step, --focus, --layer, --units, --row, --unit and --feature go to the figures that take
    them (`explainer figure --list` names them); any other figure refuses them.
    """
    from .. import figures
    from ..errors import ExplainerError
    from ..figures.registry import get, specs

    if list_:
        width = max(len(n) for n in figures.names())
        for n, description in figures.describe():
            takes = " ".join(f"--{o}" for o in specs()[n].options)
            click.echo(f"{n:<{width}}  {description}" + (f" [{takes}]" if takes else ""))
        return
    if not name:
        raise ExplainerError("give a figure name (see `explainer figure --list`)")
    spec = get(name)
    if output is None:
        raise ExplainerError("give an output file with -o, e.g. -o figure.svg")
    from ..files import check_output

    check_output(output, force, inputs=[trace, *checkpoints])
    from ..system import check_cjk_font

    check_cjk_font(lang)
    if trace and spec.source != "trace":
        raise ExplainerError(f"figure {name} reads {'a checkpoint' if spec.source == 'checkpoint' else 'checkpoints'},"
                             " not a trace; use --checkpoint")
    if checkpoints and spec.source == "trace":
        raise ExplainerError(f"figure {name} reads a trace, not a checkpoint; use --trace")
    source = trace if trace else (list(checkpoints) if spec.source == "checkpoints" else (checkpoints[0] if checkpoints else None))
    if spec.source == "checkpoint" and len(checkpoints) > 1:
        raise ExplainerError(f"figure {name} reads one checkpoint, {len(checkpoints)} were given")
    chosen = dict(step=step, focus=focus, layer=layer, units=units, row=row, unit=unit, feature=feature)
    if str(output).lower().endswith(".html"):
        from ..figures.text_html import save_html

        save_html(name, source, output, lang=lang, **chosen)
        click.echo(f"wrote {output}")
        return
    fig = figures.make(name, source, lang=lang, **chosen)
    figures.save(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")
