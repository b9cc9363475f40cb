"""Served-mode fixtures for the fault tests: a Prefect server of our own (so stopping it hurts no
other test), the counted workflow registered on a product, and a worker subprocess per test."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestrator_core.db import transaction
from orchestrator_core.devtools import prefect_server
from orchestrator_core.settings import app_settings
from tests.guard import factories
from tests.reliability.counted_workflows import EFFECTS_DDL, counted_hold_after_unlock, counted_modify
from tests.reliability.worker_process import WorkerProcess, worker_env


@pytest.fixture(scope="session")
def prefect(tmp_path_factory):
    with prefect_server(tmp_path_factory.mktemp("reliability-prefect"), f"prefect_reliability_{os.getpid()}") as s:
        yield s


@pytest.fixture(scope="session")
def counted_product(orchestrator_database):
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    product_id = factories.product(tag="COUNTED")
    factories.register(counted_modify, product_id)
    factories.register(counted_hold_after_unlock, product_id)
    return product_id


@pytest.fixture()
def subscription(counted_product) -> uuid.UUID:
    return factories.subscription(counted_product)


@pytest.fixture()
def signals(tmp_path):
    path = tmp_path / "signals"
    path.mkdir()
    return path


@pytest.fixture()
def served(prefect, counted_product, monkeypatch):
    """This test process talks to Prefect as our API does in served mode."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")
    with temporary_settings({PREFECT_API_URL: prefect.api_url}):
        yield prefect


@pytest.fixture()
def make_workers(prefect, orchestrator_database, signals, tmp_path):
    """Start `count` workers at once (extra env allowed) and return them once each serves our deployments;
    every worker started here is stopped after the test."""
    started: list[WorkerProcess] = []

    def make(count: int, **extra: str) -> list[WorkerProcess]:
        workers = []
        for _ in range(count):
            logs = tmp_path / f"worker-{len(started)}"  # several workers at once each keep their own log
            logs.mkdir()
            worker = WorkerProcess(worker_env(prefect.api_url, orchestrator_database, signals, **extra), logs)
            worker.start(wait=False)  # their start-ups overlap
            started.append(worker)
            workers.append(worker)
        for worker in workers:
            worker.wait_ready(timeout=180)  # started together, they share the machine
        return workers

    yield make
    for worker in started:
        worker.stop()


@pytest.fixture()
def make_worker(make_workers):
    """Start one worker (extra env allowed) and return it once it serves our deployments."""
    return lambda **extra: make_workers(1, **extra)[0]



def pytest_configure(config):
    config.addinivalue_line("markers", "postgres_restart: restarts the shared Postgres cluster (CI only)")
