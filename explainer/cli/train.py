"""`explainer train`: train a model on the sine or the toy language and save a checkpoint."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("task", type=click.Choice(["sine", "language"]))
@click.option("--model", type=click.Choice(["rnn", "lstm", "gru"]), default="rnn", show_default=True, help="Recurrent cell.")
@click.option("--preset", type=click.Choice(["seed", "tuned"]), default=None,
              help="seed: the source's setup (sine); tuned: what a careful practitioner does. [default: seed for sine, tuned for language]")
@click.option("--hidden", type=int, default=None, help="Hidden size (overrides the preset).")
@click.option("--seq-len", type=int, default=None, help="Window length for sine [preset: 10].")
@click.option("--strategy", type=click.Choice(["sequential", "epochs", "random"]), default=None,
              help="sequential: one pass in order; epochs: N passes; random: N random windows (sine).")
@click.option("--epochs", type=int, default=None, help="Passes for --strategy epochs.")
@click.option("--iters", type=int, default=None, help="Updates for --strategy random, or for the language task.")
@click.option("--batch-size", type=int, default=None, help="Windows or passages per update (0 = all windows).")
@click.option("--lr", type=float, default=None, help="Learning rate.")
@click.option("--optimizer", type=click.Choice(["sgd", "adam"]), default=None, help="Optimizer (overrides the preset).")
@click.option("--clip", type=float, default=None, help="Clip the gradient norm to this value.")
@click.option("--features", default=None, help="Extra sine input columns, comma-separated: cos, diff, lag3 (input_size > 1).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the data, the initial weights and the sampling.")
@options.output("Checkpoint to write (.safetensors).")
@options.force
def command(task, model, preset, hidden, seq_len, strategy, epochs, iters, batch_size, lr, optimizer, clip, features,
            seed, output, force) -> None:
    """Train a model and save a checkpoint."""
    from ..files import check_output

    check_output(output, force)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..training import preset_config, train

    config = preset_config(task, model, preset, hidden_size=hidden, seq_len=seq_len, strategy=strategy, epochs=epochs,
                           iters=iters, batch_size=batch_size, lr=lr, optimizer=optimizer, clip=clip, seed=seed,
                           features=tuple(f.strip() for f in features.split(",") if f.strip()) if features else None)
    if task == "sine":
        from ..tasks.sine import make_data

        make_data(config.seed, config.seq_len, config.features)  # check features and length before training
    err = Console(stderr=True)
    with Progress(TextColumn("[bold]training[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("loss {task.fields[loss]:.4f}"), TimeElapsedColumn(), console=err, transient=True) as bar:
        job = bar.add_task(f"{task} {config.kind} ({config.preset})", total=None, loss=float("nan"))

        def progress(done: int, total: int, loss: float) -> None:
            if done % 10 == 0 or done == total:
                bar.update(job, completed=done, total=total, loss=loss)

        ckpt = train(config, progress)
    ckpt.save(output)
    click.echo(summary(ckpt.meta))
    click.echo(f"wrote {output}")


def summary(meta: dict) -> str:
    """A few lines of metrics for the terminal."""
    m = meta["metrics"]
    t = meta["train"]
    head = f"{t['task']} {meta['model']['kind']} preset={t['preset']} seed={t['seed']} updates={len(meta['history']['loss'])}"
    if t["task"] == "sine":
        u = meta["eval"]["untrained_metrics"]
        return (f"{head}\n"
                f"single-step MSE {m['mse_single']:.4f} (untrained {u['mse_single']:.4f})\n"
                f"multi-step MSE  {m['mse_multi']:.4f} (untrained {u['mse_multi']:.4f})\n"
                f"noise floor     {m['noise_floor']:.4f}  (single-step / floor = {m['mse_single'] / m['noise_floor']:.2f})")
    rows = "  ".join(f"{b}:{a:.2f}" for b, a in m["accuracy_by_distance"].items())
    lines = [head, f"pronoun accuracy by distance  {rows}",
             f"pronoun accuracy {m['pronoun_accuracy']:.3f}  language accuracy {m['language_accuracy']:.3f}"]
    g = meta.get("units", {}).get("gender")
    if g:
        lines.append(f"gender units ({g['state']}): {g['units']} correlation {[round(c, 2) for c in g['correlation']]}")
        if "forget_at_new_subject" in g:
            lines.append(f"forget gate on them: {g['forget_at_new_subject']:.3f} at a new subject's name, "
                         f"{g['forget_at_new_gender_word']:.3f} at its gender word, {g['forget_elsewhere']:.3f} elsewhere")
    return "\n".join(lines)
