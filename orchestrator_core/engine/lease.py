"""Leases on running processes, so that a dead executor is noticed without Prefect heartbeats.

An executor stamps each process it runs with its id and a lease expiry, and one background
thread per executor process renews all of them in a single UPDATE. A process whose lease ran
out while `running` belongs to an executor that died: `reap_expired()` marks it crashed, and
it can be resumed from its last committed step.

A process accepted for this executor but not yet run (embedded mode's queue) is `created` under
the same lease: if the executor dies before running it, the reaper marks it failed with the reason
("could not be dispatched"). A dispatch that fails outright does the same at once
(`fail_undispatched`). Either way its subscription locks follow the crash rule (CRASH_HOOKS: given
up now, taken back by the resume), so no accepted process is left `created` without an executor.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, is_sqlite, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.settings import app_settings
from orchestrator_core.types import ProcessStatus

logger = logging.getLogger(__name__)

_EXECUTOR_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
_held: set[uuid.UUID] = set()
_held_lock = threading.Lock()
_renewer: threading.Thread | None = None

CRASH_HOOKS: list = []  # wired by orchestrator_core.bootstrap
"""Called with the crashed process ids inside the reaping transaction (e.g. to release locks)."""

PERIODIC_HOOKS: list = []
"""Called (no arguments) on every round of the reaping loop, after `reap_expired` (e.g. to find flow
runs that Prefect never handed to a worker); each must catch what it expects to fail."""

UNDISPATCHED = "could not be dispatched: {why}; resume it to run it from its start (no step ran)"
_reaping = False


def executor_id() -> str:
    return _EXECUTOR_ID


def become_new_executor() -> None:
    """In a forked child: an executor id of its own, no leases of the parent's, a renewer of its own."""
    global _EXECUTOR_ID, _renewer, _held_lock
    _EXECUTOR_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    _held_lock = threading.Lock()
    _held.clear()
    _renewer = None


def expiry() -> datetime:
    return utcnow() + timedelta(seconds=app_settings.ORCHESTRATOR_LEASE_SECONDS)


def stamp_taken(process_id: uuid.UUID) -> None:
    """A worker that took a flow run stamps its process before running it, so that a kill
    between taking it and the flow's start is reaped like any other crash, not left `created`.

    Only a `created` process (a start or resume our services dispatched) is stamped. A crashed
    one is left as it is, so that the flow sees that nobody resumed it through our services (the
    Prefect UI's Retry) and has the retry authorized (services/prefect_actions.py); a kill before the
    flow starts leaves it crashed, which it still is."""
    with transaction() as session:
        session.execute(
            sa.update(ProcessTable)
            .where(ProcessTable.process_id == process_id, ProcessTable.last_status == str(ProcessStatus.CREATED))
            .values(last_status=str(ProcessStatus.RUNNING), executor_id=_EXECUTOR_ID, lease_expires_at=expiry())
        )


def _renew_all() -> None:
    with _held_lock:
        held = list(_held)
    if not held:
        return
    expires = expiry()
    mine = sa.select(ProcessTable.process_id).where(
        ProcessTable.process_id.in_(held), ProcessTable.executor_id == _EXECUTOR_ID)
    with transaction() as session:
        if not is_sqlite():  # a row a step holds is renewed by that step's own commit: never wait for it
            mine = mine.with_for_update(skip_locked=True)
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id.in_(mine))
                        .values(lease_expires_at=expires))


def _renew_forever() -> None:
    interval = max(app_settings.ORCHESTRATOR_LEASE_SECONDS / 3, 0.5)
    while True:
        threading.Event().wait(interval)
        try:
            _renew_all()
        except Exception:  # the database may be down; leases then run out, which is the point
            logger.warning("Could not renew process leases", exc_info=True)
        if _reaping:
            reap_round()


def reap_round() -> None:
    """One round of the reaping loop: expired leases, then the periodic hooks; never raises."""
    try:
        reap_expired()
    except Exception:
        logger.warning("Could not reap expired leases", exc_info=True)
    for hook in PERIODIC_HOOKS:
        try:
            hook()
        except Exception:
            logger.warning("Periodic recovery %s failed", getattr(hook, "__name__", hook), exc_info=True)


def keep_reaping() -> None:
    """For a long-lived service (`serve`): the renewing thread also reaps, every lease/3 seconds, so
    that processes of dead executors and undispatched ones are found without an operator's resume.
    (`orchestrator worker` reaps in its own polling loop instead.)"""
    global _reaping
    _reaping = True
    _ensure_renewer()


