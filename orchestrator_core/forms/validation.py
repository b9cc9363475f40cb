"""Run a form generator over submitted pages: the validated input, or every wrong field and why.

Forms are checked before any process row exists (and before an input step is committed), so
bad input changes nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import Any, cast

from pydantic_forms.core import NextPage, Rejected, post_form, walk_form
from pydantic_forms.exceptions import FormNotCompleteError, FormOverflowError, FormValidationError

from orchestrator_core.db.json_text import non_finite_path
from orchestrator_core.engine.injection import inject_args
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.types import State


class FormInvalidError(OrchestratorError):
    code = "form.invalid"
    http_status = 422


class FormIncompleteError(OrchestratorError):
    """More pages are needed; carries the next page's JSON schema."""

    code = "form.not_complete"
    http_status = 510


def _as_generator(form: Callable[..., Any]) -> Callable[[State], Generator[Any, Any, Any]]:
    """Accept both form styles of the reference: a generator, or a function returning one page."""

    def generator(state: State) -> Generator[Any, Any, Any]:
        produced = form(**inject_args(form, state, getattr(form, "__name__", "form")))
        if inspect.isgenerator(produced):
            return (yield from produced)
        user_input = yield produced
        return user_input.model_dump()

    return generator


def _field_errors(error: FormValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(part) for part in e.get("loc", ())) or "(form)", "message": e.get("msg", ""),
         "type": e.get("type", "")}
        for e in error.errors
    ]


def _refuse_non_finite(user_inputs: list[dict[str, Any]]) -> None:
    """Python's JSON parser reads NaN and Infinity, and a float field accepts them, but no JSON column
    can store them: refused here, naming where, before anything is written."""
    path = non_finite_path(user_inputs)
    if path is not None:
        field = ".".join(path[1:]) or "(form)"
        message = "Input should be a finite number (NaN and infinities cannot be stored)"
        raise FormInvalidError(f"Invalid input on page {int(path[0]) + 1}: {field}: {message}",
                               fields=[{"field": field, "message": message, "type": "finite_number"}])


def validate_form(form: Callable[..., Any] | None, state: State, user_inputs: list[dict[str, Any]]) -> State:
    """The form's validated result; raises FormInvalidError naming each wrong field."""
    _refuse_non_finite(user_inputs or [])
    if form is None:
        return {}
    try:
        return post_form(_as_generator(form), state, user_inputs or [])
    except FormValidationError as exc:
        fields = _field_errors(exc)
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        raise FormInvalidError(f"Invalid input for {exc.validator_name}: {summary}", fields=fields) from exc
    except FormNotCompleteError as exc:
        raise FormIncompleteError("The form needs more input", form=exc.form, meta=exc.meta) from exc
    except FormOverflowError as exc:
        raise FormInvalidError(f"Too many form pages submitted: {exc}") from exc


def page_after(form: Callable[..., Any] | None, state: State, pages: list[dict[str, Any]]) -> type[Any] | None:
    """The page (a FormPage class) the form asks for once `pages` were submitted: the next one, or the
    first of them that does not validate; None when they complete the form, or for no form.

    Used to show an input step's form outside our API (the Prefect UI) one page at a time; the input
    itself is still checked by `validate_form`, which runs the whole generator.
    """
    if form is None:
        return None
    match walk_form(_as_generator(form), state, pages):
        case NextPage(model=page) | Rejected(model=page):
            return cast(type[Any], page)
        case _:
            return None


def first_page(form: Callable[..., Any] | None, state: State) -> type[Any] | None:
    """The first page the form asks for in this state; None for no form."""
    return page_after(form, state, [])
