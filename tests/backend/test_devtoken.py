"""`python -m backend.devtoken` signs what the backend accepts, exactly like Zendesk's proxy."""

from __future__ import annotations

import os
import subprocess
import sys

import jwt

from backend.auth import verify
from backend.config import DEV_SECRET, load
from tests.servers import ROOT

SECRET = "rotation-secret-0123456789-abcdefghijkl"


def run_cli(*args: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    out = subprocess.run(
        [sys.executable, "-m", "backend.devtoken", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return out.stdout.strip()


def settings(secret: str, issuer: str):
    urls = {f"{s}_api_url": f"http://127.0.0.1:9/{s}" for s in ("learner", "enrolment", "course", "payment")}
    return load({}, env="test", jwt_secrets=(secret,), jwt_issuers=(issuer,), audit_hash_key="k", **urls)


def test_defaults_are_the_dev_secret_demo_issuer_and_ticket_1001():
    token = run_cli()
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, DEV_SECRET, algorithms=["HS256"], audience="learner-context")
    assert set(claims) == {"iss", "aud", "sub", "iat", "exp", "ticket_id"}
    assert (claims["iss"], claims["sub"], claims["ticket_id"]) == ("https://demo.zendesk.com", "1", 1001)
    assert claims["exp"] - claims["iat"] == 300


def test_options_and_environment_are_honoured_and_the_backend_accepts_the_token():
    token = run_cli(
        "--sub",
        "7",
        "--ticket-id",
        "1002",
        "--expiry",
        "120",
        LC_JWT_SECRETS=f"{SECRET},old-one",
        LC_JWT_ISSUERS="https://acme.zendesk.com",
    )
    agent = verify(token, settings(SECRET, "https://acme.zendesk.com"))
    assert (agent.iss, agent.sub, agent.ticket_id) == ("https://acme.zendesk.com", "7", 1002)


def test_ticket_id_zero_leaves_the_claim_out():
    token = run_cli("--ticket-id", "0", "--secret", SECRET, "--iss", "https://x.zendesk.com")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="learner-context")
    assert "ticket_id" not in claims and claims["iss"] == "https://x.zendesk.com"
