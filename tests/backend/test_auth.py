"""Hostile and valid tokens: every bad token is a 401 with a Bearer challenge; good ones get through."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import warnings

import jwt
import pytest

from backend import create_app
from backend.auth import verify
from backend.config import ConfigError, load
from tests.backend.conftest import ISSUER, OLD_SECRET, SECRET, base_config, bearer, token

URL = "/api/v1/learner-context"
INVALID = 'Bearer realm="learner-context", error="invalid_token"'


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(
    header: object, payload: object, secret: str = SECRET, *, raw_payload: bytes | None = None
) -> str:
    """Sign arbitrary header/payload text with HS256 by hand (PyJWT would refuse the odd ones)."""
    head = b64(json.dumps(header).encode() if not isinstance(header, bytes) else header)
    body = b64(raw_payload if raw_payload is not None else json.dumps(payload).encode())
    signing_input = f"{head}.{body}".encode()
    sig = b64(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": "learner-context",
        "sub": "42",
        "iat": now,
        "exp": now + 300,
        "ticket_id": 1001,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not _DROP}


_DROP = object()
HS = {"alg": "HS256", "typ": "JWT"}


def signed(**changes) -> str:
    return raw_token(HS, claims(**changes))


def _other_hmac(algorithm: str, secret: str) -> str:
    """A token signed with another HMAC algorithm; PyJWT's warning about the short key is beside the
    point here: the backend must refuse the algorithm whatever the key."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        return jwt.encode(claims(), secret, algorithm=algorithm)


