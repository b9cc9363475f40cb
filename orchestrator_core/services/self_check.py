"""The start-up self-check: code and registry must agree before anyone starts a workflow.

A workflow registered by a migration but with no code fails every process that starts it; code
without a registration cannot be started at all; a product without the default workflows lacks
actions operators expect (`modify_note`). `orchestrator check` prints these problems.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductTable, products_workflows
from orchestrator_core.services.workflow_registry import workflow_modules
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import ALL_WORKFLOWS, WORKFLOWS, InvalidWorkflowError


@dataclass(frozen=True)
class Problem:
    code: str
    subject: str
    message: str
    severity: str = "error"


def load_workflow_code() -> list[Problem]:
    """Import the workflow modules and the code of every registered workflow (lazily registered ones
    too), so that a workflow whose code does not load is reported here rather than at its first start."""
    problems = []
    for module in workflow_modules():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            problems.append(Problem("workflow.module_missing", module, f"Workflow module {module} does not "
                                    f"import: {exc}"))
    for name, entry in sorted(ALL_WORKFLOWS.items()):
        try:
            entry.instantiate()
        except InvalidWorkflowError as exc:
            problems.append(Problem("workflow.code_invalid", name, str(exc)))
    return problems


def _registry_problems(rows: list[WorkflowTable], linked_ids: set) -> list[Problem]:
    registered = {row.name for row in rows}
    problems = [Problem("workflow.no_code", row.name, f"Workflow {row.name} is registered but no module "
                        "defines it; its processes would fail") for row in rows if row.name not in WORKFLOWS]
    problems += [Problem("workflow.not_registered", name, f"Workflow {name} has code but no row; register it "
                         "with a migration (helpers.create_workflow)") for name in sorted(WORKFLOWS)
                 if name not in registered]
    problems += [Problem("workflow.no_product", row.name, f"Workflow {row.name} is linked to no product, so "
                         "no subscription offers it", "warning") for row in rows
                 if not row.is_task and row.target != "SYSTEM" and row.workflow_id not in linked_ids]
    return problems


def _default_workflow_problems(session: Session, rows: list[WorkflowTable]) -> list[Problem]:
    by_name = {row.name: row for row in rows}
    problems = [Problem("workflow.default_not_registered", name, f"Default workflow {name} "
                        "(DEFAULT_PRODUCT_WORKFLOWS) is not registered") for name in
                app_settings.DEFAULT_PRODUCT_WORKFLOWS if name not in by_name]
    pw = products_workflows.c
    links = {tuple(row) for row in session.execute(sa.select(pw.product_id, pw.workflow_id))}
    for product in session.execute(sa.select(ProductTable).order_by(ProductTable.name)).scalars():
        missing = [name for name in app_settings.DEFAULT_PRODUCT_WORKFLOWS
                   if name in by_name and (product.product_id, by_name[name].workflow_id) not in links]
        if missing:
            problems.append(Problem("product.missing_default_workflows", product.name,
                                    f"Product {product.name} lacks default workflows {', '.join(missing)}; "
                                    "run ensure_default_workflows"))
    return problems


def self_check(load_code: bool = True) -> list[Problem]:
    """Every disagreement between workflow code, the workflows table and the products; [] when healthy."""
    problems = load_workflow_code() if load_code else []
    with transaction() as session:
        rows = list(session.execute(sa.select(WorkflowTable).where(WorkflowTable.deleted_at.is_(None))
                                    .order_by(WorkflowTable.name)).scalars())
        linked_ids = set(session.execute(sa.select(products_workflows.c.workflow_id)).scalars())
        problems += _registry_problems(rows, linked_ids)
        problems += _default_workflow_problems(session, rows)
    return problems
