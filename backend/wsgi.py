"""WSGI entry point for gunicorn: `backend.wsgi:app`."""
from __future__ import annotations

import sys

from backend import create_app
from backend.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.stderr.write(f"learner-context backend cannot start: {exc}\n")
    raise
