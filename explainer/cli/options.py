"""Options shared by several commands, defined once."""

from __future__ import annotations

import click

from ..files import check_writable


def _writable(ctx: click.Context, param: click.Parameter, value):
    if value is None:
        return value
    return check_writable(value)


def output(help: str, required: bool = True):
    """-o/--output FILE, checked for writability before any work starts."""
    return click.option("-o", "--output", "output", type=click.Path(), required=required,
                        callback=_writable, help=help)


lang = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                    help="Language of labels and words.")


force = click.option("--force", is_flag=True, help="Replace the output file even if explainer did not make it.")
