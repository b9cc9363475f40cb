"""Subscription reads for the API: search pages, one subscription with its model and processes.

Search is SQL Core on the subscriptions table (no ORM objects) so that it stays fast at 100,000
rows. Every word of the text must match: as a word prefix of the description, customer id or
note (a tsvector with a GIN index on Postgres, as the reference's search does, built and queried
without Postgres' text parser, migrations 0007 to 0009; a substring scan on SQLite), or as part of
the product's name or tag, or as the subscription's id. Filters combine with AND. Totals are exact
up to COUNT_CAP; beyond that the page says `total_exact: false`, because counting every hit of a
common word costs more than the page itself. Pages are read on an autocommit connection: one
statement, no transaction.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import visitors

from orchestrator_core.db import ProcessTable, WorkflowTable, read_connection, transaction
from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable

_s = SubscriptionTable.__table__
_p = ProductTable.__table__
_WITH_PRODUCT = _s.join(_p, _p.c.product_id == _s.c.product_id)

COUNT_CAP = 1_000

_SPACE: sa.ColumnClause[str] = sa.literal_column("' '")
SEARCH_TEXT = (
    _s.c.description.op("||")(_SPACE)
    .op("||")(_s.c.customer_id)
    .op("||")(_SPACE)
    .op("||")(sa.func.coalesce(_s.c.note, sa.literal_column("''")))
).self_group()
"""The text searched: by substring on SQLite; on Postgres migration 0008 stores its words as a tsvector."""

SEARCH_VECTOR: sa.ColumnClause[Any] = sa.literal_column("subscriptions.search_tsv")
"""Generated column of migration 0008 (not in the ORM table: the database computes it), GIN-indexed."""

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
    sort: SortKey = "start_date"
    order: Literal["asc", "desc"] = "desc"
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class SubscriptionPage:
    items: list[dict[str, Any]]
    total: int
    total_exact: bool = True


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_uuid(word: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(word)
    except ValueError:
        return None


_WORD = re.compile(r"[^\W_]+")
"""Letters and digits: a word as the search vector holds it (migration 0008 splits the text at everything
else); safe inside a tsquery."""


def tokens(word: str) -> list[str]:
    """A typed word's parts."""
    return _WORD.findall(word.lower())


MAX_EXPANSIONS = 32
"""A prefix that starts more stored words than this stays a prefix term ('1' would start thousands)."""
_WORDS = sa.table("subscription_search_words", sa.column("word"))


def _term(token: str, expansions: dict[str, list[str] | None]) -> str | None:
    """One part of a word as a tsquery term: the exact stored words it starts (migration 0009), or the
    prefix itself when they are many or unknown; None when no stored word starts with it. Terms are
    quoted lexemes: the query is a tsquery literal, never run through Postgres' text parser (which
    would read '3e5ceaf5' as two words; migration 0008)."""
    words = expansions.get(token)
    if words is None or not all(_WORD.fullmatch(w) for w in words):
        return f"'{token}':*"
    if not words:
        return None
    return f"'{words[0]}'" if len(words) == 1 else "(" + " | ".join(f"'{w}'" for w in words) + ")"


def word_query(words: list[str], expansions: dict[str, list[str] | None] | None = None) -> str | None:
    """Every word must prefix a word of the text; the parts of one word ('10.0.0.1', 'amsterdam-zwolle')
    must follow each other in that order. None when some part starts no stored word: nothing matches."""
    query = []
    for word in words:
        terms = [_term(t, expansions or {}) for t in tokens(word)]
        if any(t is None for t in terms):
            return None
        query.append("(" + " <-> ".join(t for t in terms if t) + ")")
    return " & ".join(query)


def _product_rows(connection: Any) -> list[tuple[uuid.UUID, str]]:
    return [
        (pid, f"{name}\n{tag}".lower())
        for pid, name, tag in connection.execute(sa.select(_p.c.product_id, _p.c.name, _p.c.tag))
    ]


@functools.lru_cache(maxsize=64)
def _lookup_statement(prefixes: int) -> Any:
    """Products, and the stored words each of `prefixes` prefixes starts (up to MAX_EXPANSIONS + 1)."""
    branches = [
        sa.select(
            sa.literal(-1, sa.Integer).label("prefix"),
            sa.cast(_p.c.product_id, sa.String).label("key"),
            (_p.c.name + "\n" + _p.c.tag).label("text"),
        )
    ]
    for i in range(prefixes):
        starting = (
            sa.select(_WORDS.c.word)
            .where(_WORDS.c.word.like(sa.bindparam(f"p{i}", type_=sa.String) + "%"))
            .order_by(_WORDS.c.word)
            .limit(MAX_EXPANSIONS + 1)
            .subquery(f"w{i}")
        )
        branches.append(sa.select(sa.literal(i, sa.Integer), starting.c.word, sa.null()))
    return sa.union_all(*branches)


