"""Create the processes of one workflow on many subscriptions at once (the validation sweep).

`processes.create_processes` on one subscription page each: the one guard, the per-subscription
lock, the link row, the process row and its two input states, exactly as a single start; a refusal
writes nothing for that subscription and comes back as its typed error. The guard's facts are read
for all subscriptions together (their rows locked FOR UPDATE, in id order), the locks are taken
with one compare-and-set, and the rows are written in one flush.

A workflow whose form is the plain subscription page (validate workflows) is not asked it: its
answer (the subscription's product, customer and version) is read for all subscriptions in one
query, and the guard, which the page would ask, is asked by the start anyway.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services.processes import create_processes as create_each
from orchestrator_core.workflow import Workflow


def subscription_form_only(workflow: Workflow) -> bool:
    """The workflow's form is the plain subscription page (validate workflows): nothing else to ask."""
    return bool(getattr(workflow.initial_input_form, "subscription_page_only", False))


def _page_answers(session: Session, subscription_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """What the subscription page answers for each subscription (`forms._subscription_state`)."""
    rows = {row.subscription_id: row for row in session.execute(
        sa.select(SubscriptionTable.subscription_id, SubscriptionTable.product_id, SubscriptionTable.customer_id,
                  SubscriptionTable.version).where(SubscriptionTable.subscription_id.in_(subscription_ids)))}
    return [{"subscription_id": str(sid), "product": str(rows[sid].product_id),
             "customer_id": rows[sid].customer_id, "version": rows[sid].version} if sid in rows
            else {"subscription_id": str(sid)} for sid in subscription_ids]


def create_processes(session: Session, workflow: Workflow, subscription_ids: list[uuid.UUID], user: str,
                     flow_run_id: uuid.UUID | None = None
                     ) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, OrchestratorError]]:
    """Guard, lock and write a process of `workflow` per subscription, in the caller's transaction.

    Returns the created process per subscription and the refusal per refused subscription.
    """
    answers = _page_answers(session, subscription_ids) if subscription_form_only(workflow) else None
    pages = [[{"subscription_id": str(sid)}] for sid in subscription_ids]
    results = create_each(session, workflow, pages, user, flow_run_id, answers=answers)
    created = {sid: r for sid, r in zip(subscription_ids, results, strict=True) if isinstance(r, uuid.UUID)}
    refused = {sid: r for sid, r in zip(subscription_ids, results, strict=True) if not isinstance(r, uuid.UUID)}
    return created, refused
