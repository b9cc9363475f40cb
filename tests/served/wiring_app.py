"""A minimal application's main.py: it registers its one workflow itself (not through
ORCHESTRATOR_WORKFLOW_MODULES), then runs the `orchestrator` command, as
`python -m tests.served.wiring_app worker` with ORCHESTRATOR_WORKFLOW_MODULES=[]. The workflow's second
step fails on its first attempt."""

from __future__ import annotations

from orchestrator_core.cli.main import app
from orchestrator_core.workflow import done, init, step, workflow
from tests.attempts import count_attempt


@step("Reserve")
def reserve(process_id: str) -> dict:
    count_attempt(process_id, "Reserve")
    return {"reserved": True}


@step("Configure")
def configure(process_id: str) -> dict:
    if count_attempt(process_id, "Configure") == 1:
        raise RuntimeError("the device refused the change once")
    return {"configured": True}


@workflow("Wiring probe: a second step that fails once")
def wiring_probe():
    return init >> reserve >> configure >> done


if __name__ == "__main__":
    app()
