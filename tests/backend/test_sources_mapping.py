"""Each system's JSON mapped to the backend's plain dicts; wrong types are a bad response, not a crash."""
from __future__ import annotations

import pytest

from backend.errors import SourceBadResponse
from backend.sources import courses, enrolments, learners, payments
from backend.sources.shapes import list_page


def test_learner_fields_are_renamed_for_the_answer():
    raw = {"id": "L-0000001", "external_id": None, "name": "Amélie", "emails": ["a@x.fr", "b@x.fr"],
           "primary_email": "b@x.fr", "country": "FR", "language": "fr", "time_zone": "Europe/Paris",
           "status": "active", "created_at": "2020-01-01T00:00:00Z", "erased_at": None, "extra": "ignored"}
    learner = learners.to_learner(raw)
    assert learner["email"] == "b@x.fr" and learner["member_since"] == "2020-01-01T00:00:00Z"
    assert "extra" not in learner and "primary_email" not in learner and "created_at" not in learner


def test_erased_learner_keeps_only_what_remains():
    learner = learners.to_learner({"id": "L-0000007", "status": "erased", "erased_at": "2026-01-01T00:00:00Z",
                                   "emails": []})
    assert learner["name"] is None and learner["email"] is None and learner["emails"] == []


def test_enrolment_nested_parts_are_normalised():
    raw = {"id": "E-1", "course_id": "C-0001", "progress_pct": 12.5, "deadlines": [
        {"title": "Quiz", "kind": "exam", "due_at": "2026-12-01T00:00:00Z", "extended": False}, "junk"],
        "certificate": None}
    enrolment = enrolments.to_enrolment(raw)
    assert enrolment["deadlines"] == [{"title": "Quiz", "kind": "exam", "due_at": "2026-12-01T00:00:00Z",
                                       "extended": False}]
    assert enrolment["certificate"] == {"status": None, "issued_at": None}


def test_course_partner_is_flattened():
    course = courses.to_course({"id": "C-1", "title": "T", "slug": "t", "language": "en",
                                "partner": {"id": "P-1", "name": "Uni", "kind": "university"}})
    assert course == {"id": "C-1", "title": "T", "slug": "t", "language": "en", "partner": "Uni",
                      "partner_kind": "university"}


def test_order_defaults_to_self_paid():
    order = payments.to_order({"id": "O-1", "status": "paid", "amount": "1.00", "currency": "EUR"})
    assert order["payer"]["kind"] == "self" and order["refunds"] == []
    assert order["product"] == {"kind": None, "title": None, "course_id": None, "enrolment_id": None}


@pytest.mark.parametrize(("mapper", "raw"), [
    (learners.to_learner, {"id": "L-1"}),  # no status
    (learners.to_learner, {"id": "L-1", "status": "active", "emails": "a@b.c"}),
    (learners.to_learner, {"id": "L-1", "status": "active", "language": 7}),
    (enrolments.to_enrolment, {"id": "E-1", "course_id": "C-1", "progress_pct": "50"}),
    (enrolments.to_enrolment, {"id": "E-1", "course_id": "C-1", "progress_pct": True}),
    (enrolments.to_enrolment, {"id": "E-1"}),
    (payments.to_order, {"id": "O-1", "status": "paid", "amount": 49.0}),
    (payments.to_order, ["not", "an", "object"]),
    (courses.to_course, {"id": None}),
])
def test_wrong_shapes_are_bad_responses(mapper, raw):
    with pytest.raises(SourceBadResponse):
        mapper(raw)


@pytest.mark.parametrize("page", [None, [], {"data": {}}, {"data": [1, 2]}])
def test_list_pages_must_have_a_data_array_of_objects(page):
    with pytest.raises(SourceBadResponse):
        list_page("learners", page)


def test_list_page_tolerates_missing_cursor_and_total():
    assert list_page("learners", {"data": [{"id": "x"}]}) == ([{"id": "x"}], None, 0)
