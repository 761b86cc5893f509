"""Roll up the demo data so the insight pages show figures straight after `seed_demo`."""

import datetime as dt

from django.utils import timezone

from branches.models import Branch
from insights.services import rollup_day

DEMO_DAYS = 30


def seed(*, stdout) -> None:
    today = timezone.localdate()
    branches = list(Branch.objects.filter(is_active=True).order_by("code"))
    for branch in branches:
        for offset in range(DEMO_DAYS):
            rollup_day(branch=branch, day=today - dt.timedelta(days=offset))
    stdout.write(f"insights: rolled up {DEMO_DAYS} days for {len(branches)} branches\n")
