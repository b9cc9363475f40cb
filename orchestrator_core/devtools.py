"""A local Prefect server on Postgres, for served-mode tests, benchmarks and chaos runs."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

BIN = Path(sys.executable).parent
POSTGRES_ADMIN_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"

TUNED_SERVER_SETTINGS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def recreate_database(url: str) -> None:
    """Drop (forcing out its sessions) and create the Postgres database the URL names."""
    name = sa.engine.make_url(url).database
    admin = _admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def copy_database(template_url: str, url: str) -> None:
    """(Re)create the database `url` as a copy of `template_url` (CREATE DATABASE ... TEMPLATE): a prepared
    database in a fraction of a migration's time. Nobody may be connected to the template meanwhile."""
    name, template = sa.engine.make_url(url).database, sa.engine.make_url(template_url).database
    admin = _admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    admin = _admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def recreate_postgres_database(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> str:
    url = str(sa.engine.make_url(admin_url).set(database=name))
    recreate_database(url)
    return url


def stop_process_group(process: subprocess.Popen, grace: float = 10) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


@dataclass
class PrefectServer:
    api_url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str]
    argv: list[str]

    def stop(self) -> None:
        stop_process_group(self.process)

    def start(self, timeout: float = 90) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=log, stderr=log, start_new_session=True)
        wait_healthy(self.api_url, timeout, self.log_path)


def wait_healthy(api_url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api_url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"Prefect server did not become healthy: {log_path.read_text()[-2000:]}")


@contextlib.contextmanager
def prefect_server(home: Path, database: str, port: int | None = None,
                   auth_string: str | None = None, admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[PrefectServer]:
    """`prefect server start` on its own Postgres database; on exit the server is stopped (whole process
    group) and the database dropped.

    With `auth_string` (`user:password`) the server authenticates every API call but health
    (PREFECT_SERVER_API_AUTH_STRING); its clients need PREFECT_API_AUTH_STRING with the same value."""
    home.mkdir(parents=True, exist_ok=True)
    own_url = recreate_postgres_database(database, admin_url)
    db_url = own_url.replace("+psycopg", "+asyncpg")
    port = port or free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_DATABASE_CONNECTION_URL": db_url,
           **TUNED_SERVER_SETTINGS}
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_API_AUTH_STRING", None)
    env.pop("PREFECT_SERVER_API_AUTH_STRING", None)
    if auth_string:
        env["PREFECT_SERVER_API_AUTH_STRING"] = auth_string
    argv = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = PrefectServer(f"http://127.0.0.1:{port}/api", None, home / "server.log", env, argv)  # type: ignore[arg-type]
    try:
        server.start()
        yield server
    finally:  # the server and its database go, however the caller ended (a failed test included)
        if server.process is not None:
            server.stop()
        drop_database(own_url)


@dataclass
class PostgresCluster:
    """A Postgres cluster of our own (initdb in a temporary directory, trust auth, user root), so that a
    chaos run can restart Postgres without breaking whoever else uses the machine's cluster."""

    directory: Path
    port: int

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://root@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run([*_as_postgres(), str(_pg_bin() / "pg_ctl"), "-D", str(self.directory), "-w", "-l",
                        str(self.directory / "server.log"), *args], check=True, capture_output=True)

    def start(self) -> None:
        self._pg_ctl("-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
                     "restart")


def _pg_bin() -> Path:
    return max(Path("/usr/lib/postgresql").glob("*/bin"))


def _as_postgres() -> list[str]:
    """initdb and postgres refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextlib.contextmanager
def private_postgres() -> Iterator[PostgresCluster]:
    """A fresh cluster on a free port, stopped and removed on exit."""
    import shutil
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="orchestrator-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    cluster = PostgresCluster(directory / "data", free_port())
    subprocess.run([*_as_postgres(), str(_pg_bin() / "initdb"), "-D", str(cluster.directory), "-U", "root",
                    "--auth=trust", "-E", "UTF8"], check=True, capture_output=True)
    try:
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)
