"""The demo branch day: counters with work profiles, nobody stranded, an unbiased estimate."""

import io

from django.contrib.auth import get_user_model
from django.urls import reverse

from branches import demo as branches_demo
from branches.models import ServicePoint
from customers import demo as customers_demo
from queueing import demo


def test_the_demo_day_has_work_profiles_and_an_estimate_bias_within_a_minute(client, db, clock):
    out = io.StringIO()
    branches_demo.seed(stdout=out)
    customers_demo.seed(stdout=out, count=20)
    demo.seed(stdout=out)
    wealth_desk = ServicePoint.objects.get(branch__code="BJ001", code="06")
    assert wealth_desk.work_queues[0] == "W"
    client.force_login(get_user_model().objects.get(username="lobby1"))
    figures = client.get(reverse("api-queue-figures", args=["BJ001"])).json()
    assert figures["estimate"]["tickets"] >= 5
    assert abs(figures["estimate"]["mean_bias_minutes"]) <= 1
    state = client.get(reverse("api-queue-state", args=["BJ001"])).json()
    assert state["waiting"] and state["stranded"] == []
