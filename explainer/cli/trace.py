"""`explainer trace`: record a checkpoint's model on its explanation input.

Which inputs a checkpoint can be explained on is its task's (`Task.trace_options`): every
task's options are offered, marked with the tasks that take them; one of another task is
refused in one line.
"""

from __future__ import annotations

import click

from ..tasks.registry import tasks
from . import options


def _decorate(fn):
    decorators = [
        click.command(help="Record a checkpoint's states and gates.\n\nThe input it is recorded on depends on the "
                           "checkpoint's task: " + "; ".join(f"{t.name}: {', '.join(o.flag for o in t.trace_options)}"
                                                            for t in tasks().values()) + "."),
        click.argument("checkpoint", type=click.Path()),
        options.output("Trace to write (.safetensors)."),
        *(options.task_option(o, takers) for o, takers in options.offered("trace_options").values()),
        click.option("--names", multiple=True,
                     help="Record only these names or glob patterns (repeatable), e.g. 'layers.*.gates.f'."),
        click.option("--float16", is_flag=True, help="Store the arrays as float16 (half the size)."),
        options.force,
    ]
    return options.decorated(fn, decorators)


@_decorate
def command(checkpoint, output, names, float16, force, **given) -> None:
    from ..files import check_output

    check_output(output, force, kind="trace", inputs=[checkpoint])
    from ..checkpoint import Checkpoint
    from ..explain import trace_checkpoint

    ckpt = Checkpoint.load(checkpoint)
    trace = trace_checkpoint(ckpt, names=list(names) or None, dtype="float16" if float16 else "float32", **given)
    trace.save(output)
    click.echo(f"recorded {len(trace)} arrays over {trace.num_steps} steps ({trace.kind}, {ckpt.task})")
    if trace.meta.get("tokenizer") == "chars":  # one character per step: the text itself says more
        text = "".join(trace.steps[:60])
        click.echo(f"text: {text!r}{' …' if trace.num_steps > 60 else ''}")
    else:
        click.echo(f"steps: {' '.join(trace.steps[:12])}{' …' if trace.num_steps > 12 else ''}")
    click.echo(f"wrote {output}")
