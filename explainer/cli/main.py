"""The `explainer` command: a click group whose commands live one per module.

Commands are thin: parse, call the library, print. Their modules are imported only when
needed, so `explainer --help` stays quick and torch is loaded only by commands that use
it. Every `ExplainerError` becomes one line on stderr and exit status 1; Ctrl-C exits
with 130 after the command has cleaned up its temporary files.
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import ExplainerError

#: command name -> module under explainer.cli that defines `command`
COMMANDS = {
    "demo": "demo",
}


class LazyGroup(click.Group):
    """A group that imports a command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"explainer.cli.{COMMANDS[name]}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="explainer")
def cli() -> None:
    """Make recurrent networks visible: train, record, draw and animate RNNs, LSTMs and GRUs."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    try:
        cli.main(args=argv, prog_name="explainer", standalone_mode=False)
    except ExplainerError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
