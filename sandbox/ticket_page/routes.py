"""HTTP routes of the ticket page: the page on localhost, the app on 127.0.0.1, boot data, the proxy."""
from __future__ import annotations

import pathlib

import flask
import requests
from werkzeug.security import safe_join

from sandbox.ticket_page import config as page_config
from sandbox.ticket_page.forward import failure, forward
from sandbox.ticket_page.installation import APP_ID, Registry
from sandbox.ticket_page.proxy import ProxyRejected, prepare
from sandbox.ticket_page.sdk import SdkChoice
from sandbox.ticket_page.tickets import TicketUnavailable, ZendeskReader

STATIC = pathlib.Path(__file__).resolve().parent / "static"
PAGE_HOSTS = ("localhost",)
APP_HOSTS = ("127.0.0.1",)


def _error(status: int, code: str, message: str) -> flask.Response:
    resp = flask.jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


def _hostname() -> str:
    return (flask.request.host or "").rsplit(":", 1)[0].lower()


def _port() -> str:
    host = flask.request.host or ""
    return host.rsplit(":", 1)[1] if ":" in host else str(flask.request.environ.get("SERVER_PORT", "80"))


def _app_origin() -> str:
    return f"http://127.0.0.1:{_port()}"


def build_blueprint(data_dir: pathlib.Path, cfg: page_config.PageConfig | None = None) -> flask.Blueprint:
    """The page's routes; settings come from the environment (read once, here) unless given."""
    cfg = cfg or page_config.load()
    registry = Registry(cfg)
    session = requests.Session()
    sdk_choice = SdkChoice(cfg, session)
    bp = flask.Blueprint("ticket_page", __name__)

    def reader() -> ZendeskReader:
        base = cfg.zendesk_url or f"http://127.0.0.1:{_port()}"
        return ZendeskReader(base, cfg.zendesk_email, cfg.zendesk_api_token, session)

    @bp.before_request
    def page_only_on_localhost():
        # Page and app are two origins on one port: keep each on its own host name.
        path = flask.request.path
        if path.startswith("/app/") and _hostname() not in APP_HOSTS:
            return _error(404, "not_found", "the app is served from http://127.0.0.1:<port>/app/")
        if path.startswith("/_page/") and path != "/_page/zaf_sdk.js" and _hostname() not in PAGE_HOSTS:
            return _error(404, "not_found", "the ticket page lives on http://localhost:<port>/")
        return None

    @bp.get("/")
    def index():
        if _hostname() not in PAGE_HOSTS:
            return flask.redirect(f"http://localhost:{_port()}/", code=302)
        resp = flask.send_file(STATIC / "index.html", max_age=0)
        resp.headers["Content-Security-Policy"] = (
            f"default-src 'self'; frame-src {_app_origin()}; img-src 'self' data:; object-src 'none'")
        return resp

    @bp.get("/_page/static/<name>")
    def static_file(name: str):
        path = safe_join(str(STATIC), name)
        if path is None or not pathlib.Path(path).is_file():
            return _error(404, "not_found", "no such page asset")
        return flask.send_file(path, max_age=0)

    @bp.get("/_page/zaf_sdk.js")
    def sdk():
        if not cfg.sdk_path.is_file():
            return _error(404, "sdk_not_built", "run `node scripts/build_sdk.mjs` (make sdk) first")
        return flask.send_file(cfg.sdk_path, mimetype="text/javascript", max_age=0)

    @bp.get("/_page/boot")
    def boot():
        query = {k[len("setting."):]: v for k, v in flask.request.args.items() if k.startswith("setting.")}
        inst = registry.create(query)
        return flask.jsonify({
            "installation": inst.key, "appId": APP_ID, "installationId": inst.installation_id,
            "name": inst.name, "version": inst.version, "settings": inst.public_settings(),
            "subdomain": cfg.subdomain, "appOrigin": _app_origin(),
            "appPath": "/app/assets/iframe.html",
        })

    @bp.get("/_page/tickets")
    def ticket_list():
        return flask.jsonify({"tickets": reader().summaries()})

    @bp.get("/_page/tickets/<int:ticket_id>")
    def ticket(ticket_id: int):
        try:
            return flask.jsonify(reader().ticket(ticket_id))
        except TicketUnavailable as exc:
            return _error(exc.status, "ticket_unavailable", exc.message)

    @bp.get("/_page/users")
    def user_by_email():
        email = flask.request.args.get("email", "").strip()
        if "@" not in email:
            return _error(400, "bad_request", "give ?email=<an existing user's address>")
        try:
            return flask.jsonify({"requester": reader().find_user(email)})
        except TicketUnavailable as exc:
            return _error(exc.status, "user_unavailable", exc.message)

    @bp.put("/_page/tickets/<int:ticket_id>")
    def save_ticket(ticket_id: int):
        """Submit: the ticket's fields the page can change (its requester) saved through the Zendesk API."""
        body = flask.request.get_json(silent=True)
        user_id = body.get("requester_id") if isinstance(body, dict) else None
        if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
            return _error(400, "bad_request", 'expected {"requester_id": <user id>}')
        try:
            return flask.jsonify(reader().save_requester(ticket_id, user_id))
        except TicketUnavailable as exc:
            return _error(exc.status, "ticket_unavailable", exc.message)

    @bp.post("/_page/proxy")
    def proxy():
        body = flask.request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("options"), dict):
            return _error(400, "bad_request", "expected {installation, options}")
        inst = registry.get(str(body.get("installation") or ""))
        if inst is None:
            return _error(404, "unknown_installation", "reload the page: this installation is unknown")
        try:
            out = prepare(body["options"], inst, max_timeout_s=cfg.proxy_timeout_s)
        except ProxyRejected as exc:
            return flask.jsonify(failure(exc.status, exc.code, exc.message))
        return flask.jsonify(forward(out, session))

    @bp.get("/app/<path:name>")
    def app_file(name: str):
        path = safe_join(str(cfg.app_dir), name)
        if path is None or not pathlib.Path(path).is_file():
            return _error(404, "not_found", "no such app file")
        if cfg.sdk_source != "cdn" and path.endswith(".html"):
            html = sdk_choice.html(pathlib.Path(path).read_bytes(), f"{_app_origin()}/_page/zaf_sdk.js")
            return flask.Response(html, mimetype="text/html")
        return flask.send_file(path, max_age=0)

    return bp
