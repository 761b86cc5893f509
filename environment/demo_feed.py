"""The demo's sensors when there are none: `make run` has no sensor hardware and often no MQTT
broker, so the demo's registered sensors would fall silent five minutes after start and fill the
lobby manager's alerts. `serve --demo-sensors` (what `make run` starts) stores plausible readings
for every active sensor through the service the MQTT ingest uses, so tiles, charts and thresholds
behave as with real sensors. Production never starts it: real sensors publish over MQTT."""

from __future__ import annotations

import logging
import random
import threading

from django.db import close_old_connections
from django.utils import timezone

from environment.models import Sensor
from environment.services import Reading, readings_store
from environment.simulate import reading

log = logging.getLogger(__name__)


def feed_round(rng: random.Random, now=None) -> int:
    """One reading for every active sensor at `now`, in its branch's local hour of the day."""
    now = now or timezone.now()
    readings = []
    for sensor in Sensor.objects.filter(is_active=True).select_related("branch"):
        local = now.astimezone(sensor.branch.tz)
        hour = local.hour + local.minute / 60
        readings.append(Reading(sensor_id=sensor.pk, value=reading(sensor.kind, hour, rng), at=now))
    return readings_store(readings=readings)


class DemoFeed:
    """A daemon thread feeding a round every `interval` seconds until stopped."""

    def __init__(self, interval: float = 30.0, seed: int | None = None):
        self.interval = interval
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-sensors", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                feed_round(self._rng)
            except Exception:  # a failed round (database busy) is logged; the next one tries again
                log.exception("demo sensor feed: round failed")
            finally:
                close_old_connections()
            self._stop.wait(self.interval)
