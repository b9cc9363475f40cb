"""The start-up self-check reports each disagreement between code, registry and products."""

from __future__ import annotations

import sqlalchemy as sa

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.services.self_check import self_check
from orchestrator_core.targets import Target
from orchestrator_core.workflow import StepList, init, make_workflow
from tests.guard import factories


def _codeless_row(name: str) -> None:
    with transaction() as s:
        s.add(WorkflowTable(name=name, target="MODIFY", description="never written", is_task=False))


def test_reports_rows_without_code_code_without_rows_and_products_without_defaults():
    _codeless_row("guard_check_ghost")

    def guard_check_unregistered() -> StepList:
        return init

    make_workflow(guard_check_unregistered, "code only", None, Target.MODIFY, init)
    product_id = factories.product("Guard Check Product")

    found = {(p.code, p.subject) for p in self_check(load_code=False)}

    assert ("workflow.no_code", "guard_check_ghost") in found
    assert ("workflow.not_registered", "guard_check_unregistered") in found
    assert ("product.missing_default_workflows", "Guard Check Product") in found
    assert ("workflow.no_product", "guard_check_ghost") in found
    with transaction() as s:
        s.execute(sa.delete(WorkflowTable).where(WorkflowTable.name == "guard_check_ghost"))
        s.execute(sa.text("DELETE FROM products WHERE product_id = :p"), {"p": product_id})


def test_modify_note_has_code_and_a_row():
    problems = self_check(load_code=True)
    assert not [p for p in problems if p.subject == "modify_note"]
