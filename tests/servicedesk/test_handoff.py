"""The FAQ assistant's and kiosk's hand-off opens a work order (knowledge registers the handler)."""

from types import SimpleNamespace

import pytest

from servicedesk.models import Channel, Priority, WorkOrder, WorkOrderKind
from servicedesk.services import work_order_from_handoff
from tests.factories import make_device

pytestmark = pytest.mark.django_db


def _handoff(**kw):
    fields = dict(
        reason="complaint",
        urgent=False,
        question="排队太久了",
        channel="web",
        conversation=[],
        tags=[],
        exchange_id=1,
        branch_code="",
        customer_id=None,
        user_id=None,
        device_id=None,
    )
    return SimpleNamespace(**{**fields, **kw})


def test_a_complaint_from_the_assistant_becomes_a_complaint_of_the_customer(branch, customer_user):
    customer = customer_user.customer
    number = work_order_from_handoff(
        _handoff(
            customer_id=customer.pk,
            user_id=customer_user.pk,
            branch_code=branch.code,
            conversation=[
                {"role": "customer", "text": "我在网点排队两个小时"},
                {"role": "customer", "text": "只开了一个窗口，我要投诉"},
            ],
        )
    )
    work_order = WorkOrder.objects.get(number=number)
    assert work_order.kind == WorkOrderKind.COMPLAINT and work_order.channel == Channel.FAQ
    assert work_order.customer == customer and work_order.branch == branch
    assert "只开了一个窗口" in work_order.description


def test_fraud_from_a_kiosk_is_an_urgent_request_at_the_kiosks_branch(branch):
    device, _ = make_device(branch)
    number = work_order_from_handoff(
        _handoff(reason="fraud", urgent=True, channel="kiosk", question="我的卡被盗刷了", device_id=device.pk)
    )
    work_order = WorkOrder.objects.get(number=number)
    assert work_order.kind == WorkOrderKind.REQUEST and work_order.priority == Priority.URGENT
    assert work_order.channel == Channel.KIOSK and work_order.branch == branch