def _hostile() -> list:
    now = int(time.time())
    good = token()
    head, body, sig = good.split(".")
    other = b64(json.dumps(claims(sub="1")).encode())
    cases = {
        "alg-none": raw_token({"alg": "none"}, claims()).rsplit(".", 1)[0] + ".",
        "alg-none-signed": raw_token({"alg": "none", "typ": "JWT"}, claims()),
        "alg-None-case": raw_token({"alg": "None"}, claims()),
        "alg-rs256-with-hmac-of-secret": raw_token({"alg": "RS256", "typ": "JWT"}, claims()),
        "alg-hs512": _other_hmac("HS512", SECRET + "-pad-for-hs512-0123456789abcdef"),
        "alg-hs512-right-secret": _other_hmac("HS512", SECRET),
        "alg-hs384": _other_hmac("HS384", SECRET),
        "alg-missing": raw_token({"typ": "JWT"}, claims()),
        "kid-path-traversal-empty-key": raw_token({**HS, "kid": "../../../../dev/null"}, claims(), secret=""),
        "kid-sql-injection": raw_token({**HS, "kid": "x' UNION SELECT 'k"}, claims(), secret="k"),
        "kid-object": raw_token({**HS, "kid": {"id": 1}}, claims()),
        "jku-header": raw_token({**HS, "jku": "https://evil.example/jwks.json"}, claims()),
        "jwk-embedded": raw_token({**HS, "jwk": {"kty": "oct", "k": b64(b"k")}}, claims()),
        "x5u-header": raw_token({**HS, "x5u": "https://evil.example/cert.pem"}, claims()),
        "crit-header": raw_token({**HS, "crit": ["exp"]}, claims()),
        "header-not-object": raw_token(["HS256"], claims()),
        "header-duplicate-alg": raw_token(b'{"alg":"none","alg":"HS256"}', claims()),
        "payload-duplicate-sub": raw_token(
            HS,
            None,
            raw_payload=b'{"sub":"1","sub":"42","iss":"%s","aud":'
            b'"learner-context","exp":%d}' % (ISSUER.encode(), now + 300),
        ),
        "garbled-base64-payload": f"{head}.{body[:-3]}!@#.{sig}",
        "padded-base64": f"{head}==.{body}.{sig}",
        "four-segments": f"{good}.{sig}",
        "two-segments": f"{head}.{body}",
        "tampered-payload": f"{head}.{other}.{sig}",
        "signature-stripped": f"{head}.{body}.",
        "non-json-payload": raw_token(HS, None, raw_payload=b"not json at all"),
        "payload-json-array": raw_token(HS, ["iss", "aud"]),
        "payload-not-utf8": raw_token(HS, None, raw_payload=b"\xff\xfe{}"),
        "exp-list": signed(exp=[now + 300]),
        "exp-string": signed(exp=str(now + 300)),
        "exp-nan": raw_token(
            HS, None, raw_payload=json.dumps(claims()).replace(f'"exp": {now + 300}', '"exp": NaN').encode()
        ),
        "exp-infinity": raw_token(
            HS,
            None,
            raw_payload=json.dumps(claims()).replace(f'"exp": {now + 300}', '"exp": Infinity').encode(),
        ),
        "exp-bool": signed(exp=True),
        # Beyond a float's range: math.isfinite and PyJWT's arithmetic raised OverflowError (a 500).
        "exp-huge-int": signed(exp=10**400),
        "exp-huge-negative-int": signed(exp=-(10**400)),
        "iat-huge-int": signed(iat=10**400),
        "nbf-huge-int": signed(nbf=10**400),
        "exp-beyond-2-53": signed(exp=2**53 + 1),
        "exp-object": signed(exp={"value": now + 300}),
        "iat-string": signed(iat="now"),
        "nbf-list": signed(nbf=[now]),
        "sub-nested-object": signed(sub={"id": "42"}),
        "sub-int": signed(sub=42),
        "sub-empty": signed(sub=""),
        "sub-blank": signed(sub="   "),
        "sub-null": signed(sub=None),
        "sub-too-long": signed(sub="7" * 129),
        # Control characters and lone surrogates reach the audit row, the log and the rate-limit key.
        "sub-nul": signed(sub="evil\x00"),
        "sub-escape-char": signed(sub="agent\x1b[2J"),
        "sub-newline": signed(sub="42\nforged log line"),
        "sub-c1-control": signed(sub="42\x85"),
        "sub-lone-surrogate": signed(sub="evil\ud800"),
        "iss-nul": signed(iss=ISSUER + "\x00"),
        "iss-too-long": signed(iss="https://" + "a" * 300 + ".zendesk.com"),
        "aud-lone-surrogate": signed(aud="learner-context\udfff"),
        "iss-list": signed(iss=[ISSUER]),
        "aud-list-containing-ours": signed(aud=["learner-context", "other"]),
        "aud-null": signed(aud=None),
        "ticket-id-word": signed(ticket_id="abc"),
        "ticket-id-negative": signed(ticket_id=-5),
        "ticket-id-zero": signed(ticket_id=0),
        "ticket-id-bool": signed(ticket_id=True),
        "ticket-id-float": signed(ticket_id=1001.5),
        "ticket-id-list": signed(ticket_id=[1001]),
        "wrong-secret": token("a-completely-different-secret-0123456789"),
        "empty-secret": raw_token(HS, claims(), secret=""),
        "expired": signed(iat=now - 400, exp=now - 100),
        "not-yet-valid-nbf": signed(nbf=now + 600),
        "iat-in-future": signed(iat=now + 300, exp=now + 600),
        "lifetime-one-hour": signed(iat=now, exp=now + 3600),
        "lifetime-one-hour-no-iat": signed(iat=_DROP, exp=now + 3600),
        "wrong-aud": signed(aud="someone-else"),
        "wrong-iss": signed(iss="https://evil.zendesk.com"),
        "iss-prefix-trick": signed(iss=ISSUER + ".evil.example"),
        "missing-exp": signed(exp=_DROP),
        "missing-sub": signed(sub=_DROP),
        "missing-aud": signed(aud=_DROP),
        "missing-iss": signed(iss=_DROP),
        "huge-token": signed(pad="x" * 5000),
        # Nesting beyond the JSON parser's recursion limit, still under LC_JWT_MAX_BYTES.
        "header-deeply-nested-array": raw_token(b"[" * 2900, claims()),
        "header-deeply-nested-in-object": raw_token(b'{"alg":' + b"[" * 2800, claims()),
        "payload-deeply-nested-array": raw_token(HS, None, raw_payload=b"[" * 2900),
        "payload-deeply-nested-in-object": raw_token(HS, None, raw_payload=b'{"sub":' + b"[" * 2800),
    }
    return [pytest.param(value, id=name) for name, value in cases.items()]


@pytest.mark.parametrize("bad_token", _hostile())
def test_hostile_token_is_401_with_invalid_token_challenge(client, bad_token):
    resp = client.post(URL, headers=bearer(bad_token), json={"requester": {"email": "a@example.com"}})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == INVALID
    assert resp.json["error"]["code"] == "invalid_token"
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(f"Bearer  {token()}", id="two-spaces"),
        pytest.param(f"Bearer\t{token()}", id="tab-separator"),
        pytest.param(f"Bearer {token()} extra", id="trailing-word"),
        pytest.param(f"Bearer {token()},{token()}", id="two-tokens-comma"),
        pytest.param("Bearer", id="scheme-only"),
        pytest.param("Bearer ", id="scheme-and-space"),
        pytest.param(f'Bearer "{token()}"', id="quoted-token"),
    ],
)
def test_malformed_bearer_credentials_are_invalid_token(client, header):
    resp = client.post(URL, headers={"Authorization": header}, json={"requester": {"email": "a@example.com"}})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] in ("invalid_token", "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith('Bearer realm="learner-context"')


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="no-header"),
        pytest.param(f"Basic {b64(b'agent:pw')}", id="basic-scheme"),
        pytest.param(f"Token {token()}", id="token-scheme"),
        pytest.param(token(), id="no-scheme"),
    ],
)
def test_missing_bearer_credentials_get_an_error_less_challenge(client, header):
    headers = {"Authorization": header} if header else {}
    resp = client.post(URL, headers=headers, json={"requester": {"email": "a@example.com"}})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="learner-context"'
    assert resp.json == {"error": {"code": "unauthorized", "message": "Bearer token required."}}


