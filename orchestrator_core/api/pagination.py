"""Paging parameters shared by list endpoints, bounded so one request cannot read a whole table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Response
from pydantic import BaseModel

from orchestrator_core.settings import app_settings

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")] = 0,
) -> PageParams:
    """Async: it does no I/O, and a plain function would cost a hop through the thread pool per request."""
    return PageParams(min(limit, app_settings.ORCHESTRATOR_API_PAGE_SIZE_MAX), offset)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    total_exact: bool = True
    """False when there are more hits than were counted (`total` is then a lower bound)."""
    limit: int
    offset: int


def page_response(
    model: type[Page[Any]], items: list[dict[str, Any]], total: int, total_exact: bool, page: PageParams
) -> Response:
    """The page validated once, from the rows, and written as JSON by pydantic. Returning the model
    instead makes FastAPI dump it, validate it again and encode it in Python: measured about 1 ms more
    for 50 subscriptions. The route keeps `response_model` for its OpenAPI schema."""
    body = model.model_validate(
        {"items": items, "total": total, "total_exact": total_exact, "limit": page.limit, "offset": page.offset}
    )
    return Response(body.model_dump_json(), media_type="application/json")
