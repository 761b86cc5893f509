"""Live push latency: N lobby-screen websocket clients, a teller's call over HTTP, the time until
every client has it — beside a raw Redis pub/sub round trip measured in the same run.

Production profile (PostgreSQL, Redis channel layer), uvicorn on 127.0.0.1. Prints JSON with p50/p99
of every delivery and of the slowest client per call ("until every client has it").

Usage:
    .venv/bin/python bench/live_latency/run.py [--clients 500] [--calls 30] [--warmup 4] [--workers 2]
"""

import argparse
import asyncio
import http.client
import json
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402


def staff_session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def device_session(device) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from branches.middleware import SESSION_DEVICE_HASH, SESSION_DEVICE_ID

    session = SessionStore()
    session[SESSION_DEVICE_ID] = device.pk
    session[SESSION_DEVICE_HASH] = device.token_hash
    session.create()
    return session.session_key


class Teller:
    """The teller's browser: session cookie + CSRF token, one keep-alive connection."""

    def __init__(self, base: str, session_key: str):
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        self.headers = {"Cookie": f"sessionid={session_key}; csrftoken={self.csrf}",
                        "X-CSRFToken": self.csrf, "Referer": base + "/",
                        "Content-Type": "application/json"}

    def post(self, path: str) -> tuple[int, dict]:
        self.connection.request("POST", path, body=b"{}", headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, (json.loads(body) if body.startswith(b"{") else {})


async def lobby_client(url: str, cookie: str, origin: str, received: dict, ready: asyncio.Event,
                       counter: list):
    import websockets

    async with websockets.connect(url, additional_headers={"Cookie": cookie, "Origin": origin},
                                  max_queue=None, open_timeout=60) as socket:
        first = json.loads(await socket.recv())
        assert first["event"] == "state", first
        counter[0] += 1
        if counter[0] == counter[1]:
            ready.set()
        async for raw in socket:
            now = time.perf_counter()
            message = json.loads(raw)
            if message["event"] == "ticket.called":
                received.setdefault(message["payload"]["number"], []).append(now)


async def redis_round_trips(redis_url: str, count: int) -> list[float]:
    import redis.asyncio as redis

    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    channel = f"bench-rtt-{secrets.token_hex(4)}"
    await pubsub.subscribe(channel)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await client.publish(channel, b"x")
        while True:
            message = await pubsub.get_message(timeout=5)
            if message and message["type"] == "message":
                break
        samples.append(time.perf_counter() - started)
    await pubsub.unsubscribe(channel)
    await client.aclose()
    return samples


async def open_lobby_clients(count: int, base: str, lobby_cookie: str, received: dict) -> list:
    """`count` lobby screens connected (or given up on) to the server's lobby socket."""
    ws_url = base.replace("http://", "ws://") + "/ws/queue/lobby/"
    ready = asyncio.Event()
    connected = [0, count]
    clients = []
    for index in range(count):
        clients.append(asyncio.create_task(
            lobby_client(ws_url, lobby_cookie, base, received, ready, connected)))
        if index % 50 == 49:
            await asyncio.sleep(0.2)  # do not stampede the server's accept queue
    await asyncio.wait_for(ready.wait(), timeout=180)
    return clients


async def call_next_once(teller, counter, received: dict, clients: int) -> tuple[float, float, list[float]]:
    """One call-next, waited for on every lobby screen (5 s at most), then its ticket marked a no-show;
    returns when it was sent, how long its HTTP answer took, and when each screen had the number."""
    started = time.perf_counter()
    status, body = await asyncio.to_thread(teller.post,
                                           f"/api/queue/counters/{counter.pk}/call-next/")
    http_seconds = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"call-next answered {status} {body}")
    number = body["number"]
    deadline = time.perf_counter() + 5
    while len(received.get(number, [])) < clients and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    times = list(received.get(number, []))  # as they were at the deadline: late ones are missing
    await asyncio.to_thread(teller.post, f"/api/queue/tickets/{body['id']}/no-show/")
    await asyncio.sleep(0.05)
    return started, http_seconds, times


