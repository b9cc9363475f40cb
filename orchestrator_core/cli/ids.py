"""Ids as the CLI takes them: a full UUID or a unique prefix of one (services/id_prefix.py). Text that
cannot be an id is a bad argument (one line naming it, exit 2); a prefix that matches nothing or several
ids is the services' refusal, which lists the candidates."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from orchestrator_core.services import id_prefix


def _checked(kind: str, value: str) -> str:
    digits = id_prefix.as_prefix(value)
    if digits is None:
        raise typer.BadParameter(f"{value!r} is not a {kind} id or a prefix of one (hex digits)")
    if len(digits) < id_prefix.MIN_PREFIX:
        raise typer.BadParameter(f"{value!r} is too short: give at least {id_prefix.MIN_PREFIX} characters")
    return value


def _process_argument(value: str) -> str:
    return _checked("process", value)


def process_uuid(value: str) -> uuid.UUID:
    """The process `value` names (checked as an argument already); refused when none or several match."""
    return id_prefix.resolve("process", value)


ProcessId = Annotated[str, typer.Argument(callback=_process_argument,
                                          help="The process's id or a unique prefix of it")]
