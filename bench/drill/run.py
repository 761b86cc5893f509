"""Failover drill (issue 24, item 4): PostgreSQL and then Redis restarted under live load, on a
private PostgreSQL cluster and a private Redis of the drill's own — never the machine's shared ones.

The production stack runs as in production: uvicorn (the ASGI app), a Celery worker and Celery beat
(DatabaseScheduler), Redis as broker, cache and channel layer, Redis with an append-only file as in
docker-compose.yml. Kiosks issue tickets over HTTP, a teller calls, starts and finishes them, a
lobby screen holds its websocket. Mid-run PostgreSQL is stopped (`pg_ctl stop -m fast`) and
started again; later Redis is shut down (`redis-cli shutdown`) and started again.

Afterwards it checks, against the database:
- tickets: every number a kiosk was given (2xx) exists exactly once with the id it was given; no
  number twice; sequences gap-free per queue; a ticket nobody was told about only where an issue
  request failed (its answer lost with the connection), at most one per such failure;
- calls: every accepted call-next is called, every accepted finish is done, each step audited once;
- tasks: the 30-second queue scan (beat → worker: no-show marking and estimate refresh) completes
  after each restart, the worker heartbeat is fresh (`/readyz`), and every waiting ticket carries an
  estimate at the end;
- the audit chain verifies.
It measures recovery: from the restart command to the first successful request, and until every
client (each kiosk, the teller, the lobby screen) had succeeded again; the target is 15 minutes.
Prints JSON.

Usage (as root, or as a user who can run initdb; ports are free ones unless given):
    nice .venv/bin/python bench/drill/run.py [--phase-seconds 20] [--kiosks 3] [--down-seconds 0]
        [--pg-port 54329] [--limit 900]
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import queueing_bench as qb  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
TARGET_SECONDS = 15 * 60  # the branch service standards: systems fail over within 15 minutes
REQUEST_TIMEOUT = 15.0


# --- the private services ------------------------------------------------------------------------

class PrivateCluster:
    """A PostgreSQL cluster in a temporary directory, run by the postgres user when we are root."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True)

    def init(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "120", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "120", "stop")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A Redis with the append-only file on, as docker-compose.yml runs it."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="drill-redis-"))

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                        "--appendonly", "yes", "--save", "", "--dir", str(self.dir),
                        "--daemonize", "yes", "--logfile", str(self.dir / "redis.log")], check=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._cli("ping") == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("the drill's redis-server did not start")

    def stop(self) -> None:
        self._cli("shutdown")  # writes the append-only file, as `docker compose restart redis` does

    def _cli(self, *args: str) -> str:
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True).stdout.strip()

    def remove(self) -> None:
        self._cli("shutdown", "nosave")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the live load ---------------------------------------------------------------------------------

@dataclass
class Answer:
    client: str
    kind: str
    status: int  # 0: no answer (refused, reset or timed out)
    body: dict
    started: float
    ended: float


@dataclass
class Load:
    base: str
    answers: list[Answer] = field(default_factory=list)
    screen_messages: list[float] = field(default_factory=list)  # when the lobby heard anything
    screen_drops: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def post(self, client: str, kind: str, path: str, headers: dict) -> Answer:
        host, port = self.base.removeprefix("http://").split(":")
        body = json.dumps(headers.pop("_body", {})).encode()
        started = time.monotonic()
        conn = http.client.HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            data = json.loads(raw) if raw.startswith(b"{") else {}
        except (OSError, http.client.HTTPException, ValueError) as error:
            status, data = 0, {"error": repr(error)[:200]}
        finally:
            conn.close()
        answer = Answer(client, kind, status, data, started, time.monotonic())
        with self.lock:
            self.answers.append(answer)
        return answer


def kiosk_loop(load: Load, name: str, token: str, branch: str, service: str, pause: float) -> None:
    while not load.stop.is_set():
        load.post(name, "issue", f"/api/queue/branches/{branch}/tickets/",
                  {"Authorization": f"Device {token}", "_body": {"service": service, "source": "kiosk"}})
        load.stop.wait(pause)


NEXT_STEP = {None: "call-next", "called": "start", "serving": "finish"}
AFTER_STEP = {"call-next": "called", "start": "serving", "finish": None}


