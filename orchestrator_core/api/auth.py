"""Who is calling: bearer JWTs, verified with the HS256 secret or an OIDC issuer's key set.

With auth on (ORCHESTRATOR_AUTH_DISABLED=false) every route but health needs a valid token, reads
included, as in the reference: `reader` guards every router (app.py) and `writer` every write. A token
that is present is always verified, also with auth off, so a bad one is never silently ignored.

Whatever is wrong with a token, the answer is 401 with a reason code, never a 500: its header, its key
(of the type its algorithm needs), its signature and registered claims, then its claims as a pydantic
model (`TokenClaims`: `sub` a string, `roles` a list of strings, ...) are checked in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

import jwt
from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from orchestrator_core.api.errors import ApiError, UnauthenticatedError
from orchestrator_core.settings import app_settings

ANONYMOUS = "SYSTEM"
"""The name recorded as created_by when auth is disabled and no token was sent (as the reference does)."""

bearer_scheme = HTTPBearer(auto_error=False, description="A JWT from the configured issuer (or HS256 secret)")

Name = Annotated[str, Field(min_length=1, max_length=255)]


class TokenClaims(BaseModel):
    """The claims we read from a verified token; anything else it carries is kept as is."""

    model_config = ConfigDict(extra="allow", frozen=True)

    sub: Name
    preferred_username: Name | None = None
    user_name: Name | None = None
    name: Annotated[str, Field(max_length=255)] | None = None
    email: Annotated[str, Field(max_length=320)] | None = None
    roles: Annotated[list[Name], Field(max_length=500)] | None = None
    groups: Annotated[list[Name], Field(max_length=500)] | None = None


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
        """From a verified token's claims; raises UnauthenticatedError (`invalid_claims`) naming each
        claim of the wrong type or size."""
        checked = validated_claims(claims)
        user_name = checked.preferred_username or checked.user_name or checked.sub
        roles = checked.roles if checked.roles is not None else checked.groups or []
        return cls(
            sub=checked.sub,
            name=checked.name or user_name,
            user_name=user_name,
            email=checked.email,
            roles=tuple(roles),
            claims=claims,
        )


def validated_claims(claims: dict[str, Any]) -> TokenClaims:
    try:
        return TokenClaims.model_validate(claims)
    except ValidationError as exc:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]) or "(claims)", "message": e["msg"], "type": e["type"]}
            for e in exc.errors(include_input=False, include_url=False)
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        raise UnauthenticatedError(
            f"The bearer token's claims are not valid: {summary}", reason="invalid_claims", fields=fields
        ) from None


KEY_TYPE_ALGORITHMS = {
    "RSA": ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
    "EC": ["ES256", "ES384", "ES512"],
    "OKP": ["EdDSA"],
}
"""The algorithms a key of the issuer's key set may verify: never HS256 (a public key is no secret)."""

_REASONS: list[tuple[type[Exception], str, str]] = [
    (jwt.ExpiredSignatureError, "token_expired", "The bearer token has expired"),
    (jwt.ImmatureSignatureError, "token_not_yet_valid", "The bearer token is not valid yet"),
    (jwt.InvalidSignatureError, "bad_signature", "The bearer token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "wrong_algorithm", "The bearer token's algorithm is not accepted"),
    (jwt.InvalidAudienceError, "wrong_audience", "The bearer token is for another audience"),
    (jwt.InvalidIssuerError, "wrong_issuer", "The bearer token is from another issuer"),
    (jwt.MissingRequiredClaimError, "invalid_claims", "The bearer token lacks a required claim"),
    (jwt.exceptions.InvalidSubjectError, "invalid_claims", "The bearer token's subject is not valid"),
    (jwt.InvalidIssuedAtError, "invalid_claims", "The bearer token's issue time is not valid"),
    (jwt.exceptions.InvalidJTIError, "invalid_claims", "The bearer token's id is not valid"),
    (jwt.DecodeError, "malformed_token", "The bearer token is not a well-formed JWT"),
    (jwt.InvalidTokenError, "invalid_token", "The bearer token is not valid"),
]
"""Most specific first: PyJWT's errors, each as a reason code and a sentence."""


def _refusal(exc: jwt.InvalidTokenError) -> UnauthenticatedError:
    for kind, reason, sentence in _REASONS:
        if isinstance(exc, kind):
            return UnauthenticatedError(f"{sentence}: {str(exc)[:200]}", reason=reason)
    return UnauthenticatedError("The bearer token is not valid", reason="invalid_token")  # pragma: no cover


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, timeout=10)