def _ensure_renewer() -> None:
    global _renewer
    if _renewer is None or not _renewer.is_alive():
        _renewer = threading.Thread(target=_renew_forever, name="orchestrator-lease", daemon=True)
        _renewer.start()


def stamp_queued(process: ProcessTable) -> None:
    """A process this executor accepted and will run (embedded mode's queue): ours under a lease, still
    `created`, in the caller's transaction; `hold` it once that committed."""
    process.executor_id = _EXECUTOR_ID
    process.lease_expires_at = expiry()


def hold(process_id: uuid.UUID) -> None:
    """Renew this process's lease until `release` (or the run's own `renewing` ends)."""
    with _held_lock:
        _held.add(process_id)
    _ensure_renewer()


def release(process_id: uuid.UUID) -> None:
    with _held_lock:
        _held.discard(process_id)


def fail_undispatched(process_ids: list[uuid.UUID], why: str, *,
                      lease_expired_before: datetime | None = None) -> list[uuid.UUID]:
    """Processes whose dispatch failed before any executor claimed them (still `created`): failed with
    the reason, their locks given up by the crash rule; returns those it marked."""
    if not process_ids:
        return []
    now = utcnow()
    still = [ProcessTable.process_id.in_(process_ids), ProcessTable.last_status == str(ProcessStatus.CREATED)]
    if lease_expired_before is not None:  # re-checked: its executor may have renewed since it was read
        still.append(ProcessTable.lease_expires_at < lease_expired_before)
    with transaction() as session:
        marked = list(session.execute(
            sa.update(ProcessTable)
            .where(*still)
            .values(last_status=str(ProcessStatus.FAILED), failed_reason=UNDISPATCHED.format(why=why)[:2000],
                    executor_id=None, lease_expires_at=None, last_modified_at=now)
            .returning(ProcessTable.process_id)
        ).scalars())
        for hook in CRASH_HOOKS:
            if marked:
                hook(session, marked)
    for process_id in marked:
        logger.warning("Process %s %s", process_id, UNDISPATCHED.format(why=why))
    return marked


@contextmanager
def renewing(process_id: uuid.UUID) -> Iterator[None]:
    with _held_lock:
        _held.add(process_id)
    _ensure_renewer()
    try:
        yield
    finally:
        with _held_lock:
            _held.discard(process_id)


def reap_expired() -> list[uuid.UUID]:
    """Mark running processes whose executor stopped renewing as crashed; return their ids."""
    now = utcnow()
    with transaction() as session:
        expired = sa.select(ProcessTable.process_id).where(
            ProcessTable.last_status == str(ProcessStatus.RUNNING), ProcessTable.lease_expires_at < now)
        if not is_sqlite():  # a locked row is a step still running: its executor is alive
            expired = expired.with_for_update(skip_locked=True)
        crashed = list(session.execute(expired).scalars())
        if not crashed:
            return _reap_expired_queue(now)
        session.execute(
            sa.update(ProcessTable)
            .where(ProcessTable.process_id.in_(crashed), ProcessTable.last_status == str(ProcessStatus.RUNNING),
                   ProcessTable.lease_expires_at < now)  # re-checked after any step that held the row commits
            .values(
                last_status=str(ProcessStatus.CRASHED),
                failed_reason="The executor running this process stopped renewing its lease (crashed or "
                "lost the database); resume it to continue at the last committed step",
                lease_expires_at=None,
                last_modified_at=now,
            )
        )
        for hook in CRASH_HOOKS:
            hook(session, crashed)
    for process_id in crashed:
        logger.warning("Process %s marked crashed: its executor's lease expired", process_id)
    return crashed + _reap_expired_queue(now)


def _reap_expired_queue(now: datetime) -> list[uuid.UUID]:
    """`created` processes whose queueing executor stopped renewing before it ran them."""
    with transaction() as session:
        stmt = sa.select(ProcessTable.process_id, ProcessTable.executor_id).where(
            ProcessTable.last_status == str(ProcessStatus.CREATED), ProcessTable.executor_id.is_not(None),
            ProcessTable.lease_expires_at < now)
        if not is_sqlite():
            stmt = stmt.with_for_update(skip_locked=True)
        rows = session.execute(stmt).all()
    by_executor: dict[str, list[uuid.UUID]] = {}
    for process_id, executor in rows:
        by_executor.setdefault(str(executor), []).append(process_id)
    marked: list[uuid.UUID] = []
    for executor, ids in by_executor.items():
        marked += fail_undispatched(ids, f"the executor that accepted it ({executor}) stopped before running it",
                                    lease_expired_before=now)
    return marked
