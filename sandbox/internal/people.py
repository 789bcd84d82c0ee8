"""Generate the ordinary learners and their enrolments (the crowd around the personas)."""

from __future__ import annotations

import random
import string
from bisect import bisect
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate

from sandbox.internal.names import COUNTRIES, ascii_part, full_name
from sandbox.internal.personas import DAY, HOUR
from sandbox.internal.schema import email_hash

LEARNERS = 20_400
_COUNTRY_WEIGHTS = (14, 6, 4, 3, 9, 5, 5, 4, 4, 2, 2, 5, 2, 3, 2, 1, 1, 1, 2, 2, 6, 3, 3, 2, 2, 3, 2, 2)
_TRACKS = (("audit", "verified", "specialization", "degree"), (50, 35, 11, 4))
_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")


@dataclass
class Rows:
    """Generated rows per table, in schema column order."""

    tables: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


@cache
def _cumulative(weights: tuple[int, ...]) -> tuple[list[int], float]:
    cum = list(accumulate(weights))
    return cum, cum[-1] + 0.0


def pick(rng: random.Random, options: tuple, weights: tuple[int, ...]):
    """One option by integer weights: the same draw as rng.choices(options, weights)[0], minus its set-up."""
    cum, total = _cumulative(weights)
    return options[bisect(cum, rng.random() * total, 0, len(cum) - 1)]


def cert_code(rng: random.Random) -> str:
    """A certificate verification code like VC-7Q2M-AD41."""
    alphabet = string.ascii_uppercase + string.digits
    return "VC-" + "".join(rng.choices(alphabet, k=4)) + "-" + "".join(rng.choices(alphabet, k=4))


def learners(rng: random.Random, rows: Rows) -> list[tuple]:
    """Ordinary learners from 28 countries; returns (id, country, created_off, status) per learner."""
    out = []
    for number in range(1, LEARNERS + 1):
        lid = f"L-{number:07d}"
        country = pick(rng, COUNTRIES, _COUNTRY_WEIGHTS)
        first, last = rng.choice(country.first), rng.choice(country.last)
        name = full_name(country, first, last)
        local = f"{ascii_part(country, first)}.{ascii_part(country, last)}.{number}"
        emails = [f"{local}@{rng.choice(_DOMAINS)}"]
        if rng.random() < 0.15:
            emails.append(
                f"{ascii_part(country, first)[0]}{ascii_part(country, last)}{number}@work.example.com"
            )
        external_id = f"sso-{rng.getrandbits(40):010x}" if rng.random() < 0.25 else None
        roll = rng.random()
        status = "erased" if roll < 0.003 else "suspended" if roll < 0.015 else "active"
        created = -rng.randint(10, 2_000) * DAY + rng.randint(0, 23) * HOUR
        language = country.languages[0] if rng.random() < 0.8 else rng.choice(country.languages)
        if status == "erased":
            rows.add(
                "learners",
                (lid, None, None, None, None, None, None, "erased", None, -rng.randint(1, 400) * DAY),
            )
            for position, email in enumerate(emails):
                rows.add("learner_emails", (lid, position, None, email_hash(email)))
            continue
        rows.add(
            "learners",
            (
                lid,
                external_id,
                name,
                emails[0],
                country.code,
                language,
                rng.choice(country.zones),
                status,
                created,
                None,
            ),
        )
        for position, email in enumerate(emails):
            rows.add("learner_emails", (lid, position, email, email_hash(email)))
        out.append((lid, country, created, status))
    return out


def _status(rng: random.Random, start: int, end: int) -> str:
    if end < 0:
        return pick(rng, ("completed", "failed", "unenrolled"), (60, 15, 25))
    if start <= 0:
        return "active" if rng.random() < 0.85 else "unenrolled"
    return "active"


def enrolment(
    rng: random.Random, eid: str, lid: str, session: tuple, track: str, created: int, deadlines: list[tuple]
) -> tuple[tuple, list[tuple]]:
    """One plausible enrolment row in `session` (id, course_id, seq, start, end) and its extensions."""
    sid, cid, _, start, end = session
    status = _status(rng, start, end)
    enrolled = max(created + HOUR, min(start - rng.randint(1, 30) * DAY, -rng.randint(1, 72) * HOUR))
    if status == "completed":
        progress, grade, last = 100, rng.randint(60, 100), end - rng.randint(1, 10) * DAY
    elif status == "failed":
        progress, grade, last = rng.randint(40, 100), rng.randint(10, 59), end - rng.randint(1, 20) * DAY
    elif status == "unenrolled":
        progress, grade = rng.randint(0, 60), None
        last = enrolled + rng.randint(1, max(1, (min(end, 0) - enrolled) // DAY)) * DAY // 2
    elif start > 0:
        progress, grade, last = 0, None, enrolled
    else:
        elapsed = min(1.0, -start / max(1, end - start))
        progress = max(0, min(99, int(elapsed * 100) + rng.randint(-30, 10)))
        grade = rng.randint(50, 100) if progress >= 20 else None
        last = max(enrolled, -rng.randint(0, 12) * DAY - rng.randint(0, 23) * HOUR)
    last = max(enrolled, min(last, 0))
    cert, issued, code = "not_eligible", None, None
    if track != "audit":
        if status == "completed":
            cert, issued, code = (
                pick(rng, ("earned", "revoked"), (97, 3)),
                end + rng.randint(1, 5) * DAY,
                cert_code(rng),
            )
            issued = min(issued, 0)
        elif status == "active":
            cert = "in_progress"
    extensions = []
    if status == "active" and track != "audit" and deadlines and rng.random() < 0.04:
        extensions.append((eid, rng.choice(deadlines)[0], 7))
    row = (eid, lid, cid, sid, track, status, progress, grade, enrolled, last, cert, issued, code)
    return row, extensions


def enrolments(
    rng: random.Random,
    rows: Rows,
    people: list[tuple],
    sessions: list[tuple],
    deadlines_by_session: dict[str, list[tuple]],
) -> list[tuple]:
    """Zero to eight enrolments per learner; returns the enrolment rows for orders to refer to."""
    eligible = [s for s in sessions if s[3] <= 45 * DAY]
    out, number = [], 0
    for lid, _country, created, _ in people:
        count = pick(rng, (0, 1, 2, 3, 4, 6, 8), (10, 30, 25, 15, 10, 7, 3))
        for session in rng.sample(eligible, count):
            if session[4] < created:  # nobody takes a session that ended before they signed up
                continue
            number += 1
            track = pick(rng, *_TRACKS)
            row, ext = enrolment(
                rng, f"E-{number:07d}", lid, session, track, created, deadlines_by_session.get(session[0], [])
            )
            rows.add("enrolments", row)
            for extension in ext:
                rows.add("extensions", extension)
            out.append(row)
    return out
