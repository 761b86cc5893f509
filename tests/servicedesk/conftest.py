import datetime as dt

import pytest

from branches.models import Department
from branches.roles import Role
from servicedesk.models import Category, StaffSkill
from servicedesk.sla_clock import SHANGHAI
from tests.conftest import reseed_migration_data
from tests.factories import make_customer, make_staff


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Categories and SLA policies come from a data migration; a transactional test elsewhere in
    the suite flushes them, so put them back for tests that use the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    reseed_migration_data()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def fx_department(branch):
    return Department.objects.create(
        code="BJ901-FX", kind=Department.Kind.FX, name_zh_hans="外汇部", name_en="FX", branch=branch
    )


@pytest.fixture
def fx_head(branch, fx_department):
    head = make_staff(Role.DEPARTMENT_HEAD, branch, username="fxhead", department=fx_department)
    fx_department.head = head
    fx_department.save(update_fields=["head"])
    return head


@pytest.fixture
def fx_staff(branch, fx_department):
    return make_staff(Role.DEPARTMENT_STAFF, branch, username="fxstaff", department=fx_department)


@pytest.fixture
def fx_senior(branch, fx_department):
    user = make_staff(
        Role.DEPARTMENT_STAFF, branch, username="fxsenior", department=fx_department, seniority="senior"
    )
    StaffSkill.objects.create(user=user, category=Category.objects.get(code="fx.remit"))
    return user


@pytest.fixture
def customer(branch):
    return make_customer(branch=branch)
