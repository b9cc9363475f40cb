"""orchestrator-ui's list conventions in GraphQL: `filterBy` (GraphqlFilter), `sortBy` (GraphqlSort,
SortOrder), integer `first`/`after` paging and the `query` text, turned into a `ListRequest` of the list
services; and the page they answer as a `Connection` with its `pageInfo`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry

from orchestrator_core.api.graphql.context import Info
from orchestrator_core.services.list_query import FieldFilter, Listing, ListPage, ListRequest, SortKey, page_bounds

T = TypeVar("T")


@strawberry.enum(description="Sort order (ASC or DESC)")
class SortOrder(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="Sort on a field")
class GraphqlSort:
    field: str = strawberry.field(description="Field to sort on")
    order: SortOrder = strawberry.field(default=SortOrder.ASC, description="Sort order (ASC or DESC)")


@strawberry.input(description="Filter on a field: values separated by `|` (or `-`), a leading `!` negates")
class GraphqlFilter:
    field: str = strawberry.field(description="Field to filter on")
    value: str = strawberry.field(description="Value(s) to match")


@strawberry.type(description="Where a page stands in the whole list")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: int | None
    end_cursor: int | None
    total_items: int
    sort_fields: list[str]
    filter_fields: list[str]


@strawberry.type(description="A page of a list and where it stands")
class Connection(Generic[T]):
    page: list[T]
    page_info: PageInfo


def list_request(
    filter_by: list[GraphqlFilter] | None,
    sort_by: list[GraphqlSort] | None,
    first: int,
    after: int,
    query: str | None = None,
    *fixed: FieldFilter,
) -> ListRequest:
    """`fixed` filters narrow the list to what a field belongs to (a product's subscriptions)."""
    return ListRequest(
        filters=(*(FieldFilter(f.field, f.value) for f in filter_by or ()), *fixed),
        sort=tuple(SortKey(s.field, s.order == SortOrder.DESC) for s in sort_by or ()),
        query=query or None,
        first=first,
        after=after,
    )


ReadPage = Callable[[Info, ListRequest], "Connection[Any]"]
"""Answers one list request with a page of GraphQL objects."""


def list_field(item: Any, read: ReadPage, description: str,
               narrow: Callable[[Any], FieldFilter] | None = None) -> Any:
    """A list field in orchestrator-ui's conventions (`filterBy`, `sortBy`, `first`, `after`, `query`) whose
    page is a `Connection[item]`; `narrow(parent)` limits it to what the parent object holds (a product's
    subscriptions). Every list of the schema is declared through this, so they take the same arguments."""

    def resolve(
        root: Any,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Any:
        fixed = (narrow(root),) if narrow is not None else ()
        return read(info, list_request(filter_by, sort_by, first, after, query, *fixed))

    resolve.__annotations__ = {**resolve.__annotations__, "return": Connection[item]}
    return strawberry.field(resolver=resolve, description=description)


def lazy_page(module: str, name: str) -> ReadPage:
    """The `ReadPage` `module.name`, imported when first asked: for lists of types whose module imports
    the one declaring the field (a product's subscriptions)."""

    def read(info: Info, request: ListRequest) -> Connection[Any]:
        return getattr(importlib.import_module(module), name)(info, request)  # type: ignore[no-any-return]

    return read


def connection(items: list[T], total: int, after: int, listing: Listing | None = None) -> Connection[T]:
    return Connection(
        page=items,
        page_info=PageInfo(
            has_next_page=after + len(items) < total,
            has_previous_page=after > 0,
            start_cursor=after if items else None,
            end_cursor=after + len(items) - 1 if items else None,
            total_items=total,
            sort_fields=listing.sort_fields if listing else [],
            filter_fields=listing.filter_fields if listing else [],
        ),
    )


def page_connection(page: ListPage, items: list[T], listing: Listing) -> Connection[T]:
    return connection(items, page.total, page.after, listing)


def slice_connection(items: list[T], first: int, after: int, sort_fields: list[str] | None = None) -> Connection[T]:
    """A page of a list read whole (a short one: the scheduled tasks)."""
    first, after = page_bounds(first, after)
    found = connection(items[after:after + first], len(items), after)
    found.page_info.sort_fields = sort_fields or []
    return found


def empty_connection() -> Connection[T]:
    return connection([], 0, 0)
