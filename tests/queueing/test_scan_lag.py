"""The queue scan's lag as Prometheus shows it: from beat sending the scan to its last shard
finishing, and while a shard has not finished, growing with the time since it was sent."""

import datetime as dt

import time_machine
from django.core.cache import cache

from queueing.tasks import SHARD_DONE, scan_queue_shard, scan_queues
from tests.queueing.conftest import OPEN_MORNING


def _scan_lag(client, settings) -> str | None:
    settings.METRICS_TOKEN = "scrape-secret"
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").content.decode()
    lines = [line for line in body.splitlines() if line.startswith("branchsvc_queue_scan_lag_seconds ")]
    return lines[0].split()[1] if lines else None


def test_no_scan_lag_is_reported_before_the_first_scan(client, db, settings):
    cache.clear()
    assert _scan_lag(client, settings) is None


def test_a_scan_whose_shards_all_finished_reports_how_long_it_took(client, db, settings):
    cache.clear()
    settings.QUEUE_SCAN_SHARDS = 2
    with time_machine.travel(OPEN_MORNING, tick=False) as clock:
        scan_queues()  # sends the shards (run at once in tests)
        clock.shift(dt.timedelta(seconds=4))
        scan_queue_shard(1, 2)  # the slowest shard finishes 4 s after the scan was sent
        clock.shift(dt.timedelta(seconds=60))
        assert _scan_lag(client, settings) == "4.0"


def test_an_unfinished_scan_reports_the_time_since_it_was_sent(client, db, settings):
    cache.clear()
    settings.QUEUE_SCAN_SHARDS = 2
    with time_machine.travel(OPEN_MORNING, tick=False) as clock:
        scan_queues()
        cache.delete(SHARD_DONE.format(1))  # shard 1 still queued behind other work
        clock.shift(dt.timedelta(seconds=45))
        assert _scan_lag(client, settings) == "45.0"
