"""Every write of the outreach app (home visits). Callers import from here."""

from outreach.services.visits import (
    VisitConflict,
    eligibility_check,
    home_visit_add_photo,
    home_visit_cancel,
    home_visit_complete,
    home_visit_request,
    home_visit_schedule,
    home_visit_start,
    home_visit_verify_identity,
)

__all__ = [
    "VisitConflict",
    "eligibility_check",
    "home_visit_add_photo",
    "home_visit_cancel",
    "home_visit_complete",
    "home_visit_request",
    "home_visit_schedule",
    "home_visit_start",
    "home_visit_verify_identity",
]
