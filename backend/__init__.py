"""Learner Context backend: the Flask service behind the Zendesk sidebar app."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import fields

from flask import Flask

from backend import logs, web
from backend.config import Settings, load
from backend.jsonio import OrjsonProvider

_SETTING_NAMES = {f.name for f in fields(Settings)}


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app: settings from LC_* (lower-case Settings names in `config` override them;
    other keys such as AUDIT_TABLE go to app.config). Raises ConfigError on a bad environment."""
    # Imported here so that `import backend.config` (jobs, scripts) does not load the whole service.
    from backend.api import State
    from backend.api import bp as api_bp
    from backend.audit import AuditStore
    from backend.context import ContextService
    from backend.health import bp as health_bp
    from backend.ratelimit import RateLimiter
    from backend.readiness import Remembered

    config = dict(config or {})
    settings = load(**{k: v for k, v in config.items() if k in _SETTING_NAMES})
    logs.configure(settings.log_level)
    from backend.config_checks import warnings

    for warning in warnings(settings):
        logging.getLogger("backend").warning("configuration: %s", warning)
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.json.sort_keys = False  # keep the contract's field order
    app.config.update({k: v for k, v in config.items() if k not in _SETTING_NAMES})
    web.install(app, settings.max_body_bytes)
    audit = AuditStore(settings.database_url, settings.audit_hash_key,
                       table=app.config.get("AUDIT_TABLE", "lc_audit"), schema=app.config.get("AUDIT_SCHEMA"))
    audit.create()
    limiter = RateLimiter(settings.rate_limit, settings.redis_url, account_limit=settings.rate_limit_account,
                          key_prefix=app.config.get("RATE_LIMIT_PREFIX", "lc-rate"))
    context = ContextService(settings)
    app.extensions["lc"] = State(settings=settings, audit=audit, limiter=limiter, context=context,
                                 readiness=Remembered(settings.ready_cache_s))
    app.register_blueprint(api_bp)
    app.register_blueprint(health_bp)
    return app
