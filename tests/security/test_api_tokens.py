"""Whatever is wrong with a bearer token, the answer is 401 with a reason code, never a 500: forged,
malformed, of the wrong algorithm or key type, or validly signed with claims of the wrong type. Against
a real OIDC key set served over HTTP (RSA and EC keys) and against the HS256 secret."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from orchestrator_core.settings import app_settings
from tests.security.conftest import JWT_SECRET, bearer, claims, hs256_token

READ = "/api/subscriptions"
WRITE = "/api/processes/task_validate_subscriptions"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict, payload: object, signature: bytes = b"sig") -> str:
    """A token put together by hand: any header, any payload, any signature."""
    return ".".join([b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(signature)])


def refused(client, token: str, path: str = READ) -> dict:
    response = client.get(path, headers=bearer(token))
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == "auth.unauthenticated" and body["details"]["reason"], body
    return body


def rsa_public_pem(issuer) -> bytes:
    return issuer.rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


OIDC_FORGERIES = {
    # the issue's: an EC algorithm naming an RSA key (PyJWT raised TypeError: 500)
    "es256_header_on_rsa_key": (lambda i: i.token(kid="rsa-1", algorithm="ES256", key=i.ec_key), "wrong_algorithm"),
    "rs256_header_on_ec_key": (lambda i: i.token(kid="ec-1", algorithm="RS256", key=i.rsa_key), "wrong_algorithm"),
    "signed_by_another_rsa_key": (
        lambda i: i.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)), "bad_signature"),
    "signed_by_another_ec_key": (
        lambda i: i.token(kid="ec-1", algorithm="ES256", key=ec.generate_private_key(ec.SECP256R1())),
        "bad_signature"),
    "hs256_with_the_public_key_as_secret": (
        lambda i: unsigned({"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}, claims()), "wrong_algorithm"),
    "alg_none": (lambda i: unsigned({"alg": "none", "kid": "rsa-1"}, claims(), b""), "wrong_algorithm"),
    "unknown_kid": (lambda i: i.token(kid="nobody"), "unknown_key"),
    "no_kid": (lambda i: unsigned({"alg": "RS256"}, claims()), "unknown_key"),
    "kid_not_a_string": (lambda i: unsigned({"alg": "RS256", "kid": 5}, claims()), "malformed_token"),
    "header_not_an_object": (lambda i: b64(b"[1]") + "." + b64(b"{}") + ".x", "malformed_token"),
    "not_a_jwt": (lambda i: "not-a-jwt", "malformed_token"),
    "three_garbage_parts": (lambda i: "a.b.c", "malformed_token"),
    "empty_signature_rs256": (lambda i: i.token().rsplit(".", 1)[0] + ".", "bad_signature"),
    "payload_a_list": (lambda i: jwt.api_jws.PyJWS().encode(b"[1, 2]", i.rsa_key, algorithm="RS256",
                                                            headers={"kid": "rsa-1"}), "malformed_token"),
    "expired": (lambda i: i.token(payload=claims(ttl=-60)), "token_expired"),
    "not_yet_valid": (lambda i: i.token(payload=claims(nbf=int(time.time()) + 3600)), "token_not_yet_valid"),
    "no_exp": (lambda i: i.token(payload={"sub": "id-x"}), "invalid_claims"),
    "no_sub": (lambda i: i.token(payload={"exp": int(time.time()) + 60}), "invalid_claims"),
}


@pytest.mark.parametrize("case", OIDC_FORGERIES, ids=list(OIDC_FORGERIES))
def test_forged_and_malformed_tokens_against_the_key_set_are_401(client, oidc_on, case):
    make, reason = OIDC_FORGERIES[case]
    for path in (READ, "/api/processes"):
        assert refused(client, make(oidc_on), path)["details"]["reason"] == reason


def test_a_token_of_the_issue_is_401_on_a_write_and_starts_nothing(client, oidc_on, nothing_written):
    token = unsigned({"alg": "ES256", "kid": "k1"}, claims())
    response = client.post(WRITE, headers=bearer(token), json=[{}])
    assert response.status_code == 401 and response.json()["details"]["reason"] == "unknown_key"
    response = client.post(WRITE, headers=bearer(oidc_on.token(kid="rsa-1", algorithm="ES256", key=oidc_on.ec_key)))
    assert response.status_code == 401 and response.json()["details"]["reason"] == "wrong_algorithm"


BAD_CLAIMS = {
    "roles_a_number": ({"roles": 5}, "roles"),
    "roles_a_string": ({"roles": "admin"}, "roles"),  # was read as the roles a, d, m, i, n
    "roles_of_numbers": ({"roles": [1, 2]}, "roles.0"),
    "roles_an_object": ({"roles": {"admin": True}}, "roles"),
    "groups_a_string": ({"groups": "admins"}, "groups"),
    "sub_empty": ({"sub": ""}, "sub"),
    "sub_too_long": ({"sub": "x" * 300}, "sub"),
    "user_name_too_long": ({"preferred_username": "u" * 300}, "preferred_username"),
    "user_name_a_number": ({"preferred_username": 7}, "preferred_username"),
    "email_a_list": ({"email": ["a@example.net"]}, "email"),
    "name_an_object": ({"name": {"first": "a"}}, "name"),
}


@pytest.mark.parametrize("case", BAD_CLAIMS, ids=list(BAD_CLAIMS))
def test_validly_signed_tokens_with_bad_claims_are_401_naming_the_claim(client, oidc_on, case):
    extra, field = BAD_CLAIMS[case]
    body = refused(client, oidc_on.token(payload=claims(**extra)))
    assert body["details"]["reason"] == "invalid_claims"
    assert field in {f["field"] for f in body["details"]["fields"]}, body


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize("case", BAD_CLAIMS, ids=list(BAD_CLAIMS))
def test_bad_claims_under_the_hs256_secret_are_401_too(client, case):
    extra, _field = BAD_CLAIMS[case]
    assert refused(client, jwt.encode(claims(**extra), JWT_SECRET, algorithm="HS256"))["details"]["reason"] == (
        "invalid_claims")


HS256_FORGERIES = {
    "other_secret": (lambda: jwt.encode(claims(), "another-secret-of-32-bytes-or-more!", algorithm="HS256"),
                     "bad_signature"),
    "rs256_signed": (lambda: jwt.encode(claims(), rsa.generate_private_key(public_exponent=65537, key_size=2048),
                                        algorithm="RS256"), "wrong_algorithm"),
    "alg_none": (lambda: unsigned({"alg": "none"}, claims(), b""), "wrong_algorithm"),
    "hs512": (lambda: jwt.encode(claims(), JWT_SECRET, algorithm="HS512"), "wrong_algorithm"),
    "expired": (lambda: hs256_token(ttl=-5), "token_expired"),
    "tampered_payload": (lambda: ".".join([hs256_token().split(".")[0], b64(json.dumps(claims("admin")).encode()),
                                           hs256_token().split(".")[2]]), "bad_signature"),
    "truncated": (lambda: hs256_token()[:-10], "bad_signature"),
    "binary_garbage": (lambda: "eyJ" + "\u00e9" * 20, "malformed_token"),
}


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize("case", HS256_FORGERIES, ids=list(HS256_FORGERIES))
def test_forged_tokens_against_the_secret_are_401(client, case):
    make, reason = HS256_FORGERIES[case]
    token = make()
    try:
        header = bearer(token)
        header["Authorization"].encode("ascii")
    except UnicodeEncodeError:
        header = {"Authorization": b"Bearer " + token.encode()}  # type: ignore[dict-item]
    response = client.get(READ, headers=header)
    assert response.status_code == 401, response.text
    assert response.json()["details"]["reason"] in (reason, "malformed_token"), response.text


def test_valid_tokens_of_the_key_set_are_accepted_with_their_roles(client, oidc_on):
    for token in (oidc_on.token(), oidc_on.token(kid="ec-1", algorithm="ES256"),
                  oidc_on.token(kid="rsa-1", algorithm="PS256")):
        assert client.get(READ, headers=bearer(token)).status_code == 200
    token = oidc_on.token(payload=claims("admin", roles=["admin", "noc"]))
    assert client.get(READ, headers=bearer(token)).status_code == 200


def test_issuer_and_audience_are_checked_when_configured(client, oidc_on, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_OIDC_ISSUER", "https://idp.example.net")
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_OIDC_AUDIENCE", "orchestrator")
    good = claims(iss="https://idp.example.net", aud="orchestrator")
    assert client.get(READ, headers=bearer(oidc_on.token(payload=good))).status_code == 200
    assert refused(client, oidc_on.token(payload={**good, "iss": "https://evil.example"}))["details"][
        "reason"] == "wrong_issuer"
    assert refused(client, oidc_on.token(payload={**good, "aud": "other"}))["details"]["reason"] == "wrong_audience"
    assert refused(client, oidc_on.token(payload={**good, "aud": 5}))["details"]["reason"] in (
        "wrong_audience", "invalid_claims")


def test_an_unreachable_key_set_is_a_503_not_a_500(client, oidc_on, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_OIDC_JWKS_URL", "http://127.0.0.1:9/jwks")
    response = client.get(READ, headers=bearer(oidc_on.token()))
    assert response.status_code == 503 and response.json()["code"] == "auth.issuer_unreachable"


def test_a_non_bearer_authorization_is_no_token(client, oidc_on):
    response = client.get(READ, headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert response.status_code == 401 and response.json()["details"]["reason"] == "missing_token"


def test_with_auth_off_a_bad_token_is_still_refused(client, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    assert client.get(READ).status_code == 200
    assert refused(client, jwt.encode(claims(roles=5), JWT_SECRET, algorithm="HS256"))["details"][
        "reason"] == "invalid_claims"
