import csv
import io

import pytest
from django.contrib.auth import get_user_model

from insights import demo
from insights.models import BranchDayStat


def test_the_demo_seed_rolls_up_every_branch(branch, other_branch):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert BranchDayStat.objects.filter(branch=branch).count() == demo.DEMO_DAYS
    assert "rolled up" in out.getvalue()


@pytest.mark.django_db
def test_after_the_whole_demo_the_dashboard_shows_the_visit_rating_of_the_morning(client, tmp_path,
                                                                                 monkeypatch):
    from branches import demo as branches_demo
    from counter import demo as counter_demo
    from customers import demo as customers_demo
    from queueing import demo as queueing_demo
    from servicedesk.models import VisitSurvey

    monkeypatch.setattr("branches.demo.DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    out = io.StringIO()
    branches_demo.seed(stdout=out)
    customers_demo.seed(stdout=out, count=20)
    for module in (queueing_demo, counter_demo, demo):
        module.seed(stdout=out)
    ratings = VisitSurvey.objects.filter(score__isnull=False)
    assert ratings.filter(score__gte=4).count() > ratings.count() / 2
    low = ratings.get(score__lte=2)
    assert low.follow_up is not None and "2/5" in low.follow_up.title
    client.force_login(get_user_model().objects.get(username="hoadmin"))
    rows = client.get("/insights/", {"export": "kpis"}, HTTP_ACCEPT_LANGUAGE="en")
    figures = {r[0]: r[1] for r in csv.reader(io.StringIO(rows.content.decode("utf-8-sig")))}
    assert 4 <= float(figures["Visit rating"]) <= 5
    assert figures["Visits rated"] == str(ratings.count())
    # The demo's tellers opened their counters before the morning's customers, not at seed time.
    assert 0 < float(figures["Teller utilisation"]) <= 100