def _counter_truth(counter_id: int) -> tuple[int | None, str | None]:
    """After a 409 (an earlier attempt committed although its answer was lost): which ticket is
    at the counter and in what state, as the workstation page would show it."""
    from django.db import connections

    from queueing.models import Ticket, TicketStatus

    try:
        current = Ticket.objects.filter(counter_id=counter_id, status__in=[
            TicketStatus.CALLED, TicketStatus.SERVING]).first()
        return (current.pk, current.status) if current else (None, None)
    finally:
        connections.close_all()


def teller_loop(load: Load, headers: dict, counter_id: int, pause: float) -> None:
    ticket, state = None, None
    while not load.stop.is_set():
        step = NEXT_STEP[state]
        path = (f"/api/queue/counters/{counter_id}/call-next/" if step == "call-next"
                else f"/api/queue/tickets/{ticket}/{step}/")
        answer = load.post("teller", step, path, dict(headers))
        if answer.status == 200:
            ticket = answer.body["id"] if step == "call-next" else ticket
            state = AFTER_STEP[step]
            load.stop.wait(pause)
        elif answer.status == 409:
            try:
                ticket, state = _counter_truth(counter_id)
            except Exception:  # noqa: BLE001 - the database may be the thing that is down
                load.stop.wait(0.5)
        else:
            load.stop.wait(0.5 if answer.status != 204 else pause)


def screen_loop(load: Load, cookie: str) -> None:
    """A lobby screen: holds its websocket, reconnects after a drop as the page's script does,
    asks for the full state on connecting."""
    from websockets.sync.client import connect

    url = load.base.replace("http://", "ws://") + "/ws/queue/lobby/"
    while not load.stop.is_set():
        try:
            with connect(url, open_timeout=REQUEST_TIMEOUT, max_queue=None,
                         additional_headers={"Cookie": cookie, "Origin": load.base}) as socket:
                while not load.stop.is_set():
                    try:
                        message = json.loads(socket.recv(timeout=1.0))
                    except TimeoutError:
                        continue
                    if message.get("event"):
                        with load.lock:
                            load.screen_messages.append(time.monotonic())
        except Exception:  # noqa: BLE001 - a drop is what the drill provokes; it is recorded
            with load.lock:
                load.screen_drops.append(time.monotonic())
            load.stop.wait(1.0)


# --- measuring ---------------------------------------------------------------------------------

def _ok(answer: Answer) -> bool:
    return 200 <= answer.status < 300 or answer.status == 409


