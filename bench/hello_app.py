"""The reference for throughput: a hello-world Flask app served by the same gunicorn configuration."""
from __future__ import annotations

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    """Answers like the backend's liveness check, so the same start-up wait works."""
    return jsonify(status="ok")


@app.post("/hello")
def hello():
    """The smallest JSON endpoint."""
    return jsonify(hello="world")
