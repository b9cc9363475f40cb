"""Lists that readers shape by field name: filters, a `key:value` search text, sort keys and
first/after paging, over one SQL statement per resource (orchestrator-ui's GraphQL lists read them).

A resource declares its fields once (`Field`: the kind of value, its column, and how a condition on a
column of another table reaches the resource's rows). Field names match without regard to case or
underscores: `startDate`, `start_date` and `startdate` are one field.

Filter values follow orchestrator-ui's conventions: several values separated by `|`, and also by `-` in
fields with a fixed vocabulary (`status`: "initial-provisioning"), any of which may match; a leading `!`
negates the filter; booleans are "true"/"false"; dates and numbers take a comparison (`>=2026-01-01`)
and a bare date matches that day. Text matches as a case-insensitive substring; a name (a customer id,
a user) whole and as stored; a vocabulary word (a status, a target) whole, in any case. Names and
vocabularies compare with `=`, so that their indexes serve the filter.

The search text holds words and `key:value` terms (`-key:value` negates, `key:(a|b)` is either, a
quoted value may hold spaces). Terms are filters as above; words go to the resource's own word search
(for subscriptions the REST search's), and every word must match.

What a list cannot read (an unknown field, a malformed date or id) is a ListQueryError naming it and the
fields there are, never an empty page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa

from orchestrator_core.db import read_connection
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.settings import app_settings

Kind = Literal["text", "name", "vocabulary", "uuid", "bool", "datetime", "int"]
"""text: substring, any case; name: whole, as stored; vocabulary: whole, in the case its values are stored
in (`Field.fold`), several also separated by `-`."""

MAX_AFTER = 10_000_000
"""The furthest a page may start, as the REST lists' `offset`."""


class ListQueryError(OrchestratorError):
    code = "list.invalid_query"
    http_status = 400


@dataclass(frozen=True)
class Field:
    kind: Kind
    column: Any
    via: Callable[[Any], Any] | None = None
    """For a column of another table: turns a condition on it into one on the resource's rows."""
    also: dict[str, tuple[str, ...]] | None = None
    """Values that stand for others as well (a word of orchestrator-ui's for several of ours)."""
    fold: Callable[[str], str] | None = None
    """A vocabulary's case as stored (`str.lower` for statuses): a value is folded to it before comparing."""

    @property
    def sortable(self) -> bool:
        return self.via is None


@dataclass(frozen=True)
class FieldFilter:
    field: str
    value: str


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class ListRequest:
    filters: tuple[FieldFilter, ...] = ()
    sort: tuple[SortKey, ...] = ()
    query: str | None = None
    first: int = 10
    after: int = 0


@dataclass(frozen=True)
class ListPage:
    items: list[dict[str, Any]]
    total: int
    after: int


WordSearch = Callable[[Any, list[str]], list[Any]]
"""(connection, words) -> conditions, every word to match."""


def _key(name: str) -> str:
    return name.replace("_", "").lower()


@dataclass(frozen=True)
class Listing:
    """One resource: its fields by name, its word search, its default order and a unique column that
    breaks ties, so that consecutive pages never overlap."""

    name: str
    fields: dict[str, Field]
    words: WordSearch
    default_sort: tuple[SortKey, ...]
    tiebreak: Any

    @property
    def filter_fields(self) -> list[str]:
        return sorted(self.fields)

    @property
    def sort_fields(self) -> list[str]:
        return sorted(name for name, f in self.fields.items() if f.sortable)

    def field(self, name: str, purpose: str) -> Field:
        found = {_key(n): f for n, f in self.fields.items()}.get(_key(name))
        if found is None:
            known = self.filter_fields if purpose != "sort" else self.sort_fields
            raise ListQueryError(
                f"{self.name} have no {purpose} field {name[:100]!r}; known: {', '.join(known)}",
                field=name[:100],
                known=known,
            )
        if purpose == "sort" and not found.sortable:
            raise ListQueryError(
                f"{self.name} cannot be sorted by {name[:100]!r}; sortable: {', '.join(self.sort_fields)}",
                field=name[:100],
                known=self.sort_fields,
            )
        return found

    def conditions(self, connection: Any, request: ListRequest) -> list[Any]:
        found = [self.filter_condition(f) for f in request.filters]
        words: list[str] = []
        if request.query:
            terms, words = parse_query(request.query)
            found.extend(self.filter_condition(f, "search") for f in terms)
        if words:
            found.extend(self.words(connection, words))
        return found

    def filter_condition(self, item: FieldFilter, purpose: str = "filter") -> Any:
        field = self.field(item.field, purpose)
        negate = item.value.startswith("!")
        text = item.value[1:] if negate else item.value
        values = [v for v in (re.split(r"[|-]", text) if field.kind == "vocabulary" else text.split("|")) if v]
        if not values:
            raise ListQueryError(f"The {purpose} on {item.field[:100]!r} has no value", field=item.field[:100])
        if field.fold:
            values = [field.fold(v) for v in values]
        if field.also:
            values = [*values, *(other for v in values for other in field.also.get(v, ()))]
        condition = sa.or_(*(_match(field, v, item.field) for v in values))
        if field.via is not None:
            condition = field.via(condition)
        return sa.not_(condition) if negate else condition

    def ordering(self, request: ListRequest) -> list[Any]:
        """The sort keys, then the tiebreak in the last key's direction: so that a sort on an indexed column
        walks its index (each database's own place for NULLs, which its indexes keep)."""
        keys = request.sort or self.default_sort
        order = []
        for key in keys:
            field = self.field(key.field, "sort")
            column = sa.func.lower(field.column) if field.kind == "text" else field.column
            order.append(column.desc() if key.descending else column.asc())
        return [*order, self.tiebreak.desc() if keys[-1].descending else self.tiebreak.asc()]


