"""The execution side of a long-lived service (`serve`, an application's `uvicorn wsgi:app`): started
before the API accepts work, stopped when it shuts down.

Embedded mode: this OS process's one temporary Prefect server (engine/prefect_server.py) when no
PREFECT_API_URL is configured, and, at shutdown, queued processes marked failed with the reason
(resumable) and running ones given a grace period before the server stops. Every mode: the lease
renewer also reaps (dead executors' processes, undispatched ones), so nothing our API accepted is
left without an executor and with its subscription locked.
"""

from __future__ import annotations

import logging

from orchestrator_core.engine import embedded, lease, prefect_server
from orchestrator_core.services import dispatch

logger = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 30.0


def start() -> None:
    if not dispatch.served():
        prefect_server.ensure_started()
    lease.keep_reaping()


def stop() -> None:
    embedded.shutdown(SHUTDOWN_GRACE_SECONDS)
    prefect_server.stop()
