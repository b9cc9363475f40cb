"""The GraphQL schema orchestrator-ui reads: nine lists and the version, queries only (the schema has no
mutation or subscription type, so any other operation is refused as unsupported)."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, ParserCache, ValidationCache
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.types import ExecutionContext

from orchestrator_core.api.graphql import catalogue, customers, processes, subscriptions, system
from orchestrator_core.api.graphql.context import Info
from orchestrator_core.api.graphql.paging import Connection, GraphqlFilter, GraphqlSort, list_request, page_connection
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services import catalogue_list, subscription_list
from orchestrator_core.services.list_query import ListPage, ListRequest

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


def _page(read: Any, listing: Any, convert: Any, request: ListRequest) -> Any:
    page: ListPage = read(request)
    return page_connection(page, [convert(row) for row in page.items], listing)


@strawberry.type(description="What orchestrator-ui reads")
class Query:
    @strawberry.field(description="Processes (newest first)")
    def processes(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[processes.ProcessType]:
        return processes.process_page(info, list_request(filter_by, sort_by, first, after, query))

    @strawberry.field(description="Subscriptions (newest first); `query` words match as the REST search's")
    def subscriptions(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[subscriptions.SubscriptionInterface]:
        return subscriptions.subscription_page(info, list_request(filter_by, sort_by, first, after, query))

    @strawberry.field(description="Products (by name)")
    def products(
        self,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[catalogue.ProductType]:
        request = list_request(filter_by, sort_by, first, after, query)
        return _page(catalogue_list.list_products, catalogue_list.PRODUCTS, catalogue.product, request)

    @strawberry.field(description="Product blocks (by name)")
    def product_blocks(
        self,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[catalogue.ProductBlock]:
        request = list_request(filter_by, sort_by, first, after, query)
        convert = catalogue.product_block
        return _page(catalogue_list.list_product_blocks, catalogue_list.PRODUCT_BLOCKS, convert, request)

    @strawberry.field(description="Resource types (by name)")
    def resource_types(
        self,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[catalogue.ResourceType]:
        request = list_request(filter_by, sort_by, first, after, query)
        convert = catalogue.resource_type
        return _page(catalogue_list.list_resource_types, catalogue_list.RESOURCE_TYPES, convert, request)

    @strawberry.field(description="Registered workflows and tasks (by name)")
    def workflows(
        self,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[catalogue.WorkflowType]:
        request = list_request(filter_by, sort_by, first, after, query)
        return _page(catalogue_list.list_workflows, catalogue_list.WORKFLOWS, catalogue.workflow, request)

    @strawberry.field(description="Customers: the customer ids of subscriptions")
    def customers(
        self,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[customers.CustomerType]:
        request = list_request(filter_by, sort_by, first, after, query)
        convert = lambda row: customers.customer(row["customer_id"])  # noqa: E731
        return _page(subscription_list.list_customers, subscription_list.CUSTOMERS, convert, request)

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
