import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from branches import demo as branches_demo
from customers import demo as customers_demo
from servicedesk import demo
from servicedesk.models import ClassifierModel, Escalation, Level, Status, WorkOrder


@pytest.mark.django_db
def test_demo_seed_gives_history_and_open_work_orders_in_several_sla_states(client):
    out = io.StringIO()
    branches_demo.seed(stdout=out)
    customers_demo.seed(stdout=out, count=20)
    demo.seed(stdout=out)
    assert WorkOrder.objects.filter(status=Status.CLOSED).count() >= 100
    assert WorkOrder.objects.filter(status=Status.WAITING_CUSTOMER).exists()
    assert Escalation.objects.filter(level=Level.WARNING).exists()
    assert Escalation.objects.filter(level__gte=Level.DEPARTMENT_HEAD).exists()
    vip_request = WorkOrder.objects.get(description__startswith="贵宾客户")
    assert vip_request.assignee.username == "dept_fx1"
    assert ClassifierModel.objects.exists()
    client.force_login(vip_request.assignee)
    queue = client.get(reverse("servicedesk:queue")).content.decode()
    assert vip_request.number in queue and "已暂停" in queue  # waiting for the customer
    client.force_login(get_user_model().objects.get(username="dept_credit1"))
    assert "sd-breached" in client.get(reverse("servicedesk:queue")).content.decode()
