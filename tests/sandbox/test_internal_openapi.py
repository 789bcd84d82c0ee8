"""docs/internal-api.openapi.json is a valid OpenAPI 3.1 document and the served responses match it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import requests

from sandbox.internal import personas as p
from tests.servers import ROOT

SPEC = json.loads((ROOT / "docs" / "internal-api.openapi.json").read_text())

# One concrete call per documented path: (path, query, expected status); persona data makes them rich.
CALLS = {
    "/learners/v1/learners": [
        ({"email": p.AMELIE_EMAIL}, 200),
        ({"email": p.ERASED_EMAIL}, 200),
        ({"external_id": p.SAM_EXTERNAL_ID}, 200),
        ({}, 400),
    ],
    "/learners/v1/learners/{learner_id}": [
        ({"learner_id": p.WEI_ID}, 200),
        ({"learner_id": "L-0000000"}, 404),
    ],
    "/courses/v1/courses": [
        ({"ids": "C-0042,C-0107,C-0505"}, 200),
        ({"partner_id": "P-007", "limit": 5}, 200),
        ({"ids": ""}, 400),
    ],
    "/courses/v1/courses/{course_id}": [({"course_id": "C-0233"}, 200), ({"course_id": "C-0000"}, 404)],
    "/courses/v1/partners": [({"limit": 100}, 200)],
    "/courses/v1/partners/{partner_id}": [({"partner_id": "P-044"}, 200), ({"partner_id": "P-000"}, 404)],
    "/enrolments/v1/enrolments": [
        ({"learner_id": p.HEAVY_ID, "limit": 100}, 200),
        ({"learner_id": p.AMELIE_ID}, 200),
    ],
    "/enrolments/v1/enrolments/{enrolment_id}": [
        ({"enrolment_id": p.SAM_ENROLMENT_ID}, 200),
        ({"enrolment_id": "E-0000000"}, 404),
    ],
    "/payments/v1/orders": [({"learner_id": p.HEAVY_ID, "limit": 100}, 200), ({"learner_id": p.SAM_ID}, 200)],
    "/payments/v1/orders/{order_id}": [
        ({"order_id": p.PRIYA_AID_ORDER_ID}, 200),
        ({"order_id": "ORD-2000-000000"}, 404),
    ],
    "/payments/v1/subscriptions": [({"learner_id": p.WEI_WORK_ID}, 200)],
    "/payments/v1/financial-aid": [({"learner_id": p.PRIYA_ID}, 200)],
    "/payments/v1/sponsorships": [({"learner_id": p.SAM_ID}, 200), ({"learner_id": ""}, 400)],
}


def resolve(node: dict) -> dict:
    """Follow a local $ref of the spec (responses are referenced from components)."""
    while "$ref" in node:
        target = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def response_schema(path: str, status: int) -> dict:
    response = resolve(SPEC["paths"][path]["get"]["responses"][str(status)])
    # a root holding the components lets "#/components/schemas/..." refs resolve inside jsonschema
    return {**response["content"]["application/json"]["schema"], "components": SPEC["components"]}


def test_every_schema_in_the_spec_is_valid_json_schema():
    assert SPEC["openapi"].startswith("3.1")
    for schema in SPEC["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)  # raises SchemaError when malformed


def test_every_documented_path_is_exercised_here():
    assert set(CALLS) == set(SPEC["paths"])


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [(path, params, status) for path, calls in CALLS.items() for params, status in calls],
)
def test_served_response_matches_the_spec(sandbox, internal, path, params, status):
    system, rest = path.lstrip("/").split("/v1", 1)
    query = dict(params)
    for name in [n for n in query if "{" + n + "}" in rest]:
        rest = rest.replace("{" + name + "}", query.pop(name))
    resp = internal.get(system, rest, **query)
    assert resp.status_code == status, resp.text
    body = resp.json()
    jsonschema.Draft202012Validator(response_schema(path, status)).validate(body)
    if status == 200 and "data" in body:
        assert body["data"], "an example call should return items so their shape is checked"


def test_missing_token_answer_matches_the_spec(sandbox):
    resp = requests.get(
        sandbox.system_url("learners") + "/learners", params={"email": p.SAM_EMAIL}, timeout=10
    )
    assert resp.status_code == 401
    jsonschema.Draft202012Validator(response_schema("/learners/v1/learners", 401)).validate(resp.json())
