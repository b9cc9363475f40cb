"""Customers in GraphQL. There is no customer table here: a customer is a customer id that subscriptions
carry, and its full name and short code are that id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from orchestrator_core.api.graphql.context import Info
from orchestrator_core.api.graphql.paging import Connection, GraphqlFilter, GraphqlSort, list_request
from orchestrator_core.services.list_query import FieldFilter

if TYPE_CHECKING:
    from orchestrator_core.api.graphql.subscriptions import SubscriptionInterface

LazySubscription = Annotated["SubscriptionInterface", strawberry.lazy("orchestrator_core.api.graphql.subscriptions")]


@strawberry.type(description="A customer: the customer id subscriptions carry (its name and code are the id)")
class CustomerType:
    customer_id: str
    fullname: str
    shortcode: str

    @strawberry.field(description="This customer's subscriptions")
    def subscriptions(
        self,
        info: Info,
        filter_by: list[GraphqlFilter] | None = None,
        sort_by: list[GraphqlSort] | None = None,
        first: int = 10,
        after: int = 0,
        query: str | None = None,
    ) -> Connection[LazySubscription]:
        from orchestrator_core.api.graphql.subscriptions import subscription_page

        mine = FieldFilter("customerId", self.customer_id)
        return subscription_page(info, list_request(filter_by, sort_by, first, after, query, mine))


NO_CUSTOMER = ""
"""The customer of a process that ran on no subscription (a task): orchestrator-ui needs one to show."""


def customer(customer_id: str | None) -> CustomerType:
    name = customer_id or NO_CUSTOMER
    return CustomerType(customer_id=name, fullname=name, shortcode=name)
