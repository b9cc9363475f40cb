"""Every knob of the orchestrator, read once from environment variables.

One typed object, as in the reference system (`app_settings`), so that the README can list
every setting and tests can override them in one place. Its fields are grouped by area (one
class each, as Prefect's settings models are) but keep their flat names, which are the
environment variables' names; each is typed, bounded where a value can be wrong, and described
(its docstring is its description). A bad value stops the process at start with one line per
variable (`InvalidSettingsError`).
"""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


@lru_cache(maxsize=1)
def _git_version() -> str:
    """The commit of the checkout this package runs from (wherever the process was started), else the
    installed package's version (a wheel has no git), else "unknown"."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=2,
                             check=False, cwd=Path(__file__).resolve().parent)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except OSError:
        pass
    try:
        return f"v{version('orchestrator-core-prefect')}"
    except PackageNotFoundError:
        return "unknown"


class InvalidSettingsError(ValueError):
    """The environment (or .env) holds a value a setting refuses; the message names each variable."""


class _Area(BaseSettings):
    """A group of settings; its fields' docstrings are their descriptions."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=True, use_attribute_docstrings=True)


class DatabaseSettings(_Area):
    """Where our system of record lives."""

    ORCHESTRATOR_DATABASE_URL: str = Field(
        default="sqlite:///orchestrator.db",
        validation_alias=AliasChoices("ORCHESTRATOR_DATABASE_URL", "DATABASE_URI"),
    )
    """Our system of record. Postgres as `postgresql+psycopg://user@host:5432/db`. The reference's
    `DATABASE_URI` is read when this one is not set; the `DATABASE_URI` property reflects this value."""

    @field_validator("ORCHESTRATOR_DATABASE_URL", mode="before")
    @classmethod
    def _plain_url(cls, value: Any) -> Any:
        """The reference's DATABASE_URI is a secret DSN; code that passes one gets its text used."""
        return value.get_secret_value() if isinstance(value, SecretStr) else value


class ExecutionSettings(_Area):
    """How processes run: the mode, the workflows this process has code for, leases and start-up."""

    ORCHESTRATOR_EXECUTION_MODE: Literal["embedded", "served"] = "embedded"
    """embedded: flows run in the calling process. served: the API triggers Prefect deployments
    that `orchestrator worker` executes."""

    ORCHESTRATOR_WORKFLOW_MODULES: list[str] = []
    """Modules imported at start-up so that their workflows register themselves, for entry points that
    do not import them first (the `orchestrator` command, Prefect's flow entry points). An application's
    own main.py or wsgi.py that imports its workflows needs none; our demo sets `["flows"]`."""

    ORCHESTRATOR_CODE_VERSION: str = ""
    """Recorded on every step row; empty means the git commit of the working directory."""

    ORCHESTRATOR_LEASE_SECONDS: int = Field(default=30, ge=1, le=86_400)
    """A running process whose executor has not renewed its lease for this long is marked crashed. At
    least 1 s (tests use that); an executor renews every third of it, so production wants 30 s or more."""

    ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS: float = Field(default=900, ge=0)
    """Embedded mode without PREFECT_API_URL: the local Prefect server that a one-shot command (`run`,
    `resume`, `validate-subscriptions`, the demo) starts is kept for later commands until it has been
    unused this long (engine/kept_prefect_server.py). 0: each command starts its own and stops it."""

    ORCHESTRATOR_STARTUP_WAIT_SECONDS: float = Field(default=0, ge=0)
    """`orchestrator worker` and `orchestrator serve` check at start that the database is at the newest
    schema. 0: refuse at once with one line saying to run `orchestrator db upgrade`; more: wait up to
    this many seconds for it (a container started before its migration job ended)."""


class WorkerSettings(_Area):
    """`orchestrator worker` and the deployments it serves."""

    ORCHESTRATOR_WORKER_THREADS: int = Field(default=4, ge=1, le=256)
    """Flow runs an `orchestrator worker` executes at once."""

    ORCHESTRATOR_WORKER_POLL_SECONDS: float = Field(default=0.2, gt=0, le=60)
    """How often `orchestrator worker` asks Prefect for due flow runs of our deployments."""

    ORCHESTRATOR_WORK_POOL: str = "orchestrator"
    """The Prefect work pool of prefect.yaml's deployments (for Prefect's own process worker)."""

    ORCHESTRATOR_VALIDATE_CRON: str = "0 2 * * *"
    """When the scheduled SYSTEM tasks (ORCHESTRATOR_SCHEDULED_TASKS) run, as cron."""

    ORCHESTRATOR_SCHEDULED_TASKS: list[str] = ["task_validate_subscriptions"]
    """SYSTEM workflows whose deployment gets the ORCHESTRATOR_VALIDATE_CRON schedule."""


