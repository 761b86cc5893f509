import datetime as dt
import os
import shutil
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from branches.roles import Role
from branchsvc.celery import app as celery_app
from tests.browser import asgi_server, chromium, chromium_filming  # noqa: F401 (fixtures for every browser test)
from tests.factories import make_branch, make_customer_user, make_staff

FACES_DIR = Path(settings.BASE_DIR).parent / "shared" / "faces"
REQUIRED = {name.strip() for name in os.environ.get("REQUIRE_SERVICES", "").split(",") if name.strip()}


def _available(service: str) -> tuple[bool, str]:
    from django.db import connection

    if service == "postgres":
        return connection.vendor == "postgresql", "runs on PostgreSQL: set DATABASE_URL"
    if service == "redis":
        if not settings.REDIS_URL:
            return False, "needs Redis: set REDIS_URL"
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError as error:
            return False, f"Redis at REDIS_URL is unreachable ({error.__class__.__name__})"
        return True, ""
    if service == "redis-server":
        # A Redis of the test's own, to stop and start again (tests/own_redis.py).
        found = shutil.which("redis-server") and shutil.which("redis-cli")
        return bool(found), "needs redis-server and redis-cli (apt-get install redis-server)"
    if service == "chromium":
        found = shutil.which("chromium") or Path("/usr/bin/chromium").exists()
        return bool(found), "needs Debian's Chromium (apt-get install chromium)"
    if service == "faces":
        return FACES_DIR.is_dir(), f"needs the shared face photos in {FACES_DIR}"
    if service == "tesseract":
        return bool(shutil.which("tesseract")), "needs tesseract-ocr with chi_sim"
    if service == "espeak":
        return bool(shutil.which("espeak-ng")), "needs espeak-ng (apt-get install espeak-ng)"
    if service == "mqtt":
        # The MQTT broker the sensors publish to (MQTT_URL; Mosquitto at 127.0.0.1:1883 by default).
        import socket

        from environment.conf import broker_address

        host, port = broker_address()
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as error:
            return False, f"no MQTT broker answers at {host}:{port} ({error.__class__.__name__})"
        return True, ""
    if service == "mosquitto":
        # A broker of the test's own, to stop and start again (tests/environment/conftest.py).
        return bool(shutil.which("mosquitto")), "needs mosquitto (apt-get install mosquitto)"
    if service == "s3":
        import importlib.util

        found = importlib.util.find_spec("moto") and importlib.util.find_spec("flask")
        return bool(found), "needs moto[server] (requirements-dev.txt) for a local S3 server"
    if service == "turn":
        # A TURN relay between two network namespaces (root, iproute2, coturn): tests/kiosk/relay_network.py.
        from tests.kiosk.relay_network import unavailable

        reason = unavailable()
        return not reason, reason
    raise ValueError(f"unknown service {service!r}")


