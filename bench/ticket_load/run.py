"""Ticket issuing under load: 50 concurrent kiosk clients issue tickets over HTTP on PostgreSQL.

Prints JSON: tickets/s, p50/p99 latency, and proof that the numbers have no duplicates and no
gaps, beside a no-op endpoint (/healthz) measured with the same clients in the same run.

Usage (PostgreSQL and Redis on 127.0.0.1; DATABASE_URL / REDIS_URL override the defaults):
    .venv/bin/python bench/ticket_load/run.py [--clients 50] [--tickets 500] [--workers 2]
"""

import argparse
import http.client
import itertools
import json
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402


def hammer(base: str, requests: list[tuple[str, str, bytes, dict]], clients: int):
    """Send `requests` from `clients` threads, each on its own keep-alive connection."""
    url = urlparse(base)
    order = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    bodies: list[dict] = []
    errors: list[str] = []

    def client():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while True:
            with lock:
                index = next(order)
            if index >= len(requests):
                break
            method, path, body, headers = requests[index]
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status >= 400:
                    errors.append(f"{response.status} {payload[:200]!r}")
                elif payload.startswith(b"{"):
                    bodies.append(json.loads(payload))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, bodies, errors, time.perf_counter() - started


def summary(latencies, errors, elapsed, count_key: str) -> dict:
    return {
        count_key: len(latencies) - len(errors),
        "errors": len(errors),
        "per_second": round((len(latencies) - len(errors)) / elapsed, 1),
        "p50_ms": qb.ms(qb.percentile(latencies, 50)),
        "p99_ms": qb.ms(qb.percentile(latencies, 99)),
        "max_ms": qb.ms(max(latencies) if latencies else None),
        "seconds": round(elapsed, 2),
    }


def number_check(branch, issued: list[dict]) -> dict:
    """Every ticket number the database holds for the bench branch, per prefix: 1..n exactly."""
    from queueing.models import Ticket

    result = {"duplicates": 0, "missing": 0, "prefixes": {}}
    rows = list(Ticket.objects.filter(branch=branch).values_list("prefix", "sequence", "number"))
    for prefix in sorted({row[0] for row in rows}):
        sequences = [row[1] for row in rows if row[0] == prefix]
        expected = set(range(1, max(sequences) + 1))
        result["duplicates"] += len(sequences) - len(set(sequences))
        result["missing"] += len(expected - set(sequences))
        result["prefixes"][prefix] = {"tickets": len(sequences), "highest": max(sequences)}
    numbers = [row[2] for row in rows]
    result["database_matches_responses"] = sorted(numbers) == sorted(b["number"] for b in issued)
    return result


def _hammer_measuring_cpu(base, requests, clients, *, server, database):
    """`hammer`'s result with the CPU seconds it cost the server's processes and the database's
    backends (sampled while the requests run, so short-lived backends of the unpooled profile
    are mostly caught)."""
    pg_seen: dict[int, float] = {}
    qb.postgres_cpu(database, pg_seen)
    pg_before = dict(pg_seen)
    server_before = qb.cpu_seconds(server.pid)
    sampling = threading.Event()

    def sample():
        while not sampling.wait(0.05):
            qb.postgres_cpu(database, pg_seen)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = hammer(base, requests, clients)
    sampling.set()
    sampler.join()
    qb.postgres_cpu(database, pg_seen)
    server_cpu = qb.cpu_seconds(server.pid) - server_before
    pg_cpu = sum(value - pg_before.get(pid, 0.0) for pid, value in pg_seen.items())
    return result, server_cpu, pg_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args()

    env = qb.production_env()
    qb.prepare(env)
    from branches.models import Device
    from branches.services import device_issue_token

    branch, service, _counter, admin = qb.bench_branch_and_admin("BT")
    tokens = [device_issue_token(actor=admin, branch=branch, kind=Device.Kind.KIOSK,
                                 name=f"bench kiosk {i}")[1] for i in range(args.clients)]
    body = json.dumps({"service": service.code}).encode()
    issue_path = f"/api/queue/branches/{branch.code}/tickets/"
    tickets = [("POST", issue_path, body, {"Content-Type": "application/json",
                                           "Authorization": f"Device {tokens[i % len(tokens)]}"})
               for i in range(args.tickets)]
    noop = [("GET", "/healthz", None, {})] * args.tickets

    from django.db import connection

    database = connection.settings_dict["NAME"]
    server, base = qb.start_server(env, workers=args.workers)
    try:
        hammer(base, noop[: args.clients * 2], args.clients)  # warm up connections and workers
        noop_result = hammer(base, noop, args.clients)
        ticket_result, server_cpu, pg_cpu = _hammer_measuring_cpu(base, tickets, args.clients,
                                                                  server=server, database=database)
    finally:
        qb.stop_server(server)

    latencies, issued, errors, elapsed = ticket_result
    print(json.dumps({
        "bench": "ticket_load",
        "profile": "production (PostgreSQL, Redis)",
        "server": f"uvicorn --workers {args.workers}",
        "clients": args.clients,
        "issue": summary(latencies, errors, elapsed, "tickets"),
        "cpu_ms_per_issue": {"app": round(server_cpu * 1000 / len(latencies), 2),
                             "postgres": round(pg_cpu * 1000 / len(latencies), 2),
                             "total": round((server_cpu + pg_cpu) * 1000 / len(latencies), 2),
                             "db_pool": env.get("DB_POOL", "true")},
        "noop_healthz": summary(noop_result[0], noop_result[2], noop_result[3], "requests"),
        "numbers": number_check(branch, issued),
        "error_samples": errors[:3],
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