def _lookups(
    connection: Any, prefixes: list[str], sqlite: bool
) -> tuple[list[tuple[uuid.UUID, str]], dict[str, list[str] | None]]:
    """Products are few: read them once per search and match words in Python, not a query per word. On
    Postgres the same round trip expands each prefix to the stored words it starts."""
    if sqlite or not prefixes:
        return _product_rows(connection), {}
    rows = connection.execute(_lookup_statement(len(prefixes)), {f"p{i}": p for i, p in enumerate(prefixes)})
    products: list[tuple[uuid.UUID, str]] = []
    starts: dict[str, list[str]] = {p: [] for p in prefixes}
    for prefix, key, text in rows:
        if prefix < 0:
            products.append((uuid.UUID(key), text.lower()))
        else:
            starts[prefixes[prefix]].append(key)
    return products, {p: (w if len(w) <= MAX_EXPANSIONS else None) for p, w in starts.items()}


def _products_matching(products: list[tuple[uuid.UUID, str]], word: str) -> list[uuid.UUID]:
    """Case-insensitive substring of the product's name or tag."""
    needle = word.lower()
    return [pid for pid, text in products if needle in text]


@dataclass(frozen=True)
class Conditions:
    """A search's conditions as a shape and its values. Statements are built once per shape (building one
    costs more Python than running it) and the values travel as bind parameters."""

    shape: tuple[str, ...]
    values: tuple[Any, ...]

    def params(self) -> dict[str, Any]:
        named: dict[str, Any] = {}
        for i, (kind, value) in enumerate(zip(self.shape, self.values, strict=True)):
            if kind == "text_or_products":
                named[f"c{i}"], named[f"c{i}_products"] = value
            elif kind != "nothing":
                named[f"c{i}"] = value
        return named


def _text_value(words: list[str], expansions: dict[str, list[str] | None], sqlite: bool) -> str | None:
    return f"%{_escape_like(words[0])}%" if sqlite else word_query(words, expansions)


def _text_conditions(connection: Any, text: str, sqlite: bool) -> list[tuple[str, Any]]:
    words = [w for w in text.split() if _as_uuid(w) is not None or tokens(w)]  # punctuation alone: no word
    if not words:
        return []
    prefixes = sorted({t for w in words if _as_uuid(w) is None for t in tokens(w)})
    products, expansions = _lookups(connection, prefixes, sqlite)
    found: list[tuple[str, Any]] = []
    plain: list[str] = []
    for word in words:
        as_id = _as_uuid(word)
        if as_id is not None:
            found.append(("id", as_id))
        elif matching := _products_matching(products, word):
            value = _text_value([word], expansions, sqlite)
            found.append(("text_or_products", (value, matching)) if value else ("products", matching))
        else:
            plain.append(word)
    if sqlite:
        found.extend(("text", _text_value([w], expansions, sqlite)) for w in plain)
    elif plain:
        value = _text_value(plain, expansions, sqlite)  # all words in one condition: one index scan
        found.append(("text", value) if value else ("nothing", None))
    return found


def conditions(connection: Any, query: SubscriptionQuery) -> Conditions:
    sqlite = connection.dialect.name == "sqlite"
    found = _text_conditions(connection, query.text or "", sqlite)
    if query.statuses:
        found.append(("statuses", list(query.statuses)))
    if query.product:
        as_id = _as_uuid(query.product)
        found.append(("product_id", as_id) if as_id else ("product_name", query.product))
    if query.customer:
        found.append(("customer", query.customer))
    return Conditions(tuple(kind for kind, _ in found), tuple(value for _, value in found))


def _text_match(name: str, sqlite: bool) -> Any:
    value = sa.bindparam(name, type_=sa.String)
    if sqlite:
        return SEARCH_TEXT.ilike(value, escape="\\")
    return SEARCH_VECTOR.op("@@")(sa.cast(value, TSQUERY))


def _clause(kind: str, name: str, sqlite: bool) -> Any:
    if kind == "id":
        return _s.c.subscription_id == sa.bindparam(name)
    if kind == "text":
        return _text_match(name, sqlite)
    if kind == "text_or_products":
        return sa.or_(_text_match(name, sqlite), _s.c.product_id.in_(sa.bindparam(f"{name}_products", expanding=True)))
    if kind == "products":
        return _s.c.product_id.in_(sa.bindparam(name, expanding=True))
    if kind == "nothing":
        return sa.false()
    if kind == "statuses":
        return _s.c.status.in_(sa.bindparam(name, expanding=True))
    if kind == "product_id":
        return _s.c.product_id == sa.bindparam(name)
    if kind == "product_name":
        named = sa.select(_p.c.product_id).where(
            sa.or_(_p.c.name == sa.bindparam(name), _p.c.tag == sa.bindparam(name))
        )
        return _s.c.product_id.in_(named.scalar_subquery())
    if kind == "customer":
        return _s.c.customer_id == sa.bindparam(name)
    raise ValueError(f"unknown search condition {kind!r}")


