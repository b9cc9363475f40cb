"""Failures of the external systems, typed so a step's error says which system and why."""

from __future__ import annotations


class NetworkClientError(RuntimeError):
    """An external system refused or could not be reached; the step fails and can be retried."""

    system = "network"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.system}: {message}")


class EsdbError(NetworkClientError):
    system = "ESDB"


class NsoError(NetworkClientError):
    system = "NSO"


class NsoUnavailableError(NsoError):
    """NSO did not answer (down, timeout) or answered 5xx: retrying is safe, as every change carries
    the step's idempotency key (a timed-out change NSO did apply is recognised, not applied twice)."""
