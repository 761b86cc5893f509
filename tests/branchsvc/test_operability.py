"""What operations sees: the metrics endpoint, JSON log lines with the request id, error reports."""

import datetime as dt
import gzip
import io
import json
import logging
import os
import threading
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
import time_machine
from django.core.cache import cache

from core.logs import JsonFormatter
from core.middleware import RequestIdLogFilter
from queueing import services
from queueing.tasks import scan_queues
from tests.factories import make_service_type

OPEN_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _scrape(client, token="scrape-secret"):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = "scrape-secret"


def test_metrics_are_hidden_without_the_scrape_token(client, db, metrics_token):
    assert client.get("/metrics").status_code == 404
    assert _scrape(client, token="guess").status_code == 404
    assert _scrape(client).status_code == 200


def test_without_a_token_only_the_embedded_profile_answers_on_the_machine_itself(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = True
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    settings.DEBUG = False
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_requests_are_counted_by_route_not_by_path(client, db, metrics_token):
    client.get("/healthz")
    client.get("/t/some-ticket-token-that-does-not-exist/")
    body = _scrape(client).content.decode()
    assert 'branchsvc_http_requests_total{method="GET",route="healthz",status="200"}' in body
    assert "branchsvc_http_request_duration_seconds_bucket" in body
    assert "some-ticket-token" not in body


def test_waiting_tickets_are_reported_per_branch_and_queue(client, branch, metrics_token):
    deposit = make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    with time_machine.travel(OPEN_MORNING, tick=False) as clock:
        first = services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk"))
        services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk"))
        clock.shift(dt.timedelta(minutes=7))
        body = _scrape(client).content.decode()
    assert (f'branchsvc_queue_waiting_tickets{{branch="BJ901",queue="{first.queue}"}} 2.0'
            in body)
    assert 'branchsvc_queue_oldest_wait_seconds{branch="BJ901"} 420.0' in body


def test_scan_lag_counts_from_the_last_successful_scan(client, db, metrics_token):
    cache.clear()
    body = _scrape(client).content.decode()
    assert 'branchsvc_periodic_task_seconds_since_success{task="queueing.tasks.scan_queues"}' not in body
    assert 'branchsvc_periodic_task_interval_seconds{task="queueing.tasks.scan_queues"} 30.0' in body
    with time_machine.travel(OPEN_MORNING, tick=False) as clock:
        scan_queues.delay()
        clock.shift(dt.timedelta(seconds=45))
        body = _scrape(client).content.decode()
    assert 'branchsvc_periodic_task_seconds_since_success{task="queueing.tasks.scan_queues"} 45.0' in body
    assert 'branchsvc_celery_tasks_total{outcome="success",task="queueing.tasks.scan_queues"}' in body


@pytest.fixture
def json_log():
    """Every log line of the test, formatted as production writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdLogFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_every_log_line_of_a_not_found_request_carries_its_request_id(client, db, json_log):
    response = client.get("/no-such-page/?phone=13800138000")
    assert response.status_code == 404
    lines = json_log()
    assert {line["logger"] for line in lines} >= {"django.request", "branchsvc.access"}
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    access = next(line for line in lines if line["logger"] == "branchsvc.access")
    assert (access["status_code"], access["path"], access["level"]) == (404, "/no-such-page/", "INFO")
    assert "13800138000" not in json.dumps(lines)


class _FakeSentry(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        for line in body.splitlines():
            item = json.loads(line)
            if "exception" in item:
                self.received.append(item)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_collector():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _FakeSentry.received = []
    yield f"http://public@127.0.0.1:{server.server_address[1]}/1", _FakeSentry.received
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    server.shutdown()


def test_errors_are_reported_only_when_a_dsn_is_set():
    assert not sentry_sdk.get_client().is_active()


def test_a_crashing_page_is_reported_with_its_request_id_and_no_personal_data(
        client, db, sentry_collector, monkeypatch):
    from branchsvc import views
    from core.errors import start_error_reporting

    dsn, received = sentry_collector
    start_error_reporting(dsn=dsn, environment="test")

    def crash(user):
        raise RuntimeError("landing page broke")

    monkeypatch.setattr(views, "user_role", crash)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "secret-session"
    response = client.get("/?id_number=110101199003077777")
    sentry_sdk.flush(timeout=5)
    assert response.status_code == 500
    [event] = received
    assert event["exception"]["values"][-1]["value"] == "landing page broke"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any("vars" in frame for frame in frames)
    # The stack frames quote source lines (this test's too); the rest of the event must not carry
    # the cookie or the ID number.
    rest = json.dumps({key: value for key, value in event.items() if key != "exception"})
    assert "secret-session" not in rest
    assert "110101199003077777" not in rest


def test_a_task_queued_during_a_request_carries_its_request_id(db):
    from branchsvc.celery import app
    from core.middleware import bind_request_id, unbind_request_id

    token = bind_request_id("lb-request-12345")
    try:
        app.send_task("kiosk.tasks.scan_silent_devices", queue="ops-request-id-test")
    finally:
        unbind_request_id(token)
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("ops-request-id-test")
        message = queue.get(timeout=10)
        message.ack()
        queue.close()
    assert message.headers["request_id"] == "lb-request-12345"


def test_the_lines_a_task_logs_carry_the_request_id_it_was_queued_with(json_log):
    from branchsvc.celery import app

    @app.task(name="tests.branchsvc.log_a_line")
    def log_a_line():
        logging.getLogger("tests.task").warning("estimate refresh done")

    log_a_line.apply(headers={"request_id": "lb-request-12345"})
    [line] = [line for line in json_log() if line["logger"] == "tests.task"]
    assert line["request_id"] == "lb-request-12345"


def test_the_answering_processs_connection_pool_is_reported_where_there_is_one(client, db, metrics_token):
    from django.db import connection

    text = _scrape(client).content.decode()
    pooled = connection.vendor == "postgresql" and bool(connection.settings_dict["OPTIONS"].get("pool"))
    pid = f'pid="{os.getpid()}"'
    if not pooled:  # SQLite, or DB_POOL=false: nothing to report
        assert "branchsvc_db_pool_connections{" not in text
        return
    in_use = [line for line in text.splitlines() if line.startswith("branchsvc_db_pool_connections{")
              and 'state="in_use"' in line and pid in line]
    assert in_use and float(in_use[0].rsplit(" ", 1)[1]) >= 1  # this test's own connection
    assert f'branchsvc_db_pool_max_connections{{alias="default",{pid}}}' in text
    assert "branchsvc_db_pool_request_errors_total{" in text


def test_the_pool_connects_to_the_database_the_settings_name(db):
    """A pool built too early (e.g. by a metrics collector at import) keeps the settings of that
    moment: the suite would write to the main database while the settings name the test one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no connection pool")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (current,) = cursor.fetchone()
    assert current == connection.settings_dict["NAME"]
