"""Verify the JWT that Zendesk's proxy signs (HS256, rotated secrets) and turn it into an Agent."""
from __future__ import annotations

import functools
import logging
import time

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.api_jwt import PyJWT

from backend import jws
from backend.bearer import InvalidToken, MissingToken, token_from_headers
from backend.config import Settings
from backend.lookup import Agent

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
MAX_TIME = 2**53  # exp/iat/nbf beyond this are no times a token can mean
REQUIRED = ("exp", "sub", "aud", "iss")
# Header parameters that point a verifier elsewhere or demand extensions we do not implement.
FORBIDDEN_HEADERS = frozenset({"jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "enc"})
# String claims, each with its longest accepted length (the audit columns' sizes).
STRING_CLAIMS = {"iss": 255, "aud": 255, "sub": 128}
_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)  # the one algorithm: the header's alg only has to agree
_JWT = PyJWT()
_CLAIM_OPTIONS = _JWT._merge_options({"require": list(REQUIRED), "strict_aud": True, "verify_sub": True})


def verify(token: str, settings: Settings, now: float | None = None) -> Agent:
    """Check signature and claims of `token`; return the Agent or raise InvalidToken."""
    if len(token.encode()) > settings.jwt_max_bytes:
        raise InvalidToken("token larger than LC_JWT_MAX_BYTES")
    segments = token.split(".")
    if len(segments) != 3:
        raise InvalidToken("undecodable token: not three segments")
    try:
        header = jws.strict_json(jws.segment(segments[0]))
    except ValueError:
        raise InvalidToken("undecodable header") from None
    if not isinstance(header, dict):
        raise InvalidToken("header is not a JSON object")
    _check_header(header)
    try:
        raw_payload, signature = jws.segment(segments[1]), jws.segment(segments[2])
    except ValueError:
        raise InvalidToken("undecodable token: bad base64url") from None
    signing_input = f"{segments[0]}.{segments[1]}".encode()
    if not any(_HS256.verify(signing_input, key, signature) for key in _keys(settings.jwt_secrets)):
        raise InvalidToken("signature matches no configured secret")
    payload = _parse_payload(raw_payload)
    _check_types(payload)
    now = time.time() if now is None else now
    try:
        # PyJWT's own claim checks (exp, nbf, iat, aud with strict_aud, iss, sub) on the verified payload.
        _JWT._validate_claims(payload, _CLAIM_OPTIONS, audience=settings.jwt_audience,
                              issuer=list(settings.jwt_issuers), leeway=settings.jwt_leeway_s)
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"claims rejected: {type(exc).__name__}: {exc}") from None
    _check_lifetime(payload, settings, now)
    return Agent(iss=payload["iss"], sub=payload["sub"], ticket_id=_ticket_id(payload))


@functools.lru_cache(maxsize=4)
def _keys(secrets: tuple[str, ...]) -> tuple[bytes, ...]:
    """The secrets as HMAC keys, prepared (and checked) once by PyJWT rather than per request."""
    return tuple(_HS256.prepare_key(secret) for secret in secrets)


def _check_header(header: dict) -> None:
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(f"algorithm {str(header.get('alg'))[:16]!r} not accepted")
    bad = FORBIDDEN_HEADERS.intersection(header)
    if bad:
        raise InvalidToken(f"forbidden header parameter(s) {sorted(bad)}")
    if header.get("typ") not in (None, "JWT", "jwt"):
        raise InvalidToken("typ is not JWT")
    kid = header.get("kid")
    if kid is not None and not (isinstance(kid, str) and len(kid) <= 64):
        raise InvalidToken("malformed kid")  # kid never selects a key here: every secret is tried


def _parse_payload(raw: bytes) -> dict:
    try:
        payload = jws.strict_json(raw)
    except ValueError:
        raise InvalidToken("payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidToken("payload is not a JSON object")
    return payload


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    # Also false for NaN and infinities. An int beyond a float's range (10**400) made math.isfinite
    # raise OverflowError (a 500), so the bound is compared directly.
    return abs(value) < MAX_TIME


def _check_types(payload: dict) -> None:
    """Wrongly typed claims are bad tokens even when signed with our key."""
    for claim in ("exp", "iat", "nbf"):
        if claim in payload and not _is_number(payload[claim]):
            raise InvalidToken(f"{claim} is not a number in range")
    for claim, longest in STRING_CLAIMS.items():
        if claim not in payload:
            continue
        value = payload[claim]
        if not isinstance(value, str):
            raise InvalidToken(f"{claim} is not a string")
        if len(value) > longest:
            raise InvalidToken(f"{claim} too long")
        # They reach the audit row, the log line and the rate-limit key: a NUL or a lone surrogate
        # there failed other agents' audit commits and the Redis limiter, so only printable text.
        if not value.isprintable():
            raise InvalidToken(f"{claim} has control or unpaired surrogate characters")
    if "sub" in payload and not payload["sub"].strip():
        raise InvalidToken("sub is empty")
    if "ticket_id" in payload:
        _ticket_id(payload)


def _ticket_id(payload: dict) -> int | None:
    value = payload.get("ticket_id")
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidToken("ticket_id is not an integer")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        value = int(value)
    if not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidToken("ticket_id is not a positive integer")
    return value


def _check_lifetime(payload: dict, settings: Settings, now: float) -> None:
    if "iat" in payload:
        lifetime, slack = payload["exp"] - payload["iat"], 0
    else:  # without iat only the remaining lifetime is known; allow for clock skew
        lifetime, slack = payload["exp"] - now, settings.jwt_leeway_s
    if lifetime > settings.jwt_max_lifetime_s + slack:
        raise InvalidToken("token lifetime exceeds LC_JWT_MAX_LIFETIME_S")


def authenticate(header_values: list[str], settings: Settings) -> Agent:
    """From the request's Authorization header values to a verified Agent; logs why it refuses."""
    try:
        token = token_from_headers(header_values, settings.jwt_max_bytes)
        return verify(token, settings)
    except (InvalidToken, MissingToken) as exc:
        log.info("authentication refused", extra={"reason": exc.reason})
        raise
