"""Values in the words orchestrator-ui reads."""

from __future__ import annotations


def enum_name(value: str | None) -> str | None:
    """A status or target as the reference's GraphQL enums answer it, by name: `active` -> `ACTIVE`,
    `pre production` -> `PRE_PRODUCTION`. orchestrator-ui compares process statuses in upper case."""
    return value.upper().replace(" ", "_") if value else value
