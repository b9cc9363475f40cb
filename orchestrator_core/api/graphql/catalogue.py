"""The product catalogue and the workflows in GraphQL: products, product blocks, resource types, fixed
inputs, workflows and their steps. Links between them come from the request's catalogue
(`GraphqlContext.catalogue`, read once)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from orchestrator_core.api.graphql.context import Info
from orchestrator_core.api.graphql.names import enum_name
from orchestrator_core.api.graphql.paging import lazy_page, list_field
from orchestrator_core.services import authorization
from orchestrator_core.services.list_query import FieldFilter
from orchestrator_core.workflow import InvalidWorkflowError, Workflow, get_workflow

if TYPE_CHECKING:
    from orchestrator_core.api.graphql.subscriptions import SubscriptionInterface

SUBSCRIPTIONS_MODULE = "orchestrator_core.api.graphql.subscriptions"
LazySubscription = Annotated["SubscriptionInterface", strawberry.lazy(SUBSCRIPTIONS_MODULE)]


@strawberry.type(description="A fixed input of a product: a name and its value")
class FixedInput:
    fixed_input_id: uuid.UUID
    name: str
    value: str
    product_id: uuid.UUID
    created_at: datetime


@strawberry.type(description="A resource type: a scalar field of product blocks")
class ResourceType:
    resource_type_id: uuid.UUID
    resource_type: str
    description: str | None

    @strawberry.field(description="The product blocks that have this field")
    def product_blocks(self, info: Info) -> list[ProductBlock]:
        links = info.context.catalogue
        ids = links.blocks_of_resource_type.get(self.resource_type_id, [])
        return [product_block(links.product_blocks[i]) for i in ids]


@strawberry.type(description="A product block")
class ProductBlock:
    product_block_id: uuid.UUID
    name: str
    tag: str | None
    description: str
    status: str | None
    created_at: datetime
    end_date: datetime | None

    @strawberry.field(description="Its scalar fields")
    def resource_types(self, info: Info) -> list[ResourceType]:
        links = info.context.catalogue
        ids = links.resource_types_of_block.get(self.product_block_id, [])
        return [resource_type(links.resource_types[i]) for i in ids]

    @strawberry.field(description="The product blocks nested in this one")
    def depends_on(self, info: Info) -> list[ProductBlock]:
        links = info.context.catalogue
        return [product_block(links.product_blocks[i]) for i in links.depends_on.get(self.product_block_id, [])]


@strawberry.type(description="A product")
class ProductType:
    product_id: uuid.UUID
    name: str
    description: str
    product_type: str
    tag: str
    status: str
    created_at: datetime
    end_date: datetime | None

    @strawberry.field(description="The product type")
    def type(self) -> str:
        return self.product_type

    @strawberry.field(description="Its root product blocks")
    def product_blocks(self, info: Info) -> list[ProductBlock]:
        links = info.context.catalogue
        return [product_block(links.product_blocks[i]) for i in links.blocks_of_product.get(self.product_id, [])]

    @strawberry.field(description="Its fixed inputs")
    def fixed_inputs(self, info: Info) -> list[FixedInput]:
        return [FixedInput(**row) for row in info.context.catalogue.fixed_inputs.get(self.product_id, [])]

    subscriptions = list_field(
        LazySubscription, lazy_page(SUBSCRIPTIONS_MODULE, "subscription_page"), "Subscriptions of this product",
        narrow=lambda product: FieldFilter("productId", str(product.product_id)))


@strawberry.type(name="Step", description="A step of a workflow, and who is to act on it when it waits for input")
class WorkflowStep:
    name: str
    assignee: str | None


@strawberry.type(name="Workflow", description="A registered workflow")
class WorkflowType:
    workflow_id: uuid.UUID
    name: str
    description: str
    target: str
    is_task: bool
    created_at: datetime

    @strawberry.field(description="The products it runs on")
    def products(self, info: Info) -> list[ProductType]:
        links = info.context.catalogue
        return [product(links.products[i]) for i in links.products_of_workflow.get(self.workflow_id, [])]

    @strawberry.field(description="Its steps, from its code (none when this server lacks the code)")
    def steps(self) -> list[WorkflowStep]:
        code = _code(self.name)
        return [WorkflowStep(name=s.name, assignee=str(s.assignee) if s.assignee else None) for s in code.steps] \
            if code else []

    @strawberry.field(description="Whether the caller may start it (its authorize_callback)")
    def is_allowed(self, info: Info) -> bool:
        code = _code(self.name)
        return code is not None and authorization.allowed(code.authorize_callback, info.context.user)


def _code(name: str) -> Workflow | None:
    try:
        return get_workflow(name)
    except InvalidWorkflowError:
        return None


def product(row: dict[str, Any]) -> ProductType:
    return ProductType(
        product_id=row["product_id"],
        name=row["name"],
        description=row["description"],
        product_type=row["product_type"],
        tag=row["tag"],
        status=enum_name(row["status"]) or "",
        created_at=row["created_at"],
        end_date=row["end_date"],
    )


def product_block(row: dict[str, Any]) -> ProductBlock:
    return ProductBlock(
        product_block_id=row["product_block_id"],
        name=row["name"],
        tag=row["tag"],
        description=row["description"],
        status=enum_name(row["status"]),
        created_at=row["created_at"],
        end_date=row["end_date"],
    )


def resource_type(row: dict[str, Any]) -> ResourceType:
    return ResourceType(
        resource_type_id=row["resource_type_id"], resource_type=row["resource_type"], description=row["description"]
    )


def workflow(row: dict[str, Any]) -> WorkflowType:
    return WorkflowType(
        workflow_id=row["workflow_id"],
        name=row["name"],
        description=row["description"],
        target=row["target"],
        is_task=row["is_task"],
        created_at=row["created_at"],
    )
