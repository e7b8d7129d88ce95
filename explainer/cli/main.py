"""The `explainer` command: a click group whose commands live one per module.

Commands are thin: parse, call the library, print. Their modules are imported only when
needed, so `explainer --help` stays quick and torch is loaded only by commands that use
it. An `ExplainerError` raised anywhere becomes one line on stderr (`error: …`) and exit
status 1, never a traceback; click's own usage errors exit with 2.

Ctrl-C and SIGTERM (`explainer.interrupts`) raise in the main thread, so every temporary
file and render directory is removed on the way out, and end the command with the
shell's status for the signal (130 for Ctrl-C, 143 for SIGTERM) and one line, never a
"wrote" line and never an output file: each output's final rename checks for a signal
first, even one a library swallowed.
"""

from __future__ import annotations

import importlib
import signal
import sys
import warnings

import click

from .. import interrupts
from ..errors import ExplainerError

#: command name -> module under explainer.cli that defines `command`
COMMANDS = {
    "train": "train",
    "import": "import_model",
    "trace": "trace",
    "inspect": "inspect",
    "units": "units",
    "figure": "figure",
    "animate": "animate",
    "lecture": "lecture",
    "page": "page",
    "slides": "slides",
    "demo": "demo",
}


class UserError(click.ClickException):
    """An ExplainerError on its way out: printed as one line."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.message}", err=True)


class Stopped(click.ClickException):
    """Ctrl-C or SIGTERM on its way out: one line, the shell's status for the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__("interrupted")
        self.exit_code = 128 + signum
        self.signum = signum

    def show(self, file=None) -> None:
        name = "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name
        click.echo(f"interrupted ({name}); unfinished outputs were removed", err=True)


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
            result = super().invoke(ctx)
        except KeyboardInterrupt as e:
            raise Stopped(getattr(e, "signum", signal.SIGINT)) from None
        except click.exceptions.Exit:
            raise
        except Exception as e:
            if interrupts.received() is not None:  # what a swallowed signal left behind
                raise Stopped(interrupts.received()) from None
            if isinstance(e, ExplainerError):
                raise UserError(str(e)) from None
            raise
        if interrupts.received() is not None:
            raise Stopped(interrupts.received())
        return result


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="explainer")
def cli() -> None:
    """Make recurrent networks visible: train, record, draw and animate RNNs, LSTMs and GRUs."""


def one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning on the command line: `warning: ...`, one line, never our source file and line."""
    print(f"warning: {message}", file=file or sys.stderr)


def main() -> None:
    """Entry point of the console script: Ctrl-C and SIGTERM raise (and clean up) from here on."""
    warnings.showwarning = one_line_warning
    with interrupts.trapped():
        try:
            cli(prog_name="explainer")
        except SystemExit as e:
            signum = interrupts.received()
            if signum is not None and e.code != 128 + signum:  # interrupted outside a command (click said "Aborted!")
                raise SystemExit(128 + signum) from None
            raise


if __name__ == "__main__":
    main()
