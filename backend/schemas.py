"""Request and error schemas (marshmallow 4): they validate requests; backend/openapi.py documents them."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.errors import BadRequest
from backend.lookup import LookupRequest, ManualSearch

MAX_EMAILS = 20
# A learner or order id becomes a URL path segment: it starts with a letter or digit (so never "."
# or "..", which HTTP clients resolve to another URL), then letters, digits and . _ : - only.
ID_PATTERN = r"^\s*[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\s*$"
ID_ERROR = "Not an id: 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit."
_email = fields.Email(validate=validate.Length(max=254))


class StrictBoolean(fields.Boolean):
    """JSON true or false only: marshmallow's Boolean also takes 1, 0, "yes", "off" and more."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


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

    # What `value` must be for each kind: the validation below and the OpenAPI variants (one per kind).
    VALUES = {
        "email": fields.Email(required=True, validate=validate.Length(max=254)),
        "learner_id": fields.String(required=True, validate=validate.Regexp(ID_PATTERN, error=ID_ERROR)),
        "order_id": fields.String(required=True, validate=validate.Regexp(ID_PATTERN, error=ID_ERROR)),
    }
    kind = fields.String(required=True, validate=validate.OneOf(list(VALUES)))
    value = fields.String(required=True, validate=validate.Length(min=1, max=254))

    @validates_schema
    def _value_fits_kind(self, data: dict, **_: Any) -> None:
        field = self.VALUES.get(data.get("kind"))
        if field is not None:
            try:
                field.deserialize(data.get("value"))
            except ValidationError as exc:
                raise ValidationError(exc.messages, "value") from None


class LookupRequestSchema(Schema):
    """Body of POST /api/v1/learner-context; unknown fields are rejected at every level."""

    requester = fields.Nested(RequesterSchema, allow_none=True)
    ticket = fields.Nested(TicketSchema, allow_none=True)
    refresh = StrictBoolean(load_default=False, metadata={"description": (
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
