"""What one request pays to get a PostgreSQL connection: a new connection (DB_POOL=false, as before
psycopg 3's pool) against a checkout from the pool (with its health check), measured in-process as
Django does it per request (connect, one query, close). Prints JSON.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \
    .venv/bin/python bench/connection_pool/run.py [--requests 300]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_MEASURE = """
import json, os, resource, sys, time
import django
django.setup()
from django.db import connection, close_old_connections
n = int(sys.argv[1])
connection.ensure_connection(); connection.close()  # opens the pool, if any
cpu0, times = resource.getrusage(resource.RUSAGE_SELF), []
for _ in range(n):
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close()  # what request_finished does: closes, or returns to the pool
    times.append(time.perf_counter() - started)
cpu1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"times": times, "cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)}))
"""


def measure(pool: bool, requests: int) -> dict:
    env = {**os.environ, "DB_POOL": "true" if pool else "false",
           "DJANGO_SETTINGS_MODULE": "branchsvc.settings"}
    env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
    env.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA=")
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(requests)], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    times = sorted(data["times"])
    return {"p50_ms": round(statistics.median(times) * 1000, 3),
            "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 3),
            "app_cpu_ms_per_request": round(data["cpu"] / requests * 1000, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    print(json.dumps({"bench": "connection_pool", "requests": args.requests,
                      "new_connection_per_request": measure(False, args.requests),
                      "pooled": measure(True, args.requests)}, indent=2))


if __name__ == "__main__":
    main()
