"""The request path's CPU per operation: ticket issue, call-next, start and finish over HTTP.

In-process (Django's test client, no uvicorn, no client threads) on the production profile
(PostgreSQL + Redis, `DB_POOL=true` so the database backends live through the run and can be
measured), with one open counter and `--waiting` customers in line. For each operation it
reports the app's CPU (this process, `time.process_time`) and the CPU of the bench database's
PostgreSQL backends (from /proc), averaged over the requests, plus the wall-clock p50 and the
queries made. CPU, unlike latency, hardly depends on what else the machine is doing, so the
figures compare between runs; run two checkouts back to back for a before/after.

Usage: .venv/bin/python bench/ticket_load/request_path.py [--waiting 100] [--issues 40] [--calls 20]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402

OPERATIONS = ("issue", "call_next", "start", "finish")


class Meter:
    """CPU of this process and of the database's backends, and the queries, per operation."""

    def __init__(self, database: str):
        self.database = database
        self.samples: dict[str, list[tuple[float, float, float, int]]] = {op: [] for op in OPERATIONS}

    def _postgres(self) -> float:
        seen: dict[int, float] = {}
        qb.postgres_cpu(self.database, seen)
        return sum(seen.values())

    def run(self, operation: str, request):
        from django.db import connection, reset_queries

        reset_queries()
        pg_before = self._postgres()
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        response = request()
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
        pg = self._postgres() - pg_before
        self.samples[operation].append((cpu, pg, wall, len(connection.queries)))
        return response

    def report(self) -> dict:
        result = {}
        for operation, rows in self.samples.items():
            if not rows:
                continue
            app = statistics.fmean(r[0] for r in rows) * 1000
            pg = statistics.fmean(r[1] for r in rows) * 1000
            # The median resists the other processes' bursts that a mean of a few dozen absorbs.
            app_p50 = statistics.median(r[0] for r in rows) * 1000
            result[operation] = {"requests": len(rows), "app_cpu_ms": round(app, 2),
                                 "app_cpu_ms_p50": round(app_p50, 2),
                                 "postgres_cpu_ms": round(pg, 2), "total_cpu_ms": round(app + pg, 2),
                                 "wall_ms_p50": round(statistics.median(r[2] for r in rows) * 1000, 2),
                                 "queries": round(statistics.fmean(r[3] for r in rows), 1)}
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiting", type=int, default=100)
    parser.add_argument("--issues", type=int, default=40)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    env = qb.prepare_pooled()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from branches.models import Device
    from branches.roles import Role
    from branches.services import device_issue_token
    from queueing import services

    connection.force_debug_cursor = True  # count the queries (connection.queries)
    branch, service, counter, admin = qb.bench_branch_and_admin("BR")
    teller = qb.bench_staff(Role.TELLER, branch, "teller")
    services.counter_open(actor=teller, counter=counter)
    token = device_issue_token(actor=admin, branch=branch, kind=Device.Kind.KIOSK, name="k")[1]
    kiosk = Client(HTTP_AUTHORIZATION=f"Device {token}", HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(teller)
    for _ in range(args.waiting):
        kiosk.post(f"/api/v1/queue/branches/{branch.code}/tickets/", {"service": service.code},
                   content_type="application/json")
    meter = Meter(settings.DATABASES["default"]["NAME"])
    for _ in range(args.issues):
        response = meter.run("issue", lambda: kiosk.post(
            f"/api/v1/queue/branches/{branch.code}/tickets/", {"service": service.code},
            content_type="application/json"))
        assert response.status_code == 201, response.content
    for _ in range(args.calls):
        response = meter.run("call_next", lambda: staff.post(
            f"/api/v1/queue/counters/{counter.pk}/call-next/"))
        assert response.status_code == 200, response.content
        ticket = response.json()["id"]
        for operation in ("start", "finish"):
            response = meter.run(operation, lambda op=operation, pk=ticket: staff.post(
                f"/api/v1/queue/tickets/{pk}/{op}/"))
            assert response.status_code == 200, response.content
    print(json.dumps({"bench": "request_path", "waiting": args.waiting, "open_counters": 1,
                      "db_pool": env["DB_POOL"], "per_operation": meter.report(),
                      "load_average_1min": round(os.getloadavg()[0], 2)}, indent=2))


if __name__ == "__main__":
    main()
