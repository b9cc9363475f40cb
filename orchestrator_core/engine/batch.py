"""Run many processes of one workflow together: one transaction per step for the whole batch.

For bulk jobs (the nightly validation sweep). Each process keeps everything the normal runner
gives it: its own step rows with the full state, the same statuses, its lease, its failure with
error and traceback, resumable as usual. What is shared is the transaction: a step is advanced
for every process of the batch inside one transaction, each process inside its own SAVEPOINT.
A process whose step raises rolls back only its savepoint and gets its failed row; the others'
changes and step rows commit together, so each step's changes and its `process_steps` row
still commit atomically, with one commit (one fsync) for the batch instead of one per process.

When the batch transaction itself fails (a lost connection, a conflict at commit), nothing of
that step was committed for anyone: the step is run again for each of those processes by the
normal one-process executor, which records per process what happened.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import InputStateTable, ProcessStepTable, ProcessTable, WorkflowTable, is_sqlite, transaction
from orchestrator_core.db.base import table_of, utcnow
from orchestrator_core.domain import prefetch
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.runner import finish, waits_at, workflow_code
from orchestrator_core.engine.state import merge, persistent_models, to_json
from orchestrator_core.engine.step_executor import (
    StepAlreadyCommittedError,
    StepFailedError,
    call_step,
    error_state,
    execute_step,
    failure_reason,
)
from orchestrator_core.settings import app_settings
from orchestrator_core.types import FINAL_STATUSES, ProcessStatus, State, StepStatus
from orchestrator_core.workflow import Step, Workflow, no_op

logger = logging.getLogger(__name__)


@dataclass
class _Run:
    """One process of the batch: where it is and the state its next step sees."""

    process_id: uuid.UUID
    workflow: Workflow
    state: State
    next_index: int
    user: str | None
    status: ProcessStatus | None = None  # set once this run of it ended


def _lock_processes(session: Any, ids: Sequence[uuid.UUID]) -> None:
    stmt = sa.select(ProcessTable.process_id).where(ProcessTable.process_id.in_(ids)).order_by(
        ProcessTable.process_id)
    if not is_sqlite():
        stmt = stmt.with_for_update(of=ProcessTable)
    session.execute(stmt).all()


def _positions(session: Any, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[str, int]]:
    """Lock the batch's process rows; per process its status and the index of its last committed step."""
    committed = [str(s) for s in step_log.COMMITTED]
    last_index = (
        sa.select(ProcessStepTable.step_index)
        .where(ProcessStepTable.process_id == ProcessTable.process_id, ProcessStepTable.status.in_(committed))
        .order_by(ProcessStepTable.step_id.desc()).limit(1).correlate(ProcessTable).scalar_subquery()
    )
    stmt = (sa.select(ProcessTable.process_id, ProcessTable.last_status, last_index)
            .where(ProcessTable.process_id.in_(ids)).order_by(ProcessTable.process_id))
    if not is_sqlite():
        stmt = stmt.with_for_update(of=ProcessTable)
    return {pid: (status, -1 if index is None else index) for pid, status, index in session.execute(stmt)}


def _last_committed(session: Any, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, dict[str, Any]]]:
    """Per process, the index and state of its last committed step row (an index lookup per process)."""
    committed = [str(s) for s in step_log.COMMITTED]
    last_id = (
        sa.select(ProcessStepTable.step_id)
        .where(ProcessStepTable.process_id == ProcessTable.process_id, ProcessStepTable.status.in_(committed))
        .order_by(ProcessStepTable.step_id.desc()).limit(1).correlate(ProcessTable).scalar_subquery()
    )
    step_ids = [sid for sid in session.execute(
        sa.select(last_id).where(ProcessTable.process_id.in_(ids))).scalars() if sid is not None]
    if not step_ids:
        return {}
    rows = session.execute(
        sa.select(ProcessStepTable.process_id, ProcessStepTable.step_index, ProcessStepTable.state)
        .where(ProcessStepTable.step_id.in_(step_ids)))
    return {pid: (index, state) for pid, index, state in rows}


