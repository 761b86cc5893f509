"""The MQTT side of the sensors: subscribe, validate, rate-limit, and hand batches to the service.

Sensors publish JSON `{"value": 23.4, "unit": "C"}` to `<prefix>/<branch code>/<sensor key>`.
Messages are only buffered on paho's network thread; `flush()` (every second on a thread of its
own, or called by tests) validates them and stores the batch through `readings_store`, so a slow
database never stalls the broker connection. paho reconnects with back-off when the broker goes
away and the subscription is renewed on every connect, so a broker outage loses only what was
published while it was down.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from django.utils import timezone

from environment import conf
from environment.kinds import SPECS
from environment.models import Sensor
from environment.services import Reading, readings_store

log = logging.getLogger(__name__)

SENSOR_REFRESH_SECONDS = 30
UNSAVED_KEEP = 10_000


class Rejected(Exception):
    """A message that is not a reading we can keep; `reason` is a short machine word."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Message:
    topic: str
    payload: bytes
    received_at: object  # aware datetime
    monotonic: float


@dataclass
class Stats:
    connects: int = 0  # subscriptions confirmed by the broker (one per connection)
    stored: int = 0
    rejected: Counter = field(default_factory=Counter)


def parse(message: Message, sensors: dict[tuple[str, str], tuple[int, str]], prefix: str) -> Reading:
    """The reading a message carries, or Rejected: wrong topic, unknown sensor, not JSON, no
    number, wrong unit, or a value no working sensor of its kind can report."""
    head, _, rest = message.topic.rpartition("/")
    branch_code = head.rpartition("/")[2]
    if not message.topic.startswith(prefix + "/") or head != f"{prefix}/{branch_code}" or not rest:
        raise Rejected("topic")
    found = sensors.get((branch_code, rest))
    if found is None:
        raise Rejected("unknown_sensor")
    sensor_id, kind = found
    try:
        body = json.loads(message.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Rejected("not_json") from None
    value = body.get("value") if isinstance(body, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Rejected("not_a_number")
    spec = SPECS[kind]
    if body.get("unit", spec.unit) != spec.unit:
        raise Rejected("unit")
    if not spec.plausible[0] <= value <= spec.plausible[1]:
        raise Rejected("out_of_range")
    return Reading(sensor_id=sensor_id, value=float(value), at=message.received_at)


class SensorIngest:
    def __init__(self, *, url: str | None = None, prefix: str | None = None,
                 min_interval: float | None = None, flush_seconds: float | None = 1.0,
                 reconnect_delay: tuple[float, float] = (1, 30)):
        self.host, self.port = conf.broker_address(url)
        self.prefix = (prefix or conf.topic_prefix()).strip("/")
        self.min_interval = conf.min_interval_seconds() if min_interval is None else min_interval
        self.flush_seconds = flush_seconds
        self.stats = Stats()
        self._buffer: list[Message] = []
        self._unsaved: list[Reading] = []
        self._changed = threading.Condition()
        self._last_accepted: dict[str, float] = {}
        self._sensors: dict[tuple[str, str], tuple[int, str]] = {}
        self._sensors_loaded_at = -math.inf
        self._stopping = threading.Event()
        self._flusher: threading.Thread | None = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                                  client_id=f"branchsvc-ingest-{uuid.uuid4().hex[:8]}")
        self.client.reconnect_delay_set(min_delay=reconnect_delay[0], max_delay=reconnect_delay[1])
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    # paho's network thread ---------------------------------------------------------------------

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.warning("MQTT broker %s:%s refused the connection: %s", self.host, self.port, reason_code)
            return
        client.subscribe(f"{self.prefix}/+/+", qos=0)
        log.info("sensor ingest connected to %s:%s, topic %s/+/+", self.host, self.port, self.prefix)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        # Counted when the broker confirms the subscription, not at connect: a reading published
        # in between would not be delivered, and "connected" would be a lie to whoever waits.
        with self._changed:
            self.stats.connects += 1
            self._changed.notify_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        if not self._stopping.is_set():
            log.warning("sensor ingest lost the MQTT broker (%s); reconnecting with back-off", reason_code)

    def _on_message(self, client, userdata, message):
        now = time.monotonic()
        # Rate limit per topic: a chattering sensor costs nothing beyond the message itself.
        last = self._last_accepted.get(message.topic)
        if last is not None and now - last < self.min_interval:
            with self._changed:
                self.stats.rejected["rate_limited"] += 1
                self._changed.notify_all()
            return
        self._last_accepted[message.topic] = now
        with self._changed:
            self._buffer.append(Message(message.topic, message.payload, timezone.now(), now))
            self._changed.notify_all()

    # the worker's side -------------------------------------------------------------------------

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        if self.flush_seconds:
            self._flusher = threading.Thread(target=self._flush_forever, name="sensor-ingest-flush",
                                             daemon=True)
            self._flusher.start()

    def stop(self) -> None:
        self._stopping.set()
        self.client.disconnect()
        self.client.loop_stop()
        if self._flusher is not None:
            self._flusher.join(timeout=5)
            self.flush()

    def wait(self, predicate, timeout: float = 30.0) -> bool:
        """Wait until `predicate(self)` holds (messages received, a reconnect) or the timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout=timeout)

    def received(self) -> int:
        return len(self._buffer) + self.stats.stored + sum(self.stats.rejected.values())

    def _flush_forever(self) -> None:
        while not self._stopping.wait(self.flush_seconds):
            try:
                self.flush()
            except Exception:
                # The database is away: keep the connection to the broker; the batch is retried.
                log.exception("sensor readings could not be stored; retrying")
            finally:
                close_old_connections()

    def flush(self) -> int:
        with self._changed:
            batch, self._buffer = self._buffer, []
        readings, self._unsaved = self._unsaved, []
        for message in batch:
            try:
                readings.append(parse(message, self._known_sensors(), self.prefix))
            except Rejected as rejected:
                self.stats.rejected[rejected.reason] += 1
                log.info("sensor message on %s rejected: %s", message.topic, rejected.reason)
        try:
            stored = readings_store(readings=readings)
        except Exception:
            # Kept for the next flush (the newest, up to a bound): a database that is away for a
            # while loses the oldest readings, never the connection to the broker.
            self._unsaved = readings[-UNSAVED_KEEP:]
            raise
        with self._changed:
            self.stats.stored += stored
            self._changed.notify_all()
        return stored

    def _known_sensors(self) -> dict[tuple[str, str], tuple[int, str]]:
        # Registered sensors start being accepted within SENSOR_REFRESH_SECONDS.
        if time.monotonic() - self._sensors_loaded_at > SENSOR_REFRESH_SECONDS:
            self.reload_sensors()
        return self._sensors

    def reload_sensors(self) -> None:
        rows = Sensor.objects.filter(is_active=True).values_list("id", "branch__code", "key", "kind")
        self._sensors = {(code, key): (pk, kind) for pk, code, key, kind in rows}
        self._sensors_loaded_at = time.monotonic()
