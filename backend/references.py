"""Detect course ids, course URLs, order ids and learner ids in a ticket's subject and text (pure)."""
from __future__ import annotations

import re

# Word boundaries keep "XC-00011" or "ORD-2026-0042170" from matching a shorter id inside them.
_COURSE_ID = re.compile(r"(?<![A-Za-z0-9-])C-\d{4}(?![0-9])")
_ORDER_ID = re.compile(r"(?<![A-Za-z0-9-])ORD-\d{4}-\d{6}(?![0-9])")
_LEARNER_ID = re.compile(r"(?<![A-Za-z0-9-])L-\d{7}(?![0-9])")
# A course page URL: .../learn/<slug>; the slug is lower-case words joined by hyphens.
_COURSE_URL = re.compile(r"https?://[^\s/]+(?:/[^\s/]+)*?/learn/([a-z0-9]+(?:-[a-z0-9]+)*)", re.IGNORECASE)

MAX_REFERENCES = 20  # a pasted log full of ids must not blow up the answer


def detect(subject: str, text: str) -> list[dict]:
    """Ids found in subject then text, first occurrence first, each once: [{"kind", "value", "by"}].

    kind is "course" (by "id" or "slug" from a URL), "order" or "learner".
    """
    found: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for chunk in (subject or "", text or ""):
        hits: list[tuple[int, str, str, str]] = []
        hits += [(m.start(), "course", m.group(0), "id") for m in _COURSE_ID.finditer(chunk)]
        hits += [(m.start(), "course", m.group(1).lower(), "slug") for m in _COURSE_URL.finditer(chunk)]
        hits += [(m.start(), "order", m.group(0), "id") for m in _ORDER_ID.finditer(chunk)]
        hits += [(m.start(), "learner", m.group(0), "id") for m in _LEARNER_ID.finditer(chunk)]
        for _, kind, value, by in sorted(hits):
            if (kind, value) in seen:
                continue
            seen.add((kind, value))
            found.append({"kind": kind, "value": value, "by": by})
            if len(found) >= MAX_REFERENCES:
                return found
    return found
