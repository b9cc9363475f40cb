"""The execution side of a long-lived service (`serve`, an application's `uvicorn wsgi:app`): started
before the API accepts work, stopped when it shuts down.

Embedded mode: this OS process's one temporary Prefect server (engine/prefect_server.py) when no
PREFECT_API_URL is configured, and, at shutdown, queued processes marked failed with the reason
(resumable) and running ones given a grace period before the server stops. Every mode: the lease
renewer also reaps (dead executors' processes, undispatched ones; in served mode also flow runs
Prefect never handed to a worker), so nothing our API accepted is left without an executor and
with its subscription locked.
"""

from __future__ import annotations

import logging

from orchestrator_core.engine import embedded, lease, prefect_server, reconcile
from orchestrator_core.services import dispatch

logger = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 30.0


def recover_undispatched() -> None:
    """Served mode, one round of the reaping loop: flow runs Prefect never handed to a worker."""
    from orchestrator_core.engine import deployments

    with deployments.prefect_client() as client:
        reconcile.recover_undispatched(client)


def prepare() -> None:
    """At the very start of `serve`, before the app is built: embedded mode spawns its Prefect server
    now, so that the server's start-up overlaps ours; `start` waits for it."""
    if not dispatch.served():
        prefect_server.begin()


def start() -> None:
    if dispatch.served():
        if recover_undispatched not in lease.PERIODIC_HOOKS:
            lease.PERIODIC_HOOKS.append(recover_undispatched)
    else:
        prefect_server.ensure_started()
    lease.keep_reaping()


def stop() -> None:
    embedded.shutdown(SHUTDOWN_GRACE_SECONDS)
    prefect_server.stop()
