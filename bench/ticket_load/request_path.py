"""The request path with a long queue: issue and call-next with one open counter and N waiting.

In-process (Django's test client, no uvicorn, no client threads) on the production profile
(PostgreSQL + Redis), so the figures are the server's own time per request. Prints JSON: p50 of
20 kiosk issues and 10 call-nexts over HTTP, and of the engine's routing alone.

Usage: .venv/bin/python bench/ticket_load/request_path.py [--waiting 300]
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


def p50_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiting", type=int, default=300)
    args = parser.parse_args()
    env = qb.production_env()
    qb.prepare(env)
    from django.test import Client

    from branches.models import Device
    from branches.roles import Role
    from branches.services import device_issue_token
    from queueing import engine, services
    from queueing.state import branch_snapshot, customer_profile, service_profile

    branch, service, counter = qb.bench_branch("BR")
    admin = qb.bench_staff(Role.BRANCH_ADMIN, branch, "admin")
    teller = qb.bench_staff(Role.TELLER, branch, "teller")
    services.counter_open(actor=teller, counter=counter)
    token = device_issue_token(actor=admin, branch=branch, kind=Device.Kind.KIOSK, name="k")[1]
    kiosk = Client(HTTP_AUTHORIZATION=f"Device {token}", HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(teller)
    for _ in range(args.waiting):
        services.ticket_issue(branch=branch, service_type=service, source="kiosk")

    snapshot = branch_snapshot(branch)
    routing = []
    for _ in range(10):
        started = time.perf_counter()
        engine.recommend_route(service_profile(service, snapshot.prefixes), customer_profile(None),
                               None, snapshot.live, snapshot.weights)
        routing.append(time.perf_counter() - started)
    issue = []
    for _ in range(20):
        started = time.perf_counter()
        response = kiosk.post(f"/api/queue/branches/{branch.code}/tickets/",
                              {"service": service.code}, content_type="application/json")
        issue.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content
    call = []
    for _ in range(10):
        started = time.perf_counter()
        response = staff.post(f"/api/queue/counters/{counter.pk}/call-next/")
        call.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        ticket = response.json()["id"]
        staff.post(f"/api/queue/tickets/{ticket}/start/")
        staff.post(f"/api/queue/tickets/{ticket}/finish/")
    print(json.dumps({"bench": "request_path", "waiting": args.waiting, "open_counters": 1,
                      "issue_http_ms_p50": p50_ms(issue), "call_next_http_ms_p50": p50_ms(call),
                      "engine_routing_ms_p50": p50_ms(routing),
                      "load_average_1min": round(os.getloadavg()[0], 2)}, indent=2))


if __name__ == "__main__":
    main()