def page_bounds(first: int, after: int) -> tuple[int, int]:
    """`first` at most ORCHESTRATOR_API_PAGE_SIZE_MAX (as REST's `limit`); negative values are refused."""
    if first < 0 or after < 0 or after > MAX_AFTER:
        raise ListQueryError(
            f"Paging needs first >= 0 and 0 <= after <= {MAX_AFTER}, not first={first}, after={after}",
            first=first,
            after=after,
        )
    return min(first, app_settings.ORCHESTRATOR_API_PAGE_SIZE_MAX), after


def read_page(listing: Listing, base: sa.Select[Any], request: ListRequest) -> ListPage:
    """The rows of `base` that match the request, in its order, with the total. The total is counted only
    when the page does not tell it (a first page shorter than asked is all there is)."""
    first, after = page_bounds(request.first, request.after)
    with read_connection() as connection:
        statement = base.where(*listing.conditions(connection, request))
        rows: Sequence[Any] = []
        if first:
            paged = statement.order_by(*listing.ordering(request)).limit(first).offset(after)
            rows = connection.execute(paged).mappings().all()
        if rows and len(rows) < first:
            total = after + len(rows)
        elif not rows and after == 0 and first:
            total = 0
        else:
            counted = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
            total = connection.execute(counted).scalar_one()
    return ListPage([dict(r) for r in rows], total, after)


def substring_words(*columns: Any) -> WordSearch:
    """A word search for catalogue-like lists: each word a case-insensitive substring of one of `columns`."""

    def search(_connection: Any, words: list[str]) -> list[Any]:
        return [sa.or_(*(_contains(c, w) for c in columns)) for w in words]

    return search


def _contains(column: Any, text: str) -> Any:
    return sa.func.lower(sa.func.coalesce(column, "")).contains(text.lower(), autoescape=True)


def _match(field: Field, value: str, name: str) -> Any:
    column = field.column
    if field.kind == "text":
        return _contains(column, value.rstrip("*"))
    if field.kind in ("name", "vocabulary"):
        return column == value
    if field.kind == "uuid":
        return column == _uuid(value, name)
    if field.kind == "bool":
        return column == _bool(value, name)
    if field.kind == "int":
        return _compare(column, value, lambda v: _int(v, name))
    return _date_match(column, value, name)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": lambda c, v: c >= v,
    "<=": lambda c, v: c <= v,
    ">": lambda c, v: c > v,
    "<": lambda c, v: c < v,
}


def _compare(column: Any, value: str, parse: Callable[[str], Any]) -> Any:
    for operator, apply in _OPERATORS.items():
        if value.startswith(operator):
            return apply(column, parse(value[len(operator):]))
    return column == parse(value)


def _date_match(column: Any, value: str, name: str) -> Any:
    """A comparison with a date or time; a bare date is that whole day (UTC)."""
    day = _as_date(value)
    if day is not None:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return sa.and_(column >= start, column < start + timedelta(days=1))
    return _compare(column, value, lambda v: _datetime(v, name))


def _as_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _datetime(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ListQueryError(
            f"{name[:100]!r} takes a date or time as 2026-01-31 or 2026-01-31T12:00:00+00:00, not {value[:100]!r}",
            field=name[:100],
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ListQueryError(f"{name[:100]!r} takes ids, and {value[:100]!r} is none", field=name[:100]) from None


def _bool(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise ListQueryError(f"{name[:100]!r} takes true or false, not {value[:100]!r}", field=name[:100])
    return lowered == "true"


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ListQueryError(f"{name[:100]!r} takes a whole number, not {value[:100]!r}", field=name[:100]) from None


_TERM = re.compile(
    r'(?P<negate>[-!])?(?P<key>[A-Za-z]\w*):(?P<value>"[^"]*"|\([^)]*\)|[^\s:]\S*)'
    r'|"(?P<phrase>[^"]*)"'
    r"|(?P<word>\S+)"
)


def parse_query(text: str) -> tuple[list[FieldFilter], list[str]]:
    """The search text's `key:value` terms as filters, and its other words (a quoted phrase is one)."""
    terms: list[FieldFilter] = []
    words: list[str] = []
    for match in _TERM.finditer(text):
        if match["key"]:
            value = match["value"]
            if len(value) > 1 and (value[0], value[-1]) in (('"', '"'), ("(", ")")):
                value = value[1:-1]
            terms.append(FieldFilter(match["key"], ("!" if match["negate"] else "") + value.rstrip("*")))
        elif match["phrase"] is not None:
            if match["phrase"].strip():
                words.append(match["phrase"])
        elif word := match["word"].rstrip("*"):
            words.append(word)
    return terms, words
