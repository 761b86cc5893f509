import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache

from queueing.state import forget_service_times

# A Monday morning inside the factory branches' opening hours (09:00-17:00 every day).
OPEN_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_queue_memory():
    # Learned service times, alerts and refresh flags live in process memory and the cache.
    cache.clear()
    forget_service_times()
    yield
    forget_service_times()