def _header(token: str) -> dict[str, Any]:
    try:
        return jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:  # not decodable, or a header field of the wrong type
        raise UnauthenticatedError(
            f"The bearer token's header is not valid: {str(exc)[:200]}", reason="malformed_token"
        ) from None


def _issuer_key(token: str, jwks_url: str) -> tuple[Any, list[str]]:
    """The key of the issuer's key set that the token names (`kid`), and the algorithms it may verify."""
    kid = _header(token).get("kid")
    if not isinstance(kid, str) or not kid:
        raise UnauthenticatedError("The bearer token names no key (kid) of the issuer", reason="unknown_key")
    try:
        key = _jwks_client(jwks_url).get_signing_key(kid)
    except jwt.PyJWKClientConnectionError as exc:
        raise ApiError(503, "auth.issuer_unreachable", f"The issuer's key set could not be fetched: {exc}") from None
    except jwt.PyJWKClientError:
        raise UnauthenticatedError(f"The issuer has no signing key {kid[:100]!r}", reason="unknown_key") from None
    except jwt.PyJWTError as exc:  # the key set itself is unusable: the issuer's fault, not the caller's
        raise ApiError(503, "auth.issuer_unusable", f"The issuer's key set cannot be used: {exc}") from None
    algorithms = KEY_TYPE_ALGORITHMS.get(key.key_type or "", [])
    if not algorithms or key.public_key_use not in (None, "sig"):
        raise UnauthenticatedError(f"The issuer's key {kid[:100]!r} does not verify signatures", reason="unknown_key")
    return key.key, algorithms


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
    """Check the token's key, signature, expiry, issuer and audience (if configured) and its claims."""
    if app_settings.ORCHESTRATOR_OIDC_JWKS_URL:
        key, algorithms = _issuer_key(token, app_settings.ORCHESTRATOR_OIDC_JWKS_URL)
    elif app_settings.ORCHESTRATOR_JWT_SECRET:
        key, algorithms = app_settings.ORCHESTRATOR_JWT_SECRET, ["HS256"]
    else:
        raise UnauthenticatedError(
            "Bearer tokens cannot be verified: set ORCHESTRATOR_JWT_SECRET or ORCHESTRATOR_OIDC_JWKS_URL",
            reason="no_verifier",
        )
    try:
        claims = jwt.decode(token, key, algorithms=algorithms, **_options())
    except jwt.InvalidTokenError as exc:
        raise _refusal(exc) from None
    except (TypeError, ValueError, KeyError, AttributeError, jwt.PyJWTError):
        # what PyJWT raises when a token's header and the key disagree in ways it does not check itself
        raise UnauthenticatedError(
            "The bearer token cannot be verified with the configured key", reason="wrong_key_type"
        ) from None
    if not isinstance(claims, dict):  # pragma: no cover  (PyJWT only returns objects)
        raise UnauthenticatedError("The bearer token's payload is not an object", reason="invalid_claims")
    return AuthUser.from_claims(claims)


def current_user(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
) -> AuthUser | None:
    """The verified caller, or None when no bearer token was sent."""
    if credentials is None:
        return None
    return verify_token(credentials.credentials)


def reader(user: AuthUser | None = Depends(current_user)) -> AuthUser | None:
    """Every route but health depends on this: a verified caller, unless auth is disabled for local use."""
    if user is None and not app_settings.ORCHESTRATOR_AUTH_DISABLED:
        raise UnauthenticatedError("This API needs a bearer token", reason="missing_token")
    return user


def writer(user: AuthUser | None = Depends(reader)) -> AuthUser | None:
    """Every write depends on this (the same rule as `reader`; the caller is who the process records)."""
    return user


def user_name(user: AuthUser | None) -> str:
    """What a process records as created_by."""
    return (user.user_name or user.name or user.sub) if user else ANONYMOUS
