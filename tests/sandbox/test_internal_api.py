"""The internal APIs' rules: service token, JSON errors, 404s, 400s and cursor pagination."""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest
import requests

from sandbox.internal import personas as p
from tests.servers import SANDBOX_DATA

ENDPOINTS = [
    ("learners", "/learners", {"email": p.AMELIE_EMAIL}),
    ("learners", f"/learners/{p.AMELIE_ID}", {}),
    ("courses", "/courses", {"ids": "C-0042"}),
    ("courses", "/partners", {}),
    ("enrolments", "/enrolments", {"learner_id": p.AMELIE_ID}),
    ("payments", "/orders", {"learner_id": p.AMELIE_ID}),
    ("payments", "/subscriptions", {"learner_id": p.WEI_WORK_ID}),
]


def assert_error(resp: requests.Response, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    error = resp.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(("system", "path", "params"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "sandbox-internal-token", "Basic c2FuZGJveC1pbnRlcm5hbC10b2tlbg=="],
)
def test_every_api_refuses_a_missing_or_wrong_token(sandbox, system, path, params, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    resp = requests.get(sandbox.system_url(system) + path, params=params, headers=headers, timeout=10)
    assert_error(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("system", "path"),
    [
        ("learners", "/learners/L-0000000"),
        ("learners", "/learners/not-an-id"),
        ("courses", "/courses/C-9999"),
        ("courses", "/partners/P-999"),
        ("enrolments", "/enrolments/E-9999999"),
        ("payments", "/orders/ORD-1999-000001"),
        ("payments", "/nothing-here"),
    ],
)
def test_unknown_ids_and_paths_are_json_404s(internal, system, path):
    assert_error(internal.get(system, path), 404)


@pytest.mark.parametrize(
    ("system", "path", "params"),
    [
        ("learners", "/learners", {}),
        ("learners", "/learners", {"email": ""}),
        ("learners", "/learners", {"email": p.AMELIE_EMAIL, "colour": "blue"}),
        ("enrolments", "/enrolments", {}),
        ("enrolments", "/enrolments", {"learner_id": p.AMELIE_ID, "limit": "0"}),
        ("enrolments", "/enrolments", {"learner_id": p.AMELIE_ID, "limit": "101"}),
        ("enrolments", "/enrolments", {"learner_id": p.AMELIE_ID, "limit": "ten"}),
        ("enrolments", "/enrolments", {"learner_id": p.AMELIE_ID, "cursor": "%%%not-a-cursor"}),
        ("payments", "/orders", {"learner_id": [p.AMELIE_ID, p.SAM_ID]}),
        ("payments", "/subscriptions", {}),
        ("payments", "/financial-aid", {"learner_id": ""}),
        ("courses", "/courses", {"ids": ",".join(f"C-{n:04d}" for n in range(1, 102))}),
        ("courses", "/courses", {"ids": ""}),
        ("courses", "/courses", {"ids": "C-0042", "limit": "0"}),  # one page, yet a bad limit is bad
        ("courses", "/courses", {"ids": "C-0042", "partner_id": "P-007"}),
    ],
)
def test_bad_parameters_are_json_400s(internal, system, path, params):
    assert_error(internal.get(system, path, **params), 400, "bad_request")


def crafted_cursor(state: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "²"},
        {"limit": "1e2"},
        {"limit": " 5"},
        {"cursor": crafted_cursor(["orders", 1])},
        {"cursor": crafted_cursor({"k": f"orders|{p.HEAVY_ID}", "o": 2**70})},
        {"cursor": crafted_cursor({"k": f"orders|{p.HEAVY_ID}", "o": -1})},
        {"cursor": crafted_cursor({"k": f"orders|{p.HEAVY_ID}", "o": "10"})},
        {"cursor": "\u00e9\u00e9"},
    ],
)
def test_hostile_limits_and_cursors_are_400s_not_500s(internal, params):
    assert_error(internal.get("payments", "/orders", learner_id=p.HEAVY_ID, **params), 400, "bad_request")