class PrefectSettings(_Area):
    """What Prefect's UI and API may do to our processes, and links to the UI."""

    ORCHESTRATOR_PREFECT_UI_URL: str = ""
    """Base URL of the Prefect UI for links; empty means derived from PREFECT_API_URL."""

    ORCHESTRATOR_PREFECT_UI_ACTIONS: Literal["auto", "allow", "deny"] = "auto"
    """What an operator may do to our processes from the Prefect UI or through Prefect's API (a Run, a
    Retry, submitting a paused run's form). allow: each is put to the workflow's authorization callbacks
    for an anonymous caller (Prefect has no user identity) and recorded as done by `prefect-ui`. deny:
    each is refused and nothing is written; an operator acts through our API or CLI instead. auto (the
    default): deny while our authentication is on, allow while it is off. Runs of the schedules we install
    (ORCHESTRATOR_SCHEDULED_TASKS) are not Prefect-side actions and always run."""

    ORCHESTRATOR_ALLOW_OPEN_PREFECT_API: bool = False
    """`orchestrator worker` and `orchestrator serve` in served mode refuse to start while our
    authentication is on and Prefect's API answers without credentials (its server has no
    PREFECT_SERVER_API_AUTH_STRING): anyone who reaches Prefect could otherwise act on our processes.
    true: start anyway, as an operator's explicit choice (e.g. Prefect reachable only by trusted hosts)."""


