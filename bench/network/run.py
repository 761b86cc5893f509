"""The peak hour of a national network replayed against the production stack on this machine.

500 branches (never fewer: only the duration is scaled down), each with a kiosk, a lobby screen
and a teller at one counter. For `--duration` seconds of the peak hour, at its real rate
(`--peak-per-hour` tickets per branch), every branch's kiosk issues tickets and its teller calls
the next one, starts and finishes it; every lobby screen holds a websocket and a share of the
customers hold their ticket page's websocket; the 30-second queue scan is sent as beat would, and
fans out in QUEUE_SCAN_SHARDS Celery tasks. The stack: uvicorn (2 workers) + a Celery worker
(prefork, 2) on PostgreSQL and Redis, as in docker-compose.

Prints JSON: throughput, p50/p99 per operation, lobby push latency (call answered → lobby screen
has it), scan lag (scan sent → last shard done), CPU of the web server, the worker and the bench
database's PostgreSQL backends, the machine's load, and how many branches one 2-core node
sustains within the latency targets (from the CPU per branch measured here).

Usage (PostgreSQL and Redis on 127.0.0.1; DATABASE_URL / REDIS_URL override the defaults):
    nice .venv/bin/python bench/network/run.py [--branches 500] [--duration 120] [--peak-per-hour 60]
"""

import argparse
import asyncio
import heapq
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402

TARGETS_MS = {"issue": 300, "call_next": 300, "start": 300, "finish": 300}  # p99, issue #27
SCAN_EVERY = 30.0
NODE_CORES = 2
NODE_BUSY_CEILING = 0.7  # plan a node to 70 % CPU at the peak hour, headroom for bursts


def _create_missing_branches(codes: list[str], service) -> None:
    """Branches not made by an earlier run: zones, round-the-clock hours, counter 01, a teller and an
    admin each."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from branches.models import Branch, OpeningHours, ServicePoint, StaffProfile, Zone
    from branches.roles import Role
    from tests.factories import ZONES

    users = get_user_model().objects
    with transaction.atomic():
        have = set(Branch.objects.filter(code__in=codes).values_list("code", flat=True))
        new = [code for code in codes if code not in have]
        Branch.objects.bulk_create([Branch(code=code, name_zh_hans=f"压测网点{code}",
                                           name_en=f"Network bench {code}") for code in new])
        fresh = list(Branch.objects.filter(code__in=new))
        Zone.objects.bulk_create([Zone(branch=b, kind=kind, name_zh_hans=kind, name_en=kind,
                                       ticket_prefix=prefix) for b in fresh for kind, prefix, *_ in ZONES])
        OpeningHours.objects.bulk_create([OpeningHours(branch=b, weekday=day, opens=dt.time(0, 0),
                                                       closes=dt.time(23, 59))
                                          for b in fresh for day in range(7)])
        cash = {z.branch_id: z for z in Zone.objects.filter(branch__in=fresh, kind="cash")}
        ServicePoint.objects.bulk_create([
            ServicePoint(branch=b, zone=cash[b.pk], kind="counter", code="01",
                         name_zh_hans="01号窗口", name_en="Counter 01") for b in fresh])
        points = list(ServicePoint.objects.filter(branch__in=fresh, code="01"))
        ServicePoint.service_types.through.objects.bulk_create([
            ServicePoint.service_types.through(servicepoint_id=p.pk, servicetype_id=service.pk)
            for p in points])
        for role in (Role.TELLER, Role.BRANCH_ADMIN):
            group = Group.objects.get_or_create(name=role)[0]
            made = users.bulk_create([users.model(username=f"{b.code.lower()}_{role}",
                                                  password="!bench") for b in fresh])
            made = list(users.filter(username__in=[u.username for u in made]))
            group.user_set.add(*made)
            by_name = {u.username: u for u in made}
            StaffProfile.objects.bulk_create([
                StaffProfile(user=by_name[f"{b.code.lower()}_{role}"], role=role, branch=b,
                             employee_no=f"{b.code}{role}"[:20]) for b in fresh])


def _open_today(branches: dict, codes: list[str], today) -> tuple[dict, dict, dict]:
    """Open every branch all day today with empty queues and counter 01 open by its teller;
    returns the counters by branch id, and the tellers and admins by username."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from branches.models import CalendarException, ServicePoint
    from branches.roles import Role
    from queueing.models import CounterSession, Ticket, TicketStatus

    users = get_user_model().objects
    CalendarException.objects.bulk_create([
        CalendarException(branch=b, date=today, kind="special_hours", opens=dt.time(0, 0),
                          closes=dt.time(23, 59)) for b in branches.values()],
        ignore_conflicts=True)
    # A run starts from empty queues: the last run's tickets are cancelled (bench data only).
    Ticket.objects.filter(branch__in=branches.values(), status__in=[
        TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]).update(
        status=TicketStatus.CANCELLED)
    points = {p.branch_id: p for p in ServicePoint.objects.filter(branch__in=branches.values(),
                                                                 code="01")}
    tellers = {u.username: u for u in users.filter(username__in=[
        f"{code.lower()}_{Role.TELLER}" for code in codes])}
    admins = {u.username: u for u in users.filter(username__in=[
        f"{code.lower()}_{Role.BRANCH_ADMIN}" for code in codes])}
    open_now = set(CounterSession.objects.current().filter(
        counter__in=points.values()).values_list("counter_id", flat=True))
    CounterSession.objects.bulk_create([
        CounterSession(counter=points[b.pk], teller=tellers[f"{b.code.lower()}_{Role.TELLER}"])
        for b in branches.values() if points[b.pk].pk not in open_now])
    ServicePoint.objects.filter(pk__in=[p.pk for p in points.values()]).update(
        status=ServicePoint.Status.OPEN)
    return points, tellers, admins


