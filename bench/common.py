"""What the benches share: the database of bench/create_workflows.py's CREATE, ready to run.

Only the standard library at import time: bench/create.py's children import this module before they set
Prefect's environment defaults."""

from __future__ import annotations


def prepare_create_database(url: str) -> None:
    """A fresh database at the newest schema, with the Node Enrollment product linked to the CREATE
    workflows `bench_create_10` and `bench_create_0`."""
    import sqlalchemy as sa

    import bench.create_workflows as wf
    from orchestrator_core.db import database, transaction
    from orchestrator_core.db.migrate import upgrade
    from orchestrator_core.db.product_tables import products_workflows
    from orchestrator_core.devtools import recreate_database
    from orchestrator_core.migrations.helpers import get_product_id_by_name
    from orchestrator_core.services.workflow_registry import ensure_workflow_row
    from orchestrator_core.workflow import get_workflow

    recreate_database(url)
    database.configure(url)
    upgrade()
    with transaction() as session:
        product = get_product_id_by_name(session, "Node Enrollment")
        for name in (wf.WORKFLOW_10, wf.WORKFLOW_0):
            workflow = get_workflow(name)
            assert workflow is not None
            row = ensure_workflow_row(session, workflow)
            session.execute(sa.insert(products_workflows).values(product_id=product, workflow_id=row.workflow_id))
