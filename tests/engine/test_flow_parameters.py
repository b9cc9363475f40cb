"""What a workflow's flow costs around Prefect (issue 16). It records its parameters as Prefect's own
encoding would, without importing FastAPI to encode them (that import cost every CLI run 0.2-0.5 s): pins
Prefect's `serialize_parameters`, which our flows override. And a run asks the server nothing about
result storage."""

from __future__ import annotations

import subprocess
import sys
import uuid

from prefect import Flow

from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.workflow import get_workflow
from tests.engine import engine_workflows  # noqa: F401  (registers the workflows)
from tests.served_stack import ROOT

PLAIN = {"process_id": str(uuid.uuid4()), "user_inputs": [{"name": "x", "count": 2, "ok": True, "n": None},
                                                           {"nested": {"list": [1.5, "a"]}}]}


def _flow() -> Flow:
    workflow = get_workflow("five_steps_third_fails_once")
    assert workflow is not None
    return prefect_flow(workflow)


def test_plain_parameters_are_recorded_as_prefect_would_record_them():
    flow = _flow()
    assert flow.serialize_parameters(PLAIN) == Flow.serialize_parameters(flow, PLAIN)


def test_other_parameters_are_left_to_prefect():
    flow = _flow()
    odd = {"process_id": uuid.uuid4(), "when": {1: "integer key"}}
    assert flow.serialize_parameters(odd) == Flow.serialize_parameters(flow, odd)


def test_recording_plain_parameters_imports_no_fastapi():
    script = ("import sys\n"
              "from tests.engine.test_flow_parameters import PLAIN, _flow\n"
              "_flow().serialize_parameters(PLAIN)\n"
              "print('fastapi' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.stdout.strip().splitlines()[-1:] == ["False"], done.stdout + done.stderr[-2000:]


def test_a_process_run_asks_prefect_nothing_about_result_storage(monkeypatch):
    """Our flows name their (unused) result storage: otherwise every run asks the server for its default
    storage block, one HTTP round trip of six, for results that are never persisted."""
    from prefect.client.base import PrefectHttpxSyncClient

    from orchestrator_core.testing import assert_complete, run_workflow

    asked: list[str] = []
    send = PrefectHttpxSyncClient.send

    def recording(self, request, *args, **kwargs):  # a spy: every request still goes to the real server
        asked.append(f"{request.method} {request.url.path}")
        return send(self, request, *args, **kwargs)

    monkeypatch.setattr(PrefectHttpxSyncClient, "send", recording)
    assert_complete(run_workflow("conditional_skip"))

    assert any(path.endswith("/set_state") for path in asked), asked  # the spy saw the run's requests
    assert not [path for path in asked if "/admin/storage" in path], asked
