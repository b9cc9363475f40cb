"""The reference system's settings names, read as an application written for it sets them: DATABASE_URI,
OAUTH2_ACTIVE and the defaults such an application reads (moved from tests/conformance: pure settings)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from orchestrator_core.settings import AppSettings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("ORCHESTRATOR_DATABASE_URL", "DATABASE_URI", "ORCHESTRATOR_AUTH_DISABLED", "OAUTH2_ACTIVE",
                 "ORCHESTRATOR_WORKFLOW_MODULES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_database_uri_is_read_when_our_database_url_is_not_set(clean_env):
    clean_env.setenv("DATABASE_URI", "postgresql+psycopg://nwa:nwa@db.example/orchestrator-core")

    settings = AppSettings()

    assert settings.ORCHESTRATOR_DATABASE_URL == "postgresql+psycopg://nwa:nwa@db.example/orchestrator-core"
    assert isinstance(settings.DATABASE_URI, SecretStr)
    assert settings.DATABASE_URI.get_secret_value() == settings.ORCHESTRATOR_DATABASE_URL
    assert "nwa:nwa" not in repr(settings.DATABASE_URI)


def test_our_database_url_wins_over_database_uri(clean_env):
    clean_env.setenv("DATABASE_URI", "postgresql+psycopg://theirs@h/db")
    clean_env.setenv("ORCHESTRATOR_DATABASE_URL", "postgresql+psycopg://ours@h/db")

    settings = AppSettings()

    assert settings.DATABASE_URI.get_secret_value() == settings.ORCHESTRATOR_DATABASE_URL == (
        "postgresql+psycopg://ours@h/db")


def test_database_uri_can_be_given_and_set_as_the_reference_does(clean_env):
    settings = AppSettings(DATABASE_URI=SecretStr("sqlite:///given.db"))
    assert settings.ORCHESTRATOR_DATABASE_URL == "sqlite:///given.db"

    settings.DATABASE_URI = SecretStr("sqlite:///set.db")  # type: ignore[misc]
    assert settings.ORCHESTRATOR_DATABASE_URL == "sqlite:///set.db"
    assert AppSettings().DATABASE_URI.get_secret_value() == "sqlite:///orchestrator.db"


def test_oauth2_active_turns_authentication_on_unless_ours_is_set(clean_env):
    assert AppSettings().ORCHESTRATOR_AUTH_DISABLED is True
    clean_env.setenv("OAUTH2_ACTIVE", "True")
    assert AppSettings().ORCHESTRATOR_AUTH_DISABLED is False
    clean_env.setenv("ORCHESTRATOR_AUTH_DISABLED", "true")
    assert AppSettings().ORCHESTRATOR_AUTH_DISABLED is True


def test_reference_settings_applications_read_have_the_reference_defaults(clean_env):
    for name in ("TESTING", "ENVIRONMENT", "SERVICE_NAME"):
        clean_env.delenv(name, raising=False)
    settings = AppSettings()
    assert (settings.TESTING, settings.ENVIRONMENT, settings.SERVICE_NAME) == (True, "local", "orchestrator-core")
    assert settings.DEFAULT_PRODUCT_WORKFLOWS == ["modify_note"]
    assert settings.ORCHESTRATOR_WORKFLOW_MODULES == [], "the library imports no application module by default"