def _claim(ids: Sequence[uuid.UUID],
           flow_run_id: uuid.UUID | None) -> tuple[list[_Run], dict[uuid.UUID, ProcessStatus]]:
    """The batch version of the runner's claim: mark each runnable process running under our lease."""
    runs: list[_Run] = []
    ended: dict[uuid.UUID, ProcessStatus] = {}
    with transaction() as session:
        stmt = (sa.select(ProcessTable.process_id, ProcessTable.last_status, ProcessTable.executor_id,
                          ProcessTable.lease_expires_at, ProcessTable.created_by, WorkflowTable.name)
                .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
                .where(ProcessTable.process_id.in_(ids)).order_by(ProcessTable.process_id))
        if not is_sqlite():
            stmt = stmt.with_for_update(of=ProcessTable)
        rows = session.execute(stmt).all()
        now = utcnow()
        found = {row.process_id for row in rows}
        for pid in ids:
            if pid not in found:
                ended[pid] = ProcessStatus.FAILED
                logger.error("Process %s does not exist", pid)
        claimable = []
        no_code: list[tuple[uuid.UUID, str]] = []
        for row in rows:
            status = ProcessStatus(row.last_status)
            if status in FINAL_STATUSES:
                ended[row.process_id] = status
                continue
            held_elsewhere = (status == ProcessStatus.RUNNING and row.executor_id not in (None, lease.executor_id())
                              and row.lease_expires_at is not None and row.lease_expires_at > now)
            if held_elsewhere:
                ended[row.process_id] = ProcessStatus.RUNNING
                continue
            workflow = workflow_code(row.name)
            if isinstance(workflow, str):
                no_code.append((row.process_id, workflow))
                ended[row.process_id] = ProcessStatus.FAILED
                continue
            claimable.append((row, workflow))
        for pid, reason in no_code:
            session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == pid).values(
                last_status=str(ProcessStatus.FAILED), failed_reason=reason))
        if not claimable:
            return runs, ended
        claim_ids = [row.process_id for row, _ in claimable]
        last = _last_committed(session, claim_ids)
        fresh = [pid for pid in claim_ids if pid not in last]
        initial: dict[uuid.UUID, dict[str, Any]] = {}
        if fresh:
            for pid, input_state in session.execute(
                    sa.select(InputStateTable.process_id, InputStateTable.input_state)
                    .where(InputStateTable.process_id.in_(fresh), InputStateTable.input_type == "initial_state")
                    .order_by(InputStateTable.process_id, InputStateTable.input_time.desc())):
                initial[pid] = dict(input_state)  # ordered newest first: the oldest wins, as in step_log
        values: dict[str, Any] = {
            "last_status": str(ProcessStatus.RUNNING), "executor_id": lease.executor_id(),
            "lease_expires_at": now + timedelta(seconds=app_settings.ORCHESTRATOR_LEASE_SECONDS),
            "failed_reason": None, "traceback": None}
        if flow_run_id is not None:
            values["flow_run_id"] = flow_run_id
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id.in_(claim_ids)).values(**values))
        for row, workflow in claimable:
            if row.process_id in last:
                index, state = last[row.process_id]
                runs.append(_Run(row.process_id, workflow, dict(state), index + 1, row.created_by))
            elif row.process_id in initial:
                runs.append(_Run(row.process_id, workflow, initial[row.process_id], 0, row.created_by))
            else:
                raise LookupError(f"Process {row.process_id} has no initial state")
    return runs, ended


def _step_row(run: _Run, index: int, step: Step, status: StepStatus, state: dict[str, Any],
              started_at: Any, completed_at: Any) -> dict[str, Any]:
    return {"process_id": run.process_id, "step_index": index, "name": step.name, "status": str(status),
            "state": state, "created_by": run.user, "started_at": started_at, "completed_at": completed_at,
            "commit_hash": app_settings.code_version}


def _advance(group: list[_Run], index: int, step: Step) -> None:
    """Run step `index` of every process in `group` in one transaction, a savepoint each."""
    ids = [run.process_id for run in group]
    outcomes: dict[uuid.UUID, tuple[StepStatus, dict[str, Any]]] = {}
    failures: dict[uuid.UUID, tuple[ProcessStatus, dict[str, Any]]] = {}
    moved_on: set[uuid.UUID] = set()
    writes_maybe = step.func is not no_op  # the engine's Start and Done touch nothing: no savepoint needed
    with transaction() as session:
        positions = _positions(session, ids)
        rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        with prefetch.prefetched(session, _subscription_ids(group)) as rows_of:
            for run in group:
                position = positions.get(run.process_id)
                # as the normal executor: gone, aborted, or the log already holds this step -> not run again
                if position is None or position[0] == str(ProcessStatus.ABORTED) or position[1] >= index:
                    moved_on.add(run.process_id)
                    continue
                started_at = utcnow()
                savepoint = session.begin_nested() if writes_maybe else None
                try:
                    if step.should_run(run.state):
                        with prefetch.process_step(rows_of):
                            new_state = merge(run.state, call_step(step, run.state, run.process_id, index), step.name)
                        for model in persistent_models(new_state):
                            model.save()
                        status = StepStatus.COMPLETE if step.kind == "done" else StepStatus.SUCCESS
                    else:
                        new_state, status = dict(run.state), StepStatus.SKIPPED
                    json_state = to_json(new_state)
                    if savepoint is not None:
                        savepoint.commit()
                except Exception as exc:
                    if savepoint is not None and savepoint.is_active:
                        savepoint.rollback()
                    failed_status = ProcessStatus.WAITING if step.kind == "retrystep" else ProcessStatus.FAILED
                    failed = {**error_state(run.state, exc), "error": failure_reason(step, exc)}
                    row_status = StepStatus.WAITING if failed_status == ProcessStatus.WAITING else StepStatus.FAILED
                    now = utcnow()
                    rows.append(_step_row(run, index, step, row_status, failed, started_at, now))
                    updates.append({"process_id": run.process_id, "last_step": step.name, "last_modified_at": now,
                                    "last_status": str(failed_status), "failed_reason": failed["error"],
                                    "traceback": failed["traceback"], "lease_expires_at": None})
                    failures[run.process_id] = (failed_status, failed)
                    continue
                now = utcnow()
                rows.append(_step_row(run, index, step, status, json_state, started_at, now))
                updates.append({"process_id": run.process_id, "last_step": step.name, "last_modified_at": now,
                                "last_status": str(ProcessStatus.RUNNING), "lease_expires_at": lease.expiry()})
                outcomes[run.process_id] = (status, json_state)
        if rows:
            session.execute(sa.insert(ProcessStepTable), rows)
            _update_processes(session, updates)
    for run in group:
        if run.process_id in moved_on:
            logger.warning("Process %s moved on under another executor; this run stops", run.process_id)
            run.status = ProcessStatus.RUNNING
        elif run.process_id in failures:
            run.status = failures[run.process_id][0]
        else:
            run.state = outcomes[run.process_id][1]
            run.next_index = index + 1


