"""A fake core-banking peer for tests and drills, run as its own process:

    python -m continuity.fakecore --port 8210 --latency-ms 200 --fail-rate 0.3 --lost-reply-rate 0.1

It freezes cards and places dispute holds in memory, honouring Idempotency-Key headers the way the
real one must: a key is applied once; a repeat gets the first answer (header
`Idempotent-Replayed: true`); the same key with another body is refused (422).

Failure injection: `--fail-rate` answers 503 before doing anything; `--lost-reply-rate` does the
work and then answers 503, as when the reply is lost on the way back (the case that duplicates a
freeze without idempotency keys). Tests steer it exactly through two admin endpoints:
`POST /_faults {"fail_next": 2, "lose_next_replies": 1, "refuse_next": 1, "latency_ms": 0}` and `GET /_ledger`
(how many times each customer's cards were actually frozen, and the holds placed).
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Core:
    def __init__(self, *, latency_ms: int, fail_rate: float, lost_reply_rate: float, seed: int | None):
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self.lost_reply_rate = lost_reply_rate
        self.fail_next = 0
        self.lose_next_replies = 0
        self.refuse_next = 0
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.answers: dict[str, tuple[str, dict]] = {}  # key -> (body fingerprint, answer)
        self.freezes: dict[str, int] = {}  # customer_no -> times actually frozen
        self.holds: dict[str, int] = {}
        self.requests = 0

    def handle(self, path: str, key: str, body: dict) -> tuple[int, dict, bool]:
        """(status, answer, replayed)."""
        time.sleep(self.latency_ms / 1000)
        with self.lock:
            self.requests += 1
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return 422, {"error": "account closed"}, False
            if self.fail_next > 0 or self.random.random() < self.fail_rate:
                self.fail_next = max(0, self.fail_next - 1)
                return 503, {"error": "core banking busy"}, False
            fingerprint = json.dumps(body, sort_keys=True)
            if key in self.answers:
                seen, answer = self.answers[key]
                if seen != fingerprint:
                    return 422, {"error": "idempotency key reused with another request"}, False
                return 200, answer, True
            answer = self._apply(path, body)
            self.answers[key] = (fingerprint, answer)
            if self.lose_next_replies > 0 or self.random.random() < self.lost_reply_rate:
                self.lose_next_replies = max(0, self.lose_next_replies - 1)
                return 503, {"error": "reply lost"}, False
            return 200, answer, False

    def _apply(self, path: str, body: dict) -> dict:
        customer = str(body.get("customer_no", ""))
        book = self.freezes if path == "/v1/cards/freeze" else self.holds
        book[customer] = book.get(customer, 0) + 1
        prefix = "FRZ" if book is self.freezes else "DSP"
        return {"reference": f"{prefix}-{sum(book.values()):06d}", "customer_no": customer}

    def ledger(self) -> dict:
        with self.lock:
            return {"freezes": dict(self.freezes), "holds": dict(self.holds), "requests": self.requests}


def make_handler(core: Core):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def _reply(self, status: int, data: dict, replayed: bool = False) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if replayed:
                self.send_header("Idempotent-Replayed", "true")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server's name
            if self.path == "/_ledger":
                return self._reply(200, core.ledger())
            return self._reply(404, {"error": "not found"})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                return self._reply(400, {"error": "not JSON"})
            if self.path == "/_faults":
                with core.lock:
                    for name in ("fail_next", "lose_next_replies", "refuse_next", "latency_ms"):
                        if name in body:
                            setattr(core, name, int(body[name]))
                    for name in ("fail_rate", "lost_reply_rate"):
                        if name in body:
                            setattr(core, name, float(body[name]))
                return self._reply(200, {"ok": True})
            if self.path not in ("/v1/cards/freeze", "/v1/disputes/hold"):
                return self._reply(404, {"error": "not found"})
            key = self.headers.get("Idempotency-Key", "")
            if not key:
                return self._reply(400, {"error": "Idempotency-Key header required"})
            if not body.get("customer_no"):
                return self._reply(422, {"error": "customer_no required"})
            status, answer, replayed = core.handle(self.path, key, body)
            return self._reply(status, answer, replayed)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake core banking (card freeze, dispute hold).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--lost-reply-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    core = Core(
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        lost_reply_rate=args.lost_reply_rate,
        seed=args.seed,
    )
    server = ThreadingHTTPServer((args.host, args.port), make_handler(core))
    print(f"fake core banking on http://{args.host}:{server.server_port}", flush=True)  # noqa: T201
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
