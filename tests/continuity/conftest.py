import json
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings


class FakeCore:
    """The fake core-banking process (continuity/fakecore.py), steered over its admin endpoints."""

    def __init__(self, url: str):
        self.url = url

    def faults(self, **faults) -> None:
        request = urllib.request.Request(
            self.url + "/_faults",
            data=json.dumps(faults).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=5).read()  # noqa: S310 - our own test process

    def ledger(self) -> dict:
        with urllib.request.urlopen(self.url + "/_ledger", timeout=5) as response:  # noqa: S310
            return json.loads(response.read())


@pytest.fixture(scope="session")
def fake_core_process():
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "continuity.fakecore", "--port", "0", "--latency-ms", "20"],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert "http://" in line, line
    yield line.strip().rsplit(" ", 1)[-1]
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def fake_core(fake_core_process, settings):
    settings.CORE_BANKING_URL = fake_core_process
    settings.CORE_BANKING_RETRY_BASE_SECONDS = 10
    settings.CORE_BANKING_RETRY_MAX_SECONDS = 600
    core = FakeCore(fake_core_process)
    core.faults(fail_next=0, lose_next_replies=0, refuse_next=0, fail_rate=0, lost_reply_rate=0)
    return core


@pytest.fixture
def sms(settings):
    """Texts sent to customers, as (to, body)."""
    settings.NOTIFICATION_BACKENDS = ["sms"]
    settings.SMS_BACKEND = "tests.continuity.conftest.RecordingSMS"
    RecordingSMS.sent = []
    return RecordingSMS.sent


class RecordingSMS:
    sent: list = []

    def send(self, to: str, body: str) -> None:
        self.sent.append((to, body))


@pytest.fixture
def live_events(monkeypatch):
    """Live events as sent after commit: [(group, event, payload)]."""
    sent = []
    monkeypatch.setattr(
        "core.live.send_now", lambda group, event, payload: sent.append((group, event, payload))
    )
    return sent


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Lobby screens read the emergency state from the cache, which outlives each test's database.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def playbooks(migration_data):
    """The six seeded plans (tests/conftest.py's `migration_data`: a data migration seeds them, but
    a transactional test before this one flushes every table)."""
