"""Create the processes of one workflow on many subscriptions at once (the validation sweep).

The same outcome per subscription as `processes.create_process`: the one guard rule set, the
per-subscription lock, the link row, the process row and its two input states; a refusal
writes nothing for that subscription and comes back as its typed error. What changes is the
number of statements: the guard's facts are read for all subscriptions together (their rows
locked FOR UPDATE, in id order), the guard is asked once per subscription (the plain
subscription form asks the same guard, so its answer is taken from this one reading), the
locks are taken with one compare-and-set, and the rows are written with one INSERT per table.

Workflows whose form asks more than the subscription go through `create_process` one by one.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import InputStateTable, ProcessTable
from orchestrator_core.db.base import table_of, utcnow
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable
from orchestrator_core.engine.state import to_json
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services import workflow_registry
from orchestrator_core.services.guard_errors import SubscriptionLockedError, refusal
from orchestrator_core.services.guard_rules import Verdict, evaluate, takes_lock
from orchestrator_core.services.processes import check_run_predicate, create_process
from orchestrator_core.services.subscription_facts import is_linked, load_many_facts
from orchestrator_core.services.subscriptions import workflow_info
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import Workflow


def subscription_form_only(workflow: Workflow) -> bool:
    """The workflow's form is the plain subscription page (validate workflows): nothing else to ask."""
    return bool(getattr(workflow.initial_input_form, "subscription_page_only", False))


def _one_by_one(session: Session, workflow: Workflow, subscription_ids: list[uuid.UUID], user: str,
                flow_run_id: uuid.UUID | None) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, OrchestratorError]]:
    created: dict[uuid.UUID, uuid.UUID] = {}
    refused: dict[uuid.UUID, OrchestratorError] = {}
    for sid in subscription_ids:
        savepoint = session.begin_nested()
        try:
            created[sid] = create_process(session, workflow, [{"subscription_id": str(sid)}], user,
                                          flow_run_id=flow_run_id)
            savepoint.commit()
        except OrchestratorError as exc:
            savepoint.rollback()
            refused[sid] = exc
    return created, refused


def create_processes(session: Session, workflow: Workflow, subscription_ids: list[uuid.UUID], user: str,
                     flow_run_id: uuid.UUID | None = None
                     ) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, OrchestratorError]]:
    """Guard, lock and write a process of `workflow` per subscription, in the caller's transaction.

    Returns the created process per subscription and the refusal per refused subscription.
    """
    if not subscription_form_only(workflow):
        return _one_by_one(session, workflow, subscription_ids, user, flow_run_id)
    check_run_predicate(workflow)
    info = workflow_info(workflow)
    assert info is not None
    row = workflow_registry.registered_row(session, workflow)
    refused: dict[uuid.UUID, OrchestratorError] = {}
    facts = load_many_facts(session, sorted(set(subscription_ids)), lock=True)
    linked: dict[uuid.UUID, bool] = {}
    allowed: list[uuid.UUID] = []
    for sid in subscription_ids:
        found = facts.get(sid)
        if found is None:
            verdict = Verdict.refuse("subscription.not_found", f"Subscription {sid} does not exist",
                                     subscription_id=str(sid))
        else:
            product_id = found[1].product_id
            if product_id not in linked:
                linked[product_id] = is_linked(session, info.name, product_id)
            verdict = evaluate(info, found[1], linked[product_id])
        if verdict.allowed:
            allowed.append(sid)
        else:
            refused[sid] = refusal(verdict)
    if allowed and takes_lock(info):
        locked = set(session.execute(
            sa.update(SubscriptionTable)
            .where(SubscriptionTable.subscription_id.in_(allowed), SubscriptionTable.insync.is_(True))
            .values(insync=False).returning(SubscriptionTable.subscription_id)).scalars())
        for sid in [sid for sid in allowed if sid not in locked]:
            refused[sid] = SubscriptionLockedError(f"Subscription {sid} was locked by another process a moment "
                                                   "ago", subscription_id=str(sid))
        allowed = [sid for sid in allowed if sid in locked]
    if not allowed:
        return {}, refused
    created = {sid: uuid.uuid4() for sid in allowed}
    now = utcnow()
    processes, links, inputs = [], [], []
    for sid, process_id in created.items():
        sub = facts[sid][0]
        user_inputs = [{"subscription_id": str(sid)}]
        # what `processes.initial_state` makes of the subscription page: the engine's keys, the page,
        # and the form's answer (`forms._subscription_state`), read from the same locked row
        state: dict[str, Any] = {"process_id": str(process_id), "reporter": user, "workflow_name": workflow.name,
                                 "workflow_target": str(workflow.target), "subscription_id": str(sid),
                                 "product": str(sub.product_id), "customer_id": sub.customer_id,
                                 "version": sub.version}
        processes.append({"process_id": process_id, "workflow_id": row.workflow_id,
                          "last_status": str(ProcessStatus.CREATED), "created_by": user, "is_task": row.is_task,
                          "flow_run_id": flow_run_id, "assignee": "SYSTEM", "started_at": now,
                          "last_modified_at": now})
        links.append({"id": uuid.uuid4(), "process_id": process_id, "subscription_id": sid,
                      "workflow_target": str(workflow.target), "created_at": now})
        inputs.append({"input_state_id": uuid.uuid4(), "process_id": process_id, "input_state": to_json(state),
                       "input_type": "initial_state", "input_time": now})
        inputs.append({"input_state_id": uuid.uuid4(), "process_id": process_id,
                       "input_state": {"user_inputs": to_json(user_inputs)}, "input_type": "user_input",
                       "input_time": now})
    session.execute(sa.insert(table_of(ProcessTable)), processes)
    session.execute(sa.insert(table_of(ProcessSubscriptionTable)), links)
    session.execute(sa.insert(table_of(InputStateTable)), inputs)
    return created, refused
