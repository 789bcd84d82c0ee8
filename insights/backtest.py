"""Replay the warehouse's history hour by hour through the live alert rule and score it against labels."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

import numpy as np
from sqlalchemy import Engine, select

from insights.baseline import MAD_TO_SIGMA, MIN_WEEKS, Rule, hour_start
from insights.warehouse import parse_time, tickets, tickets_since

HOURS_PER_WEEK = 168


@dataclass(frozen=True)
class Spike:
    """A labelled spike: [start, end) in naive UTC."""

    kind: str
    label: str
    start: datetime
    end: datetime


@dataclass
class Result:
    """Back-test figures: which alerts fired, which spikes they caught and how fast."""

    alerts: list[datetime]
    spikes: list[Spike]
    caught: dict[str, timedelta]  # spike label -> time from its start to the first alert inside it
    true_alerts: int
    hours: int
    checks_per_hour: int

    @property
    def precision(self) -> float | None:
        return self.true_alerts / len(self.alerts) if self.alerts else None

    @property
    def recall(self) -> float | None:
        return len(self.caught) / len(self.spikes) if self.spikes else None

    @property
    def median_time_to_alert(self) -> timedelta | None:
        return median(self.caught.values()) if self.caught else None

    def lines(self) -> list[str]:
        """Human-readable figures, one per line."""
        tta = self.median_time_to_alert
        pct = (lambda v: "n/a" if v is None else f"{v:.0%}")  # noqa: E731 - local formatter
        out = [f"replayed {self.hours} hours ({self.hours // HOURS_PER_WEEK} weeks), "
               f"{self.checks_per_hour} checks per hour",
               f"alerts: {len(self.alerts)} ({self.true_alerts} inside a labelled spike)",
               f"precision {pct(self.precision)}, recall {pct(self.recall)} "
               f"({len(self.caught)}/{len(self.spikes)} spikes)",
               f"median time to alert: {'n/a' if tta is None else f'{tta.total_seconds() / 60:.0f} min'}"]
        out += [f"  {s.kind} {s.label!r} {s.start:%Y-%m-%d %H:%M}: "
                + (f"alerted after {self.caught[s.label].total_seconds() / 60:.0f} min"
                   if s.label in self.caught else "missed") for s in self.spikes]
        return out


def spikes_from(body: dict) -> list[Spike]:
    """Labelled spikes from the sandbox's {"data": [{"kind","label","start","end"}]}."""
    return [Spike(kind=str(s.get("kind")), label=str(s.get("label")), start=parse_time(s["start"]),
                  end=parse_time(s["end"])) for s in body.get("data") or []]


def minute_counts(engine: Engine) -> tuple[datetime, np.ndarray]:
    """(first hour, tickets created per minute from it) for every non-deleted ticket in the warehouse."""
    with engine.connect() as conn:
        since = tickets_since(conn)
        query = select(tickets.c.created_at).where(tickets.c.deleted.is_(False),
                                                   tickets.c.created_at.is_not(None))
        created = [r[0] for r in conn.execute(query)]
    if since is not None:  # before the export's start the table only holds tickets updated later
        since = hour_start(since) + (timedelta(hours=1) if since != hour_start(since) else timedelta())
        created = [c for c in created if c >= since]
    if not created:
        return datetime(1970, 1, 1), np.zeros(0, dtype=np.int64)
    origin = hour_start(min(created)) if since is None else max(since, hour_start(min(created)))
    offsets = np.array([int((c - origin).total_seconds() // 60) for c in created], dtype=np.int64)
    hours = int(offsets.max() // 60) + 1
    return origin, np.bincount(offsets, minlength=hours * 60)


def run(engine: Engine, spikes: list[Spike], rule: Rule, weeks: int, step_min: int = 5,
        lag_s: int = 0) -> Result:
    """Check every `step_min` minutes of every hour with a baseline from preceding weeks only.

    A live check can count only up to the search index's lag ago (alerts.indexed_until): the window
    ending at minute m is judged lag_s after it, so that is when its alert goes out (and is scored)."""
    origin, per_minute = minute_counts(engine)
    hours = per_minute.size // 60
    grid = per_minute[: hours * 60].reshape(hours, 60)
    hourly = grid.sum(axis=1).astype(float)
    past = np.full((hours, weeks), np.nan)
    for w in range(1, weeks + 1):
        shift = w * HOURS_PER_WEEK
        if shift < hours:
            past[shift:, w - 1] = hourly[:-shift]
    enough = (~np.isnan(past)).sum(axis=1) >= MIN_WEEKS
    with warnings.catch_warnings():  # hours without history give NaN, masked by `enough` below
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(past, axis=1)
        mad = np.nanmedian(np.abs(past - med[:, None]), axis=1)
    sigma = np.maximum(MAD_TO_SIGMA * mad, np.sqrt(np.maximum(med, 1.0)))
    checks = [m for m in range(step_min, 61, step_min) if m >= rule.min_elapsed_min]
    cumulative = np.cumsum(grid, axis=1)
    fired: list[datetime] = []
    for minute in checks:
        count = cumulative[:, minute - 1]
        limit = (minute / 60) * (med + rule.sensitivity * sigma)
        hit = enough & (count >= rule.min_count) & (count > limit)
        judged = timedelta(minutes=minute, seconds=lag_s)  # when a live check could count that window
        fired += [origin + timedelta(hours=int(h)) + judged for h in np.flatnonzero(hit)]
    alerts: list[datetime] = []
    last_trigger: datetime | None = None
    for moment in sorted(fired):  # the cooldown, exactly as the live check applies it
        if last_trigger is None or moment - last_trigger >= timedelta(minutes=rule.cooldown_min):
            alerts.append(moment)
        last_trigger = moment
    caught: dict[str, timedelta] = {}
    true_alerts = 0
    for moment in alerts:
        inside = [s for s in spikes if s.start <= moment <= s.end]
        true_alerts += bool(inside)
        for s in inside:
            caught.setdefault(s.label, moment - s.start)
    return Result(alerts=alerts, spikes=spikes, caught=caught, true_alerts=true_alerts, hours=hours,
                  checks_per_hour=len(checks))
