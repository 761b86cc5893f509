"""Assignment by problem type × VIP tier × skills and load, with its reasons, and overrides."""

import pytest

from servicedesk import services
from servicedesk.models import Category, Channel, WorkOrder, WorkOrderKind
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def _remittance_question(branch, actor, customer):
    return services.work_order_create(
        actor=actor,
        kind=WorkOrderKind.REQUEST,
        channel=Channel.COUNTER,
        branch=branch,
        customer=customer,
        description="客户咨询汇往英国的学费为什么被退回",
        category=Category.objects.get(code="fx.remit.returned"),
    )


def test_vip_cross_border_question_goes_to_the_senior_fx_specialist(branch, teller, fx_staff, fx_senior):
    diamond = make_customer(branch=branch, vip_tier=3)
    work_order = _remittance_question(branch, teller, diamond)
    assert work_order.assignee == fx_senior
    assert "跨境汇款" in work_order.assignment_reason or "Cross-border" in work_order.assignment_reason
    assert work_order.auto_assigned


def test_a_busy_specialist_loses_to_a_free_colleague_for_ordinary_customers(
    branch, teller, fx_staff, fx_senior
):
    ordinary = make_customer(branch=branch)
    for _ in range(8):
        WorkOrder.objects.filter(pk=_remittance_question(branch, teller, ordinary).pk).update(
            assignee=fx_senior
        )
    assert _remittance_question(branch, teller, ordinary).assignee == fx_staff


def test_override_is_recorded_as_a_reassignment(branch, teller, fx_staff, fx_senior):
    work_order = _remittance_question(branch, teller, make_customer(branch=branch, vip_tier=3))
    work_order = services.work_order_assign(
        actor=teller, work_order=work_order, assignee=fx_staff, reason="熟悉该客户"
    )
    assert work_order.reassigned_after_auto
    assert work_order.assignment_reason == "熟悉该客户"


def test_nobody_to_assign_leaves_it_with_the_first_responder(branch, teller):
    work_order = _remittance_question(branch, teller, None)
    assert work_order.assignee is None and work_order.owner == teller
