"""Every knob of the orchestrator, read once from environment variables.

One typed object, as in the reference system (`app_settings`), so that the README can list
every setting and tests can override them in one place.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


@lru_cache(maxsize=1)
def _git_version() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=2, check=False
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=True)

    ORCHESTRATOR_DATABASE_URL: str = "sqlite:///orchestrator.db"
    """Our system of record. Postgres as `postgresql+psycopg://user@host:5432/db`."""

    ORCHESTRATOR_EXECUTION_MODE: Literal["embedded", "served"] = "embedded"
    """embedded: flows run in the calling process. served: the API triggers Prefect deployments
    that `orchestrator worker` executes."""

    ORCHESTRATOR_WORKFLOW_MODULES: list[str] = ["flows"]
    """Modules imported at start-up so that their workflows register themselves."""

    ORCHESTRATOR_CODE_VERSION: str = ""
    """Recorded on every step row; empty means the git commit of the working directory."""

    ORCHESTRATOR_LEASE_SECONDS: int = 30
    """A running process whose executor has not renewed its lease for this long is marked crashed."""

    ORCHESTRATOR_WORKER_THREADS: int = 4
    """Flow runs an `orchestrator worker` executes at once."""

    ORCHESTRATOR_WORKER_POLL_SECONDS: float = 0.2
    """How often `orchestrator worker` asks Prefect for due flow runs of our deployments."""

    ORCHESTRATOR_WORK_POOL: str = "orchestrator"
    """The Prefect work pool of prefect.yaml's deployments (for Prefect's own process worker)."""

    ORCHESTRATOR_VALIDATE_CRON: str = "0 2 * * *"
    """When the scheduled SYSTEM tasks (ORCHESTRATOR_SCHEDULED_TASKS) run, as cron."""

    ORCHESTRATOR_SCHEDULED_TASKS: list[str] = ["task_validate_subscriptions"]
    """SYSTEM workflows whose deployment gets the ORCHESTRATOR_VALIDATE_CRON schedule."""

    ORCHESTRATOR_PREFECT_UI_URL: str = ""
    """Base URL of the Prefect UI for links; empty means derived from PREFECT_API_URL."""

    ORCHESTRATOR_AUTH_DISABLED: bool = True
    """When false, every write through the API needs a bearer token."""

    ORCHESTRATOR_JWT_SECRET: str = ""
    """HS256 secret for bearer tokens."""

    ORCHESTRATOR_OIDC_JWKS_URL: str = ""
    """When set, bearer tokens are verified (RS256/ES256) against this OIDC issuer's key set instead of
    the HS256 secret."""

    ORCHESTRATOR_OIDC_ISSUER: str = ""
    """Expected `iss` claim of bearer tokens; empty means not checked."""

    ORCHESTRATOR_OIDC_AUDIENCE: str = ""
    """Expected `aud` claim of bearer tokens; empty means not checked."""

    ORCHESTRATOR_API_PAGE_SIZE_MAX: int = 500
    """Largest page a list endpoint of the API returns, so one request cannot read a whole table."""

    ORCHESTRATOR_SSE_POLL_SECONDS: float = 0.25
    """How often the process event stream (`/api/processes/{id}/events`) polls our database."""

    ORCHESTRATOR_NETWORK_CLIENTS: Literal["fake", "http"] = "fake"
    """External systems (ESDB, NSO): the in-process fake or the real HTTP clients."""

    ORCHESTRATOR_ESDB_URL: str = "http://127.0.0.1:8081"
    """Base URL of the ESDB node inventory API (used when ORCHESTRATOR_NETWORK_CLIENTS=http)."""

    ORCHESTRATOR_NSO_URL: str = "http://127.0.0.1:8082"
    """Base URL of NSO's RESTCONF API (used when ORCHESTRATOR_NETWORK_CLIENTS=http)."""

    ORCHESTRATOR_NETWORK_TIMEOUT_SECONDS: float = 10.0
    """Timeout of one HTTP call to ESDB or NSO; a step that times out fails and can be retried."""

    ORCHESTRATOR_VALIDATE_CONCURRENCY: int = 8
    """Batches of validations `task_validate_subscriptions` runs at once (threads; each needs a DB connection)."""

    ORCHESTRATOR_VALIDATE_BATCH_SIZE: int = 100
    """Validations the sweep advances together, one transaction (one commit) per step for the batch."""

    ORCHESTRATOR_VALIDATE_PROCESSES: int = -1
    """Worker processes (forks) of the sweep, a batch at a time each; -1: one per core on Postgres, 0 on
    SQLite; 0: threads in the sweep's own process (ORCHESTRATOR_VALIDATE_CONCURRENCY)."""

    DEFAULT_PRODUCT_WORKFLOWS: list[str] = ["modify_note"]
    """Workflows linked to every product by `helpers.create()` and `ensure_default_workflows()`."""

    @property
    def code_version(self) -> str:
        return self.ORCHESTRATOR_CODE_VERSION or _git_version()


app_settings = AppSettings()
