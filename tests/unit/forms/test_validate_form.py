"""Form validation before any process exists: the validated result, a refusal naming each wrong field,
the page a form still waits for, and input that no form asked for. Pure: no database is read."""

from __future__ import annotations

import pytest
from pydantic import Field

from orchestrator_core.forms import FormIncompleteError, FormInvalidError, FormPage, validate_form
from orchestrator_core.forms.validation import first_page, page_needs


class NamePage(FormPage):
    name: str
    count: int = Field(3, ge=1, le=5)


class ConfirmPage(FormPage):
    sure: bool


def two_pages(state: dict):
    first = yield NamePage
    second = yield ConfirmPage
    return {**first.model_dump(), **second.model_dump()}


def test_a_complete_input_gives_the_validated_result():
    assert validate_form(two_pages, {}, [{"name": "x"}, {"sure": True}]) == {"name": "x", "count": 3, "sure": True}


def test_a_refusal_names_every_wrong_field_and_why():
    with pytest.raises(FormInvalidError) as refused:
        validate_form(two_pages, {}, [{"count": 9}])
    fields = {f["field"]: f["type"] for f in refused.value.details["fields"]}
    assert fields == {"name": "missing", "count": "less_than_equal"}
    assert refused.value.code == "form.invalid"


def test_a_form_waiting_for_its_next_page_says_which_and_its_fields():
    with pytest.raises(FormIncompleteError) as waiting:
        validate_form(two_pages, {}, [{"name": "x"}])
    assert "page 2" in str(waiting.value) and "sure (required)" in str(waiting.value)
    assert first_page(two_pages, {}) is NamePage
    assert page_needs(0, NamePage.model_json_schema()).startswith("page 1")


def test_input_without_a_form_and_input_that_is_no_object_are_refused():
    assert validate_form(None, {}, []) == {}
    with pytest.raises(FormInvalidError):
        validate_form(None, {}, [{"name": "x"}])
    with pytest.raises(FormInvalidError):
        validate_form(two_pages, {}, ["not an object"])  # type: ignore[list-item]
