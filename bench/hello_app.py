"""The references for throughput: hello-world Flask endpoints served by the same gunicorn configuration.

`/hello` is the issue's reference. `/hello-audited` is the cheapest endpoint that keeps the
backend's audit rule: it commits one audit row through the backend's own AuditStore (same writer,
same SQLite settings) before answering. Against it, benchmark (b) separates what the durable
audit commit costs any endpoint from what the lookup's own work costs."""
from __future__ import annotations

from flask import Flask, jsonify

from backend.audit import AuditStore
from backend.config import load
from backend.lookup import Agent, LookupResult

# The row a warm lookup of amelie.durand@example.fr writes: one identifier, four sections.
_AGENT = Agent(iss="https://demo.zendesk.com", sub="bench", ticket_id=1001)
_RESULT = LookupResult(body={}, identifiers=[("email", "amelie.durand@example.fr")], match_count=1,
                       section_statuses=dict.fromkeys(("learner", "enrolments", "courses", "payments"), "ok"),
                       ticket_id=1001)


def create_app(audit: AuditStore | None = None) -> Flask:
    """The reference app; its audit store is the one LC_DATABASE_URL names unless one is given."""
    if audit is None:
        settings = load()
        audit = AuditStore(settings.database_url, settings.audit_hash_key)
    audit.create()
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz():
        """Answers like the backend's liveness check, so the same start-up wait works."""
        return jsonify(status="ok")

    @app.post("/hello")
    def hello():
        """The smallest JSON endpoint."""
        return jsonify(hello="world")

    @app.post("/hello-audited")
    def hello_audited():
        """The smallest JSON endpoint that answers only once its audit row is committed."""
        audit.record(_AGENT, _RESULT, request_id="bench", latency_ms=0.0)
        return jsonify(hello="world")

    return app
