"""Who is calling: bearer JWTs (HS256 secret, or an OIDC issuer's key set), required for writes.

Reads stay open so that the web page and monitoring need no token. Every write depends on
`writer`, which refuses a missing or bad token with 401 unless auth is disabled for local use;
a token that is present is always verified, so a bad one is never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jwt
from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orchestrator_core.api.errors import UnauthenticatedError
from orchestrator_core.settings import app_settings

ANONYMOUS = "SYSTEM"
"""The name recorded as created_by when auth is disabled and no token was sent (as the reference does)."""

bearer_scheme = HTTPBearer(auto_error=False, description="A JWT from the configured issuer (or HS256 secret)")


@dataclass(frozen=True)
class AuthUser:
    """The token's claims, with the attribute names authorization callbacks of the reference use."""

    sub: str
    name: str
    user_name: str
    email: str | None = None
    roles: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> AuthUser:
        user_name = str(claims.get("preferred_username") or claims.get("user_name") or claims.get("sub") or "")
        roles = claims.get("roles") or claims.get("groups") or ()
        return cls(
            sub=str(claims.get("sub", "")),
            name=str(claims.get("name") or user_name),
            user_name=user_name,
            email=claims.get("email"),
            roles=tuple(str(r) for r in roles),
            claims=claims,
        )


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True)


def _options() -> dict[str, Any]:
    kwargs: dict[str, Any] = {"options": {"require": ["exp", "sub"]}}
    if app_settings.ORCHESTRATOR_OIDC_AUDIENCE:
        kwargs["audience"] = app_settings.ORCHESTRATOR_OIDC_AUDIENCE
    else:
        kwargs["options"]["verify_aud"] = False
    if app_settings.ORCHESTRATOR_OIDC_ISSUER:
        kwargs["issuer"] = app_settings.ORCHESTRATOR_OIDC_ISSUER
    return kwargs


def verify_token(token: str) -> AuthUser:
    """Decode and check signature, expiry and (if configured) issuer and audience."""
    try:
        if app_settings.ORCHESTRATOR_OIDC_JWKS_URL:
            key = _jwks_client(app_settings.ORCHESTRATOR_OIDC_JWKS_URL).get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=["RS256", "ES256", "PS256"], **_options())
        elif app_settings.ORCHESTRATOR_JWT_SECRET:
            claims = jwt.decode(token, app_settings.ORCHESTRATOR_JWT_SECRET, algorithms=["HS256"], **_options())
        else:
            raise UnauthenticatedError(
                "Bearer tokens cannot be verified: set ORCHESTRATOR_JWT_SECRET or ORCHESTRATOR_OIDC_JWKS_URL",
                reason="no_verifier",
            )
    except jwt.PyJWKClientError as exc:
        raise UnauthenticatedError(f"The issuer's keys could not be fetched: {exc}", reason="jwks") from exc
    except jwt.InvalidTokenError as exc:
        raise UnauthenticatedError(f"The bearer token is not valid: {exc}", reason="invalid_token") from exc
    return AuthUser.from_claims(claims)


def current_user(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
) -> AuthUser | None:
    """The verified caller, or None when no token was sent."""
    if credentials is None:
        return None
    return verify_token(credentials.credentials)


def writer(user: AuthUser | None = Depends(current_user)) -> AuthUser | None:
    """Every write depends on this: a verified caller, unless auth is disabled for local use."""
    if user is None and not app_settings.ORCHESTRATOR_AUTH_DISABLED:
        raise UnauthenticatedError("This request changes data and needs a bearer token", reason="missing_token")
    return user


def user_name(user: AuthUser | None) -> str:
    """What a process records as created_by."""
    return (user.user_name or user.name or user.sub) if user else ANONYMOUS
