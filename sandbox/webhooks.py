"""A webhook recorder: POST /_sandbox/webhooks/<name> keeps JSON bodies, GET lists them, DELETE clears."""
from __future__ import annotations

import re
import threading
import time
from collections import deque
from pathlib import Path

from flask import Flask, jsonify, request

NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_BODY_BYTES = 256 * 1024
MAX_PER_NAME = 1000
MAX_NAMES = 256


class Recorder:
    """Bodies received per webhook name, newest last, bounded in count and size."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hooks: dict[str, deque[dict]] = {}

    def add(self, name: str, body: object) -> dict:
        """Record body under name; the oldest name or entry goes when a bound is reached."""
        entry = {"received_at": time.time(), "body": body}
        with self._lock:
            if name not in self._hooks and len(self._hooks) >= MAX_NAMES:
                self._hooks.pop(next(iter(self._hooks)))
            self._hooks.setdefault(name, deque(maxlen=MAX_PER_NAME)).append(entry)
        return entry

    def list(self, name: str) -> list[dict]:
        """What name received, oldest first."""
        with self._lock:
            return list(self._hooks.get(name, ()))

    def clear(self, name: str) -> None:
        """Forget what name received."""
        with self._lock:
            self._hooks.pop(name, None)


def _error(status: int, code: str, message: str):  # noqa: ANN202 - a Flask response tuple
    return jsonify({"error": {"code": code, "message": message}}), status


def register(app: Flask, data_dir: Path) -> Recorder:
    """Add the recorder's routes to the sandbox app.

    Records live in the server's memory, not under data_dir: several sandbox processes share one data
    folder (parallel test runs), and each must see only the webhooks sent to it.
    """
    del data_dir
    recorder = Recorder()

    def hook(name: str):  # noqa: ANN202 - a Flask response
        if not NAME.match(name):
            return _error(404, "not_found", "webhook names are 1-64 letters, digits, '.', '_' or '-'")
        if request.method == "GET":
            return jsonify({"data": recorder.list(name)})
        if request.method == "DELETE":
            recorder.clear(name)
            return "", 204
        # ?status=503 makes this call fail without recording: lets tests exercise a broken webhook.
        forced = request.args.get("status", "")
        if forced.isdigit() and 400 <= int(forced) <= 599:
            return _error(int(forced), "forced_failure", f"failing on request with {forced}")
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return _error(413, "too_large", f"bodies are limited to {MAX_BODY_BYTES} bytes")
        body = request.get_json(silent=True)
        if body is None:
            return _error(400, "invalid_json", "the body must be JSON (Content-Type: application/json)")
        recorder.add(name, body)
        return jsonify({"ok": True}), 200

    app.add_url_rule("/_sandbox/webhooks/<name>", "sandbox_webhooks", hook, methods=["GET", "POST", "DELETE"])
    return recorder
