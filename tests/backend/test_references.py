"""Detecting ids and course URLs in a ticket's subject and text."""
from __future__ import annotations

from backend.references import MAX_REFERENCES, detect


def values(found: list[dict]) -> list[tuple[str, str]]:
    return [(ref["kind"], ref["value"]) for ref in found]


def test_finds_each_kind_of_id_in_subject_then_text_order():
    found = detect("Refund for ORD-2026-004217?", "I took C-0042 as L-0000123, see C-0007.")
    assert values(found) == [("order", "ORD-2026-004217"), ("course", "C-0042"),
                             ("learner", "L-0000123"), ("course", "C-0007")]


def test_course_url_gives_its_slug():
    found = detect("", "Page https://learn.example.com/learn/machine-learning-101?x=1 is broken")
    assert found == [{"kind": "course", "value": "machine-learning-101", "by": "slug"}]


def test_each_reference_once():
    assert values(detect("C-0042", "C-0042 and again C-0042")) == [("course", "C-0042")]


def test_ids_inside_longer_tokens_are_not_ids():
    assert detect("XC-00421 ORD-2026-0042170 L-00001234 C-12345", "") == []


def test_empty_and_missing_text():
    assert detect("", "") == []
    assert detect(None, None) == []  # type: ignore[arg-type]


def test_pasted_logs_are_capped():
    text = " ".join(f"C-{n:04d}" for n in range(100))
    assert len(detect("", text)) == MAX_REFERENCES
