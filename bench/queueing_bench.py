"""Shared set-up of the queueing benchmarks (bench/ticket_load, bench/live_latency).

They run the production profile: PostgreSQL and Redis from DATABASE_URL / REDIS_URL (defaults: a
`branchsvc_bench` database and Redis db 13 on 127.0.0.1), migrate it, create a fresh bench branch
open all day, and start uvicorn on a free 127.0.0.1 port.
"""

import datetime as dt
import math
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/branchsvc_bench")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    env.setdefault("SECRET_KEY", "bench-only-" + secrets.token_hex(16))
    env.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA=")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env["SECURE_COOKIES"] = "false"  # plain http on 127.0.0.1
    env["DEBUG"] = "false"
    env["LOG_LEVEL"] = "WARNING"
    env["DJANGO_SETTINGS_MODULE"] = "branchsvc.settings"
    return env


def create_database(url: str, *, drop: bool = False) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg.connect(host=parsed.hostname, port=parsed.port or 5432,
                                  user=parsed.username or "postgres",
                                  password=parsed.password or None, dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare(env: dict[str, str]) -> None:
    """Create and migrate the bench database, then set up Django in this process."""
    create_database(env["DATABASE_URL"])
    migrate = [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"]
    if subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True).returncode != 0:
        # A bench database left by an older checkout: start it again from scratch.
        create_database(env["DATABASE_URL"], drop=True)
        subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_pooled() -> dict[str, str]:
    """`prepare` the production profile with the connection pool on (the default; an explicit
    DB_POOL wins), so the database's backends live through the run and their CPU is seen."""
    env = production_env()
    env.setdefault("DB_POOL", "true")
    prepare(env)
    return env


def bench_branch(code_prefix: str = "BQ"):
    """A fresh branch (numbers start at 1) open around the clock today, with one deposit service
    and one counter."""
    from branches.models import CalendarException
    from tests.factories import make_branch, make_counter, make_service_type

    code = f"{code_prefix}{int(time.time()) % 100000:05d}"
    branch = make_branch(code, opens=dt.time(0, 0), closes=dt.time(23, 59))
    today = branch.local_now().date()
    CalendarException.objects.create(branch=branch, date=today, kind="special_hours",
                                     opens=dt.time(0, 0), closes=dt.time(23, 59))
    from branches.models import ServiceType

    service = ServiceType.objects.filter(code="BENCH_DEPOSIT").first() or make_service_type(
        "BENCH_DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    counter = make_counter(branch, "01", services=[service])
    return branch, service, counter


def bench_branch_and_admin(code_prefix: str):
    """`bench_branch`, and its branch admin (who issues the devices' tokens): (branch, service,
    counter, admin)."""
    from branches.roles import Role

    branch, service, counter = bench_branch(code_prefix)
    return branch, service, counter, bench_staff(Role.BRANCH_ADMIN, branch, "admin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], *, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "branchsvc.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level",
         "warning", *os.environ.get("BENCH_UVICORN_ARGS", "").split()], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310 - our server
            return process, base
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("the server did not start")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used so far by a process and its live children, from /proc: a
    figure that, unlike latency, does not depend on what else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        pids = [pid, *(int(p) for p in
                       Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        total = 0
        for one in pids:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError):
        return None
    return total / ticks


def postgres_cpu(database: str, seen: dict[int, float]) -> None:
    """Record in `seen` the CPU so far of each PostgreSQL backend serving `database` (sample often:
    a backend that exits between two samples keeps its last reading, and one that lives less
    than the sampling interval is missed — pooled connections live for the whole run)."""
    ticks = os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres: ") or f" {database} " not in title:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            seen[int(proc.name)] = (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def bench_staff(role, branch, name: str):
    """A staff member of the bench branch (names unique per branch, so runs never collide)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from branches.models import StaffProfile

    username = f"{branch.code.lower()}_{name}"
    user = get_user_model().objects.create_user(username, password=secrets.token_hex(12))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, role=role, branch=branch,
                                employee_no=f"{branch.code}{name}"[:20])
    return user
