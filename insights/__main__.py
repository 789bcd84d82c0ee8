"""Command line: `python -m insights export|alerts|backtest|report`; exit codes a scheduler understands."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from insights import alerts, config, warehouse
from insights.commands import ALREADY_RUNNING, COMMANDS, FAILURE, OK, UNAVAILABLE, USAGE, Usage
from insights.problems import db_problem, waited_for_lock
from insights.runs import AlreadyRunning
from insights.zendesk import ZendeskRefused, ZendeskUnavailable

log = logging.getLogger("insights")
EPOCH = datetime(1970, 1, 1)


def moment(value: str) -> datetime:
    """A date (2026-11-01) or an ISO time (2026-11-01T09:30Z) as naive UTC."""
    try:
        parsed = warehouse.parse_time(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-01 or a time like 2026-11-01T09:30Z, "
                                         f"got {value!r}")
    if parsed < EPOCH:  # Zendesk's start_time is Unix seconds: nothing is older
        raise argparse.ArgumentTypeError(f"{value!r} is before 1970-01-01")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns 0 ok, 1 failure, 2 usage, 3 dependency unavailable, 4 already running,
    5 export finished but some ticket events could not be read (a second too crowded to page)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # psycopg warns again about the pipeline a refused statement aborted: the one error line below suffices.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
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
        if waited_for_lock(exc):
            log.error("warehouse busy: another session held a lock this run needed for over %g s "
                      "(LC_WAREHOUSE_LOCK_WAIT_S); this run stopped, the next one carries on",
                      settings.warehouse_lock_wait_s)
        else:
            log.error("warehouse unavailable: %s", type(exc.orig or exc).__name__)
        return UNAVAILABLE
    except DBAPIError as exc:  # the warehouse refused a statement: retrying the same data will not help
        log.error("%s failed: the warehouse refused a write or query: %s", args.command, db_problem(exc))
        return FAILURE
    except KeyboardInterrupt:
        log.info("interrupted")
        return OK if args.command == "alerts" else FAILURE
    except (ZendeskRefused, ValueError, OSError) as exc:
        log.error("%s failed: %s", args.command, exc)
        return FAILURE


if __name__ == "__main__":
    sys.exit(main())
