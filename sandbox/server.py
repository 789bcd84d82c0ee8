"""Compose the sandbox: internal APIs, Zendesk stand-in, ticket page, webhooks, control plane; serve it."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import WSGIRequestHandler, make_server

from sandbox.config import SandboxSettings
from sandbox.control import Control
from sandbox.internal.app import create_app
from sandbox.internal.generate import DB_NAME
from sandbox.middleware import ControlMiddleware

log = logging.getLogger("sandbox")
OPTIONAL_PARTS = ("sandbox.zendesk", "sandbox.ticket_page", "sandbox.webhooks")


def optional(name: str) -> ModuleType | None:
    """Import a part other helpers own, or None while it does not exist; any other import error surfaces."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        log.warning("%s is not available: its routes are not served", name)
        return None


def build(data_dir: Path, settings: SandboxSettings, control: Control | None = None) -> ControlMiddleware:
    """The whole sandbox as one WSGI app (data must already be generated in data_dir)."""
    main = Flask("sandbox")
    for name in OPTIONAL_PARTS:
        module = optional(name)
        if module is not None:
            module.register(main, data_dir)
    internal = create_app(data_dir / DB_NAME, settings)
    composed = DispatcherMiddleware(main, {"/internal": internal})
    return ControlMiddleware(composed, control, health=(data_dir / DB_NAME).exists)


class QuietHandler(WSGIRequestHandler):
    """Access log without query strings: they carry emails and other identifiers."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = self.path.split("?", 1)[0]
        log.info("%s %s %s", self.command, path, code)


def serve(host: str, port: int, data_dir: Path, settings: SandboxSettings) -> None:
    """Serve forever on host:port with a thread per connection (a hung request blocks nobody else)."""
    server = make_server(host, port, build(data_dir, settings), threaded=True, request_handler=QuietHandler)
    server.daemon_threads = True  # hung requests must not keep the process alive on shutdown
    log.info("sandbox serving on http://%s:%d (data %s)", host, port, data_dir)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
