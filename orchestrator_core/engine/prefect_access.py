"""Who can reach Prefect's API, measured rather than assumed.

Prefect's server has no authentication unless it runs with PREFECT_SERVER_API_AUTH_STRING
(`user:password`): then every call but its health check needs HTTP basic auth, which our worker
and our API send from PREFECT_API_AUTH_STRING (PREFECT-NOTES.md, "Server authentication"). Without
it anyone who reaches its port can create, retry and resume flow runs of our deployments. The probe
asks a protected endpoint twice, without credentials and with ours, and reports what came back.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

PROBE_PATH = "/flows/filter"
"""A read every Prefect API protects when its server authenticates (only health and ready are open)."""


@dataclass(frozen=True)
class PrefectDoor:
    """HTTP statuses of one probe; None where Prefect did not answer."""

    api_url: str
    anonymous: int | None
    """Without credentials: 200 means the API is open to anyone who reaches it."""
    ours: int | None
    """With this process's credentials (PREFECT_API_AUTH_STRING or PREFECT_API_KEY)."""

    @property
    def open(self) -> bool:
        return self.anonymous == 200

    @property
    def refuses_us(self) -> bool:
        return self.ours in (401, 403)


def client_headers(auth_string: str | None, api_key: str | None) -> dict[str, str]:
    """The Authorization header Prefect's own client sends with these settings."""
    if auth_string:
        return {"Authorization": "Basic " + base64.b64encode(auth_string.encode()).decode()}
    if api_key:
        return {"Authorization": f"Bearer {api_key}"}
    return {}


def _secret(setting: object) -> str | None:
    value = setting.value()  # type: ignore[attr-defined]
    if value is None:
        return None
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def configured_api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value).rstrip("/") if value else None


def probe(api_url: str, timeout: float = 5.0) -> PrefectDoor:
    """POST `PROBE_PATH` without credentials, then with this process's Prefect credentials."""
    import httpx
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_KEY

    ours = client_headers(_secret(PREFECT_API_AUTH_STRING), _secret(PREFECT_API_KEY))

    def status(headers: dict[str, str]) -> int | None:
        try:
            return httpx.post(f"{api_url}{PROBE_PATH}", json={"limit": 1}, headers=headers,
                              timeout=timeout).status_code
        except httpx.HTTPError:
            return None

    anonymous = status({})
    return PrefectDoor(api_url, anonymous, status(ours) if ours else anonymous)


PREFECT_UI = "prefect-ui"
"""Who acted through Prefect's UI or API, which know no user of their own."""


def prefect_actor(auth_string: str | None) -> str:
    """`prefect-ui`, with the user of Prefect's basic auth (the part of `user:password` before the colon)
    when one is configured: the one shared credential anyone acting in the Prefect UI had to give."""
    user = auth_string.split(":", 1)[0] if auth_string and ":" in auth_string else ""
    user = "".join(c for c in user if c.isprintable())[:64]
    return f"{PREFECT_UI} ({user})" if user else PREFECT_UI
