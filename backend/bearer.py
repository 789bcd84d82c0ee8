"""Bearer credentials: the token of the request's one Authorization header, and the 401s about it."""
from __future__ import annotations

import re

from backend.errors import Unauthorized

REALM = 'Bearer realm="learner-context"'
_BEARER = re.compile(r"Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)", re.IGNORECASE)


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
