"""The periodic queue scan's CPU per branch (issue 27: the worker's share in bench/network).

Every 30 s `scan_queues` fans out `scan_queue_shard` tasks; each marks overdue no-shows and
refreshes the estimates of its branches with live tickets. This runs the real shard task
in-process on the production profile (PostgreSQL + Redis, pushes on one long-lived event loop
as a worker child sends them, `DB_POOL=true`) for one bench branch alone (a shard count larger
than any branch id, so the shard holds that branch only), and reports app CPU (this process)
and the CPU of the bench database's PostgreSQL backends per branch scan, with the queries.

Two branches are scanned: one with `--waiting` customers in line and a teller at the counter
(the scan between changes: nothing moved since the last refresh), and one whose only live
ticket is called (nobody waiting), as most branches of a quiet network are between customers.

Usage: .venv/bin/python bench/ticket_load/scan.py [--waiting 30] [--rounds 20]
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

SHARDS = 10**9  # more shards than branch ids: the bench branch's shard holds it alone


def _branch(prefix: str, waiting: int, *, call_one: bool):
    from branches.roles import Role
    from queueing import services
    from queueing.services.issuing import IssueRequest

    branch, service, counter = qb.bench_branch(prefix)
    teller = qb.bench_staff(Role.TELLER, branch, f"teller{prefix.lower()}")
    services.counter_open(actor=teller, counter=counter)
    for _ in range(waiting + (1 if call_one else 0)):
        services.ticket_issue(issue=IssueRequest(branch=branch, service_type=service, source="kiosk"))
    if call_one:
        services.ticket_call_next(actor=teller, counter=counter)
    services.queue_refresh(branch=branch)  # the refresh after the last change
    return branch


def _measure(branch, rounds: int, database: str) -> dict:
    from django.db import connection

    from queueing.tasks import scan_queue_shard

    scan_queue_shard(branch.pk % SHARDS, SHARDS)  # warm: the configuration is read once
    rows = []
    for _ in range(rounds):
        connection.queries_log.clear()
        seen: dict[int, float] = {}
        qb.postgres_cpu(database, seen)
        pg_before = sum(seen.values())
        cpu = time.process_time()
        scan_queue_shard(branch.pk % SHARDS, SHARDS)
        cpu = time.process_time() - cpu
        qb.postgres_cpu(database, seen)
        rows.append((cpu, sum(seen.values()) - pg_before, len(connection.queries)))
    app = statistics.fmean(r[0] for r in rows) * 1000
    pg = statistics.fmean(r[1] for r in rows) * 1000
    app_p50 = statistics.median(r[0] for r in rows) * 1000
    return {"app_cpu_ms": round(app, 2), "app_cpu_ms_p50": round(app_p50, 2),
            "postgres_cpu_ms": round(pg, 2), "total_cpu_ms": round(app + pg, 2),
            "queries": statistics.fmean(r[2] for r in rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiting", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    qb.prepare_pooled()
    from django.conf import settings
    from django.db import connection

    from core import live

    live.use_one_push_loop()  # as a worker child (branchsvc.celery)
    connection.force_debug_cursor = True  # count the queries
    database = settings.DATABASES["default"]["NAME"]
    busy = _branch("SW", args.waiting, call_one=False)
    quiet = _branch("SC", 0, call_one=True)
    print(json.dumps({"bench": "queue_scan_per_branch", "rounds": args.rounds,
                      f"waiting_{args.waiting}": _measure(busy, args.rounds, database),
                      "one_called_none_waiting": _measure(quiet, args.rounds, database),
                      "load_average_1min": round(os.getloadavg()[0], 2)}, indent=2))


if __name__ == "__main__":
    main()
