"""The course catalogue: reference data shared by every learner, cached per course id."""
from __future__ import annotations

from datetime import UTC, datetime

from backend.cache import Cache, cache_key
from backend.clock import iso
from backend.deadline import Deadline
from backend.sources import courses
from backend.sources.http import SourceClient


def _key(course_id: str) -> str:
    return cache_key("course", course_id)


class Catalogue:
    """Course entries under their own key and TTL (LC_CATALOGUE_TTL_S) in the service's cache.

    Unlike a learner's enrolments or payments, a course says the same to every agent, so a lookup
    asks the courses system only for the ids nobody has fetched within the TTL, and "refresh" (which
    re-reads everything about the learner) does not bypass it."""

    def __init__(self, cache: Cache, client: SourceClient, ttl_s: int):
        self.cache = cache
        self.client = client
        self.ttl_s = ttl_s

    def cached(self, course_ids: list[str]) -> tuple[dict[str, dict], str | None]:
        """({id: course} for the ids in the cache, as_of of the oldest entry used or None)."""
        if self.ttl_s <= 0 or not course_ids:
            return {}, None
        keys = {course_id: _key(course_id) for course_id in course_ids}
        hits = self.cache.get_many(list(keys.values()))
        found: dict[str, dict] = {}
        oldest: str | None = None
        for course_id, key in keys.items():
            entry = hits.get(key)
            if not (isinstance(entry, dict) and isinstance(entry.get("v"), dict)
                    and isinstance(entry.get("as_of"), str)):
                continue  # absent, or not what we store: ask the courses system
            found[course_id] = entry["v"]
            oldest = entry["as_of"] if oldest is None or entry["as_of"] < oldest else oldest
        return found, oldest

    def fetch(self, course_ids: list[str], deadline: Deadline) -> tuple[dict[str, dict], str]:
        """({id: course}, as_of now) from the courses system (batches of 100), stored per id.
        Ids the system does not know are not stored: they are asked again next time."""
        found = courses.by_ids(self.client, course_ids, deadline)
        as_of = iso(datetime.now(UTC))
        if self.ttl_s > 0 and found:
            self.cache.set_many({_key(cid): {"as_of": as_of, "v": course} for cid, course in found.items()},
                                ttl_s=self.ttl_s)
        return found, as_of
