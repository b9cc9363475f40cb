"""orchestrator-ui's list conventions in GraphQL: `filterBy` (GraphqlFilter), `sortBy` (GraphqlSort,
SortOrder), integer `first`/`after` paging and the `query` text, turned into a `ListRequest` of the list
services; and the page they answer as a `Connection` with its `pageInfo`."""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

import strawberry

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
