"""Read many subscriptions' rows at once, for a batch of processes that each load their own.

The batch executor advances many processes through one step inside one transaction. At the
step's first load it reads, in six queries for the whole batch, every row `from_subscription`
would read for each process's subscription; while the step of one process runs, `from_subscription`
takes those rows instead of querying, as long as they are still what the database holds:

- the process's own step has written nothing since the batch read them (any INSERT, UPDATE or
  DELETE that changed a row, on the batch's connection, ends the use for that process's step);
- the subscription's model reaches no block of another subscription in the batch (another
  process's step could change those); such subscriptions are always read again;
- the other processes of the batch hold the locks of their own subscriptions and write only
  those, so what they write is not what this process reads.

The model itself is validated afresh for every load: the rows are shared, never a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db.product_tables import FixedInputTable, ProductTable
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.domain.loading import InstanceRows, _pb, _rel, _rt, _si, _siv
from orchestrator_core.domain.product import ProductModel

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b|\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b",
                    re.IGNORECASE)
"""A statement that may change rows (also inside a WITH); SELECT ... FOR UPDATE does not match."""


@dataclass
class Prefetched:
    """The rows of one subscription: its row and product as read, fixed inputs, block rows."""

    core: dict[str, Any]
    product: dict[str, Any]
    product_name: str
    status: str
    fixed_inputs: dict[str, str]
    rows: InstanceRows


@dataclass
class _Batch:
    session: Session
    subscription_ids: list[UUID]
    entries: dict[UUID, Prefetched] | None = None  # read at the first load of the step
    writes: int = 0
    baseline: int | None = None  # `writes` when the current process's step began; None: no step running


_current: ContextVar[_Batch | None] = ContextVar("orchestrator_prefetched_subscriptions", default=None)


def cached(subscription_id: UUID) -> Prefetched | None:
    """The batch's rows of this subscription, if they may stand in for a fresh read now."""
    batch = _current.get()
    if batch is None or batch.baseline is None or batch.writes != batch.baseline:
        return None
    if subscription_id not in batch.subscription_ids:
        return None
    if batch.entries is None:
        batch.entries = _fetch(batch.session, batch.subscription_ids)
    return batch.entries.get(subscription_id)


def _count_write(batch: _Batch) -> Any:
    def after_cursor_execute(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if not _WRITE.search(statement):
            return
        if getattr(cursor, "rowcount", -1) != 0:
            batch.writes += 1

    return after_cursor_execute


@contextmanager
def prefetched(session: Session, subscription_ids: list[UUID]) -> Iterator[_Batch]:
    """Read the subscriptions' rows at the first load; `from_subscription` uses them in `process_step()`."""
    batch = _Batch(session, sorted(set(subscription_ids)))
    connection = session.connection()
    listener = _count_write(batch)
    sa.event.listen(connection, "after_cursor_execute", listener)
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
        sa.event.remove(connection, "after_cursor_execute", listener)


@contextmanager
def process_step(batch: _Batch) -> Iterator[None]:
    """One process's step: the rows serve it until it writes."""
    batch.baseline = batch.writes
    try:
        yield
    finally:
        batch.baseline = None


def _fetch(session: Session, ids: list[UUID]) -> dict[UUID, Prefetched]:
    if not ids:
        return {}
    found = session.execute(
        sa.select(SubscriptionTable, ProductTable)
        .join(ProductTable, ProductTable.product_id == SubscriptionTable.product_id)
        .where(SubscriptionTable.subscription_id.in_(ids))
    ).all()
    if not found:
        return {}
    product_ids = {product.product_id for _, product in found}
    fixed: dict[UUID, dict[str, str]] = {pid: {} for pid in product_ids}
    for pid, name, value in session.execute(
            sa.select(FixedInputTable.product_id, FixedInputTable.name, FixedInputTable.value)
            .where(FixedInputTable.product_id.in_(product_ids))):
        fixed[pid][name] = value
    reachable = _reachable(session, [row.subscription_id for row, _ in found])
    all_ids = sorted({iid for iids in reachable.values() for iid in iids})
    instances = {row.subscription_instance_id: row for row in session.execute(
        sa.select(_si.c.subscription_instance_id, _si.c.subscription_id, _si.c.label, _pb.c.name)
        .join(_pb, _pb.c.product_block_id == _si.c.product_block_id)
        .where(_si.c.subscription_instance_id.in_(all_ids)))} if all_ids else {}
    values: dict[UUID, dict[str, str]] = {}
    if all_ids:
        for iid, resource_type, value in session.execute(
                sa.select(_siv.c.subscription_instance_id, _rt.c.resource_type, _siv.c.value)
                .join(_rt, _rt.c.resource_type_id == _siv.c.resource_type_id)
                .where(_siv.c.subscription_instance_id.in_(all_ids))):
            values.setdefault(iid, {})[resource_type] = value
    relations: list[tuple[UUID, UUID, str | None]] = []
    if all_ids:
        relations = [tuple(r) for r in session.execute(  # type: ignore[misc]
            sa.select(_rel.c.in_use_by_id, _rel.c.depends_on_id, _rel.c.domain_model_attr)
            .where(_rel.c.in_use_by_id.in_(all_ids))
            .order_by(_rel.c.in_use_by_id, _rel.c.domain_model_attr, _rel.c.order_id))]
    batch_ids = {row.subscription_id for row, _ in found}
    entries: dict[UUID, Prefetched] = {}
    for row, product in found:
        sid = row.subscription_id
        own = reachable.get(sid, set())
        owners = {instances[iid].subscription_id for iid in own if iid in instances}
        if (owners - {sid}) & batch_ids:
            continue  # reaches into another subscription of the batch: always read afresh
        rows = InstanceRows(sid)
        rows.instances = {iid: instances[iid] for iid in own if iid in instances}
        for iid in rows.instances:
            if iid in values:
                rows.values[iid] = dict(values[iid])
        for parent, child, attr in relations:
            if parent in own:
                rows.children[(parent, attr)].append(child)
        entries[sid] = Prefetched(
            core={name: getattr(row, name) for name in ("customer_id", "subscription_id", "description", "status",
                                                          "insync", "start_date", "end_date", "note", "version")},
            product=ProductModel.model_validate(product, from_attributes=True).model_dump(),
            product_name=product.name, status=row.status, fixed_inputs=fixed[product.product_id], rows=rows)
    return entries


def _reachable(session: Session, ids: list[UUID]) -> dict[UUID, set[UUID]]:
    """Per subscription, the instances `loading.reachable_instance_ids` finds for it."""
    seed = (
        sa.select(_si.c.subscription_instance_id.label("id"), _si.c.subscription_id.label("root"))
        .where(_si.c.subscription_id.in_(ids))
        .cte("reachable", recursive=True)
    )
    step = sa.select(_rel.c.depends_on_id, seed.c.root).join(seed, _rel.c.in_use_by_id == seed.c.id)
    reachable = seed.union(step)
    found: dict[UUID, set[UUID]] = {}
    for iid, root in session.execute(sa.select(reachable.c.id, reachable.c.root)):
        found.setdefault(root, set()).add(iid)
    return found
