"""prefect.yaml lists a loadable deployment for every registered workflow, and is up to date."""

from __future__ import annotations

from pathlib import Path

import yaml
from prefect.flows import load_flow_from_entrypoint

from orchestrator_core.engine.prefect_yaml import render_prefect_yaml
from orchestrator_core.services.workflow_registry import load_workflow_modules
from orchestrator_core.workflow import WORKFLOWS

ROOT = Path(__file__).resolve().parents[2]


def _committed() -> dict:
    return yaml.safe_load((ROOT / "prefect.yaml").read_text())


def test_prefect_yaml_is_generated_from_the_registered_workflows():
    load_workflow_modules()
    shipped = ("flows", "orchestrator_core")  # test and bench modules register workflows of their own
    product_workflows = {name: wf for name, wf in WORKFLOWS.items() if wf.module.startswith(shipped)}
    assert yaml.safe_load(render_prefect_yaml(product_workflows)) == _committed(), "run `orchestrator prefect-yaml`"


def test_every_entrypoint_loads_the_flow_of_its_workflow(monkeypatch):
    monkeypatch.chdir(ROOT)
    for deployment in _committed()["deployments"]:
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name == deployment["name"]


def test_validate_task_runs_nightly():
    scheduled = {d["name"]: d.get("schedules") for d in _committed()["deployments"] if d.get("schedules")}
    assert scheduled == {"task_validate_subscriptions": [{"cron": "0 2 * * *", "active": True}]}
