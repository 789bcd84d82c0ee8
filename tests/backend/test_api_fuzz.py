"""The API against its own OpenAPI document: generated requests, valid and invalid, get documented
answers. Never a 500; the status, headers and body conform; invalid bodies are refused and valid
ones accepted (schemathesis, derandomized so every run sends the same cases)."""
from __future__ import annotations

import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from werkzeug.serving import make_server

from backend import create_app
from backend.openapi import openapi_spec
from tests.backend.conftest import bearer, token
from tests.backend.test_api import sandbox_config


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory, sandbox):
    """The backend as deployed (ticket-bound, on the sandbox's systems and Zendesk API), served on a
    loopback port: the checks' own probes (a request without the token, say) go there too."""
    app = create_app(sandbox_config(tmp_path_factory.mktemp("fuzz"), sandbox, rate_limit="1000000/minute",
                                    rate_limit_account="1000000/minute",
                                    zendesk_url=sandbox.url, zendesk_email="agent@demo.example",
                                    zendesk_api_token="sandbox-zendesk-token"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["lc"].close()


# The document the app serves (test_http.py checks that it is this one), built without an app.
schema = schemathesis.openapi.from_dict(openapi_spec())


def claimed_ticket(body: object) -> int:
    """The ticket the token claims: the body's own, as the app sends both for the ticket on screen
    (a disagreement is a 400 ticket_mismatch, specified in test_api.py)."""
    ticket = body.get("ticket") if isinstance(body, dict) else None
    ticket_id = ticket.get("id") if isinstance(ticket, dict) else None
    valid = isinstance(ticket_id, int) and not isinstance(ticket_id, bool) and 0 < ticket_id < 2**63
    return ticket_id if valid else 1001


@schema.parametrize()
@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_generated_requests_get_documented_answers(case, backend_url):
    case.call_and_validate(base_url=backend_url, headers=bearer(token(ticket_id=claimed_ticket(case.body))))
