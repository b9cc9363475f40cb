"""Settings of the Node Enrollment demo application: where its external systems are.

An application's own settings, beside the orchestrator's `app_settings`, as the reference's
applications keep theirs (their `settings.py`). Every one is an environment variable.
"""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class NodeEnrollmentSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=True, env_file=".env")

    ORCHESTRATOR_NETWORK_CLIENTS: Literal["fake", "http"] = "fake"
    """External systems (ESDB, NSO): the in-process fake or the real HTTP clients."""

    ORCHESTRATOR_ESDB_URL: str = "http://127.0.0.1:8081"
    """Base URL of the ESDB node inventory API (used when ORCHESTRATOR_NETWORK_CLIENTS=http)."""

    ORCHESTRATOR_NSO_URL: str = "http://127.0.0.1:8082"
    """Base URL of NSO's RESTCONF API (used when ORCHESTRATOR_NETWORK_CLIENTS=http)."""

    ORCHESTRATOR_NETWORK_TIMEOUT_SECONDS: float = 10.0
    """Timeout of one HTTP call to ESDB or NSO; a step that times out fails and can be retried."""


settings = NodeEnrollmentSettings()
