"""One temporary Prefect server per OS process, when no PREFECT_API_URL is configured.

Without an API URL, Prefect starts its own temporary server (`SubprocessASGIServer`) lazily, from
whichever thread first needs a client. Under a burst of starts several worker threads race it:
2-3 servers per process, early runs failing with "Failed to reach API" or "Server process did not
start", and the servers orphaned when the process ends without running Prefect's atexit hook
(SIGTERM's default action). Here, the entry points (`serve`'s start-up, `run`, `demo`, `worker`)
start exactly one before they accept work, point this process's Prefect settings at it (every
thread reads the process-global settings context), and stop it on every exit path:

- a normal exit or an exception: `stop()` from `serve`'s shutdown, else the atexit hook;
- SIGTERM and SIGINT: uvicorn's clean shutdown runs the same `stop()`; a CLI command turns SIGTERM
  into SystemExit (`for_this_process`), so that the atexit hook runs;
- SIGKILL of this process: the server asks the kernel for SIGKILL when its parent dies
  (prctl PR_SET_PDEATHSIG, Linux), and checks its parent is still the one that started it.

The server runs in a process group of its own, so that a terminal's Ctrl-C reaches us first and we
stop it after our in-flight runs, and it is started from a thread that lives as long as this process
(PDEATHSIG fires when the thread that forked the child ends, not only the process).

The one-shot commands (`run`, `resume`, `validate-subscriptions`, the demo) ask for `reuse`: instead of a
server of their own they use the local server kept between commands (engine/kept_prefect_server.py), or
start it, so that a command in a fresh shell does not wait for a Prefect server to start.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestrator_core.engine import kept_prefect_server
from orchestrator_core.engine.kept_prefect_server import KeptServer

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 5.0

_BOOT = """
import os, signal, sys
parent = int(sys.argv[1])
if sys.platform.startswith("linux"):
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
if os.getppid() != parent:  # the parent died before the request above took effect
    sys.exit(0)
import runpy
sys.argv = ["uvicorn", *sys.argv[2:]]
runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)
"""
"""The child's first act: die with its parent; then uvicorn serving Prefect's API."""


@dataclass
class TemporaryServer:
    api_url: str
    process: subprocess.Popen
    started_in: float
    """Seconds from spawn to healthy (while starting: the monotonic time of the spawn)."""

    def stop(self) -> None:
        """SIGTERM to its process group, SIGKILL after a grace period; idempotent."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_GRACE_SECONDS)


_lock = threading.Lock()
_server: TemporaryServer | None = None
_stopped_urls: set[str] = set()
"""Our own servers' URLs once stopped: a thread's settings may still name one, which is not a
configured API."""
_pending: TemporaryServer | None = None
"""Spawned by `begin`, not yet seen healthy."""
_kept: KeptServer | None = None
"""The kept local server this process uses (`reuse`)."""
_spawned_here: tuple[KeptServer, subprocess.Popen] | None = None
"""The kept server this process started (from the moment it was spawned): stopped if the command is
interrupted."""
_reuse = False
_terminated = False
_waiting: tuple[str, float] | None = None
"""What this process waits for before its first flow run can start, and since when (monotonic)."""


def _forget_in_forked_child() -> None:
    """A fork (the validation sweep's worker processes) uses its parent's server and never stops it."""
    global _server, _pending, _lock, _spawned_here
    _server = _pending = _spawned_here = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_in_forked_child)


