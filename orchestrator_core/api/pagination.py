"""Paging parameters shared by list endpoints, bounded so one request cannot read a whole table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from orchestrator_core.settings import app_settings

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")] = 0,
) -> PageParams:
    return PageParams(min(limit, app_settings.ORCHESTRATOR_API_PAGE_SIZE_MAX), offset)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    total_exact: bool = True
    """False when there are more hits than were counted (`total` is then a lower bound)."""
    limit: int
    offset: int