def test_a_well_formed_cursor_past_the_end_is_an_empty_page(internal):
    cursor = crafted_cursor({"k": f"orders|{p.HEAVY_ID}", "o": 5000})
    page = internal.ok("payments", "/orders", learner_id=p.HEAVY_ID, cursor=cursor)
    assert page == {"data": [], "next_cursor": None, "total": 1000}


def test_wrong_method_is_a_json_405(sandbox, internal):
    resp = internal.session.post(sandbox.system_url("learners") + "/learners", json={}, timeout=10)
    assert_error(resp, 405)
    assert "GET" in resp.headers["Allow"]


def test_a_cursor_only_continues_its_own_query(internal):
    page = internal.ok("payments", "/orders", learner_id=p.HEAVY_ID, limit=10)
    assert page["next_cursor"]
    resp = internal.get("payments", "/orders", learner_id=p.SAM_ID, cursor=page["next_cursor"])
    assert_error(resp, 400, "bad_request")


def test_pagination_walks_every_order_once_newest_first(internal):
    first = internal.ok("payments", "/orders", learner_id=p.HEAVY_ID)
    assert (len(first["data"]), first["total"]) == (50, 1000)  # default limit
    orders = internal.walk("payments", "/orders", learner_id=p.HEAVY_ID, limit=100)
    ids = [o["id"] for o in orders]
    assert len(ids) == len(set(ids)) == 1000
    created = [o["created_at"] for o in orders]
    assert created == sorted(created, reverse=True)


def test_enrolments_page_newest_activity_first(internal):
    enrolments = internal.walk("enrolments", "/enrolments", learner_id=p.HEAVY_ID, limit=100)
    assert len({e["id"] for e in enrolments}) == 300
    activity = [e["last_activity_at"] for e in enrolments]
    assert activity == sorted(activity, reverse=True)


def test_last_page_has_no_next_cursor_and_past_the_end_is_empty(internal):
    page = internal.ok("courses", "/partners", limit=100)
    assert (len(page["data"]), page["total"]) == (100, 140)
    rest = internal.ok("courses", "/partners", limit=100, cursor=page["next_cursor"])
    assert (len(rest["data"]), rest["next_cursor"]) == (40, None)


def test_an_empty_optional_parameter_means_absent(internal):
    page = internal.ok("courses", "/courses", ids="C-0042", partner_id="", cursor="")
    assert [c["id"] for c in page["data"]] == ["C-0042"]


def test_courses_by_ids_omits_unknown_ids_and_keeps_one_page(internal):
    page = internal.ok("courses", "/courses", ids="C-0042,C-9999,C-0107,bogus")
    assert [c["id"] for c in page["data"]] == ["C-0042", "C-0107"]
    assert (page["total"], page["next_cursor"]) == (2, None)


def test_courses_by_partner_belong_to_that_partner(internal):
    courses = internal.walk("courses", "/courses", partner_id="P-012", limit=100)
    assert courses and {c["partner"]["id"] for c in courses} == {"P-012"}
    assert "C-0042" in {c["id"] for c in courses}
    assert internal.ok("courses", "/partners/P-012")["name"] == courses[0]["partner"]["name"]


def test_learner_found_by_each_of_its_emails(internal):
    db = sqlite3.connect(f"file:{SANDBOX_DATA / 'internal.db'}?mode=ro", uri=True)
    learner_id, second = db.execute(
        "SELECT learner_id, email FROM learner_emails WHERE position = 1"
        " AND email IS NOT NULL ORDER BY learner_id LIMIT 1"
    ).fetchone()
    db.close()
    [learner] = internal.ok("learners", "/learners", email=second.upper())["data"]
    assert learner["id"] == learner_id
    assert learner["emails"][1] == second and learner["primary_email"] == learner["emails"][0]
    [same] = internal.ok("learners", "/learners", email=learner["primary_email"])["data"]
    assert same == learner


def test_learner_lookup_by_email_and_external_id_must_both_match(internal):
    both = internal.ok("learners", "/learners", email=p.SAM_EMAIL, external_id=p.SAM_EXTERNAL_ID)["data"]
    assert [learner["id"] for learner in both] == [p.SAM_ID]
    assert (
        internal.ok("learners", "/learners", email=p.AMELIE_EMAIL, external_id=p.SAM_EXTERNAL_ID)["total"]
        == 0
    )
