"""Soak: a branch's peak hour multiplied (kiosks issuing over HTTP, tellers calling, starting and
finishing, lobby screens connected by websocket) for a few minutes on the production profile
(PostgreSQL, Redis channel layer, uvicorn). Prints JSON: error rate, p50/p99 latency per request
kind, tickets issued/served, live events the screens received, server memory (RSS) over time, and a
database check that no ticket number was duplicated.

Usage (its own database and Redis db, e.g.):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/branchsvc_soak REDIS_URL=redis://127.0.0.1:6379/11 \\
    .venv/bin/python bench/soak/run.py [--minutes 3] [--screens 500] [--peak-per-hour 120] [--factor 10]
"""

import argparse
import asyncio
import http.client
import importlib.util
import json
import random
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402

_LIVE = Path(__file__).parents[1] / "live_latency" / "run.py"
_spec = importlib.util.spec_from_file_location("live_latency", _LIVE)
live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live)


KEEP_ALIVE_SECONDS = 4  # uvicorn closes idle keep-alive connections after 5 s


class Browser:
    """One keep-alive HTTP connection with fixed headers (a kiosk's token or a teller's session)."""

    def __init__(self, base: str, headers: dict):
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.headers = {"Content-Type": "application/json", **headers}
        self.last_used = 0.0

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        if time.monotonic() - self.last_used > KEEP_ALIVE_SECONDS:
            self.connection.close()  # the server has closed an idle keep-alive connection by now
        self.last_used = time.monotonic()
        started = time.perf_counter()
        try:
            self.connection.request("POST", path, body=json.dumps(body or {}).encode(), headers=self.headers)
            response = self.connection.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0, {}, time.perf_counter() - started
        data = json.loads(raw) if raw.startswith(b"{") else {}
        return status, data, time.perf_counter() - started


