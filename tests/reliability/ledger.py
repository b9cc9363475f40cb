"""What a user can check after faults: the step log against the counted effects, and the locks.

A step is *lost* when the log says it committed but its effect row is missing, or its effect
row exists without a committed log row; it is *doubled* when its effect was committed more than
once. Both are read from our database only, as an operator would.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from orchestrator_core.db import ProcessStepTable, ProcessTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.engine import lease
from orchestrator_core.engine.step_log import COMMITTED
from orchestrator_core.services.process_queries import get_process
from tests.reliability.counted_workflows import STEP_NAMES
from tests.waiting import wait_until


@dataclass(frozen=True)
class Ledger:
    lost: list[tuple[str, str]]
    doubled: list[tuple[str, str]]

    @property
    def clean(self) -> bool:
        return not self.lost and not self.doubled


def check(process_ids: list[uuid.UUID]) -> Ledger:
    ids = [str(p) for p in process_ids]
    with transaction() as s:
        rows = s.execute(sa.text("SELECT process_id, step FROM counted_effects WHERE process_id = ANY(:ids)"),
                         {"ids": ids}).all()
        effects = Counter((p, name) for p, name in rows)
        committed = Counter(
            (str(p), name) for p, name in s.execute(
                sa.select(ProcessStepTable.process_id, ProcessStepTable.name).where(
                    ProcessStepTable.process_id.in_(process_ids), ProcessStepTable.status.in_(COMMITTED),
                    ProcessStepTable.name.in_(STEP_NAMES))).all())
    lost = sorted(key for key in set(effects) | set(committed) if (effects[key] > 0) != (committed[key] > 0))
    doubled = sorted(key for key in set(effects) | set(committed) if effects[key] > 1 or committed[key] > 1)
    return Ledger(lost, doubled)


def effects_of(process_id: uuid.UUID) -> list[str]:
    with transaction() as s:
        return list(s.execute(sa.text("SELECT step FROM counted_effects WHERE process_id = :p ORDER BY id"),
                              {"p": str(process_id)}).scalars())


def locked_subscriptions(subscription_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Subscriptions still out of sync although no process that could hold them is open."""
    with transaction() as s:
        return list(s.execute(sa.select(SubscriptionTable.subscription_id).where(
            SubscriptionTable.subscription_id.in_(subscription_ids), SubscriptionTable.insync.is_(False))).scalars())


def statuses(process_ids: list[uuid.UUID]) -> Counter[str]:
    with transaction() as s:
        return Counter(s.execute(sa.select(ProcessTable.last_status).where(
            ProcessTable.process_id.in_(process_ids))).scalars())


def wait_for_status(process_id: uuid.UUID, wanted: set[str], timeout: float = 60,
                    log: Callable[[], str] = str) -> str:
    def status() -> str:
        return get_process(process_id, with_steps=False).status

    wait_until(lambda: status() in wanted, lambda: f"process {process_id} left {status()} for {wanted}\n{log()}",
               timeout)
    return status()


def wait_for_file(path: Path, timeout: float = 60, log: Callable[[], str] = str) -> str:
    return wait_until(lambda: path.exists() and path.read_text(), lambda: f"{path.name} appeared\n{log()}", timeout)


def reap_until_crashed(process_id: uuid.UUID, timeout: float = 15) -> None:
    """What every worker does every few seconds, done here because the only worker is dead: reaped
    here, or by another session-wide worker that reaps too."""
    wait_until(lambda: process_id in lease.reap_expired()
               or get_process(process_id, with_steps=False).status == "crashed",
               lambda: f"process {process_id} was reaped: {get_process(process_id, with_steps=False)}",
               timeout, interval=0.2)

