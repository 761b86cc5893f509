"""The home-visit SLA: due by the end of the Nth working day after the request, clocked and
escalated by the service desk (a work order in its own category with its own SLA policy)."""

from __future__ import annotations

import datetime as dt

from branches.calendar import is_working_day
from branches.models import Branch

CATEGORY_TREE = [  # code, Chinese, English, level, parent
    ("outreach", "上门服务", "Outreach", 1, None),
    ("outreach.home_visit", "上门服务申请", "Home visits", 2, "outreach"),
    ("outreach.home_visit.request", "上门服务待上门", "Home visit to make", 3, "outreach.home_visit"),
    ("outreach.wealth", "理财售后", "Wealth products after the sale", 2, "outreach"),
    ("outreach.wealth.fall", "理财净值下跌回访", "Follow-up after a fall in value", 3, "outreach.wealth"),
]
CATEGORY_CODE = "outreach.home_visit.request"
WEALTH_CATEGORY_CODE = "outreach.wealth.fall"
POLICY_NAME_EN = "Home visit (3 working days)"
BUSINESS_MINUTES_PER_DAY = 8 * 60  # servicedesk's business day


def due_by(*, branch: Branch, requested_at: dt.datetime, working_days: int) -> dt.datetime:
    """Closing time of the ``working_days``-th working day after the request's day (local)."""
    day = requested_at.astimezone(branch.tz).date()
    counted = 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day, branch=branch):
            counted += 1
    periods = branch.hours_on(day)
    closing = periods[-1][1] if periods else dt.time(17)
    return dt.datetime.combine(day, closing, tzinfo=branch.tz)


def install(category_model, policy_model, *, working_days: int = 3) -> None:
    """The categories of outreach's work orders and the home-visit SLA policy (idempotent; the data
    migration and the services call it, so tables flushed by transactional tests are refilled).
    Work orders opened with a category skip the classifier."""
    made: dict = {}
    for code, name_zh, name_en, level, parent in CATEGORY_TREE:
        made[code], _created = category_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh_hans": name_zh,
                "name_en": name_en,
                "level": level,
                "parent": made.get(parent),
            },
        )
    policy_model.objects.update_or_create(
        name_en=POLICY_NAME_EN,
        defaults={
            "order": 5,
            "name_zh_hans": "上门服务（3个工作日内上门）",
            "work_order_kind": "request",
            "category": category_model.objects.get(code="outreach.home_visit"),
            "first_response_minutes": 4 * 60,
            "resolution_minutes": working_days * BUSINESS_MINUTES_PER_DAY,
            "resolution_clock": "business",
        },
    )
