"""Request and error schemas (marshmallow 4) and the OpenAPI document built from the same classes."""
from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.errors import BadRequest
from backend.lookup import LookupRequest, ManualSearch
from backend.response_schema import LookupResponseSchema

MAX_EMAILS = 20
_email = fields.Email(validate=validate.Length(max=254))


class RequesterSchema(Schema):
    """Who the ticket's requester is, as the app read it from the ticket (untrusted)."""

    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    emails = fields.List(_email, allow_none=True, validate=validate.Length(max=MAX_EMAILS))
    external_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=128))
    name = fields.String(allow_none=True, validate=validate.Length(max=200))


class TicketSchema(Schema):
    """The ticket the agent has open; subject and text are scanned for course and order ids."""

    id = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=2**63 - 1))
    subject = fields.String(allow_none=True, validate=validate.Length(max=1000))
    text = fields.String(allow_none=True, validate=validate.Length(max=10000))


class ManualSearchSchema(Schema):
    """An explicit search typed by the agent; audited as manual."""

    kind = fields.String(required=True, validate=validate.OneOf(["email", "learner_id", "order_id"]))
    value = fields.String(required=True, validate=validate.Length(min=1, max=254))

    @validates_schema
    def _email_is_email(self, data: dict, **_: Any) -> None:
        if data.get("kind") == "email":
            try:
                fields.Email().deserialize(data.get("value"))
            except ValidationError:
                raise ValidationError("Not a valid email address.", "value") from None


class LookupRequestSchema(Schema):
    """Body of POST /api/v1/learner-context; unknown fields are rejected at every level."""

    requester = fields.Nested(RequesterSchema, allow_none=True)
    ticket = fields.Nested(TicketSchema, allow_none=True)
    refresh = fields.Boolean(load_default=False, metadata={"description": (
        "Re-read everything about the learner (learners, enrolments, payments) instead of using the "
        "cache. The course catalogue (titles, partners, languages: the same for every learner) is still "
        "served from its own cache, LC_CATALOGUE_TTL_S.")})
    manual_search = fields.Nested(ManualSearchSchema, allow_none=True)

    def __init__(self, *, identifier_required: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.identifier_required = identifier_required

    @validates_schema
    def _has_identifier(self, data: dict, **_: Any) -> None:
        requester = data.get("requester") or {}
        given = requester.get("email") or requester.get("emails") or requester.get("external_id")
        if self.identifier_required and not given and not data.get("manual_search"):
            raise ValidationError(
                "Give at least one identifier: requester.email, requester.emails, "
                "requester.external_id or manual_search.", "_schema")


class ErrorBodySchema(Schema):
    """The inside of every error answer."""

    code = fields.String(required=True, metadata={"description": "stable machine-readable code"})
    message = fields.String(required=True, metadata={"description": "English text for logs and developers"})
    details = fields.Raw(metadata={"description": "per-field problems or other structured detail"})


class ErrorSchema(Schema):
    """{"error": {"code", "message", "details"?}}"""

    error = fields.Nested(ErrorBodySchema, required=True)


# Built once: a schema instance holds no per-load state, and building one costs more than a load.
_REQUEST_SCHEMAS = {required: LookupRequestSchema(identifier_required=required) for required in (True, False)}


def _unknown_fields(messages: dict, prefix: str = "") -> list[str]:
    found = []
    for key, value in messages.items():
        if value == ["Unknown field."]:
            found.append(prefix + str(key))
        elif isinstance(value, dict):
            found += _unknown_fields(value, f"{prefix}{key}.")
    return found


def parse_lookup(payload: object, *, identifier_required: bool) -> LookupRequest:
    """Validate a decoded JSON body into a LookupRequest, or raise BadRequest with per-field details."""
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object.", code="invalid_body")
    try:
        data = _REQUEST_SCHEMAS[identifier_required].load(payload)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        unknown = _unknown_fields(messages)
        if unknown:
            raise BadRequest(f"Unknown field(s): {', '.join(sorted(unknown))}.", code="unknown_fields",
                             details=messages) from None
        raise BadRequest("The request body is invalid.", code="invalid_body", details=messages) from None
    requester = data.get("requester") or {}
    ticket = data.get("ticket") or {}
    emails: list[str] = []
    for email in [requester.get("email"), *(requester.get("emails") or [])]:
        if email and email.strip().lower() not in emails:
            emails.append(email.strip().lower())
    manual = data.get("manual_search")
    return LookupRequest(
        emails=tuple(emails),
        external_id=requester.get("external_id"),
        name=requester.get("name"),
        ticket_id=ticket.get("id"),
        subject=ticket.get("subject") or "",
        text=ticket.get("text") or "",
        refresh=data["refresh"],
        manual=ManualSearch(kind=manual["kind"], value=manual["value"].strip()) if manual else None,
    )


def openapi_spec(version: str = "1.0.0") -> dict:
    """The OpenAPI 3.0 document of the backend, built from the schema classes above."""
    spec = APISpec(title="Learner Context", version=version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The learner behind a Zendesk ticket, in one call."})
    spec.components.security_scheme("zendeskJwt", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.schema("LookupRequest", schema=LookupRequestSchema)
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
    return spec.to_dict()
