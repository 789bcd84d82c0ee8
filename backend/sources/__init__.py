"""Clients of the internal systems (learners, enrolments, courses, payments)."""
