"""Command line: `python -m insights export|alerts|backtest|report`; exit codes a scheduler understands."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError

from insights import alerts, config, export, report, warehouse
from insights.runs import AlreadyRunning, StopSignal, job_lock
from insights.zendesk import Http, ZendeskRefused, ZendeskUnavailable, zenpy_client

OK, FAILURE, USAGE, UNAVAILABLE, ALREADY_RUNNING = 0, 1, 2, 3, 4
log = logging.getLogger("insights")


class Usage(Exception):
    """Bad arguments or configuration (exit 2)."""


def moment(value: str) -> datetime:
    """A date (2026-11-01) or an ISO time (2026-11-01T09:30Z) as naive UTC."""
    try:
        parsed = warehouse.parse_time(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-01 or a time like 2026-11-01T09:30Z, "
                                         f"got {value!r}")
    return parsed


def parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    p = argparse.ArgumentParser(prog="python -m insights", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="incremental export from Zendesk into the warehouse")
    ex.add_argument("--since", type=moment, help="back-fill from this date instead of the saved cursor")
    al = sub.add_parser("alerts", help="compare this hour's ticket count with the baseline; alert on spikes")
    al.add_argument("--watch", action="store_true", help="keep checking every LC_ALERT_WATCH_S seconds")
    al.add_argument("--at", type=moment, help="check as if it were this moment (replays a past hour)")
    bt = sub.add_parser("backtest", help="replay the warehouse history through the alert rule")
    bt.add_argument("--spikes", type=Path, help='labelled spikes, JSON {"data": [{"kind", "label", "start", '
                    '"end"}]} (default: GET /_sandbox/zendesk/spikes)')
    rp = sub.add_parser("report", help="weekly agent activity report (HTML + CSV)")
    rp.add_argument("--week", required=True, help="ISO week, e.g. 2026-W46")
    rp.add_argument("--out", required=True, type=Path, help="folder for the HTML and CSV")
    return p


def open_warehouse(settings: config.Settings):  # noqa: ANN201 - an SQLAlchemy Engine
    """The warehouse engine with every table present."""
    engine = warehouse.engine_for(settings.warehouse_url)
    warehouse.create_all(engine)
    return engine


def locked(job: Callable[[config.Settings, argparse.Namespace], int]) -> Callable[..., int]:
    """job run while holding its lock on the warehouse: overlapping cron runs never double-write or alert."""
    def run(settings: config.Settings, args: argparse.Namespace) -> int:
        engine = warehouse.engine_for(settings.warehouse_url)
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
    return OK


def cmd_alerts(settings: config.Settings, args: argparse.Namespace) -> int:
    if args.at and args.at > datetime.now(UTC).replace(tzinfo=None):
        raise Usage("--at is in the future")
    engine = open_warehouse(settings)
    with closing(Http(settings)) as http, StopSignal(active=args.watch) as stop:
        while True:
            at = args.at or datetime.now(UTC).replace(tzinfo=None)
            try:
                result = alerts.check(settings, engine, http, at)
            except (ZendeskUnavailable, alerts.WebhookFailed, OperationalError) as exc:
                if not args.watch:
                    raise
                # A watcher outlives outages: report this check as missed and try again next time.
                why = type(exc).__name__ if isinstance(exc, OperationalError) else str(exc)
                log.error("check at %s missed: %s", f"{at:%Y-%m-%dT%H:%M}Z", why)
            else:
                d = result.decision
                state = "ALERT sent" if result.sent else "spike, cooling down"
                print(f"alerts {at:%Y-%m-%dT%H:%M}Z: {d.count} tickets this hour, threshold "
                      f"{d.threshold:.1f} - {state if d.alert else d.reason}", flush=True)
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
    result = backtest.run(engine, spikes, alerts.rule_from(settings), settings.alert_weeks)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns 0 ok, 1 failure, 2 usage, 3 dependency unavailable, 4 already running."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the problem
        return OK if exc.code == 0 else USAGE
    try:
        settings = config.load()
        return COMMANDS[args.command](settings, args)
    except (config.ConfigError, Usage) as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return USAGE
    except AlreadyRunning:
        print(f"{args.command} is already running against this warehouse (another run holds its lock); "
              "this run did nothing", file=sys.stderr)
        return ALREADY_RUNNING
    except (ZendeskUnavailable, alerts.WebhookFailed) as exc:
        log.error("dependency unavailable: %s", exc)
        return UNAVAILABLE
    except (OperationalError, InterfaceError) as exc:
        log.error("warehouse unavailable: %s", type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        return UNAVAILABLE
    except KeyboardInterrupt:
        log.info("interrupted")
        return OK if args.command == "alerts" else FAILURE
    except (ZendeskRefused, ValueError, OSError) as exc:
        log.error("%s failed: %s", args.command, exc)
        return FAILURE


if __name__ == "__main__":
    sys.exit(main())
