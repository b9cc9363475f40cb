"""Processes in GraphQL: the list row (workflow, status, who and when, the subscriptions it ran on) and,
asked for, the process page: its steps with what each changed and the ones still to come, the form it
waits for and what the caller may do (`services.process_detail`). Statuses are orchestrator-ui's
(`services.ui_status`: a crashed process is `FAILED`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from orchestrator_core.api.graphql.catalogue import ProductType, product
from orchestrator_core.api.graphql.context import Info
from orchestrator_core.api.graphql.customers import CustomerType, customer
from orchestrator_core.api.graphql.names import enum_name
from orchestrator_core.api.graphql.paging import (
    Connection,
    GraphqlFilter,
    GraphqlSort,
    connection,
    list_request,
    page_connection,
)
from orchestrator_core.services import process_detail, process_list
from orchestrator_core.services.list_query import FieldFilter, ListRequest, page_bounds
from orchestrator_core.services.subscription_list import SUBSCRIPTIONS
from orchestrator_core.services.ui_status import ui_status

if TYPE_CHECKING:
    from orchestrator_core.api.graphql.subscriptions import SubscriptionInterface

LazySubscription = Annotated["SubscriptionInterface", strawberry.lazy("orchestrator_core.api.graphql.subscriptions")]


@strawberry.type(description="What the caller may do with a process at the step it stands at")
class FormUserPermissionsType:
    retry_allowed: bool
    resume_allowed: bool


@strawberry.type(description="A step of a process: logged, or still to come (`pending`)")
class ProcessStepType:
    step_id: str | None
    name: str
    status: str
    created_by: str | None
    started: datetime | None
    completed: datetime | None
    commit_hash: str | None
    state: JSON | None
    state_delta: JSON | None


@strawberry.type(description="A process: one run of a workflow")
class ProcessType:
    process_id: uuid.UUID
    workflow_id: uuid.UUID
    workflow_name: str
    workflow_target: str | None
    is_task: bool
    last_status: str
    last_step: str | None
    failed_reason: str | None
    traceback: str | None
    created_by: str | None
    assignee: str
    started_at: datetime
    last_modified_at: datetime
    subscription_rows: strawberry.Private[list[dict[str, Any]]]
    note: str | None = strawberry.field(default=None, description="An operator's note on the process")

    def _first(self, key: str) -> Any:
        return self.subscription_rows[0][key] if self.subscription_rows else None

    @strawberry.field(description="The product of the first subscription it ran on")
    def product_id(self) -> uuid.UUID | None:
        return self._first("product_id")  # type: ignore[no-any-return]

    @strawberry.field(description="The product of the first subscription it ran on")
    def product(self, info: Info) -> ProductType | None:
        found = self._first("product_id")
        return product(info.context.catalogue.products[found]) if found else None

    @strawberry.field(description="The customer of the first subscription it ran on")
    def customer_id(self) -> str | None:
        return self._first("customer_id")  # type: ignore[no-any-return]

    @strawberry.field(description="The customer of the first subscription it ran on (an empty one for none)")
    def customer(self) -> CustomerType:
        return customer(self._first("customer_id"))

    @strawberry.field(description="The subscriptions it ran on")
    def subscriptions(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
    ) -> Connection[LazySubscription]:
        from orchestrator_core.api.graphql.subscriptions import subscription, subscription_page

        if not filter_by and not sort_by:  # as read with the process: in the order it took them
            first, after = page_bounds(first, after)
            rows = self.subscription_rows[after:after + first]
            return connection([subscription(r) for r in rows], len(self.subscription_rows), after, SUBSCRIPTIONS)
        ids = "|".join(str(r["subscription_id"]) for r in self.subscription_rows)
        if not ids:
            return connection([], 0, after, SUBSCRIPTIONS)
        mine = FieldFilter("subscriptionId", ids)
        return subscription_page(info, list_request(filter_by, sort_by, first, after, None, mine))

    def _page(self, info: Info) -> process_detail.ProcessPage:
        return info.context.once(("process", self.process_id), lambda: process_detail.load(self.process_id))

    @strawberry.field(description="Its logged steps, then the workflow's steps still to come (`pending`)")
    def steps(self, info: Info) -> list[ProcessStepType]:
        return [
            ProcessStepType(
                step_id=str(s["step_id"]) if s.get("step_id") is not None else None,
                name=s["name"],
                status=s["status"],
                created_by=s.get("created_by"),
                started=s.get("started"),
                completed=s.get("completed"),
                commit_hash=s.get("commit_hash"),
                state=s.get("state"),
                state_delta=s.get("state_delta"),
            )
            for s in self._page(info).steps
        ]

    @strawberry.field(description="The JSON schema of the form a suspended process waits for")
    def form(self, info: Info) -> JSON | None:
        form = self._page(info).form
        return JSON(form) if form is not None else None

    @strawberry.field(description="The state after its last step")
    def current_state(self, info: Info) -> JSON | None:
        logged = [s for s in self._page(info).steps if s.get("step_id") is not None]
        return JSON(logged[-1]["state"]) if logged else None

    @strawberry.field(description="Whether the caller may retry or resume it (the workflow's callbacks)")
    def user_permissions(self, info: Info) -> FormUserPermissionsType:
        retry, resume = process_detail.permissions(self._page(info), info.context.user)
        return FormUserPermissionsType(retry_allowed=retry, resume_allowed=resume)


def process(row: dict[str, Any]) -> ProcessType:
    """From a row of the process lists."""
    return ProcessType(
        process_id=row["process_id"],
        workflow_id=row["workflow_id"],
        workflow_name=row["workflow_name"],
        workflow_target=enum_name(row["workflow_target"]),
        is_task=row["is_task"],
        last_status=enum_name(ui_status(row["last_status"])) or "",
        last_step=row["last_step"],
        failed_reason=row["failed_reason"],
        traceback=row["traceback"],
        created_by=row["created_by"],
        assignee=row["assignee"],
        started_at=row["started_at"],
        last_modified_at=row["last_modified_at"],
        subscription_rows=row["subscriptions"],
        note=row.get("note"),
    )


def process_page(info: Info, request: ListRequest) -> Connection[ProcessType]:
    page = process_list.list_processes(request)
    return page_connection(page, [process(row) for row in page.items], process_list.PROCESSES)
