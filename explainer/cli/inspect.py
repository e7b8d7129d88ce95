"""`explainer inspect`: what a checkpoint or trace holds, as a table or as JSON."""

from __future__ import annotations

import json

import click


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
    from rich.table import Table

    console = Console()
    if info["kind"] == "trace":
        meta = info["meta"]
        console.print(f"[bold]trace[/] {file}: {meta.get('kind')} · task {meta.get('task')} · "
                      f"{len(meta.get('steps', []))} steps · intervened {meta.get('intervened') or 'no'}")
        table = Table("name", "shape", "dtype", "min", "max", "mean")
        for a in info["arrays"]:
            table.add_row(a["name"], str(a["shape"]), a["dtype"], *(_num(a[k]) for k in ("min", "max", "mean")))
        console.print(table)
        steps = meta.get("steps", [])
        console.print(f"steps: {' '.join(steps[:20])}{' …' if len(steps) > 20 else ''}")
        if meta.get("nonfinite"):
            console.print(f"[yellow]NaN/Inf values:[/] {meta['nonfinite']}")
        return
    console.print(f"[bold]checkpoint[/] {file}: {info['model']['kind']} · task {info['train']['task']} · "
                  f"preset {info['train'].get('preset')} · seed {info['train']['seed']} · {info['parameters']} parameters · "
                  f"{info['history']['updates']} updates")
    table = Table("metric", "value")
    for key, value in info["metrics"].items():
        if isinstance(value, dict):
            value = "  ".join(f"{k}: {_num(v)}" for k, v in value.items())
        table.add_row(key, _num(value) if not isinstance(value, str) else value)
    console.print(table)
    gender = info["units"].get("gender")
    if gender:
        console.print(f"gender units ({gender['state']}): {gender['units']}")
    weights = Table("weight", "shape")
    for w in info["weights"]:
        weights.add_row(w["name"], str(w["shape"]))
    console.print(weights)


def _num(v) -> str:
    if v is None:
        return "—"
    return f"{v:.4g}" if isinstance(v, float) else str(v)
