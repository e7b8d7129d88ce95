"""The one exception type a user of explainer ever needs to read.

Every problem caused by input (a missing or corrupt file, a wrong shape, an unknown
name, an absurd size) is raised as `ExplainerError` with a one-line message that says
what is wrong and what to do. The CLI prints exactly that line and exits non-zero;
Python callers can catch it. Programming errors stay ordinary exceptions.
"""

from __future__ import annotations


class ExplainerError(Exception):
    """A user-facing problem, described in one line.

    >>> raise ExplainerError("no such file 'a.safetensors'; train one with `explainer train`")
    Traceback (most recent call last):
    ...
    explainer.errors.ExplainerError: no such file 'a.safetensors'; train one with `explainer train`
    """

    def __init__(self, message: str) -> None:
        # Keep it to one line: messages are printed verbatim by the CLI.
        super().__init__(" ".join(str(message).split()))


class UnknownNameError(ExplainerError, KeyError):
    """A name (trace array, figure, scene, word) that does not exist; lists the valid ones."""

    def __init__(self, what: str, name: str, valid: list[str] | tuple[str, ...], limit: int = 30) -> None:
        shown = list(valid)[:limit]
        more = f" (and {len(valid) - limit} more)" if len(valid) > limit else ""
        super().__init__(f"unknown {what} {name!r}; valid: {', '.join(shown)}{more}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0]
