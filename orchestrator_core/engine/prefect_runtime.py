"""Prefect settings every executing thread enters, so no run pays the 1 s heartbeat join.

PREFECT-NOTES.md: sync flow runs join a heartbeat thread that sleeps in 1 s steps; turning
heartbeats off cuts a run to tens of milliseconds. Crash detection is our lease's job instead.
`temporary_settings` is a context variable: each thread must enter it itself.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # The embedded (ephemeral) server dies with our process, sometimes mid-flush of its task-run
    # events; its ERROR tracebacks about that are noise on our console, and our tables hold the truth.
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
}


def apply_environment_defaults() -> None:
    """Quiet and fast defaults for Prefect, unless the operator set them; call before importing prefect."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


_per_thread = threading.local()


def _temporary_server_url() -> str | None:
    """This process's temporary Prefect server, if it runs one; it may have been replaced since a
    thread entered its settings (a CLI command's server stops at the command's end)."""
    from orchestrator_core.engine import prefect_server

    server = prefect_server.current()
    return server.api_url if server is not None else None


def _enter_for_this_thread() -> None:
    """Entered once per thread and kept: `temporary_settings` costs ~100 ms to build, and one
    client context held open saves a new HTTP client per run."""
    from prefect.context import SyncClientContext
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    updates: dict = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if (server_url := _temporary_server_url()) is not None:
        updates[PREFECT_API_URL] = server_url
    stack = ExitStack()
    settings = stack.enter_context(temporary_settings(updates))
    client_context = stack.enter_context(SyncClientContext.get_or_create())
    _per_thread.stack = stack
    _per_thread.entered = (settings, client_context)
    if threading.current_thread() is threading.main_thread():  # close the client before interpreter teardown
        atexit.register(stack.close)


def _still_in_force() -> bool:
    """False when an outer `temporary_settings` (tests) has since reset what this thread entered."""
    from prefect.context import SyncClientContext
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    client_context = SyncClientContext.get()
    server_url = _temporary_server_url()
    if server_url is not None and client_context is not None and str(client_context.client.api_url).rstrip(
            "/") != server_url.rstrip("/"):
        return False
    return (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
        and client_context is not None
        and str(client_context.client.api_url).rstrip("/") == str(PREFECT_API_URL.value() or "").rstrip("/")
    )


def _leave_if_still_on_top() -> None:
    """Close what this thread entered when nothing was entered over it since: a client context left
    open would be found again by `get_or_create` (its server gone). Under an outer context that a
    test entered later, closing would undo the test's; the new one is entered over it instead."""
    from prefect.context import SettingsContext, SyncClientContext

    stack = getattr(_per_thread, "stack", None)
    if stack is None:
        return
    settings, client_context = _per_thread.entered
    settings_context = SettingsContext.get()
    if settings_context is not None and settings_context.settings is settings and \
            SyncClientContext.get() is client_context:
        stack.close()
    _per_thread.stack = None


@contextmanager
def executing() -> Iterator[None]:
    """Run flows in this thread without the heartbeat floor, reusing one Prefect client."""
    stack = getattr(_per_thread, "stack", None)
    if stack is None or not _still_in_force():
        _leave_if_still_on_top()
        _enter_for_this_thread()
    yield
