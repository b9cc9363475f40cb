"""Log configuration as pure functions: URL passwords, bearer tokens and basic credentials are masked in
every line; the format and level are settings; loggers' levels come from the environment. (What the
API and CLI actually log is checked in tests/security/test_api_logging.py.)"""

from __future__ import annotations

import pytest

from orchestrator_core.log_config import LOGGER_OVERRIDES, logger_config
from orchestrator_core.logging_setup import redact_text, redact_url
from orchestrator_core.settings import app_settings


@pytest.mark.parametrize(("text", "shown"), [
    ("postgresql+psycopg://app:s3cr%40t@db:5432/orch", "postgresql+psycopg://app:***@db:5432/orch"),
    ("postgresql+psycopg://root@127.0.0.1/orch", "postgresql+psycopg://root@127.0.0.1/orch"),
    ("connect to redis://:pw@cache:6379/0 failed", "connect to redis://:***@cache:6379/0 failed"),
    ("http://host:8080/path@x", "http://host:8080/path@x"),
])
def test_urls_are_printed_without_their_password(text, shown):
    assert redact_url(text) == shown


@pytest.mark.parametrize(("text", "shown"), [
    ("> Authorization: Basic dXNlcjpwYXNz", "> Authorization: Basic ***"),
    ("headers={'authorization': 'Bearer abc.def.ghi'}", "headers={'authorization': 'Bearer ***'}"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln refused", "token *** refused"),
    ("Bearer 0123456789abcdefXYZ", "Bearer ***"),
    ("the basic settings; a bearer token (if required)", "the basic settings; a bearer token (if required)"),
])
def test_credentials_are_masked(text, shown):
    assert redact_text(text) == shown


def test_the_log_format_is_a_setting():
    assert app_settings.ORCHESTRATOR_LOG_FORMAT in ("console", "json")
    with pytest.raises(ValueError, match="log level"):
        type(app_settings)(ORCHESTRATOR_LOG_LEVEL="LOUD")


def test_logger_overrides_are_a_dict_config_of_loggers_with_levels_from_the_environment(monkeypatch):
    assert LOGGER_OVERRIDES["sqlalchemy.engine"] == {"level": "WARNING", "propagate": True}
    assert all(set(config) == {"level", "propagate"} for config in LOGGER_OVERRIDES.values())
    monkeypatch.setenv("LOG_LEVEL_SQLALCHEMY_ENGINE", "debug")
    assert logger_config("sqlalchemy.engine", "WARNING") == ("sqlalchemy.engine", {"level": "DEBUG", "propagate": True})
