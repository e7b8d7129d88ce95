"""The `explainer` command: a click group whose commands live one per module.

Commands are thin: parse, call the library, print. Their modules are imported only when
needed, so `explainer --help` stays quick and torch is loaded only by commands that use
it. An `ExplainerError` raised anywhere becomes one line on stderr (`error: …`) and exit
status 1, never a traceback; click's own usage errors exit with 2.
"""

from __future__ import annotations

import importlib

import click

from ..errors import ExplainerError

#: command name -> module under explainer.cli that defines `command`
COMMANDS = {
    "train": "train",
    "trace": "trace",
    "inspect": "inspect",
    "figure": "figure",
    "animate": "animate",
    "lecture": "lecture",
    "demo": "demo",
}


class UserError(click.ClickException):
    """An ExplainerError on its way out: printed as one line."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.message}", err=True)


class LazyGroup(click.Group):
    """A group that imports a command's module on first use and turns our errors into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"explainer.cli.{COMMANDS[name]}").command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ExplainerError as e:
            raise UserError(str(e)) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="explainer")
def cli() -> None:
    """Make recurrent networks visible: train, record, draw and animate RNNs, LSTMs and GRUs."""


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="explainer")


if __name__ == "__main__":
    main()
