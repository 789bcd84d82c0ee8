"""Verify the JWT that Zendesk's proxy signs (HS256, rotated secrets) and turn it into an Agent."""
from __future__ import annotations

import base64
import functools
import json
import logging
import math
import re
import time

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.api_jwt import PyJWT

from backend.config import Settings
from backend.errors import Unauthorized
from backend.lookup import Agent

log = logging.getLogger(__name__)

REALM = 'Bearer realm="learner-context"'
ALGORITHM = "HS256"
REQUIRED = ("exp", "sub", "aud", "iss")
# Header parameters that point a verifier elsewhere or demand extensions we do not implement.
FORBIDDEN_HEADERS = frozenset({"jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "enc"})
_BEARER = re.compile(r"Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)", re.IGNORECASE)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)  # the one algorithm: the header's alg only has to agree
_JWT = PyJWT()
_CLAIM_OPTIONS = _JWT._merge_options({"require": list(REQUIRED), "strict_aud": True, "verify_sub": True})


class InvalidToken(Unauthorized):
    """A bearer token was presented but is not acceptable; answered as error="invalid_token"."""

    def __init__(self, reason: str):
        super().__init__("Invalid or expired token.", code="invalid_token",
                         headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})
        self.reason = reason


class MissingToken(Unauthorized):
    """No bearer credentials at all: a challenge without an error code (RFC 6750 section 3.1)."""

    def __init__(self, reason: str):
        super().__init__("Bearer token required.", code="unauthorized", headers={"WWW-Authenticate": REALM})
        self.reason = reason


def token_from_headers(values: list[str], max_bytes: int) -> str:
    """The token of the single `Authorization: Bearer <jwt>` header, or raise."""
    if not values:
        raise MissingToken("no Authorization header")
    if len(values) > 1:
        raise InvalidToken("several Authorization headers")
    value = values[0]
    if len(value.encode("utf-8", "replace")) > max_bytes + len("Bearer "):
        raise InvalidToken("token larger than LC_JWT_MAX_BYTES")  # before any decoding work
    if not value[:7].lower() == "bearer ":
        raise MissingToken("Authorization scheme is not Bearer")
    match = _BEARER.fullmatch(value)
    if not match:
        raise InvalidToken("malformed bearer credentials")
    return match.group(1)


def verify(token: str, settings: Settings, now: float | None = None) -> Agent:
    """Check signature and claims of `token`; return the Agent or raise InvalidToken."""
    if len(token.encode()) > settings.jwt_max_bytes:
        raise InvalidToken("token larger than LC_JWT_MAX_BYTES")
    segments = token.split(".")
    if len(segments) != 3:
        raise InvalidToken("undecodable token: not three segments")
    try:
        header = _strict_json(_segment(segments[0]))
    except ValueError:
        raise InvalidToken("undecodable header") from None
    if not isinstance(header, dict):
        raise InvalidToken("header is not a JSON object")
    _check_header(header)
    try:
        raw_payload, signature = _segment(segments[1]), _segment(segments[2])
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


def _segment(text: str) -> bytes:
    """A JWS segment: unpadded base64url in its one canonical spelling (RFC 7515 section 2), else
    ValueError. Stricter than PyJWT's own loader (no '=' padding) and without its per-character
    Python loop, which was the larger part of a verification's cost."""
    if len(text) % 4 == 1 or not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != text.encode():
        raise ValueError("non-canonical base64url")  # unused trailing bits: two spellings of one token
    return raw


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


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    """Duplicate keys would let two parsers read different claims from one signed text."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate key")
    return obj


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)


def _strict_json(raw: bytes) -> object:
    """Parse raw (UTF-8, RFC 7519) strictly; any failure, including nesting too deep, is a ValueError."""
    try:
        return _DECODER.decode(raw.decode("utf-8"))
    except (RecursionError, TypeError) as exc:
        raise ValueError(f"unparseable JSON: {type(exc).__name__}") from None


def _parse_payload(raw: bytes) -> dict:
    try:
        payload = _strict_json(raw)
    except ValueError:
        raise InvalidToken("payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidToken("payload is not a JSON object")
    return payload


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_types(payload: dict) -> None:
    """Wrongly typed claims are bad tokens even when signed with our key."""
    for claim in ("exp", "iat", "nbf"):
        if claim in payload and not _is_number(payload[claim]):
            raise InvalidToken(f"{claim} is not a number")
    for claim in ("iss", "aud", "sub"):
        if claim in payload and not isinstance(payload[claim], str):
            raise InvalidToken(f"{claim} is not a string")
    if "sub" in payload and not payload["sub"].strip():
        raise InvalidToken("sub is empty")
    if "sub" in payload and len(payload["sub"]) > 128:
        raise InvalidToken("sub too long")
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
