"""`orchestrator serve` in its default embedded mode, as a new user starts it: every start accepted in its
first second runs to the end, and nothing it started outlives it (SIGTERM, SIGINT). The first test starts
from an empty PREFECT_HOME, as a new user does; the others copy one whose database is migrated already
(tests/prefect_home.py), as every later start finds it.

Descendants are counted by parent process id (tests/execution/serve_under_test.py), so a Prefect server
reparented to init after `serve` ended is still counted as left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from orchestrator_core.devtools import BIN
from tests.execution import serve_under_test as sut
from tests.waiting import wait_until

FINAL = {"completed", "failed", "aborted", "crashed"}


def _ends_without_leftovers(process: subprocess.Popen, seen: set[int], sig: signal.Signals, log) -> None:
    seen |= sut.descendants(process.pid)
    assert seen, "the command started no process at all"
    if process.poll() is None:
        os.kill(process.pid, sig)
    process.wait(timeout=120)
    wait_until(lambda: not sut.alive(seen), f"every process it started has exited (left: "
               f"{[sut.command_line(p)[:120] for p in sut.alive(seen)]}; log: {log()[-1500:]})", timeout=60)


def test_twenty_starts_in_serves_first_second_all_complete_and_leave_nothing_locked(fresh_database, subscriptions,
                                                                                    tmp_path):
    assert len(subscriptions) == 20
    env = sut.serve_env(fresh_database, tmp_path / "prefect-home")
    seen: set[int] = set()
    with sut.serving_subprocess(env, tmp_path / "serve.log") as served:
        sut.wait_ready(served)
        # all 20 are sent at once, as soon as serve answers; how fast they are answered depends on the machine
        with httpx.Client(base_url=served.url, timeout=60) as client, ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(lambda s: client.post(f"/api/processes/{sut.WORKFLOW}",
                                                          json=[{"subscription_id": str(s)}]), subscriptions))
        assert [a.status_code for a in answers] == [201] * 20, [a.text for a in answers if a.status_code != 201]
        ids = [a.json()["id"] for a in answers]

        def all_ended() -> bool:
            seen.update(sut.descendants(served.process.pid))
            table = sut.processes_table(fresh_database, ids)
            return len(table) == 20 and all(status in FINAL for status, _ in table.values())

        wait_until(all_ended, "all 20 processes have ended", timeout=300)
        table = sut.processes_table(fresh_database, ids)
        assert {status for status, _ in table.values()} == {"completed"}, (table, served.log_text()[-3000:])
        assert sut.locked_subscriptions(fresh_database, subscriptions) == []
        assert len(sut.prefect_servers(sut.alive(seen))) == 1, "one temporary Prefect server for the process"
        _ends_without_leftovers(served.process, seen, signal.SIGTERM, served.log_text)


def test_serve_leaves_no_process_behind_after_ctrl_c(fresh_database, subscriptions, prefect_home, tmp_path):
    """SIGINT; SIGTERM after a completed process is the end of the twenty-starts test above."""
    seen: set[int] = set()
    with sut.serving_subprocess(sut.serve_env(fresh_database, prefect_home),
                                tmp_path / "serve.log") as served:
        sut.wait_ready(served)
        with httpx.Client(base_url=served.url, timeout=30) as client:
            started = client.post(f"/api/processes/{sut.WORKFLOW}", json=[{"subscription_id": str(subscriptions[0])}])
            assert started.status_code == 201, started.text
            wait_until(lambda: sut.processes_table(fresh_database, [started.json()["id"]]).get(
                started.json()["id"], ("",))[0] == "completed", "the process completed", timeout=300)
        seen |= sut.descendants(served.process.pid)
        assert len(sut.prefect_servers(seen)) == 1
        _ends_without_leftovers(served.process, seen, signal.SIGINT, served.log_text)


def test_a_sigkilled_serve_takes_its_prefect_server_with_it(fresh_database, prefect_home, tmp_path):
    with sut.serving_subprocess(sut.serve_env(fresh_database, prefect_home),
                                tmp_path / "serve.log") as served:
        sut.wait_ready(served)
        seen = sut.descendants(served.process.pid)
        assert len(sut.prefect_servers(seen)) == 1
        _ends_without_leftovers(served.process, seen, signal.SIGKILL, served.log_text)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_worker_without_a_prefect_url_leaves_no_process_behind(fresh_database, prefect_home, tmp_path, sig):
    log = tmp_path / "worker.log"
    env = sut.serve_env(fresh_database, prefect_home, ORCHESTRATOR_EXECUTION_MODE="served")
    with log.open("w") as out:
        worker = subprocess.Popen([str(BIN / "orchestrator"), "worker"], cwd=sut.ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, **sut.at_a_terminal())
    seen: set[int] = set()
    try:
        def serving() -> bool:
            seen.update(sut.descendants(worker.pid))
            assert worker.poll() is None, log.read_text()[-3000:]
            return "deployments" in log.read_text()

        wait_until(serving, "the worker serves its deployments", timeout=300)
        assert len(sut.prefect_servers(seen)) == 1
        _ends_without_leftovers(worker, seen, sig, log.read_text)
    finally:
        sut.kill_session(worker.pid)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_demo_leaves_no_process_behind(prefect_home, tmp_path, sig):
    log = tmp_path / "demo.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ORCHESTRATOR_"))}
    env.update({"PREFECT_HOME": str(prefect_home), "PYTHONPATH": str(sut.ROOT)})
    with log.open("w") as out:
        demo = subprocess.Popen([str(BIN / "python"), str(sut.ROOT / "main.py"), "demo"], cwd=tmp_path, env=env,
                                stdout=out, stderr=subprocess.STDOUT, **sut.at_a_terminal())
    seen: set[int] = set()
    try:
        def server_up() -> bool:
            seen.update(sut.descendants(demo.pid))
            assert demo.poll() in (None, 0), log.read_text()[-3000:]
            return bool(sut.prefect_servers(seen))

        wait_until(server_up, "the demo started its Prefect server", timeout=300)
        _ends_without_leftovers(demo, seen, sig, log.read_text)
    finally:
        sut.kill_session(demo.pid)