def _issue_devices(branches: dict, admins: dict) -> dict:
    """A kiosk and a lobby screen per branch; returns their tokens by (branch code, kind)."""
    from branches.models import Device
    from branches.roles import Role

    tokens, devices = {}, []
    for b in branches.values():
        admin = admins[f"{b.code.lower()}_{Role.BRANCH_ADMIN}"]
        for kind in (Device.Kind.KIOSK, Device.Kind.LOBBY_SCREEN):
            prefix = secrets.token_hex(4)
            token = f"dev_{prefix}_{secrets.token_urlsafe(32)}"
            tokens[(b.code, kind)] = token
            devices.append(Device(branch=b, kind=kind, name=f"network bench {kind}",
                                  token_prefix=prefix, token_hash=Device.hash_token(token),
                                  issued_by=admin))
    Device.objects.bulk_create(devices)
    return tokens


def _sign_in(codes: list[str], branches: dict, points: dict, tellers: dict, tokens: dict, now) -> list[dict]:
    """A session for each teller and lobby screen; returns each branch's credentials for the replay."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from branches.middleware import SESSION_DEVICE_HASH, SESSION_DEVICE_ID
    from branches.models import Device
    from branches.roles import Role

    lobby = {d.branch_id: d for d in Device.objects.filter(
        token_hash__in=[Device.hash_token(tokens[(b.code, Device.Kind.LOBBY_SCREEN)])
                        for b in branches.values()])}
    store = SessionStore()
    sessions, network = [], []
    expires = now + dt.timedelta(days=1)
    for code in codes:
        b = branches[code]
        teller = tellers[f"{code.lower()}_{Role.TELLER}"]
        teller_key, lobby_key = secrets.token_hex(16), secrets.token_hex(16)
        sessions.append(Session(session_key=teller_key, expire_date=expires, session_data=store.encode({
            SESSION_KEY: str(teller.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: teller.get_session_auth_hash()})))
        sessions.append(Session(session_key=lobby_key, expire_date=expires, session_data=store.encode({
            SESSION_DEVICE_ID: lobby[b.pk].pk, SESSION_DEVICE_HASH: lobby[b.pk].token_hash})))
        network.append({"code": code, "counter": points[b.pk].pk,
                        "kiosk": tokens[(code, Device.Kind.KIOSK)],
                        "teller_session": teller_key, "lobby_session": lobby_key,
                        "csrf": secrets.token_hex(16)})
    Session.objects.bulk_create(sessions)
    return network


def build_network(count: int):
    """`count` branches (created once, in bulk, and reused by later runs) open around the clock
    today, each with a counter its teller has open, a kiosk and a lobby screen. Bench set-up
    writes rows directly (no audit events): 500 branches through the audited services took
    minutes on a loaded machine, and the set-up is not what is measured."""
    from django.db import transaction
    from django.utils import timezone

    from branches.models import Branch, ServiceType
    from tests.factories import make_service_type

    service = ServiceType.objects.filter(code="BENCH_DEPOSIT").first() or make_service_type(
        "BENCH_DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    codes = [f"NW{index:04d}" for index in range(count)]
    _create_missing_branches(codes, service)
    branches = {b.code: b for b in Branch.objects.filter(code__in=codes)}
    today = timezone.now().astimezone(next(iter(branches.values())).tz).date()
    now = timezone.now()
    with transaction.atomic():
        points, tellers, admins = _open_today(branches, codes, today)
        tokens = _issue_devices(branches, admins)
        network = _sign_in(codes, branches, points, tellers, tokens, now)
    return service, network


class Replay:
    """Timed operations from a heap, run by a pool of client threads with keep-alive connections."""

    def __init__(self, base: str, service: str, network: list[dict], args):
        self.url = urlparse(base)
        self.base = base
        self.service = service
        self.network = network
        self.args = args
        self.heap: list = []
        self.lock = threading.Condition()
        self.latency: dict[str, list[float]] = {op: [] for op in TARGETS_MS}
        self.outcomes: dict[str, dict[str, int]] = {op: {} for op in TARGETS_MS}
        self.late: list[float] = []  # how far behind schedule an operation started
        self.called_at: dict[tuple[str, str], float] = {}
        self.ticket_pages: list[str] = []
        self.done = False
        self.random = random.Random(7)
        self.t0 = 0.0

    def schedule(self, at: float, op: str, branch: dict, data=None) -> None:
        with self.lock:
            heapq.heappush(self.heap, (at, self.random.random(), op, branch["code"], data))
            self.lock.notify()

    def plan(self) -> None:
        rate = self.args.peak_per_hour / 3600.0
        for branch in self.network:
            for op in ("issue", "call_next"):
                at = self.t0 + self.random.expovariate(rate) + (0 if op == "issue" else 20)
                while at < self.t0 + self.args.duration:
                    self.schedule(at, op, branch)
                    at += self.random.expovariate(rate)

    def run_client(self) -> None:
        connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        by_code = {branch["code"]: branch for branch in self.network}
        while True:
            with self.lock:
                while not self.heap and not self.done:
                    self.lock.wait(0.5)
                if not self.heap:
                    break
                at, _, op, code, data = self.heap[0]
                now = time.perf_counter()
                if at > now:
                    self.lock.wait(min(at - now, 0.5))
                    continue
                heapq.heappop(self.heap)
            self.late.append(now - at)
            connection = self.perform(connection, op, by_code[code], data)
        connection.close()

    def perform(self, connection, op: str, branch: dict, data):
        if op == "issue":
            method, path = "POST", f"/api/v1/queue/branches/{branch['code']}/tickets/"
            headers = {"Authorization": f"Device {branch['kiosk']}", "Content-Type": "application/json"}
            body = json.dumps({"service": self.service}).encode()
        else:
            path = {"call_next": f"/api/v1/queue/counters/{branch['counter']}/call-next/",
                    "start": f"/api/v1/queue/tickets/{data}/start/",
                    "finish": f"/api/v1/queue/tickets/{data}/finish/"}[op]
            method, body = "POST", b"{}"
            headers = {"Cookie": f"sessionid={branch['teller_session']}; csrftoken={branch['csrf']}",
                       "X-CSRFToken": branch["csrf"], "Referer": self.base + "/",
                       "Content-Type": "application/json"}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected) as error:
                # The server closed an idle keep-alive connection before this request reached
                # it: open a new one and send again (once), as a browser does.
                connection.close()
                connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
                if attempt == 2:
                    self.count(op, type(error).__name__)
                    return connection
                started = time.perf_counter()
            except (OSError, http.client.HTTPException) as error:
                self.count(op, type(error).__name__)
                connection.close()
                return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        finished = time.perf_counter()
        self.latency[op].append(finished - started)
        self.count(op, str(response.status))
        answer = json.loads(payload) if payload.startswith(b"{") else {}
        if op == "issue" and response.status == 201:
            if self.random.random() < self.args.ticket_page_share:
                self.ticket_pages.append(answer["public_token"])
        elif op == "call_next" and response.status == 200 and answer.get("id"):
            self.called_at[(branch["code"], answer["number"])] = started
            self.schedule(finished + self.random.uniform(0.5, 2), "start", branch, answer["id"])
        elif op == "start" and response.status == 200:
            serving = self.random.uniform(5, self.args.serve_seconds)
            self.schedule(finished + serving, "finish", branch, data)
        return connection

    def count(self, op: str, outcome: str) -> None:
        with self.lock:
            self.outcomes[op][outcome] = self.outcomes[op].get(outcome, 0) + 1


async def websockets_main(replay: Replay, stop: threading.Event, seen: dict, stats: dict) -> None:
    import websockets

    ws_base = replay.base.replace("http://", "ws://")

    async def lobby(branch):
        cookie = f"sessionid={branch['lobby_session']}"
        try:
            async with websockets.connect(ws_base + "/ws/queue/lobby/", open_timeout=120,
                                          additional_headers={"Cookie": cookie,
                                                              "Origin": replay.base},
                                          max_queue=None) as socket:
                stats["lobby_connected"] += 1
                async for raw in socket:
                    now = time.perf_counter()
                    message = json.loads(raw)
                    stats["lobby_messages"] += 1
                    if message.get("event") == "ticket.called":
                        # Often before the teller's HTTP answer: matched with the call at the end.
                        seen.setdefault((branch["code"], message["payload"].get("number")), now)
        except Exception as error:  # noqa: BLE001 - counted, the bench goes on
            stats["lobby_errors"][type(error).__name__] = stats["lobby_errors"].get(
                type(error).__name__, 0) + 1

    async def ticket_page(token):
        try:
            async with websockets.connect(f"{ws_base}/ws/queue/ticket/{token}/", open_timeout=120,
                                          additional_headers={"Origin": replay.base},
                                          max_queue=None) as socket:
                stats["ticket_pages_connected"] += 1
                async for _raw in socket:
                    stats["ticket_page_messages"] += 1
        except Exception as error:  # noqa: BLE001
            stats["ticket_page_errors"][type(error).__name__] = stats["ticket_page_errors"].get(
                type(error).__name__, 0) + 1

    tasks = []
    for index, branch in enumerate(replay.network):
        tasks.append(asyncio.create_task(lobby(branch)))
        if index % 50 == 49:
            await asyncio.sleep(0.2)  # do not stampede the accept queue
    opened = 0
    while not stop.is_set():
        while opened < len(replay.ticket_pages):
            tasks.append(asyncio.create_task(ticket_page(replay.ticket_pages[opened])))
            opened += 1
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [qb.PYTHON, "-m", "celery", "-A", "branchsvc", "worker", "--pool=prefork",
         "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
         "-n", f"network-bench-{os.getpid()}@%h"],
        cwd=qb.ROOT, env=env, start_new_session=True, stdout=sys.stderr)


def scan_lag(app, cache, dispatched: float, shards: int, deadline: float) -> float | None:
    from queueing.tasks import SHARD_DONE

    keys = [SHARD_DONE.format(shard) for shard in range(shards)]
    while time.time() < deadline:
        done = cache.get_many(keys)
        if len(done) == shards and all(at >= dispatched for at in done.values()):
            return max(done.values()) - dispatched
        time.sleep(0.25)
    return None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of the peak hour")
    parser.add_argument("--peak-per-hour", type=float, default=60.0, help="tickets per branch")
    parser.add_argument("--clients", type=int, default=48, help="HTTP client threads")
    parser.add_argument("--ticket-page-share", type=float, default=0.3)
    parser.add_argument("--serve-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    return parser.parse_args()


def replay_peak(replay: Replay, args, env: dict, server, worker, database: str):
    """The peak replayed by the client threads, a queue scan dispatched every SCAN_EVERY seconds;
    returns the seconds replayed, the CPU seconds spent, each scan's lag and when it started."""
    from django.core.cache import cache

    from branchsvc.celery import app

    pg_seen: dict[int, float] = {}
    qb.postgres_cpu(database, pg_seen)
    pg_before = dict(pg_seen)
    server_cpu, worker_cpu = qb.cpu_seconds(server.pid), qb.cpu_seconds(worker.pid)
    own_cpu = time.process_time()
    replay.t0 = time.perf_counter()
    wall_started = time.time()
    replay.plan()
    clients = [threading.Thread(target=replay.run_client) for _ in range(args.clients)]
    for client in clients:
        client.start()
    shards = int(env["QUEUE_SCAN_SHARDS"])
    lags: list[float | None] = []
    next_scan = 5.0
    while time.perf_counter() - replay.t0 < args.duration:
        elapsed = time.perf_counter() - replay.t0
        if elapsed >= next_scan:
            dispatched = time.time()
            app.send_task("queueing.tasks.scan_queues")
            threading.Thread(target=lambda d=dispatched: lags.append(
                scan_lag(app, cache, d, shards, d + 60)), daemon=True).start()
            next_scan += SCAN_EVERY
        qb.postgres_cpu(database, pg_seen)
        time.sleep(0.5)
    with replay.lock:
        replay.heap = [item for item in replay.heap if item[2] in ("start", "finish")
                       and item[0] < replay.t0 + args.duration + 5]
        heapq.heapify(replay.heap)
        replay.done = True
        replay.lock.notify_all()
    for client in clients:
        client.join()
    elapsed = time.perf_counter() - replay.t0
    qb.postgres_cpu(database, pg_seen)
    cpu = {
        "web_server_s": round(qb.cpu_seconds(server.pid) - server_cpu, 2),
        "celery_worker_s": round(qb.cpu_seconds(worker.pid) - worker_cpu, 2),
        "postgres_backends_s": round(sum(v - pg_before.get(pid, 0.0)
                                         for pid, v in pg_seen.items()), 2),
        "load_generator_s": round(time.process_time() - own_cpu, 2),
    }
    time.sleep(2)
    waited = time.monotonic() + 60
    while len(lags) < int((args.duration - 5) // SCAN_EVERY) + 1 and time.monotonic() < waited:
        time.sleep(0.5)
    return elapsed, cpu, lags, wall_started


def operation_latencies(replay: Replay, elapsed: float) -> dict:
    operations = {}
    for op, samples in replay.latency.items():
        operations[op] = {"count": len(samples), "per_s": round(len(samples) / elapsed, 2),
                          "p50_ms": qb.ms(qb.percentile(samples, 50)),
                          "p99_ms": qb.ms(qb.percentile(samples, 99)),
                          "target_p99_ms": TARGETS_MS[op], "outcomes": replay.outcomes[op]}
    return operations


def summary(args, env: dict, replay: Replay, seen: dict, ws_stats: dict, run: tuple,
            setup_seconds: float, load_before, load_after) -> dict:
    elapsed, cpu, lags, wall_started = run
    # Lobby push: the teller presses call-next -> the lobby screen of that branch has the number.
    delivered = [seen[key] - sent for key, sent in replay.called_at.items() if key in seen]
    served_cpu = cpu["web_server_s"] + cpu["celery_worker_s"] + cpu["postgres_backends_s"]
    cores_used = served_cpu / elapsed
    served_ops = sum(len(samples) for samples in replay.latency.values())
    # CPU (web + worker + PostgreSQL) per served operation, times what one branch asks for at
    # its peak (an issue, a call, a start and a finish per ticket): the branch's share of a core.
    cpu_per_op = served_cpu / served_ops if served_ops else None
    per_branch = cpu_per_op * 4 * args.peak_per_hour / 3600 if cpu_per_op else None
    operations = operation_latencies(replay, elapsed)
    within = all((o["p99_ms"] or 0) <= o["target_p99_ms"] for o in operations.values())
    total_ops = sum(o["count"] for o in operations.values())
    return {
        "bench": "network",
        "profile": "production (PostgreSQL, Redis; uvicorn + Celery prefork)",
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(wall_started)),
        "branches": args.branches,
        "peak_tickets_per_branch_hour": args.peak_per_hour,
        "replayed_seconds": round(elapsed, 1),
        "setup_seconds": round(setup_seconds, 1),
        "server": f"uvicorn --workers {args.workers}, DB_POOL={env['DB_POOL']}, "
                  f"QUEUE_SCAN_SHARDS={env['QUEUE_SCAN_SHARDS']}",
        "throughput_ops_per_s": round(total_ops / elapsed, 2),
        "operations": operations,
        "schedule_lag_p99_ms": qb.ms(qb.percentile(replay.late, 99)),
        "lobby_push_ms": {"calls": len(replay.called_at), "count": len(delivered),
                          "p50": qb.ms(qb.percentile(delivered, 50)),
                          "p99": qb.ms(qb.percentile(delivered, 99))},
        "websockets": ws_stats,
        "scan_lag_s": {"scans": len(lags), "values": [None if v is None else round(v, 2)
                                                       for v in lags]},
        "cpu": cpu,
        "cores_used": round(cores_used, 3),
        "cpu_ms_per_operation": round(cpu_per_op * 1000, 1) if cpu_per_op else None,
        "offered_ops_per_s": round(4 * args.peak_per_hour / 3600 * args.branches, 2),
        "within_latency_targets": within,
        "branches_per_2_core_node": int(NODE_CORES * NODE_BUSY_CEILING / per_branch)
        if per_branch else None,
        "machine": {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in load_after],
                    "busy": load_before[0] > 1.0,
                    "note": "the machine was busy with other work: latencies are pessimistic, "
                            "CPU seconds are not affected" if load_before[0] > 1.0 else "quiet"},
    }


