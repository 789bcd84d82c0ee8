"""gunicorn settings for the backend: threaded workers, since a lookup mostly waits on the network."""
from __future__ import annotations

import sys
from pathlib import Path

# `gunicorn -c /path/to/gunicorn.conf.py` from any directory: the backend package lives beside this file.
# The master puts it on sys.path before importing it; forked workers inherit the path.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from gunicorn.glogging import Logger  # noqa: E402 - after the path above

from backend.config import ConfigError, hold_secrets, load, server_options  # noqa: E402 - after the path above

try:
    _options, _option_problems = server_options(), []
except ConfigError as _exc:  # reported with the other settings' problems by on_starting
    _options, _option_problems = server_options({}), _exc.problems
wsgi_app = "backend.wsgi:app"
bind = _options["bind"]
workers = _options["workers"]  # one per core on the 2-core target
worker_class = "gthread"
threads = _options["threads"]  # concurrent lookups per worker, each mostly idle on I/O
timeout = 30  # a lookup ends at LC_DEADLINE_MS; this only catches a wedged worker
graceful_timeout = 10
keepalive = 5
accesslog = None  # the app logs one JSON line per request itself (without PII)
errorlog = "-"
# gunicorn's own messages as JSON lines too, like the app's (backend/logs.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "backend.logs.JsonFormatter"}},
    "handlers": {name: {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
                 for name in ("console", "error_console")},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False}},
}


class _Logger(Logger):
    """gunicorn's logger, with the access log on only when `accesslog` is set.

    gunicorn counts any logconfig_dict as "access log configured" and then builds every request's
    access-log atoms (a dict of all request/response headers and the WSGI environ) only to hand
    them to a logger that writes nowhere: measurably part of a warm lookup's CPU time."""

    def _compute_access_log_enabled(self) -> bool:
        return bool(self.cfg.accesslog)


logger_class = _Logger
control_socket_disable = True  # one fixed socket path would collide between instances (tests, bench)
limit_request_line = 4096
limit_request_fields = 50
limit_request_field_size = 8190


def on_starting(server) -> None:
    """Validate LC_* once in the master so a bad environment stops gunicorn with a clear message; the
    master holds the secrets file's secrets for the workers it forks (hold_secrets)."""
    problems = list(_option_problems)
    try:
        hold_secrets(load(fresh_secrets=True))
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        sys.stderr.write(f"learner-context backend cannot start: {ConfigError(problems)}\n")
        sys.exit(1)


def post_worker_init(worker) -> None:
    """A worker has loaded the app (LC_* and the secrets the master holds): it serves from now on. After
    a SIGHUP, these lines tell when the new workers have taken over."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)


def on_reload(server) -> None:
    """SIGHUP: gunicorn has re-read this file; the master reads the file LC_JWT_SECRETS_FILE names
    afresh (the environment is the master's, unchanged) and holds its secrets for the new workers it
    now starts; it stops the old ones gracefully (requests in flight finish, new connections wait in
    the listen queue). A configuration that would not start (a secrets file half-written or with a
    short secret) is refused instead: its problems are logged and the running workers keep serving
    with the secrets held before. Were new workers started, they would fail to boot, and gunicorn
    stops altogether when a worker cannot boot."""
    try:
        hold_secrets(load(fresh_secrets=True))
    except ConfigError as exc:
        server.log.error("learner-context backend: reload refused, the running workers are kept: %s", exc)
        # gunicorn's reload starts cfg.workers new workers, then stops the oldest beyond the count it
        # had already taken from the new settings: with none started, none is stopped. The next
        # SIGHUP reads this file again, `workers` included.
        server.cfg.set("workers", 0)


def worker_exit(server, worker) -> None:
    """Close pools, executor and DB connections of the exiting worker."""
    app = getattr(worker, "wsgi", None)
    state = getattr(app, "extensions", {}).get("lc") if app is not None else None
    if state is not None:
        state.close()
