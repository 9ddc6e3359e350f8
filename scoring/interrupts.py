"""Stop requests from signals (Ctrl-C, SIGTERM, SIGHUP), recorded until the batch loop acts on them.

A signal handler's exception can be lost: Python only prints ("Exception ignored in ...") an exception
raised while a `__del__` method or a garbage-collection callback runs, and the run would go on to exit 0.
The handlers (scoring/cli_errors.py) therefore record the request as well as raise, and the batch loop
(scoring/batch.py) raises again at its next chunk if the first exception went missing."""

from __future__ import annotations

import signal

_requested: int | None = None


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt, so clean-up code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def request_stop(signum: int) -> None:
    """Record that `signum` asked this process to stop."""
    global _requested
    _requested = signum


def stop_requested() -> int | None:
    """The signal a recorded stop request came from, or None."""
    return _requested


def clear_stop_request() -> None:
    """Forget any recorded request (a new command starts)."""
    global _requested
    _requested = None


def stop_exception(signum: int) -> BaseException:
    """The exception a stop request by `signum` unwinds with: KeyboardInterrupt for SIGINT."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def raise_if_stop_requested() -> None:
    """Raise the recorded stop request's exception, if there is one."""
    if _requested is not None:
        raise stop_exception(_requested)