def configured_api_url() -> str | None:
    """The Prefect API this thread would use: the environment's, a profile's, or a temporary setting's."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def current() -> TemporaryServer | KeptServer | None:
    return _server or _kept


def waiting_for() -> str | None:
    """For progress lines: what the first flow run waits for, e.g. "starting a local Prefect server, 3 s"."""
    waiting = _waiting
    if waiting is None:
        return None
    return f"{waiting[0]}, {time.monotonic() - waiting[1]:.0f} s"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env() -> dict[str, str]:
    """What Prefect's own temporary server gets: this process's Prefect settings, its UI off."""
    from prefect.settings import get_current_settings

    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True)}
    env.pop("PREFECT_API_URL", None)
    env.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
    return env


def _spawn(port: int, env: dict[str, str]) -> subprocess.Popen:
    import prefect

    argv = [sys.executable, "-c", _BOOT, str(os.getpid()), "--app-dir", str(Path(prefect.__file__).parent.parent),
            "--factory", kept_prefect_server.APP, "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]
    return subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True)


def _spawn_from_keeper(port: int, env: dict[str, str]) -> subprocess.Popen:
    """Fork from a thread that never ends, so that PDEATHSIG means "this process died"."""
    spawned: list[subprocess.Popen | BaseException] = []
    ready = threading.Event()

    def keeper() -> None:
        try:
            spawned.append(_spawn(port, env))
        except BaseException as exc:  # handed to the caller
            spawned.append(exc)
        ready.set()
        threading.Event().wait()  # live as long as the process

    threading.Thread(target=keeper, name="orchestrator-prefect-server", daemon=True).start()
    ready.wait()
    if isinstance(spawned[0], BaseException):
        raise spawned[0]
    return spawned[0]


def _wait_healthy(process: subprocess.Popen, api_url: str, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"The temporary Prefect server exited with code {process.returncode} while "
                                   "starting")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{api_url}/health").status_code == 200:
                    return
            time.sleep(0.05)
    raise RuntimeError(f"The temporary Prefect server did not answer {api_url}/health within {timeout:.0f} s")


def _point_this_process_at(api_url: str | None, auth: str | None = None) -> None:
    """Every thread without a settings context of its own reads Prefect's process-global one: rebuild it
    from the environment with our URL (and the kept server's credential). The environment itself is left
    as it was, so that child processes (an `orchestrator run` a test starts, say) start their own server
    as they would, and the credential is not handed to them."""
    import prefect.context

    names = ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING")
    previous = {name: os.environ.get(name) for name in names}
    if api_url is not None:
        os.environ["PREFECT_API_URL"] = api_url
        if auth is not None:
            os.environ["PREFECT_API_AUTH_STRING"] = auth
    try:
        prefect.context.GLOBAL_SETTINGS_CONTEXT = prefect.context.root_settings_context()
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _spawn_server() -> TemporaryServer:
    port = _free_port()
    process = _spawn_from_keeper(port, server_env())
    atexit.register(stop, quiet=True)  # interpreter exit: logging's streams may be closed by then
    return TemporaryServer(f"http://127.0.0.1:{port}/api", process, time.monotonic())


def begin() -> None:
    """Spawn the server now and wait for it later (`ensure_started`), so that its start-up (migrations
    of a fresh database, imports) overlaps the caller's own; nothing when Prefect's API is configured."""
    global _pending
    with _lock:
        if _server is None and _pending is None and configured_api_url() in (None, *_stopped_urls):
            _pending = _spawn_server()


def ensure_started() -> str | None:
    """Start this process's temporary server unless Prefect's API is configured; return the URL in use.

    Safe to call from any thread, any number of times: one server per process."""
    global _server, _pending
    with _lock:
        if _server is not None:
            if _server.process.poll() is None:
                return _server.api_url
            logger.warning("The temporary Prefect server at %s exited with code %s; starting another",
                           _server.api_url, _server.process.returncode)
            _server = None
            _point_this_process_at(None)
        if _kept is not None:
            return _kept.api_url
        if _pending is None:
            configured = configured_api_url()
            if configured is not None and configured not in _stopped_urls:
                return configured
            if _reuse and _keep_seconds() > 0:
                return _use_kept_server()
        server, _pending = _pending or _spawn_server(), None
        try:
            _wait_healthy(server.process, server.api_url, STARTUP_TIMEOUT_SECONDS)
        except BaseException:
            server.stop()
            raise
        server.started_in = time.monotonic() - server.started_in
        _server = server
        _point_this_process_at(server.api_url)
        logger.info("Temporary Prefect server for this process at %s (pid %d, ready in %.1f s)", server.api_url,
                    server.process.pid, server.started_in)
        return server.api_url


def _keep_seconds() -> float:
    from orchestrator_core.settings import app_settings

    return app_settings.ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS


def _use_kept_server() -> str:
    """The kept local server, found or started (under `_lock`): this process's Prefect API from now on."""
    global _kept, _spawned_here, _waiting
    home = kept_prefect_server.prefect_home()
    env = server_env()
    since = time.monotonic()
    _waiting = ("looking for the local Prefect server", since)
    try:
        with kept_prefect_server.exclusively(home, on_wait=lambda: _waits_for(
                "waiting for the local Prefect server another command is starting", since)):
            server = kept_prefect_server.reusable(home, kept_prefect_server.fingerprint(env))
            process = None
            if server is None:
                _waits_for("starting a local Prefect server, kept for later commands", since)
                server, process = kept_prefect_server.spawn(home, env, _keep_seconds())
                _spawned_here = server, process
                try:
                    _wait_healthy(process, server.api_url, STARTUP_TIMEOUT_SECONDS)
                except BaseException:
                    TemporaryServer(server.api_url, process, since).stop()
                    kept_prefect_server.forget(home, server)
                    raise
    finally:
        _waiting = None
    _kept = server
    _point_this_process_at(server.api_url, server.auth)
    logger.info("%s the local Prefect server at %s (pid %d) in %.1f s", "Started" if process else "Using",
                server.api_url, server.pid, time.monotonic() - since)
    return server.api_url


def _waits_for(what: str, since: float) -> None:
    global _waiting
    _waiting = (what, since)


def _stop_kept_server_started_here() -> None:
    """A command interrupted (SIGTERM, Ctrl-C) takes the kept server it started with it."""
    global _spawned_here
    spawned, _spawned_here = _spawned_here, None
    if spawned is None:
        return
    server, process = spawned
    _drain_prefect_senders()
    TemporaryServer(server.api_url, process, 0.0).stop()
    kept_prefect_server.forget(kept_prefect_server.prefect_home(), server)


def _drain_prefect_senders(timeout: float = STOP_GRACE_SECONDS) -> None:
    """Send what Prefect's log and event workers still hold before their server goes: otherwise they
    retry a closed port at exit and print "--- Logging error ---" tracebacks under a command's output."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for sender in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            result = sender.drain_all(timeout=timeout)
            if inspect.isawaitable(result):  # called on an event loop (an app's shutdown): cannot wait here
                result.close()  # type: ignore[attr-defined]


def stop(quiet: bool = False) -> None:
    """Stop this process's temporary server, if it started one; later Prefect calls need `ensure_started`."""
    global _server, _pending, _kept
    with _lock:
        server, _server = _server, None
        pending, _pending = _pending, None
        kept, _kept = _kept, None
    if pending is not None:
        pending.stop()
    if kept is not None:  # left running for later commands
        _stopped_urls.add(kept.api_url)
        _point_this_process_at(None)
    if server is None:
        return
    _drain_prefect_senders()
    server.stop()
    _stopped_urls.add(server.api_url)
    _point_this_process_at(None)
    if not quiet:
        logger.info("Temporary Prefect server at %s stopped", server.api_url)


@contextlib.contextmanager
def for_this_process(start: bool = True, reuse: bool = False) -> Iterator[str | None]:
    """For commands that run flows here (`run`, `resume`, `worker`, the demo): this process's server, and
    SIGTERM ending the command cleanly.

    With `reuse` (the one-shot commands), the kept local server instead (kept_prefect_server.py); when the
    command is interrupted (SIGTERM, Ctrl-C), the kept server it started is stopped.

    With `start`, the server is started now; without, on the first flow run (embedded.run_in_process),
    so that a command refused before it runs anything does not wait for a server. It is stopped by the
    atexit hook when the interpreter exits: after a normal end, an exception, Ctrl-C, or SIGTERM, whose
    default action (ending Python without atexit hooks) is replaced, in the main thread and while the
    command runs, by raising SystemExit. It is left running when the command returns into a longer-lived
    caller (a test calling the command in-process), as Prefect's own temporary server would be."""
    global _reuse
    reused_before = _reuse
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
    _reuse = reuse
    try:
        yield ensure_started() if start else None
    except KeyboardInterrupt:
        _stop_kept_server_started_here()
        raise
    except SystemExit:
        if _terminated:
            _stop_kept_server_started_here()
        raise
    finally:
        _reuse = reused_before
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    global _terminated
    _terminated = True
    raise SystemExit(128 + signum)
