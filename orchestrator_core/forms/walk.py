"""Where submitted pages leave a form: the JSON schema of the page it waits for (the next one, or the first
that does not validate, with its errors), page by page, so that a client (the CLI's prompts) can ask for
exactly that page. The input itself is still checked by `validate_form` when the process starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_forms.core import NextPage, Rejected, walk_form
from pydantic_forms.core.shared import page_schema

from orchestrator_core.forms.validation import _as_generator, _field_errors
from orchestrator_core.types import State


@dataclass(frozen=True)
class PendingPage:
    """The page of a form that the submitted pages stop at: the next one, or one that was refused (`errors`)."""

    index: int
    schema: dict[str, Any]
    errors: list[dict[str, Any]]


def pending_page(form: Callable[..., Any] | None, state: State, pages: list[dict[str, Any]]) -> PendingPage | None:
    """The page the form waits for; None when `pages` complete it."""
    if form is None:
        return None
    match walk_form(_as_generator(form), state, pages):
        case NextPage(model=page, index=index):
            return PendingPage(index, page_schema(page), [])
        case Rejected(model=page, index=index, error=error):
            return PendingPage(index, page_schema(page), _field_errors(error))
        case _:
            return None
