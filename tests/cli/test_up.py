"""`python main.py up` (issue 17): from nothing, the served stack reaches healthy (our API, Prefect's server,
the worker serving the demo's deployments), prints the URLs, and Ctrl-C stops every part of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import httpx

from orchestrator_core.devtools import drop_database, free_port
from tests.served_stack import ROOT


def test_up_reaches_healthy_prints_the_urls_and_ctrl_c_stops_it_all(tmp_path):
    name = f"up_test_{uuid.uuid4().hex[:8]}"
    api_port, prefect_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PREFECT_API_URL"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "home"))
    out = tmp_path / "up.out"
    with out.open("w") as log:
        up = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "up", "--name", name, "--api-port",
                               str(api_port), "--prefect-port", str(prefect_port), "--state-dir",
                               str(tmp_path / "state")], cwd=tmp_path, env=env, stdout=log, stderr=log,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        while "Ready." not in out.read_text():
            assert up.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.5)
        ready = out.read_text()
        assert f"http://127.0.0.1:{api_port}/docs" in ready and f"http://127.0.0.1:{prefect_port}/" in ready
        assert "application in" in ready  # the demo's registrations were applied: `db upgrade` ran where main.py is
        assert httpx.get(f"http://127.0.0.1:{api_port}/api/health", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{prefect_port}/api/health", timeout=10).status_code == 200
        products = httpx.get(f"http://127.0.0.1:{api_port}/api/products", timeout=10).json()
        assert "Node Enrollment" in str(products)

        os.killpg(up.pid, signal.SIGINT)  # Ctrl-C at the terminal
        assert up.wait(timeout=90) == 0, out.read_text()
        assert "Stopped: api, worker, prefect" in out.read_text()
        for port in (api_port, prefect_port):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
            except httpx.ConnectError:
                continue
            raise AssertionError(f"port {port} still answers after Ctrl-C")
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
        for database in (name, f"{name}_prefect"):
            drop_database(f"postgresql+psycopg://root@127.0.0.1:5432/{database}")
