"""`explainer trace`: record a checkpoint's model on its explanation input."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("checkpoint", type=click.Path())
@options.output("Trace to write (.safetensors).")
@click.option("--start", type=int, default=None, help="Sine: first data point of the window [default: 310, the first test window].")
@click.option("--steps", type=int, default=None, help="Sine: points to record [default: the window length]; 80 from 320 is the whole test range.")
@click.option("--windows", type=int, default=1, show_default=True,
              help="Sine: record this many consecutive windows as batch rows (for sliding-window pictures).")
@click.option("--text", default=None, help='Language: your own passage, e.g. "Alice is a female teacher, she loves music".')
@click.option("--passage", type=click.Choice(["source", "long"]), default="source", show_default=True,
              help="Language: the source's two-subject passage, or a long one (60 filler tokens).")
@options.lang
@click.option("--names", multiple=True, help="Record only these names or glob patterns (repeatable), e.g. 'layers.*.gates.f'.")
@click.option("--float16", is_flag=True, help="Store the arrays as float16 (half the size).")
@options.force
def command(checkpoint, output, start, steps, windows, text, passage, lang, names, float16, force) -> None:
    """Record a checkpoint's states and gates."""
    from ..files import check_output

    check_output(output, force)
    from ..checkpoint import Checkpoint
    from ..explain import trace_checkpoint

    ckpt = Checkpoint.load(checkpoint)
    trace = trace_checkpoint(ckpt, start=start, steps=steps, windows=windows, text=text, lang=lang, passage=passage,
                             names=list(names) or None, dtype="float16" if float16 else "float32")
    trace.save(output)
    click.echo(f"recorded {len(trace)} arrays over {trace.num_steps} steps ({trace.kind}, {ckpt.task})")
    click.echo(f"steps: {' '.join(trace.steps[:12])}{' …' if trace.num_steps > 12 else ''}")
    click.echo(f"wrote {output}")
