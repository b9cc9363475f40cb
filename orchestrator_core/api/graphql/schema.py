"""The GraphQL schema orchestrator-ui reads: nine lists and the version, queries only (the schema has no
mutation or subscription type, so any other operation is refused as unsupported)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, ParserCache, ValidationCache
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.types import ExecutionContext

from orchestrator_core.api.graphql import catalogue, subscriptions, system
from orchestrator_core.api.graphql.context import Info
from orchestrator_core.api.graphql.customers import CustomerType, customer
from orchestrator_core.api.graphql.paging import Connection, GraphqlSort, ReadPage, list_field, page_connection
from orchestrator_core.api.graphql.processes import ProcessType, process_page
from orchestrator_core.api.graphql.subscriptions import SubscriptionInterface, subscription_page
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services import catalogue_list, subscription_list
from orchestrator_core.services.list_query import Listing, ListPage, ListRequest

logger = logging.getLogger(__name__)

MAX_DEPTH = 10
"""Deepest nesting a query may ask for; orchestrator-ui's deepest is 6."""

DEPTH_RULE = create_validator(MAX_DEPTH, None, None)
"""Made once: a rule made per request would miss the validation cache, which is keyed by the rules too."""

MAX_QUERY_LENGTH = 100_000
"""Longest GraphQL document accepted, in characters (orchestrator-ui's longest is about 2,000)."""

CACHED_DOCUMENTS = 64
"""Documents whose parse and validation are kept (by text; orchestrator-ui sends the same few): validating
its list query took longer than reading its page. Queries are at most MAX_QUERY_LENGTH characters."""


def _listing(read: Callable[[ListRequest], ListPage], listing: Listing, convert: Callable[[Any], Any]) -> ReadPage:
    """A list service's page as GraphQL objects."""

    def page(_info: Info, request: ListRequest) -> Connection[Any]:
        found = read(request)
        return page_connection(found, [convert(row) for row in found.items], listing)

    return page


def _customer(row: dict[str, Any]) -> CustomerType:
    return customer(row["customer_id"])


@strawberry.type(description="What orchestrator-ui reads")
class Query:
    processes = list_field(ProcessType, process_page, "Processes (newest first)")
    subscriptions = list_field(
        SubscriptionInterface, subscription_page,
        "Subscriptions (newest first); `query` words match as the REST search's")
    products = list_field(
        catalogue.ProductType, _listing(catalogue_list.list_products, catalogue_list.PRODUCTS, catalogue.product),
        "Products (by name)")
    product_blocks = list_field(
        catalogue.ProductBlock,
        _listing(catalogue_list.list_product_blocks, catalogue_list.PRODUCT_BLOCKS, catalogue.product_block),
        "Product blocks (by name)")
    resource_types = list_field(
        catalogue.ResourceType,
        _listing(catalogue_list.list_resource_types, catalogue_list.RESOURCE_TYPES, catalogue.resource_type),
        "Resource types (by name)")
    workflows = list_field(
        catalogue.WorkflowType, _listing(catalogue_list.list_workflows, catalogue_list.WORKFLOWS, catalogue.workflow),
        "Registered workflows and tasks (by name)")
    customers = list_field(
        CustomerType, _listing(subscription_list.list_customers, subscription_list.CUSTOMERS, _customer),
        "Customers: the customer ids of subscriptions")

    @strawberry.field(description="Tasks that run on a schedule")
    def scheduled_tasks(
        self, sort_by: list[GraphqlSort] | None = None, first: int = 10, after: int = 0
    ) -> Connection[system.ScheduledTask]:
        return system.scheduled_task_page(sort_by, first, after)

    @strawberry.field(description="The API's version and this orchestrator's")
    def version(self) -> system.VersionType:
        return system.version()


class ReadOnlySchema(strawberry.Schema):
    """Logs only what went wrong here; a caller's mistakes (a bad query, a refused filter) are its answer."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, OrchestratorError | GraphQLError):
                logger.error("GraphQL resolver failed at %s", error.path, exc_info=original)


SCHEMA = ReadOnlySchema(
    query=Query,
    types=[subscriptions.SubscriptionType],
    extensions=[
        lambda: AddValidationRules([DEPTH_RULE]),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
    ],
)
