"""Validate many subscriptions in one run: one process per subscription, run in batches.

`validate_subscriptions` (the SYSTEM task) calls `validate_all` from its single step, so the
whole sweep is one Prefect flow run; each subscription still gets a real process with its own
guard check, lock and step log (no flow run per subscription), stamped with the sweep's flow
run id so the Prefect UI links them. The processes of a batch are created set-based
(`bulk_processes`) and advanced together by the batch executor (`engine/batch.py`): one
transaction per step for the batch, a savepoint per process. Batches run in forked worker
processes on Postgres (one per core), else on threads.
"""

from __future__ import annotations

import contextvars
import logging
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, is_sqlite, transaction
from orchestrator_core.db.product_tables import products_workflows
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.engine import lease
from orchestrator_core.engine.batch import run_batch
from orchestrator_core.engine.runner import run_directly, run_process
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services.bulk_processes import create_processes
from orchestrator_core.services.processes import create_process
from orchestrator_core.settings import app_settings
from orchestrator_core.targets import Target
from orchestrator_core.types import ProcessStatus, SubscriptionLifecycle
from orchestrator_core.workflow import get_workflow

logger = logging.getLogger(__name__)

VALIDATION_TARGETS = (str(Target.SYSTEM), str(Target.VALIDATE))
Progress = Callable[["Outcome"], None]

PROGRESS_LISTENERS: list[Callable[[str, int], Progress]] = []
"""Factories of progress callbacks (the CLI's progress bar): called with a title and the total."""


@dataclass(frozen=True)
class ValidationTarget:
    subscription_id: uuid.UUID
    workflow_name: str


@dataclass(frozen=True)
class Outcome:
    subscription_id: uuid.UUID
    workflow_name: str
    status: str
    process_id: uuid.UUID | None = None
    reason: str = ""


@dataclass
class Summary:
    total: int = 0
    validated: int = 0
    failed: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome.status == ProcessStatus.COMPLETED:
            self.validated += 1
        elif outcome.status == "skipped":
            self.skipped.append(outcome)
        else:
            self.failed.append(outcome)

    def as_state(self, limit: int = 100) -> dict[str, object]:
        """For the task's step log: counts, and the first `limit` failures with their reasons."""
        def rows(items: list[Outcome]) -> list[dict[str, str]]:
            return [{"subscription_id": str(o.subscription_id), "process_id": str(o.process_id or ""),
                     "status": o.status, "reason": o.reason} for o in items[:limit]]

        return {"total": self.total, "validated": self.validated, "failed_count": len(self.failed),
                "skipped_count": len(self.skipped), "failed": rows(self.failed), "skipped": rows(self.skipped),
                "seconds": round(self.seconds, 3)}


def validation_targets(product_type: str | None = None) -> list[ValidationTarget]:
    """In-sync ACTIVE subscriptions and the validate workflow linked to their product (with code here)."""
    from orchestrator_core.db.product_tables import ProductTable

    stmt = (
        sa.select(SubscriptionTable.subscription_id, WorkflowTable.name)
        .join(products_workflows, products_workflows.c.product_id == SubscriptionTable.product_id)
        .join(WorkflowTable, WorkflowTable.workflow_id == products_workflows.c.workflow_id)
        .where(SubscriptionTable.status == str(SubscriptionLifecycle.ACTIVE), SubscriptionTable.insync.is_(True),
               WorkflowTable.target.in_(VALIDATION_TARGETS), WorkflowTable.is_task.is_(False),
               WorkflowTable.deleted_at.is_(None))
        .order_by(SubscriptionTable.subscription_id, WorkflowTable.name)
    )
    if product_type:
        stmt = stmt.join(ProductTable, ProductTable.product_id == SubscriptionTable.product_id).where(
            ProductTable.product_type == product_type)
    with transaction() as session:
        rows = session.execute(stmt).all()
    return [ValidationTarget(sid, name) for sid, name in rows if get_workflow(name) is not None]


def validate_one(target: ValidationTarget, user: str = "SYSTEM", flow_run_id: uuid.UUID | None = None) -> Outcome:
    """Start and run one validate process; a guard refusal (locked meanwhile, ...) is a skip."""
    workflow = get_workflow(target.workflow_name)
    assert workflow is not None
    try:
        with transaction() as session:
            process_id = create_process(session, workflow, [{"subscription_id": str(target.subscription_id)}],
                                        user, flow_run_id=flow_run_id)
    except OrchestratorError as exc:
        return Outcome(target.subscription_id, target.workflow_name, "skipped", None, f"{exc.code}: {exc.message}")
    status = run_process(process_id, run_directly, flow_run_id)
    reason = ""
    if status != ProcessStatus.COMPLETED:
        with transaction() as session:
            reason = session.get_one(ProcessTable, process_id).failed_reason or ""
    return Outcome(target.subscription_id, target.workflow_name, str(status), process_id, reason)


def _no_progress(_outcome: Outcome) -> None:
    return None


def _create_chunk(chunk: list[ValidationTarget], user: str,
                  flow_run_id: uuid.UUID | None) -> tuple[list[tuple[ValidationTarget, uuid.UUID]], list[Outcome]]:
    """Create the chunk's processes in one transaction, set-based per workflow, each through the guard."""
    created: list[tuple[ValidationTarget, uuid.UUID]] = []
    skipped: list[Outcome] = []
    by_workflow: dict[str, list[ValidationTarget]] = {}
    for target in chunk:
        by_workflow.setdefault(target.workflow_name, []).append(target)
    with transaction() as session:
        for name, targets in by_workflow.items():
            workflow = get_workflow(name)
            assert workflow is not None
            made, refused = create_processes(session, workflow, [t.subscription_id for t in targets], user,
                                             flow_run_id)
            for target in targets:
                if target.subscription_id in made:
                    created.append((target, made[target.subscription_id]))
                else:
                    exc = refused[target.subscription_id]
                    skipped.append(Outcome(target.subscription_id, name, "skipped", None,
                                           f"{exc.code}: {exc.message}"))
    return created, skipped