def _where(shape: tuple[str, ...], sqlite: bool) -> list[Any]:
    return [_clause(kind, f"c{i}", sqlite) for i, kind in enumerate(shape)]


def text_condition(connection: Any, text: str) -> Any:
    """The search's words as one condition with their values bound, for readers that combine it with
    conditions of their own (orchestrator-ui's GraphQL `query`): the same matching as this search."""
    found = conditions(connection, SubscriptionQuery(text=text))
    params = found.params()

    def bind(parameter: Any) -> None:
        if parameter.key in params:
            parameter.value, parameter.required = params[parameter.key], False

    clauses = _where(found.shape, connection.dialect.name == "sqlite")
    return visitors.cloned_traverse(sa.and_(sa.true(), *clauses), {"maintain_key": True}, {"bindparam": bind})


_LIMIT = sa.bindparam("page_limit", type_=sa.Integer)
_OFFSET = sa.bindparam("page_offset", type_=sa.Integer)
_HIT_LIMIT = sa.bindparam("hit_limit", type_=sa.Integer)
_CAP = sa.bindparam("count_cap", type_=sa.Integer)


def _paging(sort: str, order: str) -> tuple[Any, Any, Any]:
    """The sort column, its direction, and what to select it from (the product's name needs the join)."""
    column = SORT_COLUMNS.get(sort, _s.c.start_date)
    direction = sa.desc if order == "desc" else sa.asc
    return column, direction, _WITH_PRODUCT if column.table is _p else _s


def _page_ids(shape: tuple[str, ...], sort: str, order: str, sqlite: bool, *gate: Any) -> Any:
    """The page as id and sort key: with no filter an index-only walk of the sort index."""
    column, direction, source = _paging(sort, order)
    return (
        sa.select(_s.c.subscription_id.label("page_id"), column.label("sort_key"))
        .select_from(source)
        .where(*_where(shape, sqlite), *gate)
        .order_by(direction(column), direction(_s.c.subscription_id))
        .limit(_LIMIT)
        .offset(_OFFSET)
    )


def _with_rows(paged: Any, order: str, sqlite: bool, *extra: Any) -> Any:
    """The page's rows read back by id: rows the page skipped are never read in full (at offset 10,000
    measured 1.6 ms where reading and joining every skipped row took 5.5). On Postgres each page row is
    looked up on its own (LATERAL): with a plain join the planner hashed the whole table once it was
    small (at 10,000 subscriptions a page took 7 ms instead of 1)."""
    direction = sa.desc if order == "desc" else sa.asc
    ordering = (direction(paged.c.sort_key), direction(paged.c.page_id))
    if sqlite:  # no LATERAL there
        return (
            sa.select(*COLUMNS, *extra)
            .select_from(paged.join(_WITH_PRODUCT, _s.c.subscription_id == paged.c.page_id))
            .order_by(*ordering)
        )
    by_id = sa.select(*COLUMNS).select_from(_WITH_PRODUCT).where(_s.c.subscription_id == paged.c.page_id)
    row = by_id.limit(1).lateral("row")  # LIMIT keeps Postgres from flattening it back into a join
    return sa.select(*row.c, *extra).select_from(paged.join(row, sa.true())).order_by(*ordering)


@functools.lru_cache(maxsize=1024)
def page_statement(shape: tuple[str, ...], sort: str, order: str, sqlite: bool) -> Any:
    """A page beyond the first COUNT_CAP hits: the total is then known to exceed the cap."""
    return _with_rows(_page_ids(shape, sort, order, sqlite).subquery("paged"), order, sqlite)


