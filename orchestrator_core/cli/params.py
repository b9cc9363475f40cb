"""Arguments of the `orchestrator` command that need more checking than their type: who acts, and form
input as JSON. Each refusal is a `typer.BadParameter` naming the option, before anything is written."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

USER_MAX_LENGTH = 255
"""The `created_by` columns of processes and steps."""


def check_user(value: str) -> str:
    """Recorded as who did it: 1 to 255 printable characters."""
    if not value.strip():
        raise typer.BadParameter("must not be empty")
    if len(value) > USER_MAX_LENGTH:
        raise typer.BadParameter(f"is {len(value)} characters long; at most {USER_MAX_LENGTH} are stored")
    if not value.isprintable():
        raise typer.BadParameter("must not contain control characters")
    return value


User = Annotated[str, typer.Option(help="Recorded as who did it", callback=check_user)]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _unstorable(data: Any) -> str | None:
    """Where in the decoded input a string holds a NUL character, which no database text column stores."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return path or "(value)"
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return f"{path}.{key!r}".lstrip(".")
                pending.append((f"{path}.{key}".lstrip("."), item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return None


def _kind(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list",
            type(None): "null"}.get(type(value), type(value).__name__)


def parse_inputs(raw: str | None, option: str = "--input") -> list[dict[str, Any]]:
    """Form pages: a JSON object (one page) or a list of objects; none means one empty page."""
    if not raw:
        return [{}]
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise typer.BadParameter(f"is not valid JSON: {reason}", param_hint=option) from None
    pages = [data] if isinstance(data, dict) else data
    if not isinstance(pages, list):
        raise typer.BadParameter(f"must be a JSON object (a form page) or a list of objects, not {_kind(data)}",
                                 param_hint=option)
    for index, page in enumerate(pages):
        if not isinstance(page, dict):
            raise typer.BadParameter(f"must be a list of JSON objects (form pages); item {index} is {_kind(page)}",
                                     param_hint=option)
    where = _unstorable(pages if isinstance(data, list) else data)
    if where is not None:
        raise typer.BadParameter(f"holds a NUL character (\\u0000) at {where}, which cannot be stored",
                                 param_hint=option)
    return pages or [{}]