async def measure(args, base, env, lobby_cookie, teller, counter, tickets, server_pid):
    received: dict[str, list[float]] = {}
    clients = await open_lobby_clients(args.clients, base, lobby_cookie, received)
    redis_before = await redis_round_trips(env["REDIS_URL"], 100)

    per_delivery, until_all, http_calls, spread, missing = [], [], [], [], 0
    warmup = []
    server_cpu_before = own_cpu_before = None
    for index in range(args.warmup + args.calls):
        if index == args.warmup:
            # Each worker's first calls open its connections (PostgreSQL, Redis, the broker) and
            # fill its caches; they are reported apart, the steady state is what is measured.
            warmup, until_all, per_delivery, http_calls, spread, missing = until_all, [], [], [], [], 0
            server_cpu_before, own_cpu_before = qb.cpu_seconds(server_pid), time.process_time()
        started, http_seconds, times = await call_next_once(teller, counter, received, args.clients)
        http_calls.append(http_seconds)
        missing += args.clients - len(times)
        per_delivery.extend(t - started for t in times)
        if times:
            until_all.append(max(times) - started)
            spread.append(max(times) - min(times))
    server_cpu_after, own_cpu_after = qb.cpu_seconds(server_pid), time.process_time()
    redis_after = await redis_round_trips(env["REDIS_URL"], 100)
    for task in clients:
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    redis_samples = redis_before + redis_after
    return {
        "bench": "live_latency",
        "profile": "production (PostgreSQL, Redis channel layer)",
        "server": f"uvicorn --workers {args.workers}",
        "clients": args.clients,
        "calls": args.calls,
        "deliveries": len(per_delivery),
        "missing_deliveries": missing,
        "call_to_client_ms": {"p50": qb.ms(qb.percentile(per_delivery, 50)),
                              "p99": qb.ms(qb.percentile(per_delivery, 99))},
        "call_to_every_client_ms": {"p50": qb.ms(qb.percentile(until_all, 50)),
                                    "p99": qb.ms(qb.percentile(until_all, 99)),
                                    "max": qb.ms(max(until_all) if until_all else None)},
        "call_next_http_response_ms": {"p50": qb.ms(qb.percentile(http_calls, 50)),
                                       "p99": qb.ms(qb.percentile(http_calls, 99))},
        # First to last client of one call: the fan-out itself, without the call's database work.
        "warmup_calls_to_every_client_ms": [qb.ms(value) for value in warmup],
        "fan_out_first_to_last_client_ms": {"p50": qb.ms(qb.percentile(spread, 50)),
                                            "p99": qb.ms(qb.percentile(spread, 99))},
        # CPU per call (call-next + no-show, fan-out of both): what a faster machine divides.
        "server_cpu_ms_per_call": (qb.ms((server_cpu_after - server_cpu_before) / args.calls)
                                   if server_cpu_before is not None else None),
        "clients_cpu_ms_per_call": qb.ms((own_cpu_after - own_cpu_before) / args.calls),
        "redis_pubsub_round_trip_ms": {"p50": qb.ms(qb.percentile(redis_samples, 50)),
                                       "p99": qb.ms(qb.percentile(redis_samples, 99))},
        "note": "times include the HTTP call-next request (transaction, audit, commit, push); "
                "all clients run in this one Python process",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=4, help="calls before measuring (reported apart)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args()

    env = qb.production_env()
    qb.prepare(env)
    from branches.models import Device
    from branches.roles import Role
    from branches.services import device_issue_token
    from queueing import services

    branch, service, counter, admin = qb.bench_branch_and_admin("BL")
    teller_user = qb.bench_staff(Role.TELLER, branch, "teller")
    screen, _token = device_issue_token(actor=admin, branch=branch, kind=Device.Kind.LOBBY_SCREEN,
                                        name="bench lobby screen")
    services.counter_open(actor=teller_user, counter=counter)
    tickets = [services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=service, source="kiosk"))
               for _ in range(args.warmup + args.calls)]
    lobby_cookie = f"sessionid={device_session(screen)}"

    server, base = qb.start_server(env, workers=args.workers)
    try:
        teller = Teller(base, staff_session(teller_user))
        result = asyncio.run(measure(args, base, env, lobby_cookie, teller, counter, tickets,
                                     server.pid))
    finally:
        qb.stop_server(server)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
