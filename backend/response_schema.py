"""Schemas of the 200 answer (docs/contracts.md section 4): documented in OpenAPI, checked in tests."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

SECTION_STATUSES = ["ok", "timeout", "error", "unavailable"]
FLAG_CODES = ["refund_eligible", "subscription_past_due", "enterprise_sponsored", "financial_aid",
              "deadline_soon", "account_erased", "account_suspended", "certificate_earned",
              "multiple_accounts"]
PAYER_KINDS = ["self", "enterprise", "financial_aid"]


def _s(**kw) -> fields.String:
    """A required string that may be null (most facts can be unknown for one learner)."""
    return fields.String(required=True, allow_none=True, **kw)


def _when(description: str) -> fields.String:
    return _s(metadata={"description": description + " (ISO 8601 UTC, Z)"})


class LearnerSchema(Schema):
    id = fields.String(required=True)
    external_id = _s()
    name = _s()
    email = _s(metadata={"description": "primary email"})
    emails = fields.List(fields.String(), required=True)
    country = _s(metadata={"description": "ISO 3166-1 alpha-2"})
    language = _s()
    time_zone = _s()
    status = fields.String(required=True, validate=validate.OneOf(["active", "suspended", "erased"]))
    member_since = _when("account creation")
    erased_at = _when("erasure on request, else null")


class MatchedBySchema(Schema):
    kind = fields.String(required=True,
                         validate=validate.OneOf(["email", "external_id", "learner_id", "order_id"]))
    value = fields.String(required=True)
    basis = fields.String(validate=validate.OneOf(["verified", "ticket_sender"]), metadata={
        "description": "ticket-bound emails only: how Zendesk vouches for the address; verified (a "
                       "verified identity of the requester) or ticket_sender (unverified, but the "
                       "address the ticket was e-mailed from, which Zendesk made the requester from)"})


class CourseRefSchema(Schema):
    id = fields.String(required=True)
    title = _s()
    slug = _s()
    partner = _s(metadata={"description": "partner name"})
    partner_kind = _s(validate=validate.OneOf(["university", "company"]))
    language = _s()


class DeadlineSchema(Schema):
    title = _s()
    kind = _s(validate=validate.OneOf(["assignment", "exam", "project"]))
    due_at = _when("due")
    extended = fields.Boolean(required=True)


class CertificateSchema(Schema):
    status = fields.String(required=True,
                           validate=validate.OneOf(["not_eligible", "in_progress", "earned", "revoked"]))
    issued_at = _when("issue")


class EnrolmentSchema(Schema):
    id = fields.String(required=True)
    course = fields.Nested(CourseRefSchema, required=True)
    track = fields.String(required=True,
                          validate=validate.OneOf(["audit", "verified", "specialization", "degree"]))
    status = fields.String(required=True,
                           validate=validate.OneOf(["active", "completed", "unenrolled", "failed"]))
    progress_pct = fields.Float(required=True, allow_none=True)
    grade = fields.Float(required=True, allow_none=True)
    enrolled_at = _when("enrolment")
    session_start = _when("session start")
    session_end = _when("session end")
    next_deadline = fields.Nested(DeadlineSchema, required=True, allow_none=True)
    certificate = fields.Nested(CertificateSchema, required=True, allow_none=True)


class ProductSchema(Schema):
    kind = fields.String(required=True)
    title = _s()
    course_id = _s()
    enrolment_id = _s()


class PayerSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(PAYER_KINDS))
    sponsor_name = _s()


class RefundSchema(Schema):
    eligible = fields.Boolean(required=True)
    reason = fields.String(required=True, metadata={"description": "code explaining the decision"})
    until = _when("end of the refund window, when eligible")


class PaymentSchema(Schema):
    id = fields.String(required=True)
    created_at = _when("order")
    status = fields.String(required=True, validate=validate.OneOf(
        ["paid", "refunded", "partially_refunded", "failed", "pending"]))
    amount = fields.String(required=True, metadata={"description": "decimal string"})
    currency = fields.String(required=True, metadata={"description": "ISO 4217"})
    product = fields.Nested(ProductSchema, required=True)
    payer = fields.Nested(PayerSchema, required=True)
    refunded_amount = fields.String(required=True, metadata={"description": "decimal string"})
    refund = fields.Nested(RefundSchema, required=True)


class SubscriptionSchema(Schema):
    id = fields.String(required=True)
    plan = fields.String(required=True, validate=validate.OneOf(["monthly", "annual"]))
    status = fields.String(required=True, validate=validate.OneOf(["active", "past_due", "cancelled"]))
    current_period_end = _when("current period end")
    amount = fields.String(required=True)
    currency = fields.String(required=True)


class NextDeadlineSchema(Schema):
    enrolment_id = fields.String(required=True)
    course_id = fields.String(required=True)
    course_title = _s()
    title = _s()
    due_at = fields.String(required=True)


class FlagSchema(Schema):
    code = fields.String(required=True, validate=validate.OneOf(FLAG_CODES))
    severity = fields.String(required=True, validate=validate.OneOf(["info", "warning", "critical"]))
    params = fields.Dict(required=True,
                         metadata={"description": "values the app puts into its translated text"})


class MatchSchema(Schema):
    learner = fields.Nested(LearnerSchema, required=True)
    matched_by = fields.List(fields.Nested(MatchedBySchema), required=True)
    enrolments = fields.List(fields.Nested(EnrolmentSchema), required=True,
                             metadata={"description": "at most LC_MAX_ITEMS: those with a next deadline "
                                                      "within LC_DEADLINE_SOON_DAYS first (soonest first), "
                                                      "then newest activity first"})
    enrolments_total = fields.Integer(required=True)
    payments = fields.List(fields.Nested(PaymentSchema), required=True,
                           metadata={"description": "at most LC_MAX_ITEMS, newest first"})
    payments_total = fields.Integer(required=True)
    subscriptions = fields.List(fields.Nested(SubscriptionSchema), required=True)
    payer = fields.Nested(PayerSchema, required=True, allow_none=True)
    next_deadlines = fields.List(fields.Nested(NextDeadlineSchema), required=True)
    flags = fields.List(fields.Nested(FlagSchema), required=True)


class SectionSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(SECTION_STATUSES))
    as_of = _when("when the data was fetched from the system (older when cached)")


class SectionsSchema(Schema):
    learner = fields.Nested(SectionSchema, required=True)
    enrolments = fields.Nested(SectionSchema, required=True)
    courses = fields.Nested(SectionSchema, required=True)
    payments = fields.Nested(SectionSchema, required=True)


class ReferenceSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["course", "order"]))
    value = fields.String(required=True)
    learner_id = _s()
    enrolment_id = _s()
    order_id = _s()
    matched = fields.Boolean(required=True)
    checked = fields.Boolean(required=True)


class ResolvedRequesterSchema(Schema):
    """The requester ticket-bound mode looked up: the ticket's as saved in Zendesk."""

    ticket_id = fields.Integer(required=True)
    zendesk_user_id = fields.Integer(required=True, metadata={
        "description": "compare with the requester the agent sees (ZAF ticket.requester.id): they differ "
                       "while a changed requester is not saved yet"})


class LookupResponseSchema(Schema):
    """The 200 answer of POST /api/v1/learner-context."""

    matches = fields.List(fields.Nested(MatchSchema), required=True)
    sections = fields.Nested(SectionsSchema, required=True)
    suggested_tags = fields.List(fields.String(), required=True)
    detected_references = fields.List(fields.Nested(ReferenceSchema), required=True)
    ticket_bound = fields.Boolean(required=True)
    resolved_requester = fields.Nested(ResolvedRequesterSchema, required=True, allow_none=True, metadata={
        "description": "whose context this is in ticket-bound mode; null for a manual search, without "
                       "ticket-bound mode, or when Zendesk could not say"})
    manual = fields.Boolean(required=True)
    request_id = fields.String(required=True)
