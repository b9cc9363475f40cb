"""The API served for real (uvicorn in a thread, the session's Postgres, embedded Prefect), as in
tests/api, with what the security tests need besides: authentication on with the HS256 secret or a
real OIDC key set served over HTTP, and counts of what the database holds, to show that a refused
request wrote nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from orchestrator_core.api.app import create_app
from orchestrator_core.db import InputStateTable, ProcessStepTable, ProcessTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.settings import app_settings
from tests.http_server import serving

JWT_SECRET = "test-secret-for-the-security-suite-" + "s" * 32
"""Long enough for HS512 too (a forgery in the matrix), so PyJWT warns about nothing."""


@pytest.fixture(scope="session")
def api_url(orchestrator_database: str) -> Iterator[str]:
    with serving(create_app(import_workflows=False)) as url:
        yield url


@pytest.fixture
def client(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as c:
        yield c


@pytest.fixture
def auth_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Authentication on, tokens verified with the HS256 secret of `hs256_token`."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_OIDC_JWKS_URL", "")


def claims(user: str = "alice", ttl: int = 300, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": f"id-{user}", "preferred_username": user, "iat": now, "exp": now + ttl, **extra}


def hs256_token(user: str = "alice", **extra: Any) -> str:
    return jwt.encode(claims(user, **extra), JWT_SECRET, algorithm="HS256")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Issuer:
    """An OIDC issuer's signing keys (RSA `rsa-1`, EC P-256 `ec-1`) and its key set's URL."""

    url: str
    rsa_key: rsa.RSAPrivateKey
    ec_key: ec.EllipticCurvePrivateKey

    def token(self, kid: str = "rsa-1", algorithm: str = "RS256", payload: dict[str, Any] | None = None,
              key: Any = None, headers: dict[str, Any] | None = None) -> str:
        signing_key = key if key is not None else (self.ec_key if kid.startswith("ec") else self.rsa_key)
        return jwt.encode(payload if payload is not None else claims(), signing_key, algorithm=algorithm,
                          headers={"kid": kid, **(headers or {})})


def _jwk(public_key: Any, kid: str, alg: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.RSAAlgorithm if alg.startswith("RS") else jwt.algorithms.ECAlgorithm
    return {**json.loads(algorithm.to_jwk(public_key)), "kid": kid, "use": "sig", "alg": alg}


@pytest.fixture(scope="session")
def issuer() -> Iterator[Issuer]:
    """A key set served over real HTTP, as an OIDC provider's jwks_uri is."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    keys = {"keys": [_jwk(rsa_key.public_key(), "rsa-1", "RS256"), _jwk(ec_key.public_key(), "ec-1", "ES256")]}
    app = FastAPI()
    app.add_api_route("/jwks", lambda: JSONResponse(keys))
    with serving(app) as url:
        yield Issuer(f"{url}/jwks", rsa_key, ec_key)


@pytest.fixture
def oidc_on(monkeypatch: pytest.MonkeyPatch, issuer: Issuer) -> Issuer:
    """Authentication on, tokens verified against the issuer's key set."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", "")
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_OIDC_JWKS_URL", issuer.url)
    return issuer


def row_counts() -> dict[str, int]:
    """Rows of every table a start, a resume or a workflow's steps write."""
    with transaction() as session:
        return {
            table.__tablename__: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (ProcessTable, ProcessStepTable, InputStateTable, SubscriptionTable)
        }


@pytest.fixture
def nothing_written() -> Iterator[None]:
    """The test's refused requests leave every table as it was."""
    before = row_counts()
    yield
    assert row_counts() == before
