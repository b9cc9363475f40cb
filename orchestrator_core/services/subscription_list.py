"""Subscriptions as lists shaped by field name (`list_query`), for orchestrator-ui's GraphQL.

The rows are the REST search's (`subscription_search.COLUMNS`), the words of a search text match as the
REST search matches them, and any field filters besides. Customers are the customer ids subscriptions
carry: there is no customer table here, so a customer's name is its id.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.services import subscription_facts
from orchestrator_core.services.list_query import (
    Field,
    Listing,
    ListPage,
    ListRequest,
    SortKey,
    read_page,
    substring_words,
)
from orchestrator_core.services.subscription_search import COLUMNS, text_condition

_s = SubscriptionTable.__table__
_p = ProductTable.__table__

SUBSCRIPTION_ROWS = sa.select(*COLUMNS).select_from(_s.outerjoin(_p, _p.c.product_id == _s.c.product_id))
"""Outer-joined (every subscription has its product): Postgres then drops the join when only counting."""

_product_name = Field("text", _p.c.name)
_tag = Field("vocabulary", _p.c.tag)
_product_type = Field("name", _p.c.product_type)
_customer = Field("name", _s.c.customer_id)

SUBSCRIPTION_FIELDS: dict[str, Field] = {
    "subscriptionId": Field("uuid", _s.c.subscription_id),
    "description": Field("text", _s.c.description),
    "status": Field("vocabulary", _s.c.status, fold=str.lower),
    "customerId": _customer,
    "customer": _customer,
    "insync": Field("bool", _s.c.insync),
    "startDate": Field("datetime", _s.c.start_date),
    "endDate": Field("datetime", _s.c.end_date),
    "note": Field("text", _s.c.note),
    "version": Field("int", _s.c.version),
    "productId": Field("uuid", _s.c.product_id),
    "product": _product_name,
    "productName": _product_name,
    "tag": _tag,
    "productTag": _tag,
    "type": _product_type,
    "productType": _product_type,
}


def _rest_search(connection: Any, words: list[str]) -> list[Any]:
    return [text_condition(connection, " ".join(words))]


SUBSCRIPTIONS = Listing(
    "subscriptions", SUBSCRIPTION_FIELDS, _rest_search, (SortKey("startDate", descending=True),), _s.c.subscription_id
)


def list_subscriptions(request: ListRequest) -> ListPage:
    """A page of subscription rows (as the REST search's items) and the total."""
    return read_page(SUBSCRIPTIONS, SUBSCRIPTION_ROWS, request)


_customer_id = Field("name", _s.c.customer_id)
CUSTOMERS = Listing(
    "customers",
    {"customerId": _customer_id, "fullname": _customer_id, "shortcode": _customer_id},
    substring_words(_s.c.customer_id),
    (SortKey("customerId"),),
    _s.c.customer_id,
)
CUSTOMER_ROWS = sa.select(_s.c.customer_id).group_by(_s.c.customer_id)


def list_customers(request: ListRequest) -> ListPage:
    """The distinct customer ids of subscriptions (`customer_id`)."""
    return read_page(CUSTOMERS, CUSTOMER_ROWS, request)


def related_ids(subscription_id: uuid.UUID, in_use_by: bool) -> list[uuid.UUID]:
    """The subscriptions whose blocks hold a block of this one (`in_use_by`), or that own a block one of
    its blocks holds: the relations the guard reads."""
    with transaction() as session:
        return [sid for sid, _status, _insync in subscription_facts.related(session, subscription_id, users=in_use_by)]