def validate_chunk(chunk: list[ValidationTarget], user: str = "SYSTEM",
                   flow_run_id: uuid.UUID | None = None) -> list[Outcome]:
    """Create and run a chunk of validate processes with the batch executor (one commit per step)."""
    created, outcomes = _create_chunk(chunk, user, flow_run_id)
    if not created:
        return outcomes
    statuses = run_batch([pid for _, pid in created], flow_run_id)
    not_completed = [pid for pid, status in statuses.items() if status != ProcessStatus.COMPLETED]
    reasons: dict[uuid.UUID, str | None] = {}
    if not_completed:
        with transaction() as session:
            reasons = dict(session.execute(sa.select(ProcessTable.process_id, ProcessTable.failed_reason)
                                           .where(ProcessTable.process_id.in_(not_completed))).all())
    for target, pid in created:
        status = statuses[pid]
        reason = "" if status == ProcessStatus.COMPLETED else reasons.get(pid) or ""
        outcomes.append(Outcome(target.subscription_id, target.workflow_name, str(status), pid, reason))
    return outcomes


def _safe_chunk(chunk: list[ValidationTarget], user: str, flow_run_id: uuid.UUID | None) -> list[Outcome]:
    try:
        return validate_chunk(chunk, user, flow_run_id)
    except Exception as exc:  # an engine or database fault on one batch must not stop the sweep
        logger.exception("Validation of a batch of %d subscriptions could not run", len(chunk))
        return [Outcome(t.subscription_id, t.workflow_name, "error", None, str(exc)) for t in chunk]


def _in_worker_process(chunk: list[ValidationTarget], user: str, flow_run_id: uuid.UUID | None) -> list[Outcome]:
    """A chunk in a forked worker: a fresh context (no transaction of the parent's thread), own connections."""
    return contextvars.Context().run(_safe_chunk, chunk, user, flow_run_id)


def _custom_plans(dbapi_connection: object, _record: object) -> None:
    """The sweep grows the process tables by orders of magnitude while its connections live: a generic
    plan cached when they were small (a seq scan) would stay, and every statement would get slower."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("SET plan_cache_mode = force_custom_plan")
    cursor.close()
    dbapi_connection.commit()  # type: ignore[attr-defined]


def _worker_started() -> None:
    """Forked from the sweep: never touch the parent's pooled connections; be an executor of our own."""
    from orchestrator_core.db.database import get_engine

    engine = get_engine()
    engine.dispose(close=False)
    if engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", _custom_plans)
    lease.become_new_executor()


def worker_processes() -> int:
    """Worker processes of the sweep: one per core on a database server, none (threads only) on SQLite."""
    configured = app_settings.ORCHESTRATOR_VALIDATE_PROCESSES
    if configured is not None and configured >= 0:
        return configured
    if is_sqlite() or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return os.cpu_count() or 1


def validate_all(targets: list[ValidationTarget] | None = None, concurrency: int = 8, user: str = "SYSTEM",
                 flow_run_id: uuid.UUID | None = None, progress: Progress | None = None,
                 batch_size: int | None = None, processes: int | None = None) -> Summary:
    """Run every target's validate workflow in batches.

    With worker processes (`ORCHESTRATOR_VALIDATE_PROCESSES`, default one per core on Postgres),
    each process runs one batch at a time; else `concurrency` threads run a batch each. The sweep
    stays one process and one Prefect flow run: the workers are forks of it that only run batches.
    Never raises for one subscription: a batch that cannot run at all is reported as errors.
    """
    started = time.perf_counter()
    todo = validation_targets() if targets is None else targets
    summary = Summary(total=len(todo))
    listeners = [factory("Validating subscriptions", len(todo)) for factory in PROGRESS_LISTENERS]
    report = progress or _no_progress
    size = max(1, batch_size or app_settings.ORCHESTRATOR_VALIDATE_BATCH_SIZE)
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    workers = worker_processes() if processes is None else processes

    def record(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            summary.add(outcome)
            report(outcome)
            for listener in listeners:
                listener(outcome)

    if workers > 0 and len(chunks) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context,
                                 initializer=_worker_started) as pool:
            futures = {pool.submit(_in_worker_process, chunk, user, flow_run_id): chunk for chunk in chunks}
            for future in as_completed(futures):
                try:
                    outcomes = future.result()
                except Exception as exc:  # the worker died (its processes' leases run out: reaped, resumable)
                    logger.error("A validation worker stopped: %s", exc)
                    outcomes = [Outcome(t.subscription_id, t.workflow_name, "error", None, f"worker stopped: {exc}")
                                for t in futures[future]]
                record(outcomes)
    else:
        lock = threading.Lock()

        def one(chunk: list[ValidationTarget]) -> None:
            outcomes = _safe_chunk(chunk, user, flow_run_id)
            with lock:
                record(outcomes)

        with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="validate") as threads:
            list(threads.map(one, chunks))
    summary.seconds = time.perf_counter() - started
    return summary
