"""`explainer inspect`: what a checkpoint or trace holds, as a table or as JSON.

Read from the file's header only (`explainer.describe`): names, shapes, dtypes and
metadata, so a trace of any size is inspected at once. Everything that comes from the
file (labels, names, metadata) is printed as plain text: rich markup such as `[bold]`
in a step label is shown as written, never interpreted.
"""

from __future__ import annotations

import json

import click

#: How many step labels are listed, and how many characters of each.
SHOWN_STEPS = 20
SHOWN_CHARS = 40


@click.command()
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def command(file, as_json) -> None:
    """Show what a checkpoint or trace holds."""
    from ..describe import describe

    info = describe(file)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console(highlight=False)
    if info["kind"] == "trace":
        _trace(console, file, info)
    else:
        _checkpoint(console, file, info)


def _trace(console, file, info) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..memory import format_bytes

    meta = info["meta"]
    steps = meta.get("steps") or []
    console.print(Text.assemble(("trace", "bold"), f" {file}: {meta.get('kind')} · task {meta.get('task')} · "
                                f"{len(steps)} steps · intervened {_plain(meta.get('intervened')) or 'no'}"))
    table = Table("name", "shape", "dtype", "size")
    for a in info["arrays"]:
        table.add_row(Text(a["name"]), Text(str(a["shape"])), Text(a["dtype"]), Text(format_bytes(a["bytes"])))
    console.print(table)
    shown = " ".join(_cut(s) for s in steps[:SHOWN_STEPS])
    console.print(Text(f"steps: {shown}{' …' if len(steps) > SHOWN_STEPS else ''}"))
    if meta.get("nonfinite"):
        console.print(Text.assemble(("NaN/Inf values:", "yellow"), f" {_plain(meta['nonfinite'])}"))


def _checkpoint(console, file, info) -> None:
    from rich.table import Table
    from rich.text import Text

    train = info["train"]
    if "factory" in train:  # brought in with `explainer import`
        trained = f"imported from {train['factory']} ({train['weights']}, recording {train['module']})"
    else:
        trained = f"preset {train.get('preset')} · seed {train['seed']} · {info['history']['updates']} updates"
    console.print(Text.assemble(("checkpoint", "bold"), f" {file}: {info['model']['kind']} · task {train['task']} · "
                                f"{trained} · {info['parameters']} parameters"))
    table = Table("metric", "value")
    for key, value in info["metrics"].items():
        if isinstance(value, dict):
            value = "  ".join(f"{k}: {_num(v)}" for k, v in value.items())
        table.add_row(Text(key), Text(_num(value) if not isinstance(value, str) else value))
    if info["metrics"]:
        console.print(table)
    gender = info["units"].get("gender")
    if gender:
        console.print(Text(f"gender units ({gender.get('state', 'h')}): {gender['units']}"))
    weights = Table("weight", "shape")
    for w in info["weights"]:
        weights.add_row(Text(w["name"]), Text(str(w["shape"])))
    console.print(weights)


def _cut(label: str) -> str:
    return label if len(label) <= SHOWN_CHARS else label[:SHOWN_CHARS - 1] + "…"


def _plain(value) -> str:
    """A metadata value as short plain text."""
    if not value:
        return ""
    text = ", ".join(f"{k} = {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return text if len(text) <= 4 * SHOWN_CHARS else text[:4 * SHOWN_CHARS - 1] + "…"


def _num(v) -> str:
    if v is None:
        return "—"
    return f"{v:.4g}" if isinstance(v, float) else str(v)
