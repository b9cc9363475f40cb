"""A local Prefect server kept between CLI commands, so that `orchestrator run` in a fresh shell does not pay
a Prefect server start (3-7 s on an idle machine, far more on a busy one).

The one-shot commands (`run`, `resume`, `validate-subscriptions`, the demo), when no PREFECT_API_URL is
configured, use the server named by `$PREFECT_HOME/orchestrator-prefect-server.json`, or start one and name
it there. The rule for its life:

- it serves on 127.0.0.1 only, and every API call but its health check needs a credential
  (PREFECT_SERVER_API_AUTH_STRING, random per server) that only the state file holds, readable by its
  owner alone: a browser page or another local user that reaches the port gets 401;
- a command reuses it only if the state file is ours (owned by this user, mode 0600), the process it names
  is alive, ours, and the same process that was started (its start time), the server settings match, and
  the API refuses an anonymous read while it accepts ours. Anything else is ignored and a new server
  replaces it;
- it ends itself once no command has used it for ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS (900 s); a
  command stopped by SIGTERM or Ctrl-C stops the server it started; 0 keeps none (a server per command).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "orchestrator-prefect-server.json"
LOCK_FILE = "orchestrator-prefect-server.lock"
LOG_FILE = "orchestrator-prefect-server.log"
APP = "orchestrator_core.engine.sqlite_prefect_app:create_app"
"""The app both our local Prefect servers run (the kept one and a temporary one): Prefect's, with its SQLite
writes begun IMMEDIATE."""
PROBE_PATH = "/flows/filter"
_SERVER_SETTINGS = ("PREFECT_SERVER_", "PREFECT_API_DATABASE_", "PREFECT_HOME", "PREFECT_UI_ENABLED")
_IGNORED_SETTINGS = ("PREFECT_SERVER_LOGGING_LEVEL", "PREFECT_SERVER_API_AUTH_STRING")


@dataclass(frozen=True)
class KeptServer:
    api_url: str
    pid: int
    started: str
    """The process's start time (/proc/PID/stat): a recycled pid is another process."""
    auth: str
    fingerprint: str


def prefect_home() -> Path:
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()).expanduser()


def fingerprint(env: dict[str, str]) -> str:
    """What a server's behaviour depends on: its settings, the interpreter and Prefect's version."""
    import prefect

    relevant = sorted((k, v) for k, v in env.items()
                      if k.startswith(_SERVER_SETTINGS) and k not in _IGNORED_SETTINGS)
    return hashlib.sha256(json.dumps([sys.executable, prefect.__version__, relevant]).encode()).hexdigest()[:32]


def process_start(pid: int) -> str | None:
    """The start time of a live process of this user; None when it is gone or another user's."""
    try:
        if os.stat(f"/proc/{pid}").st_uid != os.getuid():
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return _without_proc(pid)
    return None if fields[0] == "Z" else fields[19]


def _without_proc(pid: int) -> str | None:
    """Where there is no /proc: alive and signalable by us is all that can be told."""
    if Path("/proc/self").exists():
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return ""


def read_state(home: Path) -> KeptServer | None:
    """The state file's server, if the file is ours and private; its process is not checked here."""
    path = home / STATE_FILE
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        data = json.loads(path.read_text())
        return KeptServer(str(data["api_url"]), int(data["pid"]), str(data["started"]), str(data["auth"]),
                          str(data["fingerprint"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _answers_only_us(server: KeptServer) -> bool:
    import httpx

    from orchestrator_core.engine.prefect_access import client_headers

    if not server.api_url.startswith("http://127.0.0.1:"):
        return False
    try:
        with httpx.Client(base_url=server.api_url, timeout=5) as client:
            if client.post(PROBE_PATH, json={"limit": 1}).status_code != 401:
                return False  # open to anyone: not a server we started; it gets no credential
            ours = client.post(PROBE_PATH, json={"limit": 1}, headers=client_headers(server.auth, None))
    except httpx.HTTPError:
        return False
    return ours.status_code == 200


def reusable(home: Path, wanted_fingerprint: str) -> KeptServer | None:
    """The kept server of this PREFECT_HOME if it is ours, alive, configured as we would start it, and
    authenticating; else None (and nothing is sent to whatever listens on a stale file's port)."""
    server = read_state(home)
    if server is None or server.fingerprint != wanted_fingerprint:
        return None
    if process_start(server.pid) != server.started:
        return None
    return server if _answers_only_us(server) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_private(path: Path, text: str) -> None:
    """Written whole (a reader never sees half) and readable by this user alone from the first byte."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(temporary, path)


def spawn(home: Path, env: dict[str, str], keep_seconds: float) -> tuple[KeptServer, subprocess.Popen]:
    """Start a kept server, detached from this command (a session of its own, no death signal), and name
    it in the state file; the caller waits for it to answer."""
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    auth = f"orchestrator:{secrets.token_urlsafe(24)}"
    script = Path(__file__).with_name("kept_server_main.py")
    with open(home / LOG_FILE, "ab") as log:
        os.chmod(home / LOG_FILE, 0o600)
        process = subprocess.Popen(
            [sys.executable, str(script), str(port), str(keep_seconds), str(home / STATE_FILE), APP],
            env={**env, "PREFECT_SERVER_API_AUTH_STRING": auth}, stdin=subprocess.DEVNULL, stdout=log,
            stderr=log, start_new_session=True)
    server = KeptServer(f"http://127.0.0.1:{port}/api", process.pid, process_start(process.pid) or "", auth,
                        fingerprint(env))
    _write_private(home / STATE_FILE, json.dumps(asdict(server)))
    return server, process


@contextlib.contextmanager
def exclusively(home: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """One command at a time looks for, or starts, the kept server: two fresh shells get one server.
    `on_wait` is called when another command holds the lock (it is starting the server)."""
    import fcntl  # POSIX: imported here, so that the rest of the engine imports where it is missing

    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def forget(home: Path, server: KeptServer) -> None:
    """Remove the state file if it still names `server` (it was stopped)."""
    current = read_state(home)
    if current is not None and current.pid == server.pid and current.started == server.started:
        with contextlib.suppress(FileNotFoundError):
            (home / STATE_FILE).unlink()


def stop(home: Path) -> int | None:
    """Stop the kept server of this PREFECT_HOME now, if the state file names a live one of ours: SIGTERM to
    its process group (a clean uvicorn shutdown). Returns its pid."""
    server = read_state(home)
    if server is None or process_start(server.pid) != server.started:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    forget(home, server)
    return server.pid
