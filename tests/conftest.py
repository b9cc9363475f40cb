"""Two lanes. The fast lane (tests/unit, marker `fast`) is pure logic: it needs neither Postgres nor
Prefect, so nothing here starts them for it. Every other test is in the integration lane and runs on
the session's Postgres database, made on the first test that needs it and migrated to the newest
schema; Prefect runs for real (the embedded server under a temporary PREFECT_HOME, started on first use).

Override the database with ORCHESTRATOR_TEST_DATABASE_URL (any SQLAlchemy URL, SQLite included).
"""

from __future__ import annotations

import copy
import os
import re
import signal
import tempfile
import threading
from pathlib import Path

OWN_PREFECT_HOME = "PREFECT_HOME" not in os.environ
"""This session's PREFECT_HOME is a new directory of its own (not one the caller set)."""
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="orchestrator-test-prefect-"))
os.environ.setdefault("ORCHESTRATOR_LEASE_SECONDS", "30")
os.environ.setdefault("ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS", "0")  # a test's commands leave no server behind
os.environ.setdefault("ORCHESTRATOR_WORKFLOW_MODULES", '["flows"]')  # the demo application's workflows

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults  # noqa: E402

apply_environment_defaults()

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from orchestrator_core.bootstrap import bootstrap  # noqa: E402
from orchestrator_core.db import database  # noqa: E402
from orchestrator_core.db.migrate import upgrade  # noqa: E402
from orchestrator_core.devtools import POSTGRES_ADMIN_URL, drop_database, recreate_database  # noqa: E402
from orchestrator_core.services.subscriptions import (  # noqa: E402
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
)

pytest_plugins = ["tests.served_stack", "tests.prefect_home"]

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/orchestrator_test"
TESTS = Path(__file__).resolve().parent
FAST_LANE = TESTS / "unit"
DEMO_APP = TESTS.parent
"""The Node Enrollment demo application: the tests run on the core schema plus its registrations."""


def database_url() -> str:
    """One database per test session, so that concurrent sessions never share one."""
    return os.environ.get("ORCHESTRATOR_TEST_DATABASE_URL") or f"{DEFAULT_URL}_{os.getpid()}"


@pytest.fixture(scope="session")
def orchestrator_database():
    url = database_url()
    postgres = url.startswith("postgresql")
    if postgres:
        recreate_database(url)
    try:
        database.configure(url)
        upgrade(app_dir=DEMO_APP)
        bootstrap()  # the integration lane is an entry point: its tests call the services directly
        yield url
    finally:
        database.get_engine().dispose()
        if postgres and "ORCHESTRATOR_TEST_DATABASE_URL" not in os.environ:
            drop_database(url)


def pytest_collection_modifyitems(config, items):
    """Tests under tests/unit are the fast lane, so `-m fast` and `-m "not fast"` choose a lane too. A
    fast-lane test that asks for the database (its fixtures as collected) stops the session, rather than
    quietly starting Postgres."""
    for item in items:
        if FAST_LANE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.fast)
            if "orchestrator_database" in getattr(item, "fixturenames", ()):
                raise pytest.UsageError(f"{item.nodeid}: a fast-lane test (tests/unit) may not use the database: "
                                        "put it in its layer's directory")


@pytest.fixture(scope="session", autouse=True)
def integration_lane(request):
    """A session that runs any integration test makes the database before its first test, as every such
    test expects, and gives its own PREFECT_HOME a migrated Prefect database before its embedded server
    first starts; a session of fast-lane tests only (`pytest tests/unit`, `-m fast`) does neither."""
    if all(item.get_closest_marker("fast") is not None for item in request.session.items):
        return
    request.getfixturevalue("orchestrator_database")
    if OWN_PREFECT_HOME:
        from tests.prefect_home import warm_prefect_home  # a plugin of this session: imported once registered

        warm_prefect_home(request.getfixturevalue("migrated_prefect_home"), Path(os.environ["PREFECT_HOME"]))


def pytest_configure(config):
    """A SIGTERM (`timeout 900 pytest ...`) ends the session as Ctrl-C does: fixtures are torn down, so
    the Prefect servers, workers and databases the session made go with it."""
    config.addinivalue_line("markers", "fast: pure logic, no Postgres and no Prefect (the tests under tests/unit)")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt("SIGTERM")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """After every fixture is torn down: no database named after this session's pid may be left. Any
    left is listed, dropped, and fails the session, so that a fixture that leaks one is noticed."""
    leftovers = session_databases()
    if not leftovers:
        return
    for name in leftovers:
        drop_database(str(sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name)))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\nDatabases this session (pid {os.getpid()}) left behind, now dropped: "
                            f"{', '.join(leftovers)}", red=True)
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def session_databases() -> list[str]:
    """Postgres databases whose name carries this session's pid as a word (`prefect_test_<pid>`,
    `orchestrator_test_<pid>_application`, ...); none when no Postgres answers."""
    pattern = re.compile(rf"(^|_){os.getpid()}(_|$)")
    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL)
        with admin.connect() as conn:
            names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
        admin.dispose()
    except sa.exc.OperationalError:
        return []
    return sorted(name for name in names if pattern.search(name))


@pytest.fixture(autouse=True)
def restore_wf_maps():
    """Every test may configure the WF_* maps as a project would; each starts from the same maps."""
    usable, blocked = copy.deepcopy(WF_USABLE_MAP), dict(WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS)
    out_of_sync = list(WF_USABLE_WHILE_OUT_OF_SYNC)
    yield
    WF_USABLE_MAP.clear()
    WF_USABLE_MAP.update(usable)
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.clear()
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.update(blocked)
    WF_USABLE_WHILE_OUT_OF_SYNC[:] = out_of_sync