def require(service: str) -> None:
    """Skip the calling test where `service` is absent; fail instead where CI requires it
    (REQUIRE_SERVICES=postgres,redis,...)."""
    ok, reason = _available(service)
    if ok:
        return
    # CI that requires Redis requires the outage tests that stop a Redis of their own too.
    if service in REQUIRED or (service == "redis-server" and "redis" in REQUIRED) or (
            service == "mosquitto" and "mqtt" in REQUIRED):
        pytest.fail(f"{service} is required here (REQUIRE_SERVICES) but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def require_service():
    return require


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Every test that wrote through the services leaves an intact audit chain: each test's writes
    are verified while its data still exists (the suite's databases do not outlive it)."""
    result = yield
    uses_database = bool(_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
                         or item.get_closest_marker("django_db"))
    if uses_database and not item.get_closest_marker("skip_audit_chain_check"):
        from django.db import connection

        from compliance.audit import verify_chain

        if not connection.in_atomic_block:
            # Outside a test transaction the test may have left this thread's connection closed
            # under Django (async consumers, a restarted server): verify on a fresh one.
            connection.close()
        elif connection.connection is None or getattr(connection.connection, "closed", False):
            # Channels closed the test transaction's connection (close_old_connections in a
            # consumer): its writes went with it, there is nothing left to verify.
            return result
        report = verify_chain()
        assert report.ok, f"the audit chain this test wrote does not verify: {report.problem}"
    return result


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit"
    settings.SECURE_SSL_REDIRECT = False
    # Two-factor sign-in has its own tests (tests/branchsvc/test_two_factor.py); elsewhere staff
    # are signed in with force_login and would otherwise stop at the code page.
    settings.OTP_REQUIRED_ROLES = []


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_triggers():
    """Transactional tests on PostgreSQL empty the tables with TRUNCATE between tests, which the
    audit trail's triggers refuse; the suite's superuser role skips them for that one statement."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: Django's LocaleMiddleware activates a
    request's language on the test's own thread and leaves it there, so a test that rendered a
    page in English would otherwise change what the next test's render_to_string produces."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    """Each test starts with no cached search state: the process's copy of the word statistics
    follows the statistics table's changed rows, and a test's rolled-back rows never come back
    as changes — the next test would rank with the previous test's words."""
    from knowledge import searching

    with searching._lock:
        searching._cache.clear()
        searching._vocabulary.clear()
    yield


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process during tests; fault tests start real workers themselves. The
    in-process runner counts as the worker whose heartbeat /readyz looks for."""
    from core.worker_heartbeat import worker_heartbeat_write

    worker_heartbeat_write()
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday morning in Beijing with branches open: the instant `clock` starts at.
CLOCK_START = dt.datetime(2026, 12, 7, 10, 0, tzinfo=BEIJING)


class Clock:
    """The tests' one clock: frozen (it moves only when told), whatever the machine's date."""

    def __init__(self, traveller):
        self._traveller = traveller

    def move_to(self, when: dt.datetime | str) -> dt.datetime:
        """Freeze at `when`; a naive time or an ISO text without offset is Beijing time."""
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        if when.tzinfo is None:
            when = when.replace(tzinfo=BEIJING)
        self._traveller.move_to(when)
        return when

    def shift(self, delta: dt.timedelta | None = None, **parts) -> dt.datetime:
        self._traveller.shift(delta or dt.timedelta(**parts))
        return self.now()

    def now(self) -> dt.datetime:
        return timezone.now()

    def today(self) -> dt.date:
        """Today in Beijing (the branches' date), not the machine's."""
        return timezone.now().astimezone(BEIJING).date()


def reseed_migration_data() -> None:
    """Put back the rows data migrations seed: a transactional test flushes every table, so a
    test after one finds them gone (CI's emergency-plan failure). Continuity's six emergency
    plans, knowledge's synonym table, the service desk's categories and SLA policies, quality's
    standard checklist: each is seeded only where its table is empty (four queries otherwise)."""
    from continuity.models import Playbook
    from continuity.playbooks import seed as seed_playbooks
    from knowledge.models import SynonymGroup
    from knowledge.search.dictionary import DEFAULT_SYNONYMS
    from quality.models import Checklist, ChecklistItem, ChecklistVersion
    from quality.standards import seed as seed_checklist
    from servicedesk.defaults import install as install_desk
    from servicedesk.models import Category, SLAPolicy

    if not Playbook.objects.exists():
        seed_playbooks(Playbook)
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(SynonymGroup(terms=", ".join(group)) for group in DEFAULT_SYNONYMS)
    if not Category.objects.exists():
        install_desk(Category, SLAPolicy)
    if not ChecklistVersion.objects.exists():
        seed_checklist(Checklist, ChecklistVersion, ChecklistItem, now=timezone.now())


@pytest.fixture
def migration_data(db):
    """The rows data migrations seed, there even after a transactional test flushed them."""
    reseed_migration_data()


@pytest.fixture
def clock():
    """Freeze time for the test at CLOCK_START; `clock.move_to(...)` / `clock.shift(hours=2)`."""
    with time_machine.travel(CLOCK_START, tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def branch(db):
    return make_branch("BJ901")


@pytest.fixture
def other_branch(db):
    return make_branch("SH902")


@pytest.fixture
def teller(branch):
    return make_staff(Role.TELLER, branch, username="teller")


@pytest.fixture
def wealth_manager(branch):
    return make_staff(Role.WEALTH_MANAGER, branch, username="wealth")


@pytest.fixture
def lobby_manager(branch):
    return make_staff(Role.LOBBY_MANAGER, branch, username="lobby")


@pytest.fixture
def branch_admin(branch):
    return make_staff(Role.BRANCH_ADMIN, branch, username="badmin")


@pytest.fixture
def compliance_officer(db):
    return make_staff(Role.COMPLIANCE_OFFICER, None, username="compliance")


@pytest.fixture
def department_staff(db):
    return make_staff(Role.DEPARTMENT_STAFF, None, username="deptstaff")


@pytest.fixture
def department_head(db):
    return make_staff(Role.DEPARTMENT_HEAD, None, username="depthead")


@pytest.fixture
def head_office_admin(db):
    return make_staff(Role.HEAD_OFFICE_ADMIN, None, username="hoadmin")


@pytest.fixture
def customer_user(branch):
    return make_customer_user(branch=branch)


@pytest.fixture
def users_by_role(branch, teller, wealth_manager, lobby_manager, branch_admin, compliance_officer,
                  department_staff, department_head, head_office_admin, customer_user):
    """One user per role (staff of `branch` where the role has a branch), plus None = anonymous."""
    return {Role.TELLER: teller, Role.WEALTH_MANAGER: wealth_manager,
            Role.LOBBY_MANAGER: lobby_manager, Role.BRANCH_ADMIN: branch_admin,
            Role.COMPLIANCE_OFFICER: compliance_officer, Role.DEPARTMENT_STAFF: department_staff,
            Role.DEPARTMENT_HEAD: department_head, Role.HEAD_OFFICE_ADMIN: head_office_admin,
            Role.CUSTOMER: customer_user, None: None}


def wait_for_js(page, expression: str, *, timeout_ms: int = 30_000) -> None:
    """Wait until `expression` is true in the page.

    Playwright's wait_for_function polls with a function compiled inside the page, which our
    Content-Security-Policy (no unsafe-eval) forbids; evaluate() goes through the DevTools
    protocol instead, so poll with it.
    """
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(50)