@functools.lru_cache(maxsize=1024)
def first_pages_statement(shape: tuple[str, ...], sort: str, order: str, sqlite: bool) -> Any:
    """A page within the first COUNT_CAP hits, with the hits counted up to COUNT_CAP + 1, in one statement
    whose plan follows the count.

    The first COUNT_CAP + 1 hits in any order are collected as id and sort key (`hits`: a rare word reads a
    few entries of the text index, a common one a stretch of the table) and counted. When they are all the
    hits, the page is sorted from them. When there are more, the hits are common, and the page is found by
    walking the sort index and filtering, which then stops after a page. Postgres skips the branch whose
    condition on the count is false. Collecting the first COUNT_CAP + 1 hits in sort order instead walks
    the sort index until it has them: measured at 100,000 subscriptions, 14 ms for 'amsterdam' with status
    active, and a separate page and count query 12.5 ms for 'zwolle leiden' (each had to read both words'
    index entries); this statement 5 ms for each."""
    column, direction, source = _paging(sort, order)
    hits = (
        sa.select(_s.c.subscription_id.label("hit_id"), column.label("sort_key"))
        .select_from(source)
        .where(*_where(shape, sqlite))
        .limit(_HIT_LIMIT)
        .cte("hits")
    )
    counted = sa.select(sa.func.count().label("hits")).select_from(hits).cte("counted")  # counted once
    hit_count = sa.select(counted.c.hits).scalar_subquery()
    few = (
        sa.select(hits.c.hit_id.label("page_id"), hits.c.sort_key)
        .where(hit_count <= _CAP)
        .order_by(direction(hits.c.sort_key), direction(hits.c.hit_id))
        .limit(_LIMIT)
        .offset(_OFFSET)
        .subquery("few")
    )
    many = _page_ids(shape, sort, order, sqlite, hit_count > _CAP).subquery("many")
    paged = sa.union_all(sa.select(few), sa.select(many)).subquery("paged")
    return _with_rows(paged, order, sqlite, hit_count.label("hit_count"))


@functools.lru_cache(maxsize=1024)
def count_statement(shape: tuple[str, ...], sqlite: bool) -> Any:
    """The hits up to COUNT_CAP + 1, counted: for a page past the last hit."""
    capped = sa.select(sa.literal(1)).select_from(_s).where(*_where(shape, sqlite)).limit(_HIT_LIMIT).subquery()
    return sa.select(sa.func.count()).select_from(capped)


def _counted(query: SubscriptionQuery, cap: int) -> bool:
    """Pages within the first `cap` hits carry the count; beyond, the total is known to exceed the cap."""
    return query.offset + query.limit <= cap + 1


def _page(found: Conditions, query: SubscriptionQuery, sqlite: bool, cap: int) -> tuple[Any, dict[str, Any]]:
    params = {
        **found.params(),
        "page_limit": query.limit,
        "page_offset": query.offset,
        "count_cap": cap,
        "hit_limit": cap + 1,
    }
    if _counted(query, cap):
        return first_pages_statement(found.shape, query.sort, query.order, sqlite), params
    return page_statement(found.shape, query.sort, query.order, sqlite), params


def search_statement(connection: Any, query: SubscriptionQuery, cap: int = COUNT_CAP) -> tuple[Any, dict[str, Any]]:
    """The statement a search runs first, and its parameters (for the benchmark's raw-SQL baseline)."""
    return _page(conditions(connection, query), query, connection.dialect.name == "sqlite", cap)


def _rows(result: Any) -> list[dict[str, Any]]:
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def search_subscriptions(query: SubscriptionQuery, cap: int = COUNT_CAP) -> SubscriptionPage:
    """Totals are exact up to `cap` hits; beyond, `total` is a lower bound and `total_exact` is false."""
    with read_connection() as connection:
        sqlite = connection.dialect.name == "sqlite"
        found = conditions(connection, query)
        statement, params = _page(found, query, sqlite, cap)
        rows = _rows(connection.execute(statement, params))
        if rows and _counted(query, cap):
            hit_count = rows[0]["hit_count"]
            for row in rows:
                del row["hit_count"]
            return SubscriptionPage(rows, min(hit_count, cap), total_exact=hit_count <= cap)
        if rows:
            return SubscriptionPage(rows, query.offset + len(rows), total_exact=len(rows) < query.limit)
        if query.offset == 0:
            return SubscriptionPage([], 0)
        counted = count_statement(found.shape, sqlite)  # a page past the last hit: how many are there?
        total = connection.execute(counted, {**found.params(), "hit_limit": cap + 1}).scalar_one()
    return SubscriptionPage([], min(total, cap), total_exact=total <= cap)


def subscription_row(subscription_id: uuid.UUID) -> dict[str, Any] | None:
    stmt = sa.select(*COLUMNS).select_from(_WITH_PRODUCT).where(_s.c.subscription_id == subscription_id)
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
            ProcessTable.assignee,
        )
        .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
        .join(ProcessSubscriptionTable, ProcessSubscriptionTable.process_id == ProcessTable.process_id)
        .where(ProcessSubscriptionTable.subscription_id == subscription_id)
        .order_by(ProcessTable.started_at.desc())
        .limit(limit)
    )
    with transaction() as session:
        return [dict(r._mapping) for r in session.execute(stmt)]
