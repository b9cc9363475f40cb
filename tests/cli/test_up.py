"""`python main.py up` (issue 17): from nothing, the served stack reaches healthy (our API, Prefect's server,
the worker serving the demo's deployments), prints the URLs, a demo workflow that failed on NSO (made to fail
through the fakes' control) is retried from Prefect's side once NSO is back, and Ctrl-C stops every part of it.
One test, as starting the stack is the expensive part."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from orchestrator_core.devtools import drop_database, free_port
from tests.execution import serve_under_test as process_tree
from tests.served_stack import ROOT
from tests.waiting import wait_until

NSO_STEP = "Create node enrollment service in NSO"
CREATE_PAGE = {"customer_id": "customer-1", "select_node": "ams-rt1", "role_id": "core",
               "url": "https://ams-rt1.mgmt.example.net"}


def fakes(env: dict[str, str], state: str) -> None:
    """`python main.py fakes nso STATE`, as an operator types it beside the running stack."""
    switch = subprocess.run([sys.executable, str(ROOT / "main.py"), "fakes", "nso", state], env=env,
                            capture_output=True, text=True, timeout=120)
    assert switch.returncode == 0 and f"NSO {state}" in switch.stdout, switch.stdout + switch.stderr


def retry_from_prefect_after_an_nso_outage(api: str, prefect_api: str, product_id: str, env: dict[str, str]) -> None:
    """Create a node enrollment while NSO is down: it fails at its NSO step; NSO back, Prefect's Retry
    (AwaitingRetry, as its UI sets it) completes it without running the earlier steps again."""
    def detail() -> dict:
        return httpx.get(f"{api}/api/processes/{process_id}", timeout=10).json()

    fakes(env, "down")
    started = httpx.post(f"{api}/api/processes/create_node_enrollment",
                         json=[{"product": product_id}, CREATE_PAGE], timeout=60)
    assert started.status_code == 201, started.text
    process_id = started.json()["id"]
    wait_until(lambda: detail()["status"] in ("failed", "completed"), "the process failed", timeout=300)
    failed = detail()
    assert failed["status"] == "failed" and failed["last_step"] == NSO_STEP, failed
    assert "NSO is down" in str(failed["steps"][-1]["state"]), failed["steps"][-1]
    earlier = [s["name"] for s in failed["steps"][:-1]]
    assert earlier and NSO_STEP not in earlier

    fakes(env, "up")
    flow_run_id = failed["flow_run_id"]
    answer = httpx.post(f"{prefect_api}/flow_runs/{flow_run_id}/set_state", timeout=30, json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT", answer.text

    def settled() -> bool:  # completed, or failed again (more rows than before): either ends the wait
        now = detail()
        return now["status"] == "completed" or (now["status"] == "failed" and len(now["steps"]) > len(failed["steps"]))

    wait_until(settled, "the retried process completed", timeout=300)
    done = detail()
    assert done["status"] == "completed" and done["flow_run_id"] == flow_run_id, done
    steps = [(s["name"], s["status"], s["created_by"]) for s in done["steps"]]
    for name in earlier:  # not run again: one success row each
        assert [status for n, status, _ in steps if n == name].count("success") == 1, steps
    nso_rows = [(status, by) for name, status, by in steps if name == NSO_STEP]
    assert [status for status, _ in nso_rows] == ["failed", "success"] and nso_rows[-1][1] == "prefect-ui", steps


def test_up_reaches_healthy_a_prefect_retry_after_an_nso_outage_completes_and_ctrl_c_stops_it_all(tmp_path):
    name = f"up_test_{uuid.uuid4().hex[:8]}"
    api_port, prefect_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PREFECT_API_URL"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "home"),
               NODE_ENROLLMENT_FAKES_CONTROL=str(tmp_path / "fakes.json"))  # ours; `up`'s worker reads it too
    out = tmp_path / "up.out"
    with out.open("w") as log:
        up = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "up", "--name", name, "--api-port",
                               str(api_port), "--prefect-port", str(prefect_port), "--state-dir",
                               str(tmp_path / "state")], cwd=tmp_path, env=env, stdout=log, stderr=log,
                              **process_tree.at_a_terminal())
    parts: set[int] = set()
    try:
        def ready() -> bool:
            assert up.poll() is None, out.read_text()
            return "Ready." in out.read_text()

        wait_until(ready, lambda: f"`up` says Ready: {out.read_text()}", 400, interval=0.5)
        parts = process_tree.descendants(up.pid)  # each part runs in a session of its own
        ready = out.read_text()
        assert f"http://127.0.0.1:{api_port}/docs" in ready and f"http://127.0.0.1:{prefect_port}/" in ready
        assert "application in" in ready  # the demo's registrations were applied: `db upgrade` ran where main.py is
        assert httpx.get(f"http://127.0.0.1:{api_port}/api/health", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{prefect_port}/api/health", timeout=10).status_code == 200
        products = httpx.get(f"http://127.0.0.1:{api_port}/api/products", timeout=10).json()
        assert "Node Enrollment" in str(products)
        product_id = next(p["product_id"] for p in products if p["name"] == "Node Enrollment")
        retry_from_prefect_after_an_nso_outage(f"http://127.0.0.1:{api_port}",
                                               f"http://127.0.0.1:{prefect_port}/api", product_id, env)

        os.killpg(up.pid, signal.SIGINT)  # Ctrl-C at the terminal
        try:
            assert up.wait(timeout=90) == 0, out.read_text()
        except subprocess.TimeoutExpired:
            logs = _logs(tmp_path / "state")
            raise AssertionError(f"`up` still runs 90 s after Ctrl-C: {out.read_text()}\n{logs}") from None
        assert "Stopped: api, worker, prefect" in out.read_text()
        for port in (api_port, prefect_port):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
            except httpx.ConnectError:
                continue
            raise AssertionError(f"port {port} still answers after Ctrl-C")
    finally:  # a failed test leaves no part running: they would outlive `up` (their parent) otherwise
        if up.poll() is None:
            process_tree.kill_session(up.pid)
        for pid in process_tree.alive(parts):
            process_tree.kill_session(pid)
        for database in (name, f"{name}_prefect"):
            drop_database(f"postgresql+psycopg://root@127.0.0.1:5432/{database}")


def _logs(state: Path) -> str:
    """The last lines of each part's log, to say which part did not stop."""
    return "\n".join(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
                     for log in sorted(state.glob("*.log")))
