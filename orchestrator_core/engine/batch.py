"""The batch driver: many processes of one workflow together, one transaction per step for the batch.

For bulk jobs (the nightly validation sweep). It is the step-run core (`step_executor`) with the
single-process driver's outcome per process: its own step rows with the full state, the same
statuses, its lease, its failure with error and traceback, resumable as usual. What is shared is
the transaction: a step is advanced for every process of the batch inside one transaction, each
process inside its own SAVEPOINT. A process whose step raises rolls back only its savepoint and
gets its failed row; the others' changes and step rows commit together, with one commit (one
fsync) for the batch instead of one per process.

When the batch transaction itself fails (a lost connection, a conflict at commit), nothing of
that step was committed for anyone: the step is run again for each of those processes by the
single-process driver, which records per process what happened.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

from orchestrator_core.db import transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.domain import prefetch
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.runner import advance_alone
from orchestrator_core.engine.step_executor import Run, StepOutcome, claim, decide, drive, moved_on, run_step, step_row
from orchestrator_core.errors import ProcessBusyError
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import Step, no_op

logger = logging.getLogger(__name__)


def _advance_together(group: list[Run], index: int, step: Step) -> None:
    """Run step `index` of every process in `group` in one transaction, a savepoint each."""
    outcomes: dict[uuid.UUID, StepOutcome] = {}
    stopped: dict[uuid.UUID, ProcessStatus] = {}
    writes_maybe = step.func is not no_op  # the engine's Start and Done touch nothing: no savepoint needed
    with transaction() as session:
        positions = step_log.committed_positions(session, [run.process_id for run in group], lock=True)
        rows: list[step_log.StepRow] = []
        with prefetch.prefetched(session, _subscription_ids(group)) as rows_of:
            for run in group:
                position = positions.get(run.process_id)
                if (reason := moved_on(position, run.process_id, index, step)) is not None:
                    logger.warning("This run of process %s stops: %s", run.process_id, reason)
                    stopped[run.process_id] = ProcessStatus(position[0]) if position else ProcessStatus.FAILED
                    continue
                started_at = utcnow()
                savepoint = session.begin_nested() if writes_maybe else None
                try:
                    with prefetch.process_step(rows_of):
                        outcome = run_step(step, run.state, run.process_id, index)
                    if savepoint is not None:
                        savepoint.commit()
                except Exception as exc:
                    if savepoint is not None and savepoint.is_active:
                        savepoint.rollback()
                    failed = decide(step, run.state, exc)
                    assert failed is not None
                    outcome = failed
                outcomes[run.process_id] = outcome
                rows.append(step_row(run.process_id, index, step, outcome, started_at, run.user))
        step_log.record_steps(session, rows)
    for run in group:
        if run.process_id in stopped:
            run.status = stopped[run.process_id]
        else:
            run.advanced(index, outcomes[run.process_id])


def _subscription_ids(group: list[Run]) -> list[uuid.UUID]:
    ids = []
    for run in group:
        raw = run.state.get("subscription_id")
        try:
            ids.append(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)))
        except ValueError:
            continue
    return ids


def _advance(group: list[Run], index: int, step: Step) -> None:
    try:
        _advance_together(group, index, step)
    except Exception:
        logger.warning("Batch step %r failed as a whole; running it process by process", step.name, exc_info=True)
        for run in group:
            advance_alone(run, index, step)


@contextmanager
def _renewing(ids: Sequence[uuid.UUID]) -> Iterator[None]:
    with ExitStack() as stack:
        for pid in ids:
            stack.enter_context(lease.renewing(pid))
        yield


def run_batch(process_ids: Sequence[uuid.UUID], flow_run_id: uuid.UUID | None = None) -> dict[uuid.UUID, ProcessStatus]:
    """Run each process from its resume point; return the status each ends this run with.

    The same outcome per process as `runner.run_process`, step rows included; processes move
    through their steps together, the group at the lowest step index first. A process that does
    not exist ends failed, one running on a living executor ends running.
    """
    runs, ended = claim(list(process_ids), flow_run_id)
    statuses: dict[uuid.UUID, ProcessStatus] = {}
    for pid, verdict in ended.items():
        if isinstance(verdict, ProcessStatus):
            statuses[pid] = verdict
        else:
            logger.warning("Process %s does not run: %s", pid, verdict.message)
            statuses[pid] = ProcessStatus.RUNNING if isinstance(verdict, ProcessBusyError) else ProcessStatus.FAILED
    with _renewing([run.process_id for run in runs]):
        drive(runs, _advance)
    return {**statuses, **{run.process_id: run.status for run in runs if run.status is not None}}
