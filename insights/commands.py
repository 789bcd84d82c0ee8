"""The four jobs behind `python -m insights`: settings and parsed arguments in, an exit code out."""
from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from insights import alerts, config, export, report, warehouse
from insights.problems import db_problem
from insights.runs import StopSignal, job_lock
from insights.zendesk import Http, ZendeskUnavailable, zenpy_client

OK, FAILURE, USAGE, UNAVAILABLE, ALREADY_RUNNING, INCOMPLETE = 0, 1, 2, 3, 4, 5  # what a scheduler sees
log = logging.getLogger("insights")


class Usage(Exception):
    """Bad arguments or configuration (exit 2)."""


def open_warehouse(settings: config.Settings):  # noqa: ANN201 - an SQLAlchemy Engine
    """The warehouse engine with every table present; Usage if the URL leads to no usable warehouse."""
    engine = warehouse.engine_for(settings.warehouse_url, settings.warehouse_lock_wait_s)
    try:
        warehouse.create_all(engine)
    except (OperationalError, InterfaceError):
        raise  # the server is down or unreachable: exit 3, the next run may find it
    except DBAPIError as exc:
        engine.dispose()
        hint = _no_warehouse(exc)
        if hint is None:
            raise  # a warehouse that refuses to be brought up to date: a failure (exit 1), not a usage error
        raise Usage(f"LC_WAREHOUSE_URL does not lead to a usable warehouse{hint}: {db_problem(exc)}") from exc
    return engine


def _no_warehouse(exc: DBAPIError) -> str | None:
    """The hint when the URL leads to something that is no warehouse at all (no such schema, not a database
    file), None when the error came from a usable warehouse."""
    if getattr(exc.orig, "sqlstate", None) == "3F000":  # invalid_schema_name: no search_path schema exists
        return " (no schema of its search_path exists: create it)"
    if getattr(exc.orig, "sqlite_errorname", None) == "SQLITE_NOTADB":
        return ""
    return None


def locked(job: Callable[[config.Settings, argparse.Namespace], int]) -> Callable[..., int]:
    """job run while holding its lock on the warehouse: overlapping cron runs never double-write or alert."""
    def run(settings: config.Settings, args: argparse.Namespace) -> int:
        engine = warehouse.engine_for(settings.warehouse_url, settings.warehouse_lock_wait_s)
        try:
            with job_lock(engine, args.command):
                return job(settings, args)
        finally:
            engine.dispose()
    return run


def cmd_export(settings: config.Settings, args: argparse.Namespace) -> int:
    if args.since and args.since > datetime.now(UTC).replace(tzinfo=None):
        raise Usage("--since is in the future")
    engine = open_warehouse(settings)
    http = Http(settings)
    try:
        start = warehouse.parse_time(settings.export_start) if settings.export_start else None
        client = zenpy_client(settings)
        exporter = export.Exporter(http, client, engine, settings.export_page_size, start=start)
        summary = exporter.run(args.since)
    finally:
        http.close()
    print(summary.line())
    # Finished, but a second held more ticket events than a page: some may be missing (logged above).
    return INCOMPLETE if summary.crowded else OK


def summary(result: alerts.Check) -> str:
    """The line a check prints; a replay's alert adds the message it would have sent."""
    d = result.decision
    if result.replay is not None:
        state = f"ALERT would be sent (replay: not sent, nothing recorded):\n{result.replay['text']}"
    else:
        state = "ALERT sent" if result.sent else "spike, cooling down"
    window = f"{result.hour:%H:%M}-{result.until:%H:%M}"
    return (f"alerts {result.at:%Y-%m-%dT%H:%M}Z: {d.count} tickets {window} (newer ones not yet "
            f"searchable), threshold {d.threshold:.1f} - {state if d.alert else d.reason}")


def cmd_alerts(settings: config.Settings, args: argparse.Namespace) -> int:
    if args.at and args.at > datetime.now(UTC).replace(tzinfo=None):
        raise Usage("--at is in the future")
    if args.at and args.watch:
        raise Usage("--at replays one moment; it cannot be combined with --watch")
    engine = open_warehouse(settings)
    with closing(Http(settings)) as http, StopSignal(active=args.watch) as stop:
        while True:
            at = args.at or datetime.now(UTC).replace(tzinfo=None)
            try:
                result = alerts.check(settings, engine, http, at, dry_run=args.at is not None)
            except (ZendeskUnavailable, alerts.WebhookFailed, OperationalError) as exc:
                if not args.watch:
                    raise
                # A watcher outlives outages: report this check as missed and try again next time.
                why = type(exc).__name__ if isinstance(exc, OperationalError) else str(exc)
                log.error("check at %s missed: %s", f"{at:%Y-%m-%dT%H:%M}Z", why)
            else:
                print(summary(result), flush=True)
            if not args.watch or stop.wait(settings.alert_watch_s):
                return OK  # a watcher stops on SIGINT or SIGTERM after its current check


def cmd_backtest(settings: config.Settings, args: argparse.Namespace) -> int:
    from insights import backtest  # numpy: only this command needs it

    if args.spikes:
        try:
            spikes = backtest.spikes_from(json.loads(args.spikes.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise Usage(f"--spikes: no labelled spikes in {args.spikes} ({type(exc).__name__})") from exc
    else:
        http = Http(settings)
        try:
            spikes = backtest.spikes_from(http.get_json("/_sandbox/zendesk/spikes"))
        finally:
            http.close()
    engine = open_warehouse(settings)
    result = backtest.run(engine, spikes, alerts.rule_from(settings), settings.alert_weeks,
                          lag_s=settings.alert_index_lag_s)
    print("\n".join(result.lines()))
    return OK


def cmd_report(settings: config.Settings, args: argparse.Namespace) -> int:
    try:
        report.week_bounds(args.week)
    except ValueError as exc:
        raise Usage(str(exc)) from exc
    engine = open_warehouse(settings)
    with engine.connect() as conn:
        built = report.build(conn, args.week)
    from insights import render  # matplotlib takes a while to import: only this command needs it

    html_path, csv_path = render.write(built, args.out)
    print(f"report {args.week}: {len(built.rows)} agents -> {html_path} and {csv_path}")
    return OK


COMMANDS: dict[str, Callable[[config.Settings, argparse.Namespace], int]] = {
    "export": locked(cmd_export), "alerts": locked(cmd_alerts),
    "backtest": cmd_backtest, "report": cmd_report,  # read-only: any number may run side by side
}


