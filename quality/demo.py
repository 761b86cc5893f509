"""Demo quality data: an inspector and a mystery shopper, two months of submitted inspections
across the demo branches (so the heat map has colour), some corrective actions open, one overdue,
and today's inspection waiting on the inspector's phone."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from branches.demo import DEMO_PASSWORD
from branches.models import Branch, Department, StaffProfile
from branches.roles import Role
from quality.models import CorrectiveAction, Inspection, Kind
from quality.roles import QualityRole
from quality.services import corrective_action_close, inspection_save, inspection_schedule, inspection_submit
from quality.services.inspections import Mark

# (branch, days ago, kind, the sections that branch is weak in)
HISTORY = [
    ("BJ001", 55, Kind.INSPECTION, {"environment"}),
    ("SH001", 50, Kind.INSPECTION, {"special_groups"}),
    ("DEMO01", 45, Kind.MYSTERY_SHOP, {"greeting", "process"}),
    ("BJ001", 30, Kind.MYSTERY_SHOP, {"greeting"}),
    ("SH001", 24, Kind.MYSTERY_SHOP, {"special_groups", "compliance"}),
    ("DEMO01", 15, Kind.INSPECTION, {"process"}),
    ("BJ001", 9, Kind.INSPECTION, set()),
    ("SH001", 4, Kind.INSPECTION, {"special_groups"}),
]
NOTES = {"fail": "现场未达标，已拍照", "partial": "部分做到"}


def _people():
    User = get_user_model()
    inspector = User.objects.create_user(
        "inspector1", password=DEMO_PASSWORD, first_name="静", last_name="林"
    )
    StaffProfile.objects.create(
        user=inspector,
        role=Role.DEPARTMENT_STAFF,
        employee_no="H0401",
        department=Department.objects.filter(code="HO-OPS").first(),
    )
    inspector.groups.add(
        Group.objects.get_or_create(name=Role.DEPARTMENT_STAFF)[0],
        Group.objects.get_or_create(name=QualityRole.INSPECTOR)[0],
    )
    shopper = User.objects.create_user(
        "shopper1", password=DEMO_PASSWORD, first_name="神秘", last_name="顾客"
    )
    shopper.groups.add(Group.objects.get_or_create(name=QualityRole.MYSTERY_SHOPPER)[0])
    return inspector, shopper


def _marks(inspection, weak: set, rng: random.Random) -> dict:
    marks = {}
    for item in inspection.checklist_version.items.all():
        odds = (0.55, 0.8, 0.97) if item.section in weak else (0.88, 0.97, 0.995)
        roll = rng.random()
        result = (
            "pass" if roll < odds[0] else "partial" if roll < odds[1] else "fail" if roll < odds[2] else "na"
        )
        marks[item.pk] = Mark(result=result, note=NOTES.get(result, ""))
    return marks


def _back_date(inspection, days: int) -> None:
    """Demo history: the services stamp now; move the visit and its actions into the past."""
    shift = dt.timedelta(days=days)
    Inspection.objects.filter(pk=inspection.pk).update(
        scheduled_for=inspection.scheduled_for - shift,
        created_at=inspection.created_at - shift,
        submitted_at=inspection.submitted_at - shift,
    )
    for action in CorrectiveAction.objects.filter(answer__inspection=inspection):
        CorrectiveAction.objects.filter(pk=action.pk).update(
            created_at=action.created_at - shift, due_at=action.due_at - shift
        )


def seed(*, stdout) -> None:
    head = get_user_model().objects.get(username="hoadmin")
    inspector, shopper = _people()
    rng = random.Random(25)
    today = timezone.localdate()
    branches = {b.code: b for b in Branch.objects.filter(code__in={row[0] for row in HISTORY})}
    for code, days, kind, weak in HISTORY:
        if code not in branches:
            continue
        who = shopper if kind == Kind.MYSTERY_SHOP else inspector
        found = inspection_schedule(
            actor=head, branch=branches[code], kind=kind, inspector=who, scheduled_for=today
        )
        inspection_save(actor=who, inspection=found, marks=_marks(found, weak, rng))
        _back_date(inspection_submit(actor=who, inspection=found), days)
    # Old actions: the earliest ones closed, the rest open (one of them overdue).
    for action in CorrectiveAction.objects.filter(due_at__lt=timezone.now() - dt.timedelta(days=20)):
        corrective_action_close(actor=action.owner or head, action=action, evidence="已整改并复查")
    inspection_schedule(
        actor=inspector,
        branch=branches["BJ001"],
        kind=Kind.INSPECTION,
        inspector=inspector,
        scheduled_for=today,
    )
    if "SH001" in branches:
        inspection_schedule(
            actor=head,
            branch=branches["SH001"],
            kind=Kind.MYSTERY_SHOP,
            inspector=shopper,
            scheduled_for=today + dt.timedelta(days=2),
        )
    stdout.write(
        "quality: inspector1 scores today's inspection of BJ001 on a phone at /quality/; "
        "shopper1 (mystery shopper) has a visit to SH001; head office's heat map is on /insights/"
    )
