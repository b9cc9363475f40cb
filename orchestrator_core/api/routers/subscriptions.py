"""Subscriptions: search, one with its model, processes and startable workflows, and its history."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from orchestrator_core.api.auth import AuthUser, reader, writer
from orchestrator_core.api.errors import ApiError
from orchestrator_core.api.links import flow_run_url
from orchestrator_core.api.pagination import Page, PageParams, page_params, page_response
from orchestrator_core.api.params import text_query
from orchestrator_core.api.schemas.subscriptions import (
    HistoryItem,
    SubscriptionAtStep,
    SubscriptionDetail,
    SubscriptionProcess,
    SubscriptionSummary,
    SubscriptionWorkflows,
)
from orchestrator_core.services import (
    subscription_model_view,
    subscription_snapshots,
    subscription_workflows,
    ui_subscription_actions,
)
from orchestrator_core.services.subscription_search import (
    SortKey,
    SubscriptionQuery,
    search_subscriptions,
    subscription_row,
)
from orchestrator_core.services.subscription_search import processes_of as processes_of_subscription
from orchestrator_core.types import SubscriptionLifecycle

router = APIRouter(prefix="/api/subscriptions", tags=["subscriptions"])
SubscriptionIdPath = Annotated[uuid.UUID, Path(description="The subscription id")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown subscription"}}


def _not_found(subscription_id: uuid.UUID) -> ApiError:
    return ApiError(
        404,
        "subscription.not_found",
        f"Subscription {subscription_id} does not exist",
        subscription_id=str(subscription_id),
    )


@router.get("", response_model=Page[SubscriptionSummary])
def search(
    q: Annotated[
        str | None,
        text_query(200, "Words; each must prefix a word of description, customer or note, or be in the product name"),
    ] = None,
    status: Annotated[list[SubscriptionLifecycle] | None, Query(description="Lifecycle(s)")] = None,
    product: Annotated[str | None, text_query(255, "Product name, tag or id")] = None,
    customer: Annotated[str | None, text_query(255, "Customer id")] = None,
    sort: SortKey = "start_date",
    order: Literal["asc", "desc"] = "desc",
    page: PageParams = Depends(page_params),
) -> Response:
    """List and search subscriptions, paged and sorted."""
    query = SubscriptionQuery(
        text=q,
        statuses=tuple(str(s) for s in status or ()),
        product=product,
        customer=customer,
        sort=sort,
        order=order,
        limit=page.limit,
        offset=page.offset,
    )
    result = search_subscriptions(query)
    return page_response(Page[SubscriptionSummary], result.items, result.total, result.total_exact, page)


def _processes(subscription_id: uuid.UUID) -> list[SubscriptionProcess]:
    return [
        SubscriptionProcess(**p, prefect_url=flow_run_url(p["flow_run_id"]))
        for p in processes_of_subscription(subscription_id)
    ]


@router.get("/workflows/{subscription_id}", response_model=dict[str, Any], responses=NOT_FOUND)
def workflows_in_reference_shape(
    subscription_id: SubscriptionIdPath, user: AuthUser | None = Depends(reader)
) -> dict[str, Any]:
    """The reference's (and orchestrator-ui's) shape of `/{id}/workflows`: `{create, modify, terminate, system,
    validate, reconcile: [{name, description, reason?, ...}], reason?}`, with the reference's reason codes and
    `subscription.insufficient_workflow_permissions` for a workflow the caller may not start."""
    return ui_subscription_actions.reference_workflows(subscription_id, user)


@router.put(
    "/{subscription_id}/set_in_sync",
    status_code=200,
    response_model=None,
    responses={**NOT_FOUND, 422: {"description": "A process that changes it has not finished"}},
    dependencies=[Depends(writer)],
)
def set_in_sync(subscription_id: SubscriptionIdPath) -> None:
    """Mark an out-of-sync subscription in sync (after a repair by hand); refused while a process that
    changes it is unfinished. Already in sync: nothing changes."""
    ui_subscription_actions.set_in_sync(subscription_id)


@router.get("/{subscription_id}", response_model=SubscriptionDetail, responses=NOT_FOUND)
def get_one(subscription_id: SubscriptionIdPath) -> SubscriptionDetail:
    """The subscription, its domain model, its processes and the workflows that may start on it now."""
    row = subscription_row(subscription_id)
    if row is None:
        raise _not_found(subscription_id)
    return SubscriptionDetail(
        **row,
        domain_model=subscription_model_view.domain_model(subscription_id),
        processes=_processes(subscription_id),
        workflows=SubscriptionWorkflows(**subscription_workflows.workflows_for(subscription_id)),
    )


@router.get("/{subscription_id}/workflows", response_model=SubscriptionWorkflows, responses=NOT_FOUND)
def workflows(subscription_id: SubscriptionIdPath) -> SubscriptionWorkflows:
    """Each workflow of the product, nested by target, with allowed or the guard's reason."""
    answer = subscription_workflows.workflows_for(subscription_id)
    if not answer:
        raise _not_found(subscription_id)
    return SubscriptionWorkflows(**answer)


@router.get("/{subscription_id}/processes", response_model=list[SubscriptionProcess], responses=NOT_FOUND)
def processes(subscription_id: SubscriptionIdPath) -> list[SubscriptionProcess]:
    if subscription_row(subscription_id) is None:
        raise _not_found(subscription_id)
    return _processes(subscription_id)


@router.get("/{subscription_id}/history", response_model=list[HistoryItem], responses=NOT_FOUND)
def history(subscription_id: SubscriptionIdPath) -> list[HistoryItem]:
    """Every past step that left a version of this subscription, oldest first."""
    if subscription_row(subscription_id) is None:
        raise _not_found(subscription_id)
    return [
        HistoryItem(**subscription_snapshots.entry_summary(e)) for e in subscription_snapshots.history(subscription_id)
    ]


@router.get(
    "/{subscription_id}/history/{process_id}/{step_index}",
    response_model=SubscriptionAtStep,
    responses={404: {"description": "Unknown subscription, or that step did not carry it"}},
)
def as_after_step(
    subscription_id: SubscriptionIdPath,
    process_id: uuid.UUID,
    step_index: Annotated[int, Path(ge=0, le=100_000)],
) -> SubscriptionAtStep:
    """The subscription as it was right after that step of that process."""
    entry = subscription_snapshots.as_after_step(subscription_id, process_id, step_index)
    if entry is None:
        raise ApiError(
            404,
            "subscription.no_snapshot",
            f"Step {step_index} of process {process_id} left no version of subscription {subscription_id}",
            subscription_id=str(subscription_id),
            process_id=str(process_id),
            step_index=step_index,
        )
    return SubscriptionAtStep(**subscription_snapshots.entry_summary(entry), subscription=entry.subscription)