def main() -> None:
    args = parse_args()
    if args.branches < 500:
        print("note: fewer than 500 branches is not the network benchmark", file=sys.stderr)

    env = qb.production_env()
    env.setdefault("DB_POOL", "true")
    env.setdefault("QUEUE_SCAN_SHARDS", "16")
    qb.prepare(env)
    from django.db import connection

    load_before = os.getloadavg()
    setup_started = time.perf_counter()
    service, network = build_network(args.branches)
    setup_seconds = time.perf_counter() - setup_started
    connection.close()
    database = connection.settings_dict["NAME"]

    server, base = qb.start_server(env, workers=args.workers)
    worker = start_worker(env)
    replay = Replay(base, service.code, network, args)
    stop = threading.Event()
    seen: dict[tuple[str, str], float] = {}
    ws_stats = {"lobby_connected": 0, "lobby_messages": 0, "lobby_errors": {},
                "ticket_pages_connected": 0, "ticket_page_messages": 0, "ticket_page_errors": {}}
    ws_thread = threading.Thread(target=lambda: asyncio.run(
        websockets_main(replay, stop, seen, ws_stats)), daemon=True)
    try:
        ws_thread.start()
        deadline = time.monotonic() + 180
        while ws_stats["lobby_connected"] + sum(ws_stats["lobby_errors"].values()) < len(network) \
                and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # the worker's start-up
        run = replay_peak(replay, args, env, server, worker, database)
    finally:
        stop.set()
        ws_thread.join(timeout=30)
        os.killpg(worker.pid, 15)
        qb.stop_server(server)
    load_after = os.getloadavg()
    print(json.dumps(summary(args, env, replay, seen, ws_stats, run, setup_seconds, load_before, load_after),
                     indent=2, ensure_ascii=False))

if __name__ == "__main__":
    main()
