"""Run a form generator over submitted pages: the validated input, or every wrong field and why.

Forms are checked before any process row exists (and before an input step is committed), so
bad input changes nothing. Whatever the form, input is held to limits first: no string (or key)
longer than ORCHESTRATOR_FORM_MAX_STRING_LENGTH, no input at all for a workflow without a form
(but the subscription or product it runs on), and a validated value no longer than the column it
ends up in (a subscription's `customer_id`, String(255)).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache
from typing import Any, cast

import sqlalchemy as sa
from pydantic_forms.core import NextPage, Rejected, post_form, walk_form
from pydantic_forms.exceptions import FormNotCompleteError, FormOverflowError, FormValidationError

from orchestrator_core.db.json_text import non_finite_path
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.injection import inject_args
from orchestrator_core.settings import app_settings
from orchestrator_core.types import State

CONTEXT_KEYS = ("subscription_id", "product")
"""What a workflow without a form still reads from the first page: the subscription or product it runs on."""


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


def _refusal(field: str, message: str, kind: str, page: int | None = None) -> FormInvalidError:
    where = f"page {page + 1}: " if page is not None else ""
    return FormInvalidError(f"Invalid input on {where}{field}: {message}",
                            fields=[{"field": field, "message": message, "type": kind}])


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string in `value` (keys included) with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key[:50]), key
            yield from _strings(item, (*path, str(key)[:50]))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, str(index)))


def _refuse_long_strings(user_inputs: list[Any]) -> None:
    limit = app_settings.ORCHESTRATOR_FORM_MAX_STRING_LENGTH
    for page, user_input in enumerate(user_inputs):
        for path, text in _strings(user_input):
            if len(text) > limit:
                raise _refusal(".".join(path) or "(form)", f"Text of at most {limit} characters is accepted, "
                               f"not {len(text)}", "string_too_long", page)


def _refuse_non_objects(user_inputs: Any) -> None:
    """Each page is an object of field names and values."""
    if not isinstance(user_inputs, list):
        raise _refusal("(form)", "Input should be a list of pages (objects)", "list_type")
    for page, user_input in enumerate(user_inputs):
        if not isinstance(user_input, dict):
            raise _refusal("(form)", "Input should be an object of field names and values", "dict_type", page)


def _refuse_input_without_form(user_inputs: list[dict[str, Any]]) -> None:
    """A workflow without a form takes no input: any other field is refused, as a form refuses extra fields."""
    for page, user_input in enumerate(user_inputs):
        allowed = CONTEXT_KEYS if page == 0 else ()
        for key in user_input:
            if key not in allowed:
                raise _refusal(str(key)[:100], "This workflow takes no such input (it has no form)",
                               "extra_forbidden", page)


@lru_cache(maxsize=1)
def column_lengths() -> dict[str, int]:
    """Form fields that end up in a subscription column of limited length, by name: `customer_id` -> 255."""
    from orchestrator_core.db.subscription_tables import SubscriptionTable

    return {column.name: column.type.length for column in SubscriptionTable.__table__.columns
            if isinstance(column.type, sa.String) and column.type.length}


def _refuse_over_column(result: State) -> None:
    for name, length in column_lengths().items():
        value = result.get(name)
        if isinstance(value, str) and len(value) > length:
            raise _refusal(name, f"Text of at most {length} characters is accepted (the length of the subscription's "
                           f"{name}), not {len(value)}", "string_too_long")


def validate_form(form: Callable[..., Any] | None, state: State, user_inputs: list[dict[str, Any]]) -> State:
    """The form's validated result; raises FormInvalidError naming each wrong field."""
    _refuse_non_objects(user_inputs or [])
    _refuse_long_strings(user_inputs or [])
    _refuse_non_finite(user_inputs or [])
    if form is None:
        _refuse_input_without_form(user_inputs or [])
        return {}
    try:
        result = post_form(_as_generator(form), state, user_inputs or [])
    except FormValidationError as exc:
        fields = _field_errors(exc)
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        raise FormInvalidError(f"Invalid input for {exc.validator_name}: {summary}", fields=fields) from exc
    except FormNotCompleteError as exc:
        raise FormIncompleteError(f"The form needs more input: {page_needs(len(user_inputs or []), exc.form)}",
                                  form=exc.form, meta=exc.meta) from exc
    except FormOverflowError as exc:
        raise FormInvalidError(f"Too many form pages submitted: {exc}") from exc
    _refuse_over_column(result)
    return result


def page_needs(index: int, schema: dict[str, Any]) -> str:
    """Which page a form waits for and its fields, for people: `page 2 (Node Enrollment): customer_id, url
    (required), count (default 3)`."""
    title = schema.get("title")
    named = f" ({title})" if title and title != "unknown" else ""
    required = set(schema.get("required", []))
    fields = []
    for name, field in schema.get("properties", {}).items():
        if field.get("readOnly"):
            continue
        fields.append(f"{name} (required)" if name in required else f"{name} (default {field.get('default')!r})")
    return f"page {index + 1}{named} asks for {', '.join(fields) or 'no fields'}"


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
