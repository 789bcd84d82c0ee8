"""Volume-spike check: this hour's live ticket count from the API against the warehouse baseline.

Zendesk's search finds a new ticket only once it has indexed it, up to a few minutes after its creation,
so a count up to now falls short by the last minutes' tickets, and more so in a spike. A check therefore
judges the hour up to `LC_ALERT_INDEX_LAG_S` ago (the indexed window), against the baseline scaled to
that window: a few minutes later, but a count and an expectation of the same minutes."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import Engine, and_, func, select

from insights.baseline import (
    MIN_WEEKS,
    Baseline,
    Decision,
    Rule,
    baseline,
    cooling_down,
    evaluate,
    hour_start,
)
from insights.config import Settings
from insights.warehouse import alert_state, tickets, tickets_since, upsert
from insights.zendesk import Http

log = logging.getLogger("insights.alerts")
STATE_KEY = "ticket_volume"


class WebhookFailed(Exception):
    """The alert webhook did not accept the message."""


@dataclass(frozen=True)
class Check:
    """The result of one check: the decision, and whether an alert went out."""

    decision: Decision
    base: Baseline | None
    hour: datetime  # the start of the hour judged
    at: datetime  # when the check ran (or the moment a replay stands for)
    until: datetime  # the end of the window counted: at less the index lag (the hour before, early on)
    sent: bool
    suppressed: bool
    replay: dict | None = None  # a dry run's alert: the webhook body it would have posted


def rule_from(settings: Settings) -> Rule:
    """The alert rule configured by LC_ALERT_*."""
    return Rule(sensitivity=settings.alert_sensitivity, min_count=settings.alert_min_count,
                min_elapsed_min=settings.alert_min_elapsed_min, cooldown_min=settings.alert_cooldown_min)


def history(engine: Engine, hour: datetime, weeks: int) -> list[int]:
    """Tickets created in the same weekday-hour of each of the past `weeks` weeks the warehouse covers."""
    live = tickets.c.deleted.is_(False)
    with engine.connect() as conn:
        first, last = conn.execute(select(func.min(tickets.c.created_at), func.max(tickets.c.created_at))
                                   .where(live)).one()
        if first is None:
            return []
        first = max(first, tickets_since(conn) or first)
        counts = []
        for w in range(1, weeks + 1):
            start = hour - timedelta(weeks=w)
            end = start + timedelta(hours=1)
            if start < hour_start(first) or end > last:
                continue  # outside what was exported: a zero here would be a false "quiet hour"
            counts.append(conn.execute(select(func.count()).select_from(tickets).where(
                and_(live, tickets.c.created_at >= start, tickets.c.created_at < end))).scalar_one())
    return counts


def live_count(http: Http, start: datetime, end: datetime) -> int:
    """Tickets created from start to before end, per the search API."""
    query = f"type:ticket created>={start:%Y-%m-%dT%H:%M:%SZ} created<{end:%Y-%m-%dT%H:%M:%SZ}"
    body = http.get_json("/api/v2/search/count.json", {"query": query})
    count = body.get("count")
    if not isinstance(count, int):
        raise ValueError("search/count answered without an integer count")
    return count


def indexed_until(at: datetime, lag_s: int) -> datetime:
    """The end of the window a check at `at` can count: search has not indexed the tickets since."""
    return (at - timedelta(seconds=lag_s)).replace(microsecond=0)


def message(d: Decision, base: Baseline, hour: datetime, until: datetime, rule: Rule) -> dict:
    """The Slack-compatible webhook body for an alert."""
    minutes = int((until - hour).total_seconds() // 60)
    text = (f"Ticket volume spike: {d.count} tickets between {hour:%H:%M} and {until:%H:%M} UTC "
            f"({minutes} min), expected about {d.expected:.0f} (alert threshold {d.threshold:.0f}).")
    detail = (f"*{d.count}* tickets created between {hour:%a %d %b %H:%M} and {until:%H:%M} UTC "
              f"({minutes} min into the hour; newer tickets are not yet searchable).\n"
              f"Expected about *{d.expected:.0f}* in that time: median {base.median:g} per hour for this "
              f"weekday and hour over the past {base.weeks} weeks; alert threshold *{d.threshold:.0f}*.")
    return {
        "text": text,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Ticket volume spike"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": detail}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text":
                f"insights alerts · sensitivity {rule.sensitivity:g} · cooldown {rule.cooldown_min} min"}]},
        ],
    }


def post(url: str, body: dict, timeout: float) -> None:
    """POST the alert; raises WebhookFailed unless the webhook answers 2xx."""
    try:
        resp = requests.post(url, json=body, timeout=timeout)
    except requests.RequestException as exc:
        raise WebhookFailed(f"alert webhook unreachable: {type(exc).__name__}") from exc
    if not 200 <= resp.status_code < 300:
        raise WebhookFailed(f"alert webhook answered HTTP {resp.status_code}")


def check(settings: Settings, engine: Engine, http: Http, at: datetime, *, dry_run: bool = False) -> Check:
    """One check as of `at` (naive UTC): alert through the webhook and the log unless cooling down.

    dry_run (a replay of a past moment) decides the same way but posts nothing and neither reads nor
    writes the cooldown state, which belongs to the live checks."""
    rule = rule_from(settings)
    http.renew_budget()  # a watcher reuses one Http: past checks' retries must not use up this one's
    until = indexed_until(at, settings.alert_index_lag_s)
    hour = hour_start(until)  # in the first minutes of an hour, the end of the one before is judged
    past = history(engine, hour, settings.alert_weeks)
    base = baseline(past) if len(past) >= MIN_WEEKS else None
    count = live_count(http, hour, until)
    decision = evaluate(count, base, (until - hour).total_seconds() / 60, rule)
    if not decision.alert or base is None:
        log.info("volume check %s: %d tickets %s-%s, threshold %.1f - %s", f"{at:%Y-%m-%dT%H:%M}Z", count,
                 f"{hour:%H:%M}", f"{until:%H:%M}", decision.threshold, decision.reason)
        return Check(decision, base, hour, at, until, sent=False, suppressed=False)
    if dry_run:
        body = message(decision, base, hour, until, rule)
        log.info("replay: would alert (not sent, nothing recorded): %s", body["text"])
        return Check(decision, base, hour, at, until, sent=False, suppressed=False, replay=body)
    with engine.connect() as conn:
        state = conn.execute(select(alert_state).where(alert_state.c.key == STATE_KEY)).mappings().first()
    last_alert = state["last_alert_at"] if state else None
    if state and cooling_down(state["last_trigger_at"], at, rule.cooldown_min):
        # The same spike is still going on: remember it is, so the cooldown runs from its last sign.
        with engine.begin() as conn:
            upsert(conn, alert_state, [{**state, "last_trigger_at": max(at, state["last_trigger_at"]),
                                        "last_count": count}])
        log.info("volume spike continues (%d tickets, threshold %.1f); alerted at %s",
                 count, decision.threshold, f"{last_alert:%Y-%m-%dT%H:%M}Z" if last_alert else "-")
        return Check(decision, base, hour, at, until, sent=False, suppressed=True)
    body = message(decision, base, hour, until, rule)
    log.warning("ALERT %s", body["text"])
    if settings.alert_webhook_url:
        post(settings.alert_webhook_url, body, settings.zendesk_timeout_s)
    # Only a delivered alert starts the cooldown: a failed delivery is retried by the next check.
    with engine.begin() as conn:
        upsert(conn, alert_state, [{"key": STATE_KEY, "last_alert_at": at, "last_trigger_at": at,
                                    "last_count": count}])
    return Check(decision, base, hour, at, until, sent=True, suppressed=False)
