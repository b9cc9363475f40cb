"""Subscription reads for the API: search pages, one subscription with its model and processes.

Search is one SQL statement on the subscriptions table (Core, no ORM objects) so that it stays
fast at 100,000 rows: every word of the text must occur (case-insensitive, substring) in the
description, customer id or note, matched through one trigram index on Postgres (migration
0004), or be the product's name/tag, or the subscription's id. Filters combine with AND.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable

_s = SubscriptionTable.__table__
_p = ProductTable.__table__

_SPACE = sa.literal_column("' '")
SEARCH_TEXT = (
    _s.c.description.op("||")(_SPACE)
    .op("||")(_s.c.customer_id)
    .op("||")(_SPACE)
    .op("||")(sa.func.coalesce(_s.c.note, sa.literal_column("''")))
).self_group()
"""The expression the trigram index of migration 0004 is built on; queries must use it verbatim
(literal spaces, not bound parameters, or Postgres cannot match the index expression)."""

SortKey = Literal["start_date", "end_date", "description", "status", "customer_id", "product", "insync"]
SORT_COLUMNS: dict[str, Any] = {
    "start_date": _s.c.start_date,
    "end_date": _s.c.end_date,
    "description": _s.c.description,
    "status": _s.c.status,
    "customer_id": _s.c.customer_id,
    "product": _p.c.name,
    "insync": _s.c.insync,
}

COLUMNS = (
    _s.c.subscription_id,
    _s.c.description,
    _s.c.status,
    _s.c.customer_id,
    _s.c.insync,
    _s.c.start_date,
    _s.c.end_date,
    _s.c.note,
    _s.c.version,
    _p.c.product_id,
    _p.c.name.label("product_name"),
    _p.c.tag.label("product_tag"),
    _p.c.product_type.label("product_type"),
)


@dataclass(frozen=True)
class SubscriptionQuery:
    text: str | None = None
    statuses: tuple[str, ...] = ()
    product: str | None = None
    customer: str | None = None
    sort: str = "start_date"
    order: Literal["asc", "desc"] = "desc"
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class SubscriptionPage:
    items: list[dict[str, Any]]
    total: int


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_uuid(word: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(word)
    except ValueError:
        return None


def _word_condition(word: str) -> Any:
    as_id = _as_uuid(word)
    if as_id is not None:
        return _s.c.subscription_id == as_id
    pattern = f"%{_escape_like(word)}%"
    products = sa.select(_p.c.product_id).where(
        sa.or_(_p.c.name.ilike(pattern, escape="\\"), _p.c.tag.ilike(pattern, escape="\\"))
    )
    return sa.or_(SEARCH_TEXT.ilike(pattern, escape="\\"), _s.c.product_id.in_(products.scalar_subquery()))


def _product_condition(product: str) -> Any:
    as_id = _as_uuid(product)
    if as_id is not None:
        return _s.c.product_id == as_id
    return _s.c.product_id.in_(
        sa.select(_p.c.product_id).where(sa.or_(_p.c.name == product, _p.c.tag == product)).scalar_subquery()
    )


def conditions(query: SubscriptionQuery) -> list[Any]:
    where: list[Any] = [_word_condition(w) for w in (query.text or "").split()]
    if query.statuses:
        where.append(_s.c.status.in_(query.statuses))
    if query.product:
        where.append(_product_condition(query.product))
    if query.customer:
        where.append(_s.c.customer_id == query.customer)
    return where


def search_subscriptions(query: SubscriptionQuery) -> SubscriptionPage:
    where = conditions(query)
    column = SORT_COLUMNS.get(query.sort, _s.c.start_date)
    ordering = column.desc().nulls_last() if query.order == "desc" else column.asc().nulls_last()
    tie = _s.c.subscription_id.desc() if query.order == "desc" else _s.c.subscription_id.asc()
    stmt = (
        sa.select(*COLUMNS)
        .select_from(_s.join(_p, _p.c.product_id == _s.c.product_id))
        .where(*where)
        .order_by(ordering, tie)
        .limit(query.limit)
        .offset(query.offset)
    )
    with transaction() as session:
        rows = [dict(r._mapping) for r in session.execute(stmt)]
        if query.offset == 0 and len(rows) < query.limit:
            total = len(rows)
        else:
            total = session.execute(sa.select(sa.func.count()).select_from(_s).where(*where)).scalar_one()
    return SubscriptionPage(rows, total)


def subscription_row(subscription_id: uuid.UUID) -> dict[str, Any] | None:
    stmt = (
        sa.select(*COLUMNS)
        .select_from(_s.join(_p, _p.c.product_id == _s.c.product_id))
        .where(_s.c.subscription_id == subscription_id)
    )
    with transaction() as session:
        row = session.execute(stmt).one_or_none()
        return dict(row._mapping) if row else None


def processes_of(subscription_id: uuid.UUID, limit: int = 100) -> list[dict[str, Any]]:
    """The processes that touched the subscription, newest first."""
    stmt = (
        sa.select(
            ProcessTable.process_id,
            WorkflowTable.name.label("workflow_name"),
            WorkflowTable.target.label("workflow_target"),
            ProcessTable.last_status.label("status"),
            ProcessTable.last_step,
            ProcessTable.failed_reason,
            ProcessTable.created_by,
            ProcessTable.started_at,
            ProcessTable.last_modified_at,
            ProcessTable.flow_run_id,
            ProcessTable.is_task,
        )
        .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
        .join(ProcessSubscriptionTable, ProcessSubscriptionTable.process_id == ProcessTable.process_id)
        .where(ProcessSubscriptionTable.subscription_id == subscription_id)
        .order_by(ProcessTable.started_at.desc())
        .limit(limit)
    )
    with transaction() as session:
        return [dict(r._mapping) for r in session.execute(stmt)]
