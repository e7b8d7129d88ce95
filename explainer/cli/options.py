"""Options shared by several commands, defined once."""

from __future__ import annotations

import click

from ..files import check_writable
from ..quality import QUALITIES, describe
from ..style import LANGS
from ..tasks.registry import Option, tasks


def _writable(ctx: click.Context, param: click.Parameter, value):
    if value is None:
        return value
    return check_writable(value)


def output(help: str, required: bool = True):
    """-o/--output FILE, checked for writability before any work starts."""
    return click.option("-o", "--output", "output", type=click.Path(), required=required,
                        callback=_writable, help=help)


lang = click.option("--lang", type=click.Choice(list(LANGS)), default="en", show_default=True,
                    help="Language of labels and words.")


force = click.option("--force", is_flag=True,
                     help="Replace an existing output even if explainer did not make it, it is this command's input, "
                          "or it is an explainer file of another kind.")


def quality(default: str = "l"):
    """-q/--quality: one letter of the quality table."""
    return click.option("-q", "--quality", type=click.Choice(list(QUALITIES)), default=default, show_default=True,
                        help=describe() + ".")


def _units(ctx: click.Context, param: click.Parameter, value):
    """'0,3,7' (or '0 3 7') -> [0, 3, 7]."""
    if value is None:
        return None
    parts = [p for p in value.replace(",", " ").split() if p]
    try:
        units = [int(p) for p in parts]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a list of unit numbers; write e.g. --units 0,3,7") from None
    if not units:
        raise click.BadParameter("give one or more unit numbers, e.g. --units 0,3,7")
    return units


layer = click.option("--layer", type=int, default=None,
                     help="Layer to show [default: the top layer, whose h the readout sees].")
units = click.option("--units", default=None, callback=_units, metavar="N,N,...",
                     help="Units to show, by their numbers in the model [default: the discovered ones, else the largest].")
row = click.option("--row", type=int, default=None, help="Batch row (sequence) to show [default: 0].")
step = click.option("--step", type=int, default=None, help="Time step to explain [default: the trace's telling step].")
unit = click.option("--unit", default=None, metavar="L.KIND.N",
                    help="One unit: layer, state (h, c) or gate letter, unit number, e.g. 1.c.98 "
                         "[default: the best discovered unit].")
feature = click.option("--feature", default=None, metavar="NAME",
                       help="Follow the best unit discovered for this feature, e.g. indent.")


# -- options the tasks declare (explainer/tasks/registry.py) ---------------------------------
def offered(which: str = "options") -> dict[str, tuple[Option, list[str]]]:
    """Every task's own options (`options` for training, `trace_options` for recording), by name
    (the first declaration of a name), each with the tasks that take it."""
    found: dict[str, tuple[Option, list[str]]] = {}
    for task in tasks().values():
        for option in getattr(task, which):
            found.setdefault(option.name, (option, []))[1].append(task.name)
    return found


def task_option(option: Option, takers: list[str] | None = None):
    """A click option for a task option: default None (= keep the preset), help marked with its tasks."""
    kind = click.Choice(list(option.choices)) if option.choices else option.type
    help = f"[{', '.join(takers)}] {option.help}" if takers else option.help
    return click.option(option.flag, option.name, type=kind, default=None, help=help)


def decorated(fn, decorators: list):
    """`fn` with click decorators applied as if written top to bottom above it."""
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn
