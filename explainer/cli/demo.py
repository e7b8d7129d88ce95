"""`explainer demo`: the main job of the README's first command.

For now it records a small LSTM reading the noisy sine of the source tutorial and prints
what the trace holds.
"""

from __future__ import annotations

import click


@click.command()
def command() -> None:
    """Record a small sine model and print its trace."""
    import numpy as np
    import torch

    import explainer
    from explainer.models import SequenceModel

    rng = np.random.default_rng(0)
    x = np.linspace(0, 36, 400)
    y = (np.sin(x) + rng.random(400) * 0.2).astype(np.float32)
    torch.manual_seed(0)
    model = SequenceModel("lstm", input_size=1, hidden_size=12)
    window = torch.from_numpy(y[310:320]).reshape(1, 10, 1)  # [batch, time, features]
    trace = explainer.record(model, window, steps=[f"{v:.2f}" for v in x[310:320]], meta={"task": "sine"})
    click.echo(repr(trace))
    f = trace["layers.0.gates.f"][0]
    click.echo(f"forget gate, mean over units at each step: {[round(float(v), 3) for v in f.mean(axis=1)]}")