def _subscription_ids(group: list[_Run]) -> list[uuid.UUID]:
    ids = []
    for run in group:
        raw = run.state.get("subscription_id")
        try:
            ids.append(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)))
        except ValueError:
            continue
    return ids


def _update_processes(session: Any, updates: list[dict[str, Any]]) -> None:
    """Per-process values (they differ in lease and failure), one executemany UPDATE per shape."""
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:
        by_keys.setdefault(tuple(sorted(values)), []).append(values)
    table = table_of(ProcessTable)
    for keys, batch in by_keys.items():
        columns = [k for k in keys if k != "process_id"]
        stmt = (sa.update(table).where(table.c.process_id == sa.bindparam("b_process_id"))
                .values({c: sa.bindparam(f"b_{c}") for c in columns}))
        session.execute(stmt, [{f"b_{k}": v for k, v in values.items()} for values in batch])


def _advance_one_by_one(group: list[_Run], index: int, step: Step) -> None:
    """The batch transaction failed as a whole: the normal executor, process by process."""
    for run in group:
        try:
            outcome = execute_step(run.process_id, index, step, run.state, run.user)
        except StepFailedError as failure:
            run.status = failure.status
            continue
        except StepAlreadyCommittedError:
            run.status = ProcessStatus.RUNNING
            continue
        run.state = outcome.state
        run.next_index = index + 1


def _finish_completed(runs: list[_Run]) -> None:
    """As the runner's `finish(COMPLETED)`, for every process that ran its last step."""
    ids = [run.process_id for run in runs]
    now = utcnow()
    with transaction() as session:
        _lock_processes(session, ids)
        session.execute(sa.update(ProcessTable).where(
            ProcessTable.process_id.in_(ids), ProcessTable.last_status == str(ProcessStatus.RUNNING))
            .values(last_status=str(ProcessStatus.COMPLETED)))
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id.in_(ids))
                        .values(lease_expires_at=None, last_modified_at=now))
    for run in runs:
        run.status = ProcessStatus.COMPLETED


@contextmanager
def _renewing(ids: Sequence[uuid.UUID]) -> Iterator[None]:
    with ExitStack() as stack:
        for pid in ids:
            stack.enter_context(lease.renewing(pid))
        yield


def run_batch(process_ids: Sequence[uuid.UUID], flow_run_id: uuid.UUID | None = None) -> dict[uuid.UUID, ProcessStatus]:
    """Run each process from its resume point; return the status each ends this run with.

    The same outcome per process as `runner.run_process`, step rows included; processes move
    through their steps together, the group at the lowest step index first.
    """
    runs, ended = _claim(list(process_ids), flow_run_id)
    with _renewing([run.process_id for run in runs]):
        while True:
            active = [run for run in runs if run.status is None]
            if not active:
                break
            done = [run for run in active if run.next_index >= len(run.workflow.steps)]
            if done:
                _finish_completed(done)
                continue
            index = min(run.next_index for run in active)
            by_workflow: dict[str, list[_Run]] = {}
            for run in active:
                if run.next_index == index:
                    by_workflow.setdefault(run.workflow.name, []).append(run)
            for group in by_workflow.values():
                step = group[0].workflow.steps[index]
                waiting = {run.process_id: waits_at(step, run.state) for run in group}
                for run in group:
                    if (status := waiting[run.process_id]) is not None:
                        run.status = finish(run.process_id, status, index, step, run.state)
                running = [run for run in group if waiting[run.process_id] is None]
                if not running:
                    continue
                try:
                    _advance(running, index, step)
                except Exception:
                    logger.warning("Batch step %r failed as a whole; running it process by process", step.name,
                                   exc_info=True)
                    _advance_one_by_one([run for run in running if run.status is None], index, step)
    return {**ended, **{run.process_id: run.status for run in runs if run.status is not None}}
