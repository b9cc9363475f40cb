"""Prefect settings every executing thread enters, so no run pays the 1 s heartbeat join.

PREFECT-NOTES.md: sync flow runs join a heartbeat thread that sleeps in 1 s steps; turning
heartbeats off cuts a run to tens of milliseconds. Crash detection is our lease's job instead.
`temporary_settings` is a context variable: each thread must enter it itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def apply_environment_defaults() -> None:
    """Quiet and fast defaults for Prefect, unless the operator set them; call before importing prefect."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


@contextmanager
def executing() -> Iterator[None]:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
