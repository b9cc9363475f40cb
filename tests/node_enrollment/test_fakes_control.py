"""The fakes controlled from outside (issue 17): `fakes nso down` makes a running validate fail at its NSO
step, `fakes nso up` and a retry complete it, and the steps before the failed one are not run again."""

from __future__ import annotations

from typer.testing import CliRunner

from flows.node_enrollment.clients.control import fakes_app
from orchestrator_core.testing import assert_complete, assert_failed, resume_workflow, run_workflow


def test_nso_down_fails_a_step_and_a_retry_after_nso_up_completes_it(enrollment, monkeypatch, tmp_path):
    monkeypatch.setenv("NODE_ENROLLMENT_FAKES_CONTROL", str(tmp_path / "fakes.json"))
    subscription_id = enrollment("active")
    runner = CliRunner()

    assert "NSO down" in runner.invoke(fakes_app, ["nso", "down"]).output
    failed = run_workflow("validate_node_enrollment", [{"subscription_id": subscription_id}])
    assert_failed(failed)
    before = [(step.name, step.status, step.completed_at) for step in failed.steps]
    assert "NSO is down" in str(failed.steps[-1].state.get("error"))

    assert "NSO up" in runner.invoke(fakes_app, ["nso", "up"]).output
    resumed = resume_workflow(failed)

    assert_complete(resumed)
    after = [(step.name, step.status, step.completed_at) for step in resumed.steps]
    assert after[:len(before) - 1] == before[:-1]  # the rows before the failed step are the same rows
    ran = [name for name, status, _ in after if status == "success"]
    assert len(ran) == len(set(ran)), after  # every step that succeeded ran once


def test_esdb_down_refuses_the_create_form(product_id, monkeypatch, tmp_path):
    from tests.node_enrollment.conftest import create_form

    monkeypatch.setenv("NODE_ENROLLMENT_FAKES_CONTROL", str(tmp_path / "fakes.json"))
    CliRunner().invoke(fakes_app, ["esdb", "down"])
    try:
        run_workflow("create_node_enrollment", create_form(product_id))
    except Exception as exc:  # the form reads ESDB's nodes before any process exists
        assert "ESDB is down" in str(exc)
    else:
        raise AssertionError("the create form read ESDB while it was down")
