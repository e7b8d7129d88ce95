"""`explainer demo`: the main job of the README's first command.

Until the figures and the lecture exist, it records the shipped sine LSTM on the first
test window and the language LSTM on the source's passage, and prints what they hold.
"""

from __future__ import annotations

import click


@click.command()
def command() -> None:
    """Record the shipped models and print their traces."""

    from ..assets import checkpoint_path
    from ..checkpoint import Checkpoint
    from ..explain import trace_checkpoint

    sine = trace_checkpoint(Checkpoint.load(checkpoint_path("sine", "lstm", "tuned")))
    click.echo(repr(sine))
    f = sine["layers.0.gates.f"][0]
    click.echo(f"forget gate, mean over units at each step: {[round(float(v), 3) for v in f.mean(axis=1)]}")
    lang = trace_checkpoint(Checkpoint.load(checkpoint_path("language", "lstm")))
    units = lang.meta["units_found"]["gender"]["units"]
    click.echo("".join(lang.meta["words"]["zh"]))
    for word, fv in zip(lang.meta["words"]["en"], lang["layers.0.gates.f"][0][:, units]):
        click.echo(f"  {word:<26} forget gate on the gender units {[round(float(v), 2) for v in fv]}")
