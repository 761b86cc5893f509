"""The branch day on the production profile: the demo branch network seeded once per module,
uvicorn serving the ASGI app, a real Celery worker process on Redis, and Debian's Chromium."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from branchsvc.celery import app as celery_app
from tests.browser import launch_chromium, serve_asgi

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="package")
def production_profile(request):
    from tests.conftest import require

    require("postgres")
    require("redis")
    require("chromium")
    request.getfixturevalue("django_db_setup")  # only now: skipping needs no test database


@pytest.fixture(scope="package")
def world(production_profile, django_db_blocker, tmp_path_factory):
    """The demo data (`manage.py seed_demo`) with the Beijing branch open around the clock, so the
    day can run at any real time (the Celery worker runs on the real clock, not a frozen one)."""
    from django.db import connection

    import branches.demo
    from branches.models import Branch, CalendarException

    tokens = tmp_path_factory.mktemp("demo") / "tokens.json"
    with django_db_blocker.unblock():
        # The flush below also removes what data migrations wrote (default synonyms, SLA
        # policies, categories); keep a copy to put back, as Django's serialized rollback does.
        reference_data = connection.creation.serialize_db_to_string()
        with mock.patch.object(branches.demo, "DEMO_TOKENS_FILE", tokens):
            call_command("seed_demo", "--days", "0", stdout=open(os.devnull, "w"))
        beijing = Branch.objects.get(code="BJ001")
        today = timezone.localdate()
        for day in (today, today + dt.timedelta(days=1)):
            CalendarException.objects.update_or_create(
                branch=beijing, date=day, defaults={"kind": CalendarException.Kind.SPECIAL_HOURS,
                                                    "opens": dt.time(0, 0), "closes": dt.time(23, 59)})
        yield {"branch": beijing, "tokens": json.loads(tokens.read_text())}
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(reference_data)
        # The flush restarted every id sequence; move them past the restored rows.
        from django.apps import apps
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture(scope="package")
def server(world):
    with override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
                           APPOINTMENTS={**getattr(settings, "APPOINTMENTS", {}),
                                         # Slots from now on; the demo customer already has
                                         # upcoming bookings and books twice more here.
                                         "lead_time_minutes": 0, "max_active_per_customer": 10}):
        with serve_asgi() as url:
            yield url


@pytest.fixture(scope="package")
def worker(world, tmp_path_factory):
    """A real Celery worker process on Redis against the test database; its console (where the
    console SMS backend prints) goes to a log file the tests read."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    # CHANNEL_PREFIX: the worker's live pushes (VIP arrival, reminders) must reach this server, whose
    # deployment prefix comes from the database it was configured with, not the test database.
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1" if settings.DEBUG else "0",
           "CHANNEL_PREFIX": settings.CHANNEL_PREFIX,
           "SECRET_KEY": settings.SECRET_KEY, "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEY),
           "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "branchsvc", "worker", "--pool=solo", "-l", "info",
         "--without-mingle", "--without-gossip", "-n", f"e2e-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while "ready." not in log.read_text():  # start-up, not test timing
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "the Celery worker did not start"
        time.sleep(0.2)
    yield log
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="package")
def browser(world, server):
    # Started after the data and the server: Playwright's event loop must not run in this thread
    # while seed_demo pushes live events (async_to_sync).
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def db(django_db_blocker):
    """Here `db` means the package's shared, committed demo world, read and written without a
    wrapping transaction (the server thread and the worker process must see every write). The name
    also tells pytest-django to create the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _real_worker(db, _eager_celery):
    """Tasks go to Redis and the worker process instead of running eagerly in the test."""
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _close_pages(request):
    """Each test's browser contexts close after it (and after its failure screenshots): open
    pages keep polling and streaming, and the machine is small."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()


def wait_until(condition, *, timeout: float = 30, message: str = ""):
    """Poll the database or a log for work done by another process (the worker) — not a sleep
    for timing: it returns as soon as the condition holds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, message or "condition not met in time"
        time.sleep(0.2)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of every open page (E2E_ARTIFACTS, default a temp dir)."""
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and browser is not None:
        folder = Path(os.environ.get("E2E_ARTIFACTS", "/tmp/e2e-artifacts")) / item.name
        folder.mkdir(parents=True, exist_ok=True)
        for c, context in enumerate(browser.contexts):
            for p, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(folder / f"{c}-{p}.png"))
                except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
                    pass
        report.sections.append(("e2e artifacts", str(folder)))
    return report
