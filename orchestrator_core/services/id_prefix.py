"""An id given by a unique prefix of it (as git takes a commit), for every door that takes an id from a
person: `orchestrator process 4cfe`, `resume 4cfeb70e`, a form's `subscription_id`.

A full UUID is returned as it is (the use case then says whether it exists). A prefix is at least
MIN_PREFIX hex digits (dashes ignored); it must match exactly one row, else the refusal names the
candidates, so that a person can pick one, or says nothing matches.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, ProductTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.errors import OrchestratorError

MIN_PREFIX = 4
CANDIDATES_SHOWN = 5
SHORT = 8
"""Characters of an id that lists print when the terminal is narrow: unique in practice, and accepted back."""

COLUMNS: dict[str, Any] = {
    "process": ProcessTable.process_id,
    "subscription": SubscriptionTable.subscription_id,
    "product": ProductTable.product_id,
}
_HEX = re.compile(r"^[0-9a-f]+$")


class IdPrefixInvalidError(OrchestratorError):
    code = "id.invalid"
    http_status = 422


class IdNotFoundError(OrchestratorError):
    code = "id.not_found"
    http_status = 404


class IdAmbiguousError(OrchestratorError):
    code = "id.ambiguous"
    http_status = 409


def short(value: uuid.UUID | str) -> str:
    return str(value)[:SHORT]


def as_prefix(text: str) -> str | None:
    """The hex digits of `text` when it can be (part of) an id, lower case; None otherwise."""
    digits = text.strip().lower().replace("-", "")
    return digits if digits and _HEX.match(digits) and len(digits) <= 32 else None


def resolve(kind: str, text: str) -> uuid.UUID:
    """The one id of `kind` (process, subscription, product) that `text` is or starts."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        pass
    digits = as_prefix(text)
    if digits is None:
        raise IdPrefixInvalidError(f"{text!r} is not a {kind} id or a prefix of one (hex digits)", kind=kind)
    if len(digits) < MIN_PREFIX:
        raise IdPrefixInvalidError(f"{text!r} is too short: give at least {MIN_PREFIX} characters of the {kind} id",
                                   kind=kind)
    column = COLUMNS[kind]
    as_text = sa.func.replace(sa.func.lower(sa.cast(column, sa.String)), "-", "")
    with transaction() as session:
        found = list(session.scalars(sa.select(column).where(as_text.like(f"{digits}%"))
                                     .order_by(column).limit(CANDIDATES_SHOWN + 1)))
    if not found:
        raise IdNotFoundError(f"No {kind} id starts with {text.strip()!r}", kind=kind, prefix=text.strip())
    if len(found) > 1:
        more = ", ..." if len(found) > CANDIDATES_SHOWN else ""
        names = ", ".join(str(candidate) for candidate in found[:CANDIDATES_SHOWN])
        raise IdAmbiguousError(f"{text.strip()!r} matches more than one {kind}: {names}{more}; give more characters",
                               kind=kind, candidates=[str(candidate) for candidate in found[:CANDIDATES_SHOWN]])
    return uuid.UUID(str(found[0]))


def product_id(text: str) -> uuid.UUID:
    """A product by id, unique id prefix or name (case-insensitive): `Node Enrollment` or `5b3b6e5e`."""
    with transaction() as session:
        named = list(session.scalars(sa.select(ProductTable.product_id)
                                     .where(sa.func.lower(ProductTable.name) == text.strip().lower())))
    if len(named) == 1:
        return uuid.UUID(str(named[0]))
    if as_prefix(text) is None:
        raise IdNotFoundError(f"No product is named {text.strip()!r} (`orchestrator products` lists them)",
                              kind="product", name=text.strip())
    return resolve("product", text)


def first_page_references(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`pages` with the first page's product (name, id or prefix) and subscription_id (id or prefix) as full
    ids, as people give them on the command line; anything else is left to the form to judge."""
    if not pages or not isinstance(pages[0], dict):
        return pages
    first = dict(pages[0])
    if isinstance(first.get("product"), str) and first["product"].strip():
        first["product"] = str(product_id(first["product"]))
    subscription = first.get("subscription_id")
    if isinstance(subscription, str) and as_prefix(subscription) is not None:
        first["subscription_id"] = str(resolve("subscription", subscription))
    return [first, *pages[1:]]
