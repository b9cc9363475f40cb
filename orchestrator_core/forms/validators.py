"""Form field types for workflow forms, at the reference system's import path.

pydantic-forms already ships the generic ones (Label, Divider, Choice, choice_list, Accept,
MigrationSummary, ...): they are re-exported unchanged so the frontend formats stay the same.
Only the orchestrator-specific formats are declared here: a customer id and a subscription
shown read-only.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field
from pydantic_forms.types import strEnum
from pydantic_forms.validators import (
    Accept,
    Choice,
    ContactPerson,
    ContactPersonName,
    Divider,
    Hidden,
    Label,
    ListOfOne,
    ListOfTwo,
    LongText,
    MigrationSummary,
    OrganisationId,
    Timestamp,
    choice_list,
    contact_person_list,
    migration_summary,
    read_only_field,
    timestamp,
    unique_conlist,
)
from pydantic_forms.validators.helpers import remove_empty_items

CustomerId = Annotated[str, Field(min_length=1, json_schema_extra={"format": "customerId"})]
"""The customer a subscription belongs to; the frontend offers a customer picker."""

DisplaySubscription = Annotated[
    UUID, Field(frozen=True, json_schema_extra={"format": "subscription", "type": "string"})
]
"""A subscription shown on the form (read-only), identified by its id."""


def choice_of(name: str, options: list[tuple[str, str]] | dict[str, str]) -> type[Choice]:
    """A Choice enum built at form time, e.g. from an inventory: `(value, label)` pairs."""
    pairs = list(options.items()) if isinstance(options, dict) else list(options)
    return Choice.__call__(name, {value: (value, label) for value, label in pairs})  # type: ignore[return-value]


__all__ = [
    "Accept",
    "Choice",
    "ContactPerson",
    "ContactPersonName",
    "CustomerId",
    "DisplaySubscription",
    "Divider",
    "Hidden",
    "Label",
    "ListOfOne",
    "ListOfTwo",
    "LongText",
    "MigrationSummary",
    "OrganisationId",
    "Timestamp",
    "choice_list",
    "choice_of",
    "contact_person_list",
    "migration_summary",
    "read_only_field",
    "remove_empty_items",
    "strEnum",
    "timestamp",
    "unique_conlist",
]
