"""Facts read straight from the sandbox's internal APIs, to check what the backend and the app show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import requests

HEADERS = {"Authorization": "Bearer sandbox-internal-token"}


def enrolments_of(sandbox, learner_id: str) -> list[dict]:
    """Every enrolment of the learner, in the system's order (newest activity first)."""
    url, out, cursor = sandbox.system_url("enrolments") + "/enrolments", [], None
    while True:
        params = {"learner_id": learner_id, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = requests.get(url, params=params, headers=HEADERS, timeout=10).json()
        out.extend(page["data"])
        cursor = page["next_cursor"]
        if not cursor:
            return out


@dataclass(frozen=True)
class Due:
    enrolment_id: str
    title: str
    due_at: datetime
    position: int  # in the system's order: how far down the newest-activity list it sits


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def soonest_deadline(sandbox, learner_id: str, now: datetime | None = None) -> Due:
    """The learner's next deadline over all enrolments: an active enrolment's deadline still ahead,
    inside its session unless extended (docs/backend-core.md, Rules)."""
    now = now or datetime.now(UTC)
    ahead = []
    for position, enrolment in enumerate(enrolments_of(sandbox, learner_id)):
        if enrolment["status"] != "active":
            continue
        end = _time(enrolment["session_end"])
        for deadline in enrolment["deadlines"]:
            at = _time(deadline["due_at"])
            if at > now and (at <= end or deadline["extended"]):
                ahead.append(Due(enrolment["id"], deadline["title"], at, position))
    return min(ahead, key=lambda due: (due.due_at, due.position))
