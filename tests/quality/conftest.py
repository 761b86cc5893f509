import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from branches.roles import Role
from quality.models import Checklist, Kind
from quality.roles import QualityRole
from quality.services import inspection_schedule
from quality.standards import STANDARD_CODE
from tests.factories import make_staff, make_user


@pytest.fixture
def standard(migration_data):
    """The standard checklist (tests/conftest.py's `migration_data`: transactional tests flush the
    migration's rows)."""
    return Checklist.objects.get(code=STANDARD_CODE)


@pytest.fixture
def inspector(db):
    """A head-office quality inspector: department staff holding the inspector group."""
    user = make_staff(Role.DEPARTMENT_STAFF, None, username="inspector")
    user.groups.add(Group.objects.get_or_create(name=QualityRole.INSPECTOR)[0])
    return user


@pytest.fixture
def shopper(db):
    """A mystery shopper: an external account with only the group, no staff profile."""
    user = make_user("shopper", first_name="神秘", last_name="顾客")
    user.groups.add(Group.objects.get_or_create(name=QualityRole.MYSTERY_SHOPPER)[0])
    return user


@pytest.fixture
def scheduled(clock, standard, branch, branch_admin, inspector):
    return inspection_schedule(
        actor=inspector, branch=branch, kind=Kind.INSPECTION, inspector=inspector, scheduled_for=clock.today()
    )


def png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(data, "PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def marks_post(inspection, results: dict | None = None, default="pass", action="save", notes=None) -> dict:
    """The scoring form as the phone posts it: every item `default` unless named in `results`."""
    results, notes = results or {}, notes or {}
    data = {"action": action}
    for item in inspection.checklist_version.items.all():
        value = results.get(item.code, default)
        if value:
            data[f"result-{item.pk}"] = value
        data[f"note-{item.pk}"] = notes.get(item.code, "")
    return data
