"""`explainer train TASK`: train a model on a task and save a checkpoint.

The tasks, their presets and their own options come from the task registry
(`explainer/tasks/registry.py`): every task's options are offered, each marked with the
tasks that take it, and an option the chosen task does not take is refused in one line.
"""

from __future__ import annotations

import click

from ..kinds import FAMILIES
from ..tasks.registry import trainable as tasks
from ..training.config import COMMON
from . import options


def _decorate(fn):
    task_options = options.offered()
    presets = list(dict.fromkeys(p for t in tasks().values() for p in t.presets))
    defaults = ", ".join(f"{next(iter(t.presets))} for {t.name}" for t in tasks().values())
    decorators = [
        click.command(help="Train a model and save a checkpoint.\n\nTASK: "
                           + "; ".join(f"{t.name}, {t.description}" for t in tasks().values()) + ".",
                      short_help="Train a model and save a checkpoint."),
        click.argument("task", type=click.Choice(list(tasks()))),
        click.option("--model", type=click.Choice(list(FAMILIES)), default=None,
                     help="Recurrent cell. [default: " + ", ".join(
                         f"{t.default_model} for {t.name}" for t in tasks().values()) + "]"),
        click.option("--preset", type=click.Choice(presets), default=None,
                     help=f"A task's set of values (seed: the source's setup; tuned: what a careful practitioner does). "
                          f"[default: {defaults}]"),
        *(options.task_option(o) for o in COMMON),
        *(options.task_option(o, takers) for o, takers in task_options.values()),
        options.output("Checkpoint to write (.safetensors)."),
        options.force,
    ]
    return options.decorated(fn, decorators)


@_decorate
def command(task, model, preset, output, force, **given) -> None:
    from ..files import check_output
    from ..tasks.registry import get, refuse
    from ..training.config import takes

    spec = get(task)
    flags = {o.name: o.flag for o in COMMON + tuple(o for o, _ in options.offered().values())}
    given = {name: value for name, value in given.items() if value is not None}
    refuse(spec, given, ["model", "preset"] + [n for n in takes(task) if n in flags],
           lambda name: flags.get(name, f"--{name}"))
    parsers = {o.name: o.parse for o in spec.options if o.parse}
    given = {name: parsers[name](value) if name in parsers else value for name, value in given.items()}
    check_output(output, force, kind="checkpoint")
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..training import preset_config, train

    config = preset_config(task, model or spec.default_model, preset, **given)
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
    """A few lines of metrics for the terminal: a head line, then the task's own."""
    from ..tasks.registry import get

    t = meta["train"]
    head = f"{t['task']} {meta['model']['kind']} preset={t['preset']} seed={t['seed']} updates={len(meta['history']['loss'])}"
    return "\n".join([head] + get(t["task"]).summary(meta))
