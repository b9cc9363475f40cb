"""Customers in GraphQL. There is no customer table here: a customer is a customer id that subscriptions
carry, and its full name and short code are that id."""

from __future__ import annotations

import strawberry

from orchestrator_core.api.graphql.catalogue import SUBSCRIPTIONS_MODULE, LazySubscription
from orchestrator_core.api.graphql.paging import lazy_page, list_field
from orchestrator_core.services.list_query import FieldFilter


@strawberry.type(description="A customer: the customer id subscriptions carry (its name and code are the id)")
class CustomerType:
    customer_id: str
    fullname: str
    shortcode: str

    subscriptions = list_field(
        LazySubscription, lazy_page(SUBSCRIPTIONS_MODULE, "subscription_page"), "This customer's subscriptions",
        narrow=lambda customer: FieldFilter("customerId", customer.customer_id))


NO_CUSTOMER = ""
"""The customer of a process that ran on no subscription (a task): orchestrator-ui needs one to show."""


def customer(customer_id: str | None) -> CustomerType:
    name = customer_id or NO_CUSTOMER
    return CustomerType(customer_id=name, fullname=name, shortcode=name)
