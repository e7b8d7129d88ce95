"""How the command-line tests run a command and check a refusal, written once.

A refusal is one line, `error: ...`, matching what the test expects, with exit code 1
and no traceback; `run` lets any other exception through, so a crash fails the test
instead of passing for an exit code.
"""

from __future__ import annotations

import re

from click.testing import CliRunner, Result

from explainer.cli.main import cli


def run(*args) -> Result:
    """`explainer ARGS...` in this process."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result: Result, pattern: str) -> None:
    """The command refused in one line `error: ...` that matches `pattern` (a regular expression)."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    assert re.search(pattern, lines[0]), lines[0]