class ApiSettings(_Area):
    """The HTTP API: who may connect, what it reads, and authentication."""

    ORCHESTRATOR_AUTH_DISABLED: bool = True
    """When false, every API route but /api/health (and the web page's own files and the OpenAPI
    document) needs a bearer token, reads included. When true, the API answers only connections that
    arrive on a loopback address, unless ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH says otherwise."""

    ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH: bool = False
    """The explicit override of the rule above: with auth off, serve connections on any address too
    (`orchestrator serve --host 0.0.0.0` refuses to start without it). Anyone who reaches the port can
    then start, retry and abort workflows."""

    ORCHESTRATOR_ALLOWED_HOSTS: Annotated[list[str], NoDecode] = []
    """Host names the API answers besides localhost, 127.0.0.1 and [::1] (and the IP address a request
    arrived on): the names clients and a proxy use, e.g. `["orchestrator.example.net"]`; `*.example.net`
    matches subdomains, `*` any name. Other Host headers are refused, so DNS rebinding reaches nothing.
    A JSON list or comma-separated."""

    ORCHESTRATOR_CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(
        default=[], validation_alias=AliasChoices("ORCHESTRATOR_CORS_ORIGINS", "CORS_ORIGINS")
    )
    """Web origins besides the API's own that may call it from a browser (CORS, and writes' Origin check):
    the reference's orchestrator-ui, e.g. `["https://orchestrator-ui.example.net"]`. The reference's
    `CORS_ORIGINS` is read when this is unset. `*` allows any origin only while auth is on (a token is
    then what protects writes); with auth off, writes still come only from the listed origins and the
    API's own. A JSON list or comma-separated."""

    ORCHESTRATOR_MAX_BODY_BYTES: int = Field(default=1_048_576, ge=1024)
    """Largest request body the API reads; a larger one is refused with 413 before any handler runs."""

    ORCHESTRATOR_FORM_MAX_STRING_LENGTH: int = Field(default=10_000, ge=1)
    """Longest string anywhere in submitted form input (and longest key); longer is refused with 422
    naming the field, before anything is written. Fields that end up in a column with its own length
    (a subscription's `customer_id`, 255) are held to that column's length."""

    OAUTH2_ACTIVE: bool | None = None
    """The reference's switch for authentication: when set and ORCHESTRATOR_AUTH_DISABLED is not, the
    API's authentication follows it (true: tokens required), so an application's environment that asks
    for authentication never gets an open API."""

    ORCHESTRATOR_JWT_SECRET: str = ""
    """HS256 secret for bearer tokens."""

    ORCHESTRATOR_OIDC_JWKS_URL: str = ""
    """When set, bearer tokens are verified (RS256/ES256) against this OIDC issuer's key set instead of
    the HS256 secret."""

    ORCHESTRATOR_OIDC_ISSUER: str = ""
    """Expected `iss` claim of bearer tokens; empty means not checked."""

    ORCHESTRATOR_OIDC_AUDIENCE: str = ""
    """Expected `aud` claim of bearer tokens; empty means not checked."""

    ORCHESTRATOR_API_PAGE_SIZE_MAX: int = Field(default=500, ge=1)
    """Largest page a list endpoint of the API returns, so one request cannot read a whole table."""

    @field_validator("ORCHESTRATOR_ALLOWED_HOSTS", "ORCHESTRATOR_CORS_ORIGINS", mode="before")
    @classmethod
    def _name_list(cls, value: Any) -> Any:
        """A JSON list, or names separated by commas (as the reference's CORS_ORIGINS is written)."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]


class EventSettings(_Area):
    """The process event stream (server-sent events)."""

    ORCHESTRATOR_SSE_POLL_SECONDS: float = Field(default=0.25, gt=0, le=60)
    """How often the process event stream (`/api/processes/{id}/events`) polls our database."""

    ORCHESTRATOR_SSE_MAX_STREAMS: int = Field(default=100, ge=1)
    """Event streams open at once in one API process; one more is refused with 429."""

    ORCHESTRATOR_SSE_MAX_STREAMS_PER_CLIENT: int = Field(default=5, ge=1)
    """Event streams open at once per client (the token's subject, else the client's address)."""

    ORCHESTRATOR_SSE_MAX_SECONDS: float = Field(default=900.0, gt=0)
    """Longest life of one event stream; it then ends with an `expired` event and the client reconnects."""


class LoggingSettings(_Area):
    """Log records: their format and level."""

    ORCHESTRATOR_LOG_FORMAT: Literal["console", "json"] = "console"
    """How log records are written (to stderr): `console` for people, `json` one object a line for collectors."""

    ORCHESTRATOR_LOG_LEVEL: str = Field(
        default="INFO", validation_alias=AliasChoices("ORCHESTRATOR_LOG_LEVEL", "LOG_LEVEL")
    )
    """Level of the root logger (DEBUG, INFO, WARNING, ...); the reference's `LOG_LEVEL` is read when this
    is unset. Form input is not logged at any level."""

    @field_validator("ORCHESTRATOR_LOG_LEVEL")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET"):
            raise ValueError(f"unknown log level {value!r}; one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


class ValidateSettings(_Area):
    """The validation sweep (`task_validate_subscriptions`)."""

    ORCHESTRATOR_VALIDATE_CONCURRENCY: int = Field(default=8, ge=1, le=256)
    """Batches of validations `task_validate_subscriptions` runs at once (threads; each needs a DB connection)."""

    ORCHESTRATOR_VALIDATE_BATCH_SIZE: int = Field(default=100, ge=1)
    """Validations the sweep advances together, one transaction (one commit) per step for the batch."""

    ORCHESTRATOR_VALIDATE_PROCESSES: int | None = Field(default=None, ge=0)
    """Worker processes (forks) of the sweep, a batch at a time each; unset: one per core on Postgres,
    none on SQLite; 0: threads in the sweep's own process (ORCHESTRATOR_VALIDATE_CONCURRENCY). `-1`, the
    old spelling of unset, is still read as unset (deprecated)."""

    @field_validator("ORCHESTRATOR_VALIDATE_PROCESSES", mode="before")
    @classmethod
    def _processes_unset(cls, value: Any) -> Any:
        """Unset (empty, `auto`) or the deprecated sentinel -1: one per core on Postgres, none on SQLite."""
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "auto", "-1")) or value == -1:
            return None
        return value


class ReferenceSettings(_Area):
    """Settings of the reference system that applications read."""

    DEFAULT_PRODUCT_WORKFLOWS: list[str] = ["modify_note"]
    """Workflows linked to every product by `helpers.create()` and `ensure_default_workflows()`."""

    TESTING: bool = True
    """As in the reference (and with its default): for applications' code that behaves differently
    under test; the orchestrator itself does not read it."""

    ENVIRONMENT: str = "local"
    """As in the reference: the deployment's name (local, acc, prod), for applications' code (their
    error reporting, their logs); the orchestrator itself does not read it."""

    SERVICE_NAME: str = "orchestrator-core"
    """As in the reference: this service's name, for applications' logs and tracing; the orchestrator
    itself does not read it."""


class AppSettings(DatabaseSettings, ExecutionSettings, WorkerSettings, PrefectSettings, ApiSettings, EventSettings,
                  LoggingSettings, ValidateSettings, ReferenceSettings):
    """Every setting, by area; read as `app_settings.ORCHESTRATOR_...` (the environment variable's name)."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=True, env_file=".env",
                                      use_attribute_docstrings=True)
    """An application directory's `.env` (as `orchestrator db init` writes it) is read too; the environment wins."""

    @model_validator(mode="after")
    def _auth_from_reference_switch(self) -> AppSettings:
        if self.OAUTH2_ACTIVE is not None and "ORCHESTRATOR_AUTH_DISABLED" not in self.model_fields_set:
            self.ORCHESTRATOR_AUTH_DISABLED = not self.OAUTH2_ACTIVE
        return self

    @property
    def DATABASE_URI(self) -> SecretStr:  # noqa: N802  (the reference's name)
        """The reference's name of the database URL, as the reference types it (a secret); one value
        with ORCHESTRATOR_DATABASE_URL, which it reads and writes."""
        return SecretStr(self.ORCHESTRATOR_DATABASE_URL)

    @DATABASE_URI.setter
    def DATABASE_URI(self, value: str | SecretStr) -> None:  # noqa: N802
        self.ORCHESTRATOR_DATABASE_URL = self._plain_url(value)

    @property
    def code_version(self) -> str:
        return self.ORCHESTRATOR_CODE_VERSION or _git_version()


def _variable(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"]) or "settings"


def load_settings() -> AppSettings:
    """The settings from the environment; a refused value raises `InvalidSettingsError`, one line per
    variable with the value given and what it must be."""
    try:
        return AppSettings()
    except ValidationError as exc:
        lines = [f"{_variable(e)}={e.get('input')!r}: {e['msg']}" for e in exc.errors()]
        raise InvalidSettingsError("Invalid setting in the environment: " + "; ".join(lines)) from None


app_settings = load_settings()
