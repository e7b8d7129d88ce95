"""Ctrl-C and SIGTERM as an exception in the main thread, and a record that one came.

Inside `trapped()`, SIGINT and SIGTERM raise `Interrupted` (a KeyboardInterrupt) in the
main thread, so every `finally` and context manager on the way out runs: temporary files
and render directories are removed, SIGTERM included (its default action kills the
process without any clean-up). The signal is also recorded, because a library may catch
the exception and carry on (a C callback that cannot raise, a `except BaseException`
that logs): `check()` raises it again, and every commit of an output (the rename onto
its final name) calls `check()` first. So an interrupted command never leaves an output
behind, whatever swallowed the first exception.

    >>> with trapped():
    ...     check()          # no signal came: nothing happens
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)

_received: int | None = None
_depth = 0


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; `exit_code` is the shell's 128 + signal number (130 for Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _handler(signum: int, frame) -> None:
    global _received
    _received = signum
    raise Interrupted(signum)


def received() -> int | None:
    """The signal that arrived inside the outermost `trapped()` block, if any."""
    return _received


def check() -> None:
    """Raise `Interrupted` if a signal arrived (even if whoever got the exception swallowed it)."""
    if _received is not None:
        raise Interrupted(_received)


@contextmanager
def trapped() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` inside the block; re-entrant; the main thread only.

    A handler someone else installed is left alone (only Python's defaults are replaced),
    and the previous handlers come back at the end. A signal whose exception was swallowed
    inside the block is raised when the block ends, also in place of any error it caused.
    """
    global _depth, _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    if _depth == 0:
        _received = None
        for signum in SIGNALS:
            current = signal.getsignal(signum)
            if current in (signal.SIG_DFL, signal.default_int_handler):
                previous[signum] = signal.signal(signum, _handler)
    _depth += 1
    try:
        yield
    except (Interrupted, SystemExit):
        raise
    except BaseException as error:  # what a swallowed signal left behind: the signal is the cause
        if _received is not None:
            raise Interrupted(_received) from error
        raise
    else:
        check()
    finally:
        _depth -= 1
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if _depth == 0:
            _received = None  # a later, unrelated block starts clean
