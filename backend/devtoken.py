"""`python -m backend.devtoken`: print a JWT signed exactly as Zendesk's proxy signs the app's token."""
from __future__ import annotations

import argparse
import sys
import time

import jwt

from backend.config import token_defaults


def sign(*, secret: str, iss: str, aud: str, sub: str, ticket_id: int | None = None,
         expiry_s: int = 300, now: float | None = None, **extra: object) -> str:
    """HS256 with header {"alg": "HS256", "typ": "JWT"}, claims iss/aud/sub/iat/exp(/ticket_id)."""
    iat = int(time.time() if now is None else now)
    claims: dict[str, object] = {"iss": iss, "aud": aud, "sub": sub, "iat": iat, "exp": iat + expiry_s}
    if ticket_id is not None:
        claims["ticket_id"] = ticket_id
    claims.update(extra)
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": "JWT"})


def main(argv: list[str] | None = None) -> int:
    """Parse options (defaults from LC_JWT_SECRETS[_FILE]/ISSUERS/AUDIENCE) and print one token."""
    defaults = token_defaults()
    parser = argparse.ArgumentParser(prog="python -m backend.devtoken", description=__doc__)
    parser.add_argument("--secret", default=defaults["secret"],
                        help="signing secret (default: first of LC_JWT_SECRETS or of LC_JWT_SECRETS_FILE,"
                             " else the dev secret)")
    parser.add_argument("--iss", default=defaults["iss"], help="issuer (default: first of LC_JWT_ISSUERS)")
    parser.add_argument("--aud", default=defaults["aud"], help="audience (default: LC_JWT_AUDIENCE)")
    parser.add_argument("--sub", default="1", help="agent id (default: 1)")
    parser.add_argument("--ticket-id", type=int, default=1001,
                        help="claimed ticket id (default: 1001; 0 omits it)")
    parser.add_argument("--expiry", type=int, default=300, help="lifetime in seconds (default: 300)")
    parser.add_argument("--iat", type=int, default=None, help="issued-at epoch seconds (default: now)")
    args = parser.parse_args(argv)
    token = sign(secret=args.secret, iss=args.iss, aud=args.aud, sub=args.sub,
                 ticket_id=args.ticket_id or None, expiry_s=args.expiry, now=args.iat)
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
