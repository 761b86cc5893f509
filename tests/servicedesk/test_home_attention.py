"""A work order past its deadline, or new in the department, is on the staff home page."""

import datetime as dt

import pytest

from servicedesk import services
from servicedesk.models import Category, Channel, WorkOrder, WorkOrderKind
from tests.staff_home import staff_home

pytestmark = pytest.mark.django_db


def _remittance_question(branch, actor):
    return services.work_order_create(
        actor=actor, kind=WorkOrderKind.REQUEST, channel=Channel.COUNTER, branch=branch,
        description="客户咨询汇往英国的学费为什么被退回",
        category=Category.objects.get(code="fx.remit.returned"))


def test_the_assignee_sees_their_work_order_and_then_that_it_is_late(
        client, branch, teller, fx_staff, clock):
    work_order = _remittance_question(branch, teller)
    assert work_order.assignee == fx_staff
    page = staff_home(client, fx_staff)
    assert "分派给您的工单 1 张" in page and "?mine=1" in page
    assert "已超过时限" not in page
    clock.move_to(work_order.resolution_due + dt.timedelta(minutes=1))
    page = staff_home(client, fx_staff)
    assert "分派给您的工单 1 张" in page and "其中 1 张已超过时限。" in page
    assert "attention-item urgent" in page


def test_the_head_sees_the_departments_late_work_orders(client, branch, teller, fx_staff, fx_head,
                                                        clock):
    work_order = _remittance_question(branch, teller)
    clock.move_to(work_order.resolution_due + dt.timedelta(minutes=1))
    assert "1 张工单已超过时限" in staff_home(client, fx_head)


def test_a_department_sees_new_work_nobody_has_taken(client, branch, teller, fx_head, fx_department):
    work_order = _remittance_question(branch, teller)
    WorkOrder.objects.filter(pk=work_order.pk).update(assignee=None)
    page = staff_home(client, fx_head)
    assert "本部门有 1 张新工单" in page
    assert f"?department={fx_department.pk}" in page


def test_waiting_for_the_customer_is_not_late(client, branch, teller, fx_staff, clock):
    work_order = _remittance_question(branch, teller)
    WorkOrder.objects.filter(pk=work_order.pk).update(status="waiting_customer")
    clock.move_to(work_order.resolution_due + dt.timedelta(hours=1))
    assert "已超过时限" not in staff_home(client, fx_staff)
