"""The local Zendesk ticket page: hosts the sidebar app over the real ZAF protocol, with its proxy."""
from __future__ import annotations

import pathlib

import flask

from sandbox.ticket_page.routes import build_blueprint


def register(app: flask.Flask, data_dir: pathlib.Path) -> None:
    """Add the ticket page (`/`), its assets and proxy (`/_page/…`) and the app files (`/app/…`)."""
    app.register_blueprint(build_blueprint(data_dir))
