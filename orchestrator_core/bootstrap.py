"""The composition root: the one place that wires the service layer into the engine.

The engine knows nothing of services (imports point down: entry points -> services -> engine), yet
a run started or retried from Prefect must reach them: the start path for a Run from Prefect, the
retry decision for Prefect's Retry, the validate-and-commit of a resume form submitted in Prefect,
and the crash rule that gives up a crashed process's subscription locks. Importing a module wires
nothing; every entry point calls `bootstrap()` once (a second call does nothing): the API app
(`OrchestratorCore`), the `orchestrator` command (which the worker is), the module Prefect loads a
deployment's flow from (`orchestrator_core.entrypoints`) and `orchestrator_core.testing`.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_wired = False


def bootstrap() -> None:
    """Wire the services into the engine, once per OS process."""
    global _wired
    with _lock:
        if _wired:
            return
        from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

        apply_environment_defaults()  # before the imports below bring Prefect in: it reads its settings once
        from orchestrator_core.engine import lease, prefect_flows, prefect_suspend
        from orchestrator_core.services import prefect_actions, subscriptions

        prefect_flows.set_process_factory(prefect_actions.create_process_for_flow_run)
        prefect_flows.set_retry_authorizer(prefect_actions.retry_from_flow_run)
        prefect_suspend.set_input_committer(prefect_actions.accept_input_from_flow_run)
        if subscriptions.release_crashed not in lease.CRASH_HOOKS:
            lease.CRASH_HOOKS.append(subscriptions.release_crashed)
        _wired = True


def bootstrapped() -> bool:
    """Whether this process has wired its services (for entry points that report it)."""
    return _wired
