"""`explainer page`: a trace as one self-contained, interactive HTML page (`explainer.page`)."""

from __future__ import annotations

import click

from . import options


@click.command(help="Write a trace as one interactive HTML page that works offline.\n\n"
                    "The steps coloured by a unit, controls for layer, quantity and unit, every gate vector of a "
                    "hovered step, a heatmap of units × steps, LSTMVis's range selection and match search, the "
                    "discovered feature units of a text trace. With --baseline, the difference "
                    "(TRACE − BASELINE) of an intervened trace from the model as it is.")
@click.argument("trace", type=click.Path())
@click.option("--baseline", default=None, type=click.Path(), metavar="TRACE",
              help="The trace of the model as it is, on the same input: colour by TRACE − BASELINE.")
@options.lang
@click.option("--module", default=None, metavar="PATH",
              help="For a trace of several recurrent modules (a model with an encoder and a decoder): the one shown, "
                   "by its path (e.g. encoder.lstm).")
@options.row
@click.option("--start", type=int, default=None, help="First step shown [default: 0].")
@click.option("--steps", type=int, default=None,
              help="How many steps are shown [default: 10,000; longer traces are windowed, saying so].")
@options.unit
@options.feature
@click.option("--bits", type=click.Choice(["8", "16"]), default=None,
              help="Bits per stored value [default: 16 for up to a million values, else 8].")
@options.output("The page to write (.html).")
@options.force
def command(trace, baseline, lang, module, row, start, steps, unit, feature, bits, output, force) -> None:
    from .. import page
    from ..errors import ExplainerError
    from ..files import check_output

    if not str(output).lower().endswith((".html", ".htm")):
        raise ExplainerError(f"the page is HTML: give -o a name ending in .html, not '{output}'")
    check_output(output, force, kind="html", inputs=[trace, baseline])
    page.save(trace, output, baseline=baseline, lang=lang, module=module, row=row, start=start, steps=steps, unit=unit,
              feature=feature, bits=None if bits is None else int(bits))
    click.echo(f"wrote {output}")