def recovery(load: Load, clients: list[str], began: float, command_done: float,
             limit: float) -> dict:
    """Wait until every client succeeded after the restart; report the times from `began`."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with load.lock:
            answers = list(load.answers)
            heard = [at for at in load.screen_messages if at > command_done]
        firsts = {name: min((a.ended for a in answers if a.client == name and a.started > command_done
                             and 200 <= a.status < 300), default=None) for name in clients}
        if all(firsts.values()) and heard:
            break
        time.sleep(0.25)
    during = [a for a in answers if a.ended > began and a.started < command_done]
    failed = [a for a in answers if a.ended > began and not _ok(a)]
    after = [a for a in answers if a.started > command_done]
    succeeded = [at for at in firsts.values() if at]
    return {
        "restart_command_seconds": round(command_done - began, 2),
        "first_success_after_restart_seconds": round(min(succeeded) - began, 2) if succeeded else None,
        "every_client_back_seconds": (round(max(succeeded) - began, 2)
                                      if len(succeeded) == len(clients) else None),
        "lobby_screen_hears_again_seconds": round(heard[0] - began, 2) if heard else None,
        "requests_during_restart": len(during),
        "failed_answers": _count_statuses(failed),
        "failures_after_restart_done": _count_statuses([a for a in after if not _ok(a)]),
        "within_target": bool(len(succeeded) == len(clients) and heard
                              and max([*succeeded, heard[0]]) - began < TARGET_SECONDS),
    }


def _count_statuses(answers: list[Answer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for answer in answers:
        key = f"{answer.kind} {answer.status}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def scan_done_after(since_wall: float, limit: float) -> float | None:
    """Seconds after `since_wall` (wall clock) at which every queue-scan shard had finished."""
    from django.conf import settings
    from django.core.cache import cache

    from queueing.tasks import SHARD_DONE

    keys = [SHARD_DONE.format(shard) for shard in range(max(1, settings.QUEUE_SCAN_SHARDS))]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            done = cache.get_many(keys)
        except Exception:  # noqa: BLE001 - Redis may still be coming back
            done = {}
        if len(done) == len(keys) and all(at >= since_wall for at in done.values()):
            return round(max(done.values()) - since_wall, 2)
        time.sleep(1.0)
    return None


def _numbering_problems(answers: list[Answer], tickets: list, branch) -> tuple[list[str], dict, int, list]:
    """Every number handed out is in the database once, and every queue is numbered gap-free."""
    from queueing.models import TicketSequence

    given: dict[str, list[int]] = {}
    for a in answers:
        if a.kind == "issue" and 200 <= a.status < 300:
            given.setdefault(a.body["number"], []).append(a.body["id"])
    by_number: dict[str, list[int]] = {}
    for ticket in tickets:
        by_number.setdefault(ticket.number, []).append(ticket.pk)
    problems = []
    duplicates = {n: ids for n, ids in by_number.items() if len(ids) > 1}
    if duplicates:
        problems.append(f"duplicate numbers in the database: {duplicates}")
    twice_given = {n: ids for n, ids in given.items() if len(ids) > 1}
    if twice_given:
        problems.append(f"one number handed to two kiosk answers: {twice_given}")
    lost = {n: ids for n, ids in given.items() if by_number.get(n) != ids[:1]}
    if lost:
        problems.append(f"tickets a kiosk was given missing or different in the database: {lost}")
    failed_issues = sum(1 for a in answers if a.kind == "issue" and not 200 <= a.status < 300)
    unannounced = [t.number for t in tickets if t.number not in given]
    if len(unannounced) > failed_issues:
        problems.append(f"{len(unannounced)} tickets nobody was given, only {failed_issues} failed issues")
    for prefix in {t.prefix for t in tickets}:
        sequences = [t.sequence for t in tickets if t.prefix == prefix]
        if sequences != list(range(1, len(sequences) + 1)):
            problems.append(f"queue {prefix}: numbering not gap-free")
        if TicketSequence.objects.get(branch=branch, prefix=prefix).last_value != len(sequences):
            problems.append(f"queue {prefix}: the sequence counter disagrees with the tickets")
    return problems, given, failed_issues, unannounced


def _persistence_problems(answers: list[Answer], tickets: list) -> tuple[list[str], list, list]:
    """Every accepted call-next and finish is in the database, and no ticket was called twice."""
    from queueing.models import TicketStatus

    problems = []
    by_id = {t.pk: t for t in tickets}
    called_ids = [a.body["id"] for a in answers if a.kind == "call-next" and a.status == 200]
    not_called = [i for i in called_ids if by_id.get(i) is None or by_id[i].called_at is None]
    if not_called:
        problems.append(f"accepted calls not persisted: {not_called}")
    if len(called_ids) != len(set(called_ids)):
        problems.append("one ticket called twice by call-next")
    finished_ids = [a.body.get("id") for a in answers if a.kind == "finish" and a.status == 200]
    not_done = [i for i in finished_ids if by_id.get(i) is None or by_id[i].status != TicketStatus.DONE]
    if not_done:
        problems.append(f"accepted finishes not persisted: {not_done}")
    return problems, called_ids, finished_ids


def _audit_problems(tickets: list) -> list[str]:
    """Each step a ticket went through is audited exactly once."""
    from compliance.models import AuditEvent

    problems = []
    audited: dict[tuple[str, str], int] = {}
    for key in AuditEvent.objects.filter(object_type="queueing.ticket").values_list("object_id", "action"):
        audited[key] = audited.get(key, 0) + 1
    steps = {"issued_at": "ticket.issued", "called_at": "ticket.called",
             "serving_started_at": "ticket.serving", "finished_at": "ticket.done"}
    for ticket in tickets:
        for stamp, action in steps.items():
            expected = 1 if getattr(ticket, stamp) is not None else 0
            if audited.get((str(ticket.pk), action), 0) != expected:
                problems.append(f"{ticket.number}: {action} audited "
                                f"{audited.get((str(ticket.pk), action), 0)} times, expected {expected}")
    return problems


def check_database(load: Load, branch) -> dict:
    from django.db import connections

    from compliance.audit import verify_chain
    from queueing.models import Ticket, TicketStatus

    connections.close_all()  # the set-up's connection died with the restart
    answers = list(load.answers)
    tickets = list(Ticket.objects.filter(branch=branch).order_by("prefix", "sequence"))
    problems, given, failed_issues, unannounced = _numbering_problems(answers, tickets, branch)
    persisted, called_ids, finished_ids = _persistence_problems(answers, tickets)
    problems += persisted
    problems += _audit_problems(tickets)
    waiting = [t for t in tickets if t.status == TicketStatus.WAITING]
    unestimated = [t.number for t in waiting if t.estimated_wait_seconds is None or t.position is None]
    chain = verify_chain()
    if not chain.ok:
        problems.append(f"audit chain: {chain.problem}")
    return {
        "tickets_in_database": len(tickets),
        "tickets_given_to_kiosks": len(given),
        "tickets_nobody_was_given": len(unannounced),
        "failed_issue_requests": failed_issues,
        "accepted_calls": len(called_ids),
        "accepted_finishes": len(finished_ids),
        "served": sum(1 for t in tickets if t.status == TicketStatus.DONE),
        "waiting_at_end": len(waiting),
        "waiting_without_estimate": unestimated,
        "audit_chain_ok": chain.ok,
        "problems": problems,
    }


def readyz(base: str) -> int:
    try:
        return urllib.request.urlopen(base + "/readyz", timeout=5).status  # noqa: S310 - our server
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# --- the drill ---------------------------------------------------------------------------------

def start_celery(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([qb.PYTHON, "-m", "celery", "-A", "branchsvc", *args, "--loglevel=WARNING"],
                            cwd=qb.ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=sys.stderr)


def stop_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _drill_branch(args, live):
    """The drill's branch, an open counter, kiosk tokens, a lobby screen's cookie and the teller's headers."""
    from django.db import connections

    from branches.models import Device
    from branches.roles import Role
    from branches.services import device_issue_token
    from queueing import services

    branch, service, counter = qb.bench_branch("DR")
    admin = qb.bench_staff(Role.BRANCH_ADMIN, branch, "admin")
    teller = qb.bench_staff(Role.TELLER, branch, "teller")
    services.counter_open(actor=teller, counter=counter)
    tokens = [device_issue_token(actor=admin, branch=branch, kind=Device.Kind.KIOSK, name=f"kiosk {n}")[1]
              for n in range(args.kiosks)]
    lobby, _ = device_issue_token(actor=admin, branch=branch, kind=Device.Kind.LOBBY_SCREEN, name="drill")
    screen_cookie = f"sessionid={live.device_session(lobby)}"
    csrf = secrets.token_hex(16)
    teller_headers = {"Cookie": f"sessionid={live.staff_session(teller)}; csrftoken={csrf}",
                      "X-CSRFToken": csrf}
    connections.close_all()
    return branch, service, counter, tokens, screen_cookie, teller_headers


