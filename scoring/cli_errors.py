"""How the command line fails: one escaped line on stderr and an exit code, never a traceback.

`SafeGroup` is the `newsscore` click group: it turns SIGTERM and SIGHUP into an exception (so every
temporary file is removed on the way out, as for Ctrl-C), and any error into `error: ...` with exit code
2 for a bad argument (missing input, output that is an input), 1 for anything else, 130 for Ctrl-C, 143
for SIGTERM, 129 for SIGHUP.
`NEWSSCORE_DEBUG=1` shows the traceback instead.
"""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
from typing import Any, NoReturn

import click

from scoring.interrupts import (
    Terminated,
    clear_stop_request,
    request_stop,
    stop_exception,
    stop_requested,
)
from scoring.sanitize import terminal_text

USAGE_ERROR = 2

# At exit, the interpreter's last cyclic collections visit every object still alive (the pipeline's
# modules, lexicons, the syllable table): about 0.2 s of CPU after a one-article `score`, for memory the
# process is about to give back anyway. Frozen objects are skipped; atexit handlers registered later
# (multiprocessing's, duckdb's) run first, as before.
atexit.register(gc.freeze)


def _raise_stop(signum: int, frame: Any) -> None:
    request_stop(signum)  # kept for the batch loop, in case this exception is lost (scoring/interrupts.py)
    raise stop_exception(signum)


STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                         if hasattr(signal, name))


def install_signal_handlers() -> dict[int, Any]:
    """Ctrl-C raises KeyboardInterrupt, SIGTERM and SIGHUP (terminal closed) raise `Terminated`, in the main
    thread (their default would end the process at once, leaving temporary files behind), and each is
    recorded too; returns the previous handlers to restore."""
    clear_stop_request()
    previous = {}
    for signum in STOPPING_SIGNALS:
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:  # nohup, or a background job: the user's choice
                continue
            previous[signum] = signal.signal(signum, _raise_stop)
        except ValueError:  # not the main thread (an embedding application): leave its handlers alone
            break
    return previous


def print_error(message: object) -> None:
    """`error: MESSAGE` on stderr, on one line, with control characters escaped and no markup parsed."""
    from rich.console import Console
    from rich.text import Text

    line = Text("error: ", style="red")
    line.append(terminal_text(" ".join(str(message).split()) or type(message).__name__))
    Console(stderr=True, highlight=False).print(line, soft_wrap=True)


# what an interrupted command leaves: files are written whole or not at all; a store keeps committed chunks
INTERRUPTED_OUTPUTS = ("no partial file was left (a .duckdb store keeps the articles it had committed; "
                       "rerun the same command to resume)")


def _fail_stopped(signum: int) -> NoReturn:
    """The one-line error and exit status of a command a stop signal ended."""
    if signum == signal.SIGINT:
        fail(f"interrupted (Ctrl-C); {INTERRUPTED_OUTPUTS}", 130)
    fail(f"terminated ({signal.Signals(signum).name}); {INTERRUPTED_OUTPUTS}", 128 + signum)


def fail(message: object, code: int = 1) -> NoReturn:
    """Print `message` as a one-line error and exit with `code`."""
    print_error(message)
    sys.exit(code)


def _usage_errors() -> tuple[type[BaseException], ...]:
    from scoring.ingest import InputNotFoundError, OutputIsInputError

    return (InputNotFoundError, OutputIsInputError)


class SafeGroup(click.Group):
    """A click group whose commands end in a one-line error, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        previous = install_signal_handlers()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail_stopped(signal.SIGINT)
        except Terminated as stop:
            _fail_stopped(stop.signum)
        except Exception as exc:
            signum = stop_requested()
            if signum is not None:  # a library made the signal its own error (DuckDB: "Query interrupted")
                _fail_stopped(signum)
            if os.environ.get("NEWSSCORE_DEBUG"):
                raise
            if isinstance(exc, _usage_errors()):
                fail(exc, USAGE_ERROR)
            if isinstance(exc, (OSError, ValueError)) or type(exc).__module__.startswith("scoring"):
                fail(exc)
            fail(f"{type(exc).__name__}: {exc}")
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
