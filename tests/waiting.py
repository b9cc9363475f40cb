"""The one way tests wait: poll a condition a user could check (a row, a log line, an HTTP answer)
until it holds, or fail saying what never happened. The sleep between polls only paces the polling;
it never decides an outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], what: str | Callable[[], str], timeout: float = 60,
               interval: float = 0.05) -> T:
    """Call `predicate` until it returns something truthy, and return that. After `timeout` seconds
    fail with an AssertionError naming `what` (a callable is called then, to add a log's tail, say)."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting until {what() if callable(what) else what}")
        time.sleep(interval)
    return value
