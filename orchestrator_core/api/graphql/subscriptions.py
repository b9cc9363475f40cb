"""Subscriptions in GraphQL, behind `SubscriptionInterface` (orchestrator-ui's fragments are on it): the
subscription's row, its product, customer, fixed inputs, product blocks, processes and the subscriptions
it uses or is used by. Subscription metadata and customer descriptions have no model here: they answer
empty."""

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
    lazy_page,
    list_field,
    list_request,
    page_connection,
)
from orchestrator_core.services import subscription_blocks, subscription_list
from orchestrator_core.services.list_query import FieldFilter, ListRequest

if TYPE_CHECKING:
    from orchestrator_core.api.graphql.processes import ProcessType

PROCESSES_MODULE = "orchestrator_core.api.graphql.processes"
LazyProcess = Annotated["ProcessType", strawberry.lazy(PROCESSES_MODULE)]


@strawberry.type(description="A customer's own description of a subscription (none are kept here)")
class CustomerDescription:
    id: uuid.UUID
    subscription_id: uuid.UUID
    customer_id: str
    description: str
    created_at: datetime | None


@strawberry.type(description="A product block of a subscription, numbered depth first; `parent` is its holder's")
class ProductBlockInstance:
    id: int
    parent: int | None
    subscription_instance_id: uuid.UUID
    owner_subscription_id: uuid.UUID
    product_block_instance_values: JSON
    in_use_by_relations: list[JSON]

    @strawberry.field(description="The subscription that owns the block")
    def subscription(self, info: Info) -> SubscriptionInterface | None:
        return subscription_by_id(info, self.owner_subscription_id)


@strawberry.interface(description="A subscription, of whatever product")
class SubscriptionInterface:
    subscription_id: uuid.UUID
    customer_id: str
    description: str
    start_date: datetime | None
    end_date: datetime | None
    status: str
    insync: bool
    note: str | None
    version: int
    product_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Its product")
    def product(self, info: Info) -> ProductType:
        return product(info.context.catalogue.products[self.product_id])

    @strawberry.field(description="Its customer")
    def customer(self) -> CustomerType:
        return customer(self.customer_id)

    @strawberry.field(description="Its product's fixed inputs, as {field, value}")
    def fixed_inputs(self, info: Info) -> list[JSON]:
        rows = info.context.catalogue.fixed_inputs.get(self.product_id, [])
        return [JSON({"field": row["name"], "value": row["value"]}) for row in rows]

    @strawberry.field(description="Its product blocks, and the blocks of other subscriptions it holds")
    def product_block_instances(self) -> list[ProductBlockInstance]:
        return [
            ProductBlockInstance(
                id=b["id"],
                parent=b["parent"],
                subscription_instance_id=b["subscription_instance_id"],
                owner_subscription_id=b["owner_subscription_id"],
                product_block_instance_values=b["values"],
                in_use_by_relations=b["in_use_by_relations"],
            )
            for b in subscription_blocks.product_block_instances(self.subscription_id)
        ]

    processes = list_field(
        LazyProcess, lazy_page(PROCESSES_MODULE, "process_page"), "The processes that ran on it",
        narrow=lambda subscription: FieldFilter("subscriptionId", str(subscription.subscription_id)))

    @strawberry.field(description="The subscriptions whose blocks hold a block of this one")
    def in_use_by_subscriptions(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
    ) -> Connection[SubscriptionInterface]:
        return _related(info, self.subscription_id, True, list_request(filter_by, sort_by, first, after))

    @strawberry.field(description="The subscriptions owning a block that a block of this one holds")
    def depends_on_subscriptions(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
    ) -> Connection[SubscriptionInterface]:
        return _related(info, self.subscription_id, False, list_request(filter_by, sort_by, first, after))

    @strawberry.field(description="Customer descriptions: none are kept here, so always empty")
    def customer_descriptions(self) -> list[CustomerDescription]:
        return []

    @strawberry.field(description="Subscription metadata: none is kept here, so always empty")
    def metadata(self) -> JSON:
        return JSON({})


@strawberry.type(name="SubscriptionType", description="A subscription")
class SubscriptionType(SubscriptionInterface):
    pass


def subscription(row: dict[str, Any]) -> SubscriptionType:
    """From a row of the subscription lists (the REST search's columns)."""
    return SubscriptionType(
        subscription_id=row["subscription_id"],
        customer_id=row["customer_id"],
        description=row["description"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        status=enum_name(row["status"]) or "",
        insync=row["insync"],
        note=row["note"],
        version=row["version"],
        product_id=row["product_id"],
    )


def subscription_page(info: Info, request: ListRequest) -> Connection[SubscriptionInterface]:
    page = subscription_list.list_subscriptions(request)
    items: list[SubscriptionInterface] = [subscription(row) for row in page.items]
    return page_connection(page, items, subscription_list.SUBSCRIPTIONS)


def subscription_by_id(info: Info, subscription_id: uuid.UUID) -> SubscriptionInterface | None:
    def load() -> SubscriptionInterface | None:
        page = subscription_list.list_subscriptions(
            ListRequest(filters=(FieldFilter("subscriptionId", str(subscription_id)),), first=1)
        )
        return subscription(page.items[0]) if page.items else None

    return info.context.once(("subscription", subscription_id), load)


def _related(
    info: Info, subscription_id: uuid.UUID, in_use_by: bool, request: ListRequest
) -> Connection[SubscriptionInterface]:
    ids = subscription_list.related_ids(subscription_id, in_use_by=in_use_by)
    if not ids:
        return connection([], 0, request.after, subscription_list.SUBSCRIPTIONS)
    mine = FieldFilter("subscriptionId", "|".join(str(i) for i in ids))
    narrowed = ListRequest((*request.filters, mine), request.sort, None, request.first, request.after)
    return subscription_page(info, narrowed)
