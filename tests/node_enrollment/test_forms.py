"""The create form: bad input is answered with each wrong field and why; no process row is written."""

from __future__ import annotations

import pytest

from orchestrator_core.forms import FormIncompleteError, FormInvalidError
from orchestrator_core.services.processes import start_process
from tests.node_enrollment.conftest import create_form, process_count


def invalid(user_inputs: list[dict[str, object]]) -> dict[str, dict[str, str]]:
    before = process_count()
    with pytest.raises(FormInvalidError) as info:
        start_process("create_node_enrollment", user_inputs, "test")
    assert process_count() == before
    assert info.value.code == "form.invalid"
    return {f["field"]: f for f in info.value.details["fields"]}


def test_missing_field_is_named(product_id):
    fields = invalid(create_form(product_id, url=None))
    assert list(fields) == ["url"] and fields["url"]["type"] == "missing"


def test_wrong_type_is_named(product_id):
    fields = invalid(create_form(product_id, url="not a url", customer_id=["x"]))
    assert set(fields) == {"url", "customer_id"}
    assert fields["url"]["type"] == "url_parsing" and fields["customer_id"]["type"] == "string_type"


def test_unknown_node_is_refused_with_the_inventorys_choices(product_id):
    fields = invalid(create_form(product_id, select_node="zzz-rt9"))
    assert list(fields) == ["select_node"]
    assert fields["select_node"]["type"] == "enum" and "ams-rt1" in fields["select_node"]["message"]


def test_unknown_role_is_refused(product_id):
    fields = invalid(create_form(product_id, role_id="chief"))
    assert list(fields) == ["role_id"]


def test_unknown_product_is_a_typed_refusal():
    before = process_count()
    with pytest.raises(Exception) as info:
        start_process("create_node_enrollment", create_form("00000000-0000-0000-0000-000000000000"), "test")
    assert getattr(info.value, "code", "") == "product.not_found"
    assert process_count() == before


def test_the_form_page_lists_the_inventory(product_id):
    with pytest.raises(FormIncompleteError) as info:
        start_process("create_node_enrollment", [{"product": product_id}], "test")
    schema = info.value.details["form"]
    assert {"customer_id", "select_node", "role_id", "url"} <= set(schema["properties"])
    node_choice = schema["$defs"]["NodeChoice"]
    assert node_choice["enum"] == ["ams-rt1", "ams-rt2", "lon-rt1", "par-rt1"]
    assert schema["properties"]["customer_id"]["format"] == "customerId"
