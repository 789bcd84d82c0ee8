"""The company's internal systems (learners, courses, enrolments, payments): data generator and REST APIs."""
