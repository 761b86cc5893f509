"""The estimate refresh's CPU with `--waiting` customers in line (issue 27: ≤ 80 ms with 200).

What a Celery worker does after each call: `queue_refresh` recomputes every waiting ticket's
estimate and place, stores what changed and pushes it to the ticket pages, the lobby and the
staff dashboard. In-process on the production profile (PostgreSQL + Redis, pushes sent on one
long-lived event loop as a worker child does, `DB_POOL=true` so the database backends live
through the run and can be measured). Each round calls the next customer first (so every
waiting ticket moves up and is pushed), then times the refresh: app CPU (this process) and the
CPU of the bench database's PostgreSQL backends, averaged, with the queries and pushes made.

Usage: .venv/bin/python bench/ticket_load/refresh.py [--waiting 200] [--rounds 10]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    qb.prepare_pooled()
    from django.conf import settings
    from django.db import connection

    from branches.roles import Role
    from core import live
    from queueing import services
    from queueing.services.issuing import IssueRequest

    live.use_one_push_loop()  # as a worker child (branchsvc.celery)
    connection.force_debug_cursor = True  # count the queries
    branch, service, counter = qb.bench_branch("BF")
    teller = qb.bench_staff(Role.TELLER, branch, "teller")
    services.counter_open(actor=teller, counter=counter)
    for _ in range(args.waiting + args.rounds):
        services.ticket_issue(issue=IssueRequest(branch=branch, service_type=service, source="kiosk"))
    services.queue_refresh(branch=branch)  # every ticket has its estimate and place stored

    pushes: list[int] = []
    send_all = live.send_all_now

    def counting(batch):
        pushes.append(len(batch))
        send_all(batch)

    live.send_all_now = counting
    database = settings.DATABASES["default"]["NAME"]
    rows = []
    for _ in range(args.rounds):
        ticket = services.ticket_call_next(actor=teller, counter=counter)
        services.ticket_finish(actor=teller, ticket=services.ticket_start_serving(
            actor=teller, ticket=ticket))
        connection.queries_log.clear()
        pushes.clear()
        seen: dict[int, float] = {}
        qb.postgres_cpu(database, seen)
        pg_before = sum(seen.values())
        cpu, wall = time.process_time(), time.perf_counter()
        services.queue_refresh(branch=branch)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        qb.postgres_cpu(database, seen)
        rows.append((cpu, sum(seen.values()) - pg_before, wall, len(connection.queries), sum(pushes)))
    app = statistics.fmean(r[0] for r in rows) * 1000
    pg = statistics.fmean(r[1] for r in rows) * 1000
    print(json.dumps({"bench": "estimate_refresh", "waiting": args.waiting, "rounds": args.rounds,
                      "app_cpu_ms": round(app, 1), "postgres_cpu_ms": round(pg, 1),
                      "total_cpu_ms": round(app + pg, 1), "target_ms": 80,
                      "wall_ms_p50": round(statistics.median(r[2] for r in rows) * 1000, 1),
                      "queries": statistics.fmean(r[3] for r in rows),
                      "pushes": statistics.fmean(r[4] for r in rows),
                      "load_average_1min": round(os.getloadavg()[0], 2)}, indent=2))


if __name__ == "__main__":
    main()
