"""Settings refuse values that cannot work, naming the variable; every setting is described.
No database or Prefect: each case builds the settings from an environment of its own."""

from __future__ import annotations

import pytest

from orchestrator_core.settings import AppSettings, InvalidSettingsError, load_settings


@pytest.fixture()
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    return monkeypatch


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("ORCHESTRATOR_LEASE_SECONDS", "0", "greater than or equal to 1"),
    ("ORCHESTRATOR_LEASE_SECONDS", "-30", "greater than or equal to 1"),
    ("ORCHESTRATOR_WORKER_THREADS", "0", "greater than or equal to 1"),
    ("ORCHESTRATOR_WORKER_POLL_SECONDS", "0", "greater than 0"),
    ("ORCHESTRATOR_VALIDATE_BATCH_SIZE", "0", "greater than or equal to 1"),
    ("ORCHESTRATOR_VALIDATE_PROCESSES", "-2", "greater than or equal to 0"),
    ("ORCHESTRATOR_EXECUTION_MODE", "cluster", "'embedded' or 'served'"),
    ("ORCHESTRATOR_LEASE_SECONDS", "soon", "valid integer"),
])
def test_a_bad_value_is_refused_naming_the_variable(env, variable, value, says):
    env.setenv(variable, value)
    with pytest.raises(InvalidSettingsError) as refused:
        load_settings()
    assert f"{variable}={value!r}" in str(refused.value) and says in str(refused.value)


def test_lease_accepts_its_lower_bound(env):
    env.setenv("ORCHESTRATOR_LEASE_SECONDS", "1")
    assert load_settings().ORCHESTRATOR_LEASE_SECONDS == 1


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("auto", None), ("-1", None), ("0", 0),
                                                 ("3", 3)])
def test_validate_processes_unset_means_one_per_core(env, value, expected):
    """-1, the README's old spelling of "unset", is still read as unset."""
    if value is None:
        env.delenv("ORCHESTRATOR_VALIDATE_PROCESSES", raising=False)
    else:
        env.setenv("ORCHESTRATOR_VALIDATE_PROCESSES", value)
    assert load_settings().ORCHESTRATOR_VALIDATE_PROCESSES == expected


def test_every_setting_has_a_description():
    assert [name for name, field in AppSettings.model_fields.items() if not field.description] == []