def _rss_kb(pid: int) -> int:
    """Resident memory of the server and all its worker processes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, dict[int, int]] = {}

    def record(self, kind: str, status: int, seconds: float, ok: set[int]) -> None:
        self.latency.setdefault(kind, []).append(seconds)
        self.statuses.setdefault(kind, {}).setdefault(status, 0)
        self.statuses[kind][status] += 1
        if status not in ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1


async def kiosk_loop(kiosk: Browser, path: str, service: str, rate_per_s: float, until: float, stats):
    while time.monotonic() < until:
        await asyncio.sleep(random.expovariate(rate_per_s))
        status, _body, seconds = await asyncio.to_thread(kiosk.post, path, {"service": service,
                                                                            "source": "kiosk"})
        stats.record("issue", status, seconds, {201})


async def teller_loop(teller: Browser, counter_id: int, until: float, stats, served: list):
    while time.monotonic() < until:
        path = f"/api/queue/counters/{counter_id}/call-next/"
        status, body, seconds = await asyncio.to_thread(teller.post, path)
        stats.record("call_next", status, seconds, {200, 204})
        if status != 200:
            await asyncio.sleep(1.0)
            continue
        for step in ("start", "finish"):
            await asyncio.sleep(random.uniform(0.5, 2.0))  # the service itself, compressed
            path = f"/api/queue/tickets/{body['id']}/{step}/"
            status, _body, seconds = await asyncio.to_thread(teller.post, path)
            stats.record(step, status, seconds, {200})
        served.append(body["number"])


async def screen(url: str, cookie: str, origin: str, counts: dict, until: float):
    import websockets

    try:
        async with websockets.connect(url, additional_headers={"Cookie": cookie, "Origin": origin},
                                      max_queue=None, open_timeout=120) as socket:
            counts["connected"] += 1
            while time.monotonic() < until:
                try:
                    await asyncio.wait_for(socket.recv(), timeout=max(0.1, until - time.monotonic()))
                    counts["events"] += 1
                except TimeoutError:
                    break
    except Exception as error:  # a refused or dropped screen is a finding, reported in the JSON
        counts["failed"] += 1
        counts["last_error"] = repr(error)[:200]


async def soak(args, base, server_pid, branch, service, kiosks, tellers, screen_cookie):
    until = time.monotonic() + args.minutes * 60
    stats, served = Stats(), []
    counts = {"connected": 0, "failed": 0, "events": 0}
    ws_url = base.replace("http://", "ws://") + "/ws/queue/lobby/"
    tasks = []
    for index in range(args.screens):
        tasks.append(asyncio.create_task(screen(ws_url, screen_cookie, base, counts, until)))
        if index % 50 == 49:
            await asyncio.sleep(0.2)
    rate = args.peak_per_hour * args.factor / 3600 / len(kiosks)
    tasks += [asyncio.create_task(kiosk_loop(k, f"/api/queue/branches/{branch.code}/tickets/", service.code,
                                             rate, until, stats)) for k in kiosks]
    tasks += [asyncio.create_task(teller_loop(t, counter_id, until, stats, served))
              for t, counter_id in tellers]
    rss = []
    started = time.monotonic()
    while time.monotonic() < until:
        rss.append((round(time.monotonic() - started), _rss_kb(server_pid) // 1024))
        await asyncio.sleep(10)
    rss.append((round(time.monotonic() - started), _rss_kb(server_pid) // 1024))
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats, served, counts, rss


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--screens", type=int, default=500)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--counters", type=int, default=6)
    parser.add_argument("--peak-per-hour", type=int, default=120, help="a busy branch's peak-hour arrivals")
    parser.add_argument("--factor", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def _teller_browsers(base, teller_users, counters) -> list:
    """(a signed-in teller's browser, its counter's id) for each counter."""
    tellers = []
    for user, point in zip(teller_users, counters, strict=True):
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={live.staff_session(user)}; csrftoken={csrf}"
        tellers.append((Browser(base, {"Cookie": cookie, "X-CSRFToken": csrf, "Referer": base + "/"}),
                        point.pk))
    return tellers


def main() -> None:
    args = _arguments()

    env = qb.production_env()
    qb.prepare(env)
    from branches.models import Device
    from branches.roles import Role
    from branches.services import device_issue_token
    from queueing import services
    from queueing.models import Ticket
    from tests.factories import make_counter

    branch, service, first_counter, admin = qb.bench_branch_and_admin("SK")
    counters = [first_counter] + [make_counter(branch, f"{n:02d}", services=[service])
                                  for n in range(2, args.counters + 1)]
    teller_users = [qb.bench_staff(Role.TELLER, branch, f"teller{n}") for n in range(len(counters))]
    for user, point in zip(teller_users, counters, strict=True):
        services.counter_open(actor=user, counter=point)
    kiosk_tokens = [device_issue_token(actor=admin, branch=branch, kind=Device.Kind.KIOSK,
                                       name=f"kiosk {n}")[1] for n in range(args.kiosks)]
    lobby, _ = device_issue_token(actor=admin, branch=branch, kind=Device.Kind.LOBBY_SCREEN,
                                  name="soak screen")
    screen_cookie = f"sessionid={live.device_session(lobby)}"

    server, base = qb.start_server(env, workers=args.workers)
    try:
        kiosks = [Browser(base, {"Authorization": f"Device {token}"}) for token in kiosk_tokens]
        tellers = _teller_browsers(base, teller_users, counters)
        stats, served, counts, rss = asyncio.run(
            soak(args, base, server.pid, branch, service, kiosks, tellers, screen_cookie))
    finally:
        qb.stop_server(server)

    numbers = list(Ticket.objects.filter(branch=branch).values_list("number", flat=True))
    requests = sum(len(v) for v in stats.latency.values())
    errors = sum(stats.errors.values())
    every = [s for values in stats.latency.values() for s in values]
    print(json.dumps({
        "bench": "soak",
        "profile": f"production (PostgreSQL, Redis channel layer), uvicorn --workers {args.workers}",
        "minutes": args.minutes,
        "load": {"arrivals_per_hour": args.peak_per_hour * args.factor, "kiosks": args.kiosks,
                 "counters": len(counters), "lobby_screens": args.screens},
        "requests": requests,
        "errors": errors,
        "error_rate": round(errors / requests, 4) if requests else None,
        "statuses": {kind: {str(k): v for k, v in by.items()} for kind, by in stats.statuses.items()},
        "latency_ms": {kind: {"p50": qb.ms(qb.percentile(v, 50)), "p99": qb.ms(qb.percentile(v, 99)),
                              "max": qb.ms(max(v))} for kind, v in stats.latency.items()},
        "all_requests_p99_ms": qb.ms(qb.percentile(every, 99)),
        "tickets_issued": len(numbers),
        "tickets_served": len(served),
        "duplicate_numbers": len(numbers) - len(set(numbers)),
        "screens": counts,
        "server_rss_mb_over_time": rss,
    }, indent=2))


if __name__ == "__main__":
    main()
