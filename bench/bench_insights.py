"""Insights benchmarks: export throughput against the sandbox, re-run cost, alert back-test figures."""
from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from insights import alerts, backtest, config, export, warehouse
from insights.zendesk import Http, zenpy_client
from tests.servers import start_sandbox

RECENT_WEEKS = 4
SENSITIVITIES = (3.0, 4.0, 5.0, 6.0)


def _exporter(settings: config.Settings, engine, start: datetime | None = None) -> export.Exporter:  # noqa: ANN001
    return export.Exporter(Http(settings), zenpy_client(settings), engine, settings.export_page_size,
                           start=start, progress=False)


def _timed(fn) -> float:  # noqa: ANN001 - any zero-argument callable
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def run() -> str:
    """Measure against a fresh sandbox; returns the Markdown section for BENCHMARKS.md."""
    sandbox = start_sandbox()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-insights-") as tmp:
            return _measure(sandbox.url, Path(tmp))
    finally:
        sandbox.stop()


def _measure(url: str, tmp: Path) -> str:
    base = replace(config.load({}), zendesk_url=url)
    lines = ["## Insights (export, alerts back-test)", ""]

    # 1. The whole year's tickets (with metric sets): the bulk of a first export.
    year = replace(base, warehouse_url=f"sqlite:///{tmp / 'year.db'}")
    year_engine = warehouse.engine_for(year.warehouse_url)
    warehouse.create_all(year_engine)
    ex = _exporter(year, year_engine)
    seconds = _timed(lambda: ex.tickets(None))
    n = ex.summary.counts.get("tickets", 0)
    rerun = _exporter(year, year_engine)
    again = _timed(lambda: rerun.tickets(None))

    # 2. Every stream for the recent weeks, then a run with nothing new.
    recent = replace(base, warehouse_url=f"sqlite:///{tmp / 'recent.db'}")
    recent_engine = warehouse.engine_for(recent.warehouse_url)
    warehouse.create_all(recent_engine)
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(weeks=RECENT_WEEKS)
    full = _exporter(recent, recent_engine, start)
    full_s = _timed(full.run)
    noop = _exporter(recent, recent_engine, start)
    noop_s = _timed(noop.run)

    lines += [
        "| export | tickets | requests | seconds | tickets/s |",
        "|---|---:|---:|---:|---:|",
        f"| tickets stream, whole year (1000/page, metric_sets) | {n} | {ex.http.requests} | {seconds:.1f} "
        f"| {n / seconds:.0f} |",
        f"| all streams, last {RECENT_WEEKS} weeks | {full.summary.counts.get('tickets', 0)} "
        f"| {full.http.requests} | {full_s:.1f} | {full.summary.counts.get('tickets', 0) / full_s:.0f} |",
        "",
        f"Re-run with nothing new: tickets stream {again * 1000:.0f} ms ({rerun.http.requests} request), "
        f"all streams {noop_s * 1000:.0f} ms ({noop.http.requests} requests) = "
        f"{noop_s / full_s:.2%} of the first run's time; {noop.summary.counts.get('tickets', 0)} tickets "
        f"and {noop.summary.counts.get('ratings', 0)} ratings rewritten (ratings are re-read for a "
        "week: surveys are answered late).",
        "",
    ]

    # 3. Back-test over the whole year against the labelled spikes, for a few sensitivities.
    spikes = backtest.spikes_from(requests.get(f"{url}/_sandbox/zendesk/spikes", timeout=10).json())
    lines += ["Alert back-test over the generated year (checks every 5 min, baseline = median/MAD of the "
              f"same weekday-hour over the preceding {base.alert_weeks} weeks, cooldown "
              f"{base.alert_cooldown_min} min, min count {base.alert_min_count}, each window judged "
              f"{base.alert_index_lag_s} s after it ends, when search has indexed it):", "",
              "| sensitivity k | alerts | precision | recall | median time to alert |",
              "|---:|---:|---:|---:|---:|"]
    for k in SENSITIVITIES:
        rule = alerts.rule_from(replace(base, alert_sensitivity=k))
        result = backtest.run(year_engine, spikes, rule, base.alert_weeks, lag_s=base.alert_index_lag_s)
        tta = result.median_time_to_alert
        mark = " (default)" if k == base.alert_sensitivity else ""
        lines.append(f"| {k:g}{mark} | {len(result.alerts)} | {_pct(result.precision)} | "
                     f"{_pct(result.recall)} ({len(result.caught)}/{len(result.spikes)}) | "
                     f"{'n/a' if tta is None else f'{tta.total_seconds() / 60:.0f} min'} |")
    default = backtest.run(year_engine, spikes, alerts.rule_from(base), base.alert_weeks,
                           lag_s=base.alert_index_lag_s)
    lines += ["", "Precision = alerts inside a labelled spike / alerts; recall = spikes with at least one "
              "alert / spikes; time to alert = spike start to its first alert. Multi-day spikes can alert "
              "again after a quiet night longer than the cooldown.", "",
              "Per spike at the default sensitivity:", ""]
    lines += [f"- {line.strip()}" for line in default.lines()[4:]]
    year_engine.dispose()
    recent_engine.dispose()
    return "\n".join(lines) + "\n"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


if __name__ == "__main__":
    print(run())