def _restart(load: Load, clients: list[str], args, stop, start) -> dict:
    """Stop a service, keep it down `down_seconds`, start it again, and measure the recovery."""
    began = time.monotonic()
    stop()
    stopped = time.monotonic()
    time.sleep(args.down_seconds)  # a longer outage than a bare restart, when asked
    start()
    done, wall = time.monotonic(), time.time()
    result = {"stop_seconds": round(stopped - began, 2), **recovery(load, clients, began, done, args.limit)}
    result["queue_scan_done_after_restart_seconds"] = scan_done_after(wall, 120)
    time.sleep(args.phase_seconds)
    return result


def _answers_summary(load: Load) -> dict:
    return {"requests": len(load.answers),
            "succeeded": sum(1 for a in load.answers if 200 <= a.status < 300),
            "by_kind": _count_statuses(load.answers),
            "no_answer_or_5xx": sum(1 for a in load.answers if a.status == 0 or a.status >= 500),
            "slowest_answer_seconds": round(max(a.ended - a.started for a in load.answers), 2),
            "lobby_messages": len(load.screen_messages), "lobby_drops": len(load.screen_drops)}


def drill(args, env: dict, cluster: PrivateCluster, redis: PrivateRedis) -> dict:
    import importlib.util

    spec = importlib.util.spec_from_file_location("live_latency", qb.ROOT / "bench/live_latency/run.py")
    live = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(live)
    branch, service, counter, tokens, screen_cookie, teller_headers = _drill_branch(args, live)

    server, base = qb.start_server(env, workers=args.workers)
    teller_headers["Referer"] = base + "/"
    worker = start_celery(env, "worker", "--pool=prefork", "--concurrency=1", "--without-gossip",
                          "--without-mingle", "-n", f"drill-{os.getpid()}@%h")
    beat = start_celery(env, "beat", "--schedule", str(redis.dir / "beat-schedule"))
    load = Load(base)
    names = [f"kiosk{n}" for n in range(args.kiosks)]
    threads = [threading.Thread(target=kiosk_loop, args=(load, name, token, branch.code, service.code,
                                                         args.kiosk_pause), daemon=True)
               for name, token in zip(names, tokens, strict=True)]
    threads.append(threading.Thread(target=teller_loop, args=(load, teller_headers, counter.pk,
                                                              args.teller_pause), daemon=True))
    threads.append(threading.Thread(target=screen_loop, args=(load, screen_cookie), daemon=True))
    clients = [*names, "teller"]
    result: dict = {}
    try:
        for thread in threads:
            thread.start()
        # Steady traffic, and the first scan done, before any fault.
        first_scan = scan_done_after(time.time() - 3600, 120)
        time.sleep(args.phase_seconds)
        result["before_faults"] = {"requests": len(load.answers),
                                   "succeeded": sum(1 for a in load.answers if 200 <= a.status < 300),
                                   "first_queue_scan_seen": first_scan is not None}
        result["postgres_restart"] = _restart(load, clients, args, cluster.stop, cluster.start)
        result["redis_restart"] = _restart(load, clients, args, redis.stop, redis.start)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    # The last scan after the load stopped gives every waiting ticket its estimate.
    settled = scan_done_after(time.time(), 120)
    result["readyz_at_end"] = readyz(base)
    for process in (beat, worker):
        stop_group(process)
    qb.stop_server(server)
    result["final_queue_scan_seconds"] = settled
    result["answers"] = _answers_summary(load)
    result["database"] = check_database(load, branch)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase-seconds", type=float, default=20, help="load before/between/after faults")
    parser.add_argument("--kiosks", type=int, default=3)
    parser.add_argument("--kiosk-pause", type=float, default=0.5)
    parser.add_argument("--teller-pause", type=float, default=0.3)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--down-seconds", type=float, default=0,
                        help="keep each service stopped this long before starting it again")
    parser.add_argument("--pg-port", type=int, default=0)
    parser.add_argument("--redis-port", type=int, default=0)
    parser.add_argument("--limit", type=float, default=TARGET_SECONDS, help="seconds to wait for recovery")
    args = parser.parse_args()

    load_before = os.getloadavg()
    cluster = PrivateCluster(args.pg_port or qb.free_port())
    redis = PrivateRedis(args.redis_port or qb.free_port())
    started = time.monotonic()
    try:
        cluster.init()
        cluster.start()
        redis.start()
        env = qb.production_env()
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{cluster.port}/branchsvc_drill"
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
        for own in ("CELERY_BROKER_URL", "CHANNEL_REDIS_URL", "CACHE_REDIS_URL"):
            env.pop(own, None)
        env.setdefault("AUDIT_CHAIN_KEY", "drill-only-" + secrets.token_hex(16))
        qb.prepare(env)
        result = drill(args, env, cluster, redis)
    finally:
        redis.remove()
        cluster.remove()
    result = {
        "bench": "failover drill",
        "profile": (f"production: uvicorn --workers {args.workers}, Celery worker + beat, private "
                    "PostgreSQL 15 (pg_ctl stop -m fast; start), private Redis (AOF; shutdown; start)"),
        "load": {"kiosks": args.kiosks, "kiosk_pause_seconds": args.kiosk_pause, "tellers": 1,
                 "teller_pause_seconds": args.teller_pause, "lobby_screens": 1,
                 "phase_seconds": args.phase_seconds, "down_seconds": args.down_seconds},
        "target_seconds": TARGET_SECONDS,
        "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "wall_seconds": round(time.monotonic() - started, 1),
        **result,
    }
    restarts = [result["postgres_restart"], result["redis_restart"]]
    result["passed"] = bool(not result["database"]["problems"] and result["database"]["audit_chain_ok"]
                            and all(r["within_target"] for r in restarts)
                            and all(r["queue_scan_done_after_restart_seconds"] is not None for r in restarts)
                            and not result["database"]["waiting_without_estimate"]
                            and result["readyz_at_end"] == 200)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
