"""An application's own entry points on the library, written as the reference's example application
writes them: names at the package root, `OrchestratorCore` in its wsgi.py (served by uvicorn), the CLI
app in its main.py, `DATABASE_URI`, `json_dumps`, `to_camel`, `LOGGER_OVERRIDES`.

The application here is our own: a small reference-style workflow module, wsgi.py and main.py,
written to a scratch directory and run as an application runs them.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from orchestrator_core import OrchestratorCore
from orchestrator_core.db import database, get_engine, transaction
from orchestrator_core.devtools import free_port, stop_process_group
from orchestrator_core.domain import ProductBlockModel, SubscriptionModel
from orchestrator_core.engine import kept_prefect_server
from orchestrator_core.migrations import helpers
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.services.process_queries import get_process, list_processes
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.settings import AppSettings, app_settings
from orchestrator_core.types import strEnum
from orchestrator_core.utils.json import json_dumps, json_loads
from orchestrator_core.workflow import get_workflow
from tests.http_server import serving
from tests.prefect_home import warm_prefect_home
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = "app_surface_hello"

APP_WORKFLOWS = '''"""The application's workflows, reference style; importing this registers them."""
from orchestrator_core import step
from orchestrator_core.forms import FormPage
from orchestrator_core.targets import Target
from orchestrator_core.types import FormGenerator, State
from orchestrator_core.workflow import StepList, done, init, workflow


class HelloForm(FormPage):
    name: str


def hello_form() -> FormGenerator:
    user_input = yield HelloForm
    return user_input.model_dump()


@step("Say hello")
def say_hello(name: str) -> State:
    return {"greeting": f"hello {name}"}


@workflow("Say hello, from an application", initial_input_form=hello_form, target=Target.SYSTEM)
def app_surface_hello() -> StepList:
    return init >> say_hello >> done
'''

APP_WSGI = '''from orchestrator_core import OrchestratorCore
from orchestrator_core.settings import AppSettings

import surface_app_workflows  # noqa: F401  registers the application's workflows

app = OrchestratorCore(base_settings=AppSettings())
app.register_graphql()
'''

APP_MAIN = '''import logging.config

from orchestrator_core import app_settings  # noqa: F401
from orchestrator_core.cli.main import app as core_cli
from orchestrator_core.log_config import LOGGER_OVERRIDES

import surface_app_workflows  # noqa: F401  registers the application's workflows

if __name__ == "__main__":
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, "loggers": LOGGER_OVERRIDES})
    core_cli()
