"""The backend's OpenAPI 3.0 document, generated from the schema classes that validate and answer."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from backend.response_schema import LookupResponseSchema
from backend.schemas import ErrorSchema, LookupRequestSchema, ManualSearchSchema


def openapi_spec(version: str = "1.0.0") -> dict:
    """The OpenAPI 3.0 document of the backend, built from the schema classes above."""
    spec = APISpec(title="Learner Context", version=version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The learner behind a Zendesk ticket, in one call."})
    spec.components.security_scheme("zendeskJwt", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.schema("LookupRequest", schema=LookupRequestSchema)
    _manual_search_variants(spec)
    spec.components.schema("LookupResponse", schema=LookupResponseSchema)
    spec.components.schema("Error", schema=ErrorSchema)
    error = {"content": {"application/json": {"schema": "Error"}}}
    errors = {
        "400": "invalid body, unknown fields or no identifier", "401": "missing or invalid token",
        "403": "manual search switched off", "404": "claimed ticket unknown", "413": "body too large",
        "415": "not application/json", "429": "rate limit per agent (Retry-After)",
        "503": "audit store unavailable: no unaudited data is ever returned",
    }
    spec.path(path="/api/v1/learner-context", operations={"post": {
        "summary": "Everything an agent needs about a ticket's requester",
        "security": [{"zendeskJwt": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "LookupRequest"}}},
        "responses": {
            "200": {"description": "matches (possibly none) with per-section status",
                    "content": {"application/json": {"schema": "LookupResponse"}}},
            **{code: {"description": text, **error} for code, text in errors.items()},
        },
    }})
    for path, text in (("/healthz", "liveness"), ("/readyz", "database and each system, per dependency")):
        spec.path(path=path, operations={"get": {"summary": text, "responses": {
            "200": {"description": "ok"}, "503": {"description": "a dependency is down"}}}})
    return _only_null(spec.to_dict())


def _manual_search_variants(spec: APISpec) -> None:
    """ManualSearch as one variant per kind, each with its own `value` rule (ManualSearchSchema.VALUES),
    so the document says what the validation enforces: an email only where kind is email."""
    converter = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin)).converter
    variants = [{"type": "object", "additionalProperties": False, "required": ["kind", "value"],
                 "properties": {"kind": {"type": "string", "enum": [kind]},
                                "value": converter.field2property(field)}}
                for kind, field in ManualSearchSchema.VALUES.items()]
    # The plugin registered the nested schema when LookupRequest was added; replace its description.
    name = next(n for n in spec.components.schemas if n.startswith("ManualSearch"))
    spec.components.schemas[name] = {"oneOf": variants, "description": ManualSearchSchema.__doc__}


def _only_null(node: object) -> object:
    """apispec writes a nullable nested object as anyOf [{"type": "object", "nullable": true}, $ref],
    whose first branch admits any object at all; with enum [null] it admits null only, as meant."""
    if isinstance(node, dict):
        if node == {"type": "object", "nullable": True}:
            return {**node, "enum": [None]}
        return {key: _only_null(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_only_null(item) for item in node]
    return node
