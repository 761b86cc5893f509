"""Render time of the head-office insights page over the generated history (run generate.py first).

    .venv/bin/python bench/insights/head_office_page.py --runs 30

Renders `/insights/` through Django's test client as a head-office admin (the whole view, template
and SVG charts; no network), for the default 30 days and for the whole year, plus one branch page
over the year, and prints p50/p95 in milliseconds as JSON. Target: p95 ≤ 1,000 ms on PostgreSQL."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time

from common import setup


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _head_office_user():
    """A network-wide head-office admin: the demo's, or one made for the benchmark."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from branches.models import StaffProfile
    from branches.roles import Role

    profile = (
        StaffProfile.objects.filter(role=Role.HEAD_OFFICE_ADMIN, branch=None).select_related("user").first()
    )
    if profile is None:
        account = get_user_model().objects.create_user("bench-head-office")
        account.groups.add(Group.objects.get_or_create(name=Role.HEAD_OFFICE_ADMIN)[0])
        profile = StaffProfile.objects.create(user=account, role=Role.HEAD_OFFICE_ADMIN,
                                              employee_no="BENCH-HO")
    return profile.user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from insights.models import BranchDayStat, HourlyStat

    client = Client()
    client.force_login(_head_office_user())
    today = timezone.localdate()
    cases = {
        "last_30_days": {},
        "one_year_by_month": {
            "start": (today - dt.timedelta(days=364)).isoformat(),
            "end": today.isoformat(),
            "grain": "month",
        },
        "one_year_by_day": {
            "start": (today - dt.timedelta(days=364)).isoformat(),
            "end": today.isoformat(),
            "grain": "day",
        },
    }
    branch_url = f"/insights/branch/{BranchDayStat.objects.values_list('branch__code', flat=True).first()}/"
    result = {
        "database": connection.vendor,
        "branch_day_rows": BranchDayStat.objects.count(),
        "hourly_rows": HourlyStat.objects.count(),
        "runs": args.runs,
        "target_p95_ms": 1000,
    }
    pages = [(name, "/insights/", params) for name, params in cases.items()]
    pages.append(("branch_page_one_year_by_month", branch_url, cases["one_year_by_month"]))
    for name, url, params in pages:
        client.get(url, params, secure=True)  # warm-up
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url, params, secure=True)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        result[name] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 0.95), 1),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