def test_two_authorization_headers_are_rejected(client):
    twice = [("Authorization", f"Bearer {token()}"), ("Authorization", f"Bearer {token()}")]
    resp = client.post(URL, headers=twice, json={"requester": {"email": "a@example.com"}})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == INVALID


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_a_valid_token_passes_auth_whatever_the_scheme_case(client, scheme):
    # text/plain is refused with 415 only after authentication succeeded
    resp = client.post(
        URL, headers={"Authorization": f"{scheme} {token()}"}, data="x", content_type="text/plain"
    )
    assert resp.status_code == 415


def _settings(**changes):
    base = {k: v for k, v in base_config(__import__("pathlib").Path("/tmp")).items() if k.islower()}
    base.update(changes)
    return load({}, **base)


def test_verify_returns_the_agent_with_ticket_id_as_int():
    agent = verify(signed(sub="12345", ticket_id="1001"), _settings())
    assert (agent.iss, agent.sub, agent.ticket_id) == (ISSUER, "12345", 1001)


def test_token_without_ticket_id_or_iat_is_accepted():
    agent = verify(signed(ticket_id=_DROP, iat=_DROP), _settings())
    assert agent.ticket_id is None


def test_small_clock_skew_within_leeway_is_accepted():
    now = int(time.time())
    assert verify(signed(iat=now + 10, exp=now + 310), _settings()).sub == "42"
    assert verify(signed(iat=now - 320, exp=now - 10), _settings()).sub == "42"


def test_issuer_must_be_one_of_the_configured_list():
    settings = _settings(jwt_issuers=("https://one.zendesk.com", ISSUER))
    assert verify(signed(), settings).iss == ISSUER


def test_an_issuer_configured_with_a_trailing_slash_accepts_the_apps_tokens(tmp_path):
    # The app signs iss = https://<subdomain>.zendesk.com, never with a slash.
    app = create_app(base_config(tmp_path, jwt_issuers=ISSUER + "/"))
    resp = app.test_client().post(URL, headers=bearer(token(iss=ISSUER)), data="x", content_type="text/plain")
    assert resp.status_code == 415  # past authentication
    app.extensions["lc"].close()


def test_rotation_accepts_old_and_new_secret_and_rejects_a_removed_one(tmp_path):
    both = create_app(base_config(tmp_path, jwt_secrets=(SECRET, OLD_SECRET))).test_client()
    for secret in (SECRET, OLD_SECRET):
        resp = both.post(URL, headers=bearer(token(secret)), data="x", content_type="text/plain")
        assert resp.status_code == 415, secret  # past authentication
    only_new = create_app(base_config(tmp_path, jwt_secrets=(SECRET,))).test_client()
    resp = only_new.post(URL, headers=bearer(token(SECRET)), data="x", content_type="text/plain")
    assert resp.status_code == 415
    resp = only_new.post(URL, headers=bearer(token(OLD_SECRET)), data="x", content_type="text/plain")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == INVALID


@pytest.mark.parametrize("env", ["production", "test"])
def test_short_secrets_are_refused_outside_development(tmp_path, env):
    with pytest.raises(ConfigError, match="shorter than 32 bytes"):
        create_app(base_config(tmp_path, env=env, jwt_secrets=(SECRET, "short-secret")))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # short on purpose
def test_short_secret_is_allowed_in_development(tmp_path):
    app = create_app(base_config(tmp_path, env="development", jwt_secrets=("short-dev-secret",)))
    resp = app.test_client().post(
        URL, headers=bearer(token("short-dev-secret")), data="x", content_type="text/plain"
    )
    assert resp.status_code == 415


def test_refusal_reason_is_logged_without_the_token(client, caplog):
    bad = signed(aud="someone-else")
    with caplog.at_level(logging.INFO):
        client.post(URL, headers=bearer(bad), json={"requester": {"email": "a@example.com"}})
    reasons = [getattr(r, "reason", "") for r in caplog.records if r.name == "backend.auth"]
    assert reasons and "audience" in reasons[0].lower()
    everything = caplog.text + " ".join(str(vars(r)) for r in caplog.records)
    assert bad not in everything
    assert bad.split(".")[2] not in everything