'''


@pytest.fixture(scope="module")
def application(tmp_path_factory: pytest.TempPathFactory, orchestrator_database: str,
                migrated_prefect_home: Path) -> Iterator[Path]:
    """The application's directory; its workflows imported here too, and registered as a migration would.
    Its Prefect home's database is migrated already, as it is after an application's first run."""
    app_dir = tmp_path_factory.mktemp("application")
    warm_prefect_home(migrated_prefect_home, app_dir / ".prefect")
    (app_dir / "surface_app_workflows.py").write_text(APP_WORKFLOWS)
    (app_dir / "wsgi.py").write_text(APP_WSGI)
    (app_dir / "main.py").write_text(APP_MAIN)
    sys.path.insert(0, str(app_dir))
    try:
        importlib.import_module("surface_app_workflows")
        with transaction() as session:
            ensure_workflow_row(session, get_workflow(WORKFLOW))
        yield app_dir
    finally:
        sys.path.remove(str(app_dir))


@pytest.fixture
def settings_restored() -> Iterator[None]:
    """OrchestratorCore makes its base_settings the process's; each test leaves them as it found them."""
    before = {name: getattr(app_settings, name) for name in AppSettings.model_fields}
    engine_url = get_engine().url.render_as_string(hide_password=False)
    yield
    for name, value in before.items():
        setattr(app_settings, name, value)
    if get_engine().url.render_as_string(hide_password=False) != engine_url:
        database.configure(engine_url)


def application_env(app_dir: Path, database_url: str) -> dict[str, str]:
    """The application's environment: the reference's DATABASE_URI, none of our ORCHESTRATOR_ names; its
    own Prefect home (embedded mode), which its runs share."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PREFECT_API_URL"))}
    env.update(DATABASE_URI=database_url, PREFECT_HOME=str(app_dir / ".prefect"), PYTHONPATH=str(ROOT))
    return env


def wait_until_completed(client: httpx.Client, process_id: str, timeout: float = 120) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        body = client.get(f"/api/processes/{process_id}").raise_for_status().json()
        return body if body["status"] not in ("created", "running") else None

    return wait_until(ended, f"process {process_id} left created and running", timeout, interval=0.1)


# --- the names ------------------------------------------------------------------------------------


def test_the_package_root_provides_the_reference_names():
    import orchestrator_core
    from orchestrator_core import OrchestratorCore, app_settings, settings, step, workflow

    assert step is workflow.step
    assert app_settings is settings.app_settings
    assert issubclass(OrchestratorCore, FastAPI)
    assert {"OrchestratorCore", "app_settings", "step"} <= set(orchestrator_core.__all__)
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        orchestrator_core.not_a_name  # noqa: B018


def test_importing_the_package_imports_neither_fastapi_nor_prefect():
    probe = ("import sys, orchestrator_core; "
             "print(sorted(m for m in ('fastapi', 'prefect', 'sqlalchemy', 'pydantic_forms') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cli_app_is_at_the_reference_path():
    import typer

    from orchestrator_core.cli.main import app

    assert isinstance(app, typer.Typer)
    commands = {command.name or command.callback.__name__ for command in app.registered_commands}
    assert {"run", "resume", "serve", "worker"} <= commands
    assert "db" in {group.name for group in app.registered_groups}


def test_orchestrator_core_moves_the_process_to_its_base_settings_database(settings_restored, tmp_path):
    other = f"sqlite:///{tmp_path / 'other.db'}"

    app = TestClient(OrchestratorCore(base_settings=AppSettings(DATABASE_URI=other)))

    assert app_settings.ORCHESTRATOR_DATABASE_URL == other
    assert app_settings.DATABASE_URI.get_secret_value() == other
    assert str(get_engine().url) == other
    assert app.get("/api/health").json()["checks"]["database"]["ok"] is True
    assert (tmp_path / "other.db").exists()


# --- OrchestratorCore, served ---------------------------------------------------------------------


def test_orchestrator_core_served_over_http_answers_health_and_starts_a_workflow(
    application, settings_restored, orchestrator_database, monkeypatch, caplog
):
    monkeypatch.delenv("ORCHESTRATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URI", orchestrator_database)
    app = OrchestratorCore(base_settings=AppSettings())
    with caplog.at_level(logging.WARNING, logger="orchestrator_core.api.app"):
        app.register_graphql()
        app.register_graphql(graphql_models={"Custom": object})
    assert caplog.text.count("register_graphql") == 1 and "graphql_models" in caplog.text

    with serving(app) as url, httpx.Client(base_url=url, timeout=30, follow_redirects=True) as client:
        health = client.get("/api/health/")  # the example's docker health check, with its trailing slash
        assert health.status_code == 200, health.text
        assert health.json()["checks"]["database"]["ok"] is True

        started = client.post(f"/api/processes/{WORKFLOW}", json=[{"name": "http"}])
        assert started.status_code == 201, started.text
        body = wait_until_completed(client, started.json()["id"])
        assert body["status"] == "completed", body["failed_reason"]
        assert body["current_state"]["greeting"] == "hello http"
        graphql = client.post("/api/graphql", json={"query": "{ version { applicationVersions } }"})
        assert graphql.status_code == 200 and "errors" not in graphql.json(), graphql.text


def test_orchestrator_core_refuses_oauth2_lib_instances_rather_than_serving_an_open_api(settings_restored):
    app = OrchestratorCore()
    with pytest.raises(NotImplementedError, match="ORCHESTRATOR_AUTH_DISABLED=false"):
        app.register_authentication(object())
    with pytest.raises(NotImplementedError, match="ORCHESTRATOR_OIDC_JWKS_URL"):
        app.register_authorization(object())


def test_the_applications_wsgi_app_runs_under_uvicorn(application, orchestrator_database, tmp_path):
    port = free_port()
    log_path = tmp_path / "uvicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "wsgi:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=application, env=application_env(application, orchestrator_database), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True) as client:
            def answered() -> httpx.Response | None:
                assert server.poll() is None, log_path.read_text()[-3000:]
                try:
                    return client.get("/api/health/")
                except httpx.TransportError:
                    return None

            health = wait_until(answered, lambda: f"the application answers: {log_path.read_text()[-3000:]}", 120,
                                interval=0.2)
            assert health.status_code == 200, health.text

            started = client.post(f"/api/processes/{WORKFLOW}", json=[{"name": "wsgi"}])
            assert started.status_code == 201, started.text
            process_id = started.json()["id"]
            body = wait_until_completed(client, process_id)
    finally:
        stop_process_group(server)
    assert body["status"] == "completed", (body["failed_reason"], log_path.read_text()[-3000:])
    assert body["current_state"]["greeting"] == "hello wsgi"
    # The process is in the database DATABASE_URI named: ours, read here without the server.
    assert get_process(uuid.UUID(process_id)).status == "completed"


def test_the_applications_main_py_runs_a_workflow(application, orchestrator_database, tmp_path):
    try:
        done = subprocess.run(
            [sys.executable, "main.py", "run", WORKFLOW, "--input", '[{"name": "main"}]', "--user", "app-main"],
            cwd=application, env=application_env(application, orchestrator_database), capture_output=True,
            text=True, timeout=240,
        )
    finally:
        kept_prefect_server.stop(application / ".prefect")  # the server it kept for later commands

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [process] = [p for p in list_processes(workflow=WORKFLOW, limit=200) if p.created_by == "app-main"]
    assert process.status == "completed"
    assert get_process(process.process_id).state["greeting"] == "hello main"


# --- json_dumps, to_camel, LOGGER_OVERRIDES ----------------------------------------------------------


class PortMode(strEnum):
    TAGGED = "tagged"
    UNTAGGED = "untagged"


class SurfaceInterfaceBlockInactive(ProductBlockModel, product_block_name="App Surface Interface"):
    vlan: int | None = None
    mode: PortMode | None = None


class SurfaceNodeBlockInactive(ProductBlockModel, product_block_name="App Surface Node"):
    node_name: str | None = None
    inventory_id: uuid.UUID | None = None
    interface: SurfaceInterfaceBlockInactive


class SurfaceNodeInactive(SubscriptionModel, is_base=True):
    node: SurfaceNodeBlockInactive


@pytest.fixture(scope="module")
def surface_product(orchestrator_database: str) -> uuid.UUID:
    block = {"description": "app surface", "tag": "SURFACE", "status": "active"}
    with get_engine().begin() as conn:
        helpers.create(conn, {
            "product_blocks": {
                "App Surface Interface": {**block, "resources": {"vlan": "VLAN", "mode": "port mode"}},
                "App Surface Node": {**block, "resources": {"node_name": "name", "inventory_id": "id"},
                                     "depends_on_block_relations": ["App Surface Interface"]},
            },
            "products": {"App Surface Node": {"product_type": "SurfaceNode", "description": "app surface",
                                              "tag": "SURFACE", "status": "active",
                                              "product_blocks": ["App Surface Node"]}},
        })
        return get_product_id_by_name(conn, "App Surface Node")


def test_json_dumps_writes_a_domain_model_with_its_nested_blocks(surface_product):
    inventory_id = uuid.uuid4()
    with transaction():
        subscription = SurfaceNodeInactive.from_product_id(surface_product, "customer-1")
    subscription.start_date = datetime(2024, 5, 18, 15, 17, 0, 123456, tzinfo=UTC)
    subscription.node.node_name = "node-1"
    subscription.node.inventory_id = inventory_id
    subscription.node.interface.vlan = 42
    subscription.node.interface.mode = PortMode.TAGGED

    text = json_dumps(subscription)
    data = json.loads(text)

    assert data["subscription_id"] == str(subscription.subscription_id)
    assert data["status"] == "initial"
    assert data["customer_id"] == "customer-1"
    assert data["start_date"] == "2024-05-18T15:17:00+00:00"
    assert data["product"]["name"] == "App Surface Node"
    assert data["node"]["node_name"] == "node-1"
    assert data["node"]["inventory_id"] == str(inventory_id)
    interface = data["node"]["interface"]
    assert (interface["vlan"], interface["mode"]) == (42, "tagged")
    assert interface["subscription_instance_id"] == str(subscription.node.interface.subscription_instance_id)

    assert json_loads(text)["start_date"] == datetime(2024, 5, 18, 15, 17, tzinfo=UTC)
