"""Home-visit rules, overridable with ``settings.OUTREACH = {...}``."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class Policy:
    # Customers this old qualify by age alone (60 or 70 in most banks' service standards).
    min_age: int = 70
    # From the request to the visit, in the branch's working days (official calendar).
    sla_working_days: int = 3
    # Post-sale monitoring: a fall of more than this below the purchase NAV alerts (once a crossing).
    nav_fall_percent: float = 5.0


def policy() -> Policy:
    overrides = getattr(settings, "OUTREACH", {}) or {}
    known = {f.name for f in fields(Policy)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown OUTREACH settings: {sorted(unknown)}")
    return replace(Policy(), **overrides)
