"""Processes as lists shaped by field name (`list_query`), for orchestrator-ui's GraphQL: filtered by
any field of the process, its workflow or the subscriptions it ran on, each row with those
subscriptions (read for the whole page in one query).

orchestrator-ui knows no `crashed` status: its lists of failed processes ask for `failed`, which here
also finds crashed ones (`ui_status`, the one mapping of statuses for the UI).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, read_connection
from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable
from orchestrator_core.services.list_query import Field, Listing, ListPage, ListRequest, SortKey, read_page
from orchestrator_core.services.subscription_list import SUBSCRIPTION_ROWS
from orchestrator_core.services.ui_status import STATUS_ALSO

_pr = ProcessTable.__table__
_w = WorkflowTable.__table__
_ps = ProcessSubscriptionTable.__table__
_s = SubscriptionTable.__table__
_p = ProductTable.__table__

PROCESS_ROWS = sa.select(
    _pr.c.process_id,
    _pr.c.workflow_id,
    _w.c.name.label("workflow_name"),
    _w.c.target.label("workflow_target"),
    _pr.c.is_task,
    _pr.c.last_status,
    _pr.c.last_step,
    _pr.c.failed_reason,
    _pr.c.traceback,
    _pr.c.created_by,
    _pr.c.assignee,
    _pr.c.started_at,
    _pr.c.last_modified_at,
    _pr.c.note,
).select_from(_pr.outerjoin(_w, _w.c.workflow_id == _pr.c.workflow_id))  # dropped when only counting


def _via_subscriptions(condition: Any) -> Any:
    """Processes linked to a subscription (and its product) that meets the condition."""
    linked = (
        sa.select(_ps.c.process_id)
        .select_from(_ps.join(_s, _s.c.subscription_id == _ps.c.subscription_id))
        .join(_p, _p.c.product_id == _s.c.product_id)
        .where(condition)
    )
    return _pr.c.process_id.in_(linked)


_status = Field("vocabulary", _pr.c.last_status, also=STATUS_ALSO, fold=str.lower)
_target = Field("vocabulary", _w.c.target, fold=str.upper)
_product = Field("text", _p.c.name, via=_via_subscriptions)
_tag = Field("vocabulary", _p.c.tag, via=_via_subscriptions)
_customer = Field("name", _s.c.customer_id, via=_via_subscriptions)

PROCESS_FIELDS: dict[str, Field] = {
    "processId": Field("uuid", _pr.c.process_id),
    "workflowId": Field("uuid", _pr.c.workflow_id),
    "workflowName": Field("text", _w.c.name),
    "workflowTarget": _target,
    "target": _target,
    "lastStatus": _status,
    "status": _status,
    "lastStep": Field("text", _pr.c.last_step),
    "assignee": Field("name", _pr.c.assignee),
    "createdBy": Field("name", _pr.c.created_by),
    "isTask": Field("bool", _pr.c.is_task),
    "startedAt": Field("datetime", _pr.c.started_at),
    "lastModifiedAt": Field("datetime", _pr.c.last_modified_at),
    "failedReason": Field("text", _pr.c.failed_reason),
    "traceback": Field("text", _pr.c.traceback),
    "note": Field("text", _pr.c.note),
    "subscriptionId": Field("uuid", _ps.c.subscription_id, via=_via_subscriptions),
    "subscriptions": Field("text", _s.c.description, via=_via_subscriptions),
    "product": _product,
    "productName": _product,
    "tag": _tag,
    "productTag": _tag,
    "customer": _customer,
    "customerId": _customer,
}

_WORD_COLUMNS = (_w.c.name, _pr.c.last_step, _pr.c.last_status, _pr.c.created_by, _pr.c.assignee, _pr.c.failed_reason)


def _words(_connection: Any, words: list[str]) -> list[Any]:
    """Each word in the workflow's name, the step, status, who, the failure, or a subscription's description,
    customer or product name; or the id of the process or of one of its subscriptions."""
    found = []
    for word in words:
        lowered = word.lower()
        own = [sa.func.lower(sa.func.coalesce(c, "")).contains(lowered, autoescape=True) for c in _WORD_COLUMNS]
        theirs = [
            sa.func.lower(c).contains(lowered, autoescape=True) for c in (_s.c.description, _s.c.customer_id, _p.c.name)
        ]
        ids: list[Any] = []
        try:
            as_id = uuid.UUID(word)
            ids = [_pr.c.process_id == as_id, _via_subscriptions(_ps.c.subscription_id == as_id)]
        except ValueError:
            pass
        found.append(sa.or_(*own, _via_subscriptions(sa.or_(*theirs)), *ids))
    return found


PROCESSES = Listing(
    "processes", PROCESS_FIELDS, _words, (SortKey("startedAt", descending=True),), _pr.c.process_id
)


def list_processes(request: ListRequest) -> ListPage:
    """A page of process rows, each with `subscriptions`: the rows (as the subscription lists') of the
    subscriptions it ran on, in the order it took them."""
    page = read_page(PROCESSES, PROCESS_ROWS, request)
    linked = linked_subscriptions([row["process_id"] for row in page.items])
    for row in page.items:
        row["subscriptions"] = linked.get(row["process_id"], [])
    return page


def linked_subscriptions(process_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    if not process_ids:
        return {}
    statement = (
        SUBSCRIPTION_ROWS.add_columns(_ps.c.process_id.label("linked_process_id"))
        .join(_ps, _ps.c.subscription_id == _s.c.subscription_id)
        .where(_ps.c.process_id.in_(process_ids))
        .order_by(_ps.c.created_at, _ps.c.subscription_id)
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    with read_connection() as connection:
        for row in connection.execute(statement).mappings():
            item = dict(row)
            found[item.pop("linked_process_id")].append(item)
    return found
